"""The violation catalogue (违法行为目录) and discretion benchmark (裁量基准): loading a file
all-or-nothing, reading the current version, and checking a penalty against its band.

A file is validated whole before anything is stored: every bad entry is listed in one 422
and the stored catalogue does not change. A valid file becomes a new version; cases keep
the version they were decided under.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from pathlib import Path

import marshmallow as ma
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.checklists.models import ChecklistItem
from service.common.api import Pattern, Schema
from service.common.errors import DomainError, NotFound
from service.enforcement.models import (
    CIRCUMSTANCES,
    FINE,
    MEASURES,
    CatalogueVersion,
    Violation,
)

SAMPLE_FILE = Path(__file__).resolve().parent / "data" / "catalogue.sample.json"
CODE = Pattern(r"^[a-z][a-z0-9_]{1,63}$",
               error="Use 2–64 lower-case letters, digits and _ (e.g. real_name).")


class BandSchema(Schema):
    min_fen = ma.fields.Integer(required=True, strict=True, validate=ma.validate.Range(0))
    max_fen = ma.fields.Integer(required=True, strict=True, validate=ma.validate.Range(0))
    measures = ma.fields.List(ma.fields.String(validate=ma.validate.OneOf(MEASURES)),
                              required=True, validate=ma.validate.Length(min=1))

    @ma.validates_schema
    def _range(self, data, **_kwargs):
        if data["min_fen"] > data["max_fen"]:
            raise ma.ValidationError("min_fen is larger than max_fen.", "min_fen")
        if (FINE in data["measures"]) != (data["max_fen"] > 0):
            raise ma.ValidationError("A band allows `fine` exactly when max_fen > 0.",
                                     "measures")


class BandsSchema(Schema):
    minor = ma.fields.Nested(BandSchema, required=True)
    ordinary = ma.fields.Nested(BandSchema, required=True)
    serious = ma.fields.Nested(BandSchema, required=True)


class ViolationEntrySchema(Schema):
    code = ma.fields.String(required=True, validate=CODE)
    title = ma.fields.String(required=True, validate=ma.validate.Length(1, 256))
    law = ma.fields.String(required=True, validate=ma.validate.Length(1, 128))
    article = ma.fields.String(required=True, validate=ma.validate.Length(1, 64))
    item_codes = ma.fields.List(ma.fields.String(), load_default=list)
    bands = ma.fields.Nested(BandsSchema, required=True)


class CatalogueFileSchema(Schema):
    """The catalogue file (JSON): a label and the list of violations."""

    label = ma.fields.String(required=True, validate=ma.validate.Length(1, 128),
                             metadata={"example": "2026-01"})
    sample = ma.fields.Boolean(load_default=False,
                               metadata={"description": "True for illustrative data."})
    note = ma.fields.String(load_default=None)
    violations = ma.fields.List(ma.fields.Nested(ViolationEntrySchema), required=True,
                                validate=ma.validate.Length(min=1))


@dataclass
class Loaded:
    catalogue: CatalogueVersion
    created: bool


def _semantic_errors(db: Session, violations: list[dict]) -> dict:
    """Errors per entry index that a schema cannot see: duplicates and unknown items."""
    known_items = set(db.scalars(select(ChecklistItem.code).distinct()))
    errors: dict = {}
    seen: dict[str, int] = {}
    for index, entry in enumerate(violations):
        if entry["code"] in seen:
            errors.setdefault(index, {})["code"] = [
                f"Duplicate code {entry['code']} (also entry {seen[entry['code']]})."]
        seen.setdefault(entry["code"], index)
        unknown = sorted(set(entry["item_codes"]) - known_items)
        if unknown:
            errors.setdefault(index, {})["item_codes"] = [
                f"No checklist has items {', '.join(unknown)}."]
    return errors


def validate_file(db: Session, *, raw: object) -> dict:
    """The file checked whole: its data, or a 422 listing every bad entry."""
    try:
        data = CatalogueFileSchema().load(raw)
    except ma.ValidationError as exc:
        raise DomainError("The catalogue file has errors; nothing was changed.",
                          errors={"json": exc.messages}) from exc
    semantic = _semantic_errors(db, data["violations"])
    if semantic:
        raise DomainError("The catalogue file has errors; nothing was changed.",
                          errors={"json": {"violations": semantic}})
    return data


def _digest(data: dict) -> str:
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def load_catalogue(db: Session, *, raw: object, user_id: uuid.UUID | None) -> Loaded:
    """Validate a whole catalogue file and store it as the new current version."""
    data = validate_file(db, raw=raw)
    digest = _digest(data)
    existing = db.scalar(select(CatalogueVersion).where(CatalogueVersion.sha256 == digest))
    if existing is not None:
        return Loaded(existing, created=False)  # the same file again
    number = (db.scalar(select(func.max(CatalogueVersion.number))) or 0) + 1
    catalogue = CatalogueVersion(number=number, label=data["label"], sha256=digest,
                                 loaded_by_id=user_id)
    catalogue.violations = [
        Violation(code=entry["code"], title=entry["title"], law=entry["law"],
                  article=entry["article"], item_codes=entry["item_codes"],
                  bands=entry["bands"])
        for entry in data["violations"]]
    db.add(catalogue)
    db.flush()
    return Loaded(catalogue, created=True)


def load_sample(db: Session) -> Loaded:
    """Load the shipped SAMPLE catalogue (demo data, tests)."""
    return load_catalogue(db, raw=json.loads(SAMPLE_FILE.read_text(encoding="utf-8")),
                          user_id=None)


def current_catalogue(db: Session) -> CatalogueVersion:
    """The newest catalogue version (404 when none was loaded)."""
    catalogue = db.scalar(select(CatalogueVersion).order_by(CatalogueVersion.number.desc())
                          .limit(1))
    if catalogue is None:
        raise NotFound("No violation catalogue (违法行为目录) is loaded yet.")
    return catalogue


def get_catalogue(db: Session, *, number: int | None) -> CatalogueVersion:
    """A catalogue version by number, the current one when None."""
    if number is None:
        return current_catalogue(db)
    catalogue = db.scalar(select(CatalogueVersion).where(CatalogueVersion.number == number))
    if catalogue is None:
        raise NotFound(f"No catalogue version {number}.")
    return catalogue


def find_violation(db: Session, *, catalogue_id: uuid.UUID, code: str) -> Violation | None:
    """The violation `code` in one catalogue version."""
    return db.scalar(select(Violation).where(Violation.catalogue_id == catalogue_id,
                                             Violation.code == code))


def band_of(violation: Violation, circumstance: str) -> dict:
    """The discretion band of a circumstance (minor, ordinary, serious)."""
    assert circumstance in CIRCUMSTANCES
    return violation.bands[circumstance]
