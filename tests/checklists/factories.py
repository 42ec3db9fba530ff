"""Checklist templates for tests: a new version with known items and weights."""

from __future__ import annotations

from service.checklists.logic import build_template, latest_template
from service.checklists.models import ChecklistTemplate

#: (code, weight): the test checklist most inspection tests use (weights 50 + 30 + 20)
ITEMS = (("real_name", 50), ("xray_check", 30), ("recycling_device", 20))


def new_version(db, site_type: str = "express_outlet", items=ITEMS,
                title: str = "测试检查表") -> ChecklistTemplate:
    """A new current version of `site_type`'s checklist."""
    current = latest_template(db, site_type=site_type)
    template = build_template(
        site_type=site_type, version=(current.version if current else 0) + 1, title=title,
        items=[{"code": code, "text": f"检查项：{code}", "weight": weight}
               for code, weight in items],
        created_by_id=None)
    db.add(template)
    db.flush()
    return template


def current(db, site_type: str = "express_outlet") -> ChecklistTemplate:
    """The current version (seeded), or a new one where none exists."""
    return latest_template(db, site_type=site_type) or new_version(db, site_type)


def create_body(site_type: str = "parcel_locker", **overrides) -> dict:
    """A valid POST /checklists body."""
    body = {"site_type": site_type, "title": "智能快件箱监督检查表（2026版）",
            "items": [{"code": "locker_fees", "text": "是否公示收费标准", "weight": 40},
                      {"code": "locker_notification", "text": "是否及时通知取件", "weight": 40},
                      {"code": "user_info_protection", "text": "是否保护用户信息", "weight": 20}]}
    return {**body, **overrides}
