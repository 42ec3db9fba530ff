"""Checklist templates: national, one version line per site type, never changed once made."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from cachetools import LRUCache
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from service.checklists.models import ChecklistItem, ChecklistTemplate
from service.common.errors import Conflict, NotFound
from service.common.pagination import Page, paginate


@dataclass(frozen=True)
class ItemVersion:
    code: str
    text: str
    weight: int


@dataclass(frozen=True)
class TemplateVersion:
    """A checklist version's content, as submissions check and score against it."""

    id: uuid.UUID
    site_type: str
    version: int
    items: tuple[ItemVersion, ...]


#: versions never change once made, so each process reads one at most once
_VERSIONS: LRUCache = LRUCache(maxsize=1024)


def template_version(db: Session, *, template_id: uuid.UUID) -> TemplateVersion | None:
    """A checklist version by id, from this process's cache after the first read."""
    if (known := _VERSIONS.get(template_id)) is not None:
        return known
    template = db.get(ChecklistTemplate, template_id)
    if template is None:
        return None
    version = TemplateVersion(
        id=template.id, site_type=template.site_type, version=template.version,
        items=tuple(ItemVersion(item.code, item.text, item.weight) for item in template.items))
    _VERSIONS[template_id] = version
    return version


@dataclass
class Created:
    """A template and whether this request made it (201) or found it already there (200)."""

    template: ChecklistTemplate
    created: bool


def current_versions(db: Session) -> dict[str, int]:
    """The newest version number of each site type's checklist."""
    rows = db.execute(select(ChecklistTemplate.site_type, func.max(ChecklistTemplate.version))
                      .group_by(ChecklistTemplate.site_type))
    return dict(rows.all())


def mark_current(db: Session, templates: list[ChecklistTemplate]) -> list[ChecklistTemplate]:
    """Set `is_current` on each template for the answer."""
    newest = current_versions(db)
    for template in templates:
        template.is_current = newest.get(template.site_type) == template.version
    return templates


def list_templates(db: Session, *, site_type: str | None, all_versions: bool, limit: int,
                   cursor: str | None) -> Page:
    """Templates by site type and version; by default only each site type's current one."""
    stmt = select(ChecklistTemplate)
    if site_type:
        stmt = stmt.where(ChecklistTemplate.site_type == site_type)
    if not all_versions:
        newer = aliased(ChecklistTemplate)
        stmt = stmt.where(~select(newer.id).where(
            newer.site_type == ChecklistTemplate.site_type,
            newer.version > ChecklistTemplate.version).exists())
    page = paginate(db, stmt, [ChecklistTemplate.site_type, ChecklistTemplate.version],
                    limit=limit, cursor=cursor)
    mark_current(db, page.items)
    return page


def get_template(db: Session, *, template_id: uuid.UUID) -> ChecklistTemplate:
    """Any version of any checklist, current or not (templates are national)."""
    template = db.get(ChecklistTemplate, template_id)
    if template is None:
        raise NotFound("No such checklist template.")
    return mark_current(db, [template])[0]


def latest_template(db: Session, *, site_type: str) -> ChecklistTemplate | None:
    """The current version for a site type, if any."""
    return db.scalar(select(ChecklistTemplate).where(ChecklistTemplate.site_type == site_type)
                     .order_by(ChecklistTemplate.version.desc()).limit(1))


def _same_content(template: ChecklistTemplate, data: dict) -> bool:
    mine = [(item.code, item.text, item.weight) for item in template.items]
    theirs = [(item["code"], item["text"], item["weight"]) for item in data["items"]]
    return template.title == data["title"] and mine == theirs


def build_template(*, site_type: str, version: int, title: str, items: list[dict],
                   created_by_id: uuid.UUID | None) -> ChecklistTemplate:
    """A new template object with its items in the given order (not yet added)."""
    return ChecklistTemplate(
        site_type=site_type, version=version, title=title, created_by_id=created_by_id,
        items=[ChecklistItem(code=item["code"], text=item["text"], weight=item["weight"],
                             position=position) for position, item in enumerate(items)])


def create_template(db: Session, *, created_by_id: uuid.UUID, data: dict) -> Created:
    """A new current version for a site type; the same content as the current one is a no-op."""
    current = latest_template(db, site_type=data["site_type"])
    if current is not None and _same_content(current, data):
        return Created(mark_current(db, [current])[0], created=False)
    template = build_template(site_type=data["site_type"],
                              version=(current.version if current else 0) + 1,
                              title=data["title"], items=data["items"],
                              created_by_id=created_by_id)
    try:
        with db.begin_nested():
            db.add(template)
    except IntegrityError as exc:
        raise Conflict("Another version of this checklist was created at the same moment; "
                       "reload the checklists and try again.") from exc
    template.is_current = True
    return Created(template, created=True)
