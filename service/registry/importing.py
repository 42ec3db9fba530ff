"""Importing the registry from the lists bureaus keep (XLSX or CSV), all or nothing.

Each row goes through the same schema and rules as `POST /sites` or `POST /enterprises`;
one bad row and nothing is stored, the answer naming every bad row and field. A file is
remembered by its SHA-256 per importing administration, so uploading it again replays the
first answer and creates nothing.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from typing import Any

import marshmallow as ma
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from stdnum.cn import uscc

from service.common.errors import Conflict, DomainError, PayloadTooLarge
from service.common.regions import in_subtree
from service.registry import columns
from service.registry.logic import enterprise_errors, enterprise_visible, insert_enterprise
from service.registry.models import Enterprise, ImportBatch, Site
from service.registry.schemas import EnterpriseCreateSchema, SiteCreateSchema
from service.registry.sites import check_site, insert_site
from service.registry.tables import Table, read_table

MAX_IMPORT_BYTES = 5 * 2**20
MAX_IMPORT_ROWS = 5000
TOO_LARGE = f"An import file may have at most {MAX_IMPORT_BYTES // 2**20} MiB; split it."
#: where a rule's field is a column of the file by another name
FIELD_COLUMNS = {"enterprise_id": "enterprise_uscc", "host_site_id": "host_code",
                 "location": "lat"}


class ImportRejected(DomainError):
    """Rows that broke the rules: nothing was imported."""

    def __init__(self, rows: list[dict]):
        count = len({row["row"] for row in rows})
        super().__init__(f"{count} row(s) of the file have errors; nothing was imported "
                         "(all or nothing). Correct them and upload the whole file again.",
                         errors={"file": {"rows": rows}})
        self.rows = rows


def import_sites(db: Session, *, scope: str, user_id: uuid.UUID | None, filename: str,
                 content: bytes, crs: str) -> dict:
    """Create every site of the file, or none."""
    return _import(db, kind="sites", scope=scope, user_id=user_id, filename=filename,
                   content=content, crs=crs, headers=columns.SITE_HEADERS,
                   required=columns.SITE_REQUIRED, store=_site_row)


def import_enterprises(db: Session, *, scope: str, user_id: uuid.UUID | None, filename: str,
                       content: bytes) -> dict:
    """Create every enterprise of the file, or none."""
    return _import(db, kind="enterprises", scope=scope, user_id=user_id, filename=filename,
                   content=content, crs=None, headers=columns.ENTERPRISE_HEADERS,
                   required=columns.ENTERPRISE_REQUIRED, store=_enterprise_row)


def _import(db: Session, *, kind: str, scope: str, user_id: uuid.UUID | None, filename: str,
            content: bytes, crs: str | None, headers: dict, required: tuple[str, ...],
            store: Callable) -> dict:
    if len(content) > MAX_IMPORT_BYTES:
        raise PayloadTooLarge(TOO_LARGE, field="file", location="files")
    digest = hashlib.sha256(content).hexdigest()
    key = dict(kind=kind, scope_code=scope, sha256=digest)
    if (batch := db.scalar(select(ImportBatch).filter_by(**key))) is not None:
        return _replay(batch, crs)
    table = read_table(filename, content, aliases=headers, required=required,
                       max_rows=MAX_IMPORT_ROWS)
    batch = ImportBatch(**key, filename=(filename or "upload")[:256], crs=crs,
                        row_count=len(table.rows), created_count=0, created_by_id=user_id)
    try:  # claim the file first: a concurrent upload of it waits here, then replays
        with db.begin_nested():
            db.add(batch)
            db.flush()
    except IntegrityError:
        return _replay(db.scalar(select(ImportBatch).filter_by(**key)), crs)
    batch.created_count = _store_rows(db, scope=scope, table=table, crs=crs, store=store)
    db.flush()
    return _answer(batch)


def _replay(batch: ImportBatch, crs: str | None) -> dict:
    if batch.crs != crs:
        raise Conflict(f"This file was imported already with crs={batch.crs}.", field="crs",
                       location="files")
    return _answer(batch)


def _answer(batch: ImportBatch) -> dict:
    return {"batch_id": batch.id, "kind": batch.kind, "filename": batch.filename,
            "sha256": batch.sha256, "rows": batch.row_count, "created": batch.created_count,
            "created_at": batch.created_at}


def _store_rows(db: Session, *, scope: str, table: Table, crs: str | None,
                store: Callable) -> int:
    """Store each good row; with any bad one, raise them all (the request rolls back)."""
    problems = []
    for number, cells in table.rows:
        for field, message in store(db, scope=scope, cells=cells, crs=crs).items():
            field = FIELD_COLUMNS.get(field, field)
            problems.append({"row": number, "field": field,
                             "column": table.headers.get(field), "message": message})
    if problems:
        raise ImportRejected(problems)
    return len(table.rows)


def _load(schema: ma.Schema, payload: dict) -> tuple[dict, dict[str, str]]:
    """The schema's reading of a row (the fields it could read) and its complaints."""
    try:
        return schema.load(payload), {}
    except ma.ValidationError as error:
        return error.valid_data or {}, dict(_flat(error.messages))


def _flat(messages: Any, field: str = "row"):
    if isinstance(messages, dict):
        for key, value in messages.items():
            yield from _flat(value, "row" if key == "_schema" else key)
    else:
        yield field, " ".join(messages) if isinstance(messages, list) else str(messages)


def _site_row(db: Session, *, scope: str, cells: dict, crs: str | None) -> dict[str, str]:
    """One row as POST /sites would take it: the problems by field (none when stored)."""
    payload = columns.convert(cells, columns.SITE_VALUES)
    location = {key: payload.pop(key) for key in ("lat", "lon") if key in payload}
    location["crs"] = payload.pop("crs", None) or crs
    payload["location"] = location
    errors = _site_references(db, scope, payload)
    data, schema_errors = _load(SiteCreateSchema(), payload)
    errors.update(schema_errors)
    if "site_type" not in data:  # the type rules need the type: report the schema's view
        return errors
    if not {"lat", "lon"} <= set(data.get("location") or {}):
        data.pop("location", None)  # half a point: already named by the schema
    fields, rule_errors = check_site(db, scope=scope, data=data)  # also on a partial row,
    for field, message in rule_errors.items():  # so every bad field is named at once
        errors.setdefault(FIELD_COLUMNS.get(field, field), message)
    return errors or _stored(lambda: insert_site(db, fields=fields))


def _site_references(db: Session, scope: str, payload: dict) -> dict[str, str]:
    """Turn the row's enterprise USCC and host 网点编码 into ids."""
    errors = {}
    if (code := payload.pop("enterprise_uscc", None)) is not None:
        enterprise_id = db.scalar(select(Enterprise.id).where(
            Enterprise.uscc == uscc.compact(code), enterprise_visible(scope)))
        if enterprise_id is None:
            errors["enterprise_uscc"] = (f"No enterprise with 统一社会信用代码 {code} in your "
                                         "jurisdiction; import or add it first.")
        payload["enterprise_id"] = str(enterprise_id) if enterprise_id else None
    if (code := payload.pop("host_code", None)) is not None:
        host_id = db.scalar(select(Site.id).where(Site.code == code,
                                                  in_subtree(Site.region_code, scope)))
        if host_id is None:
            errors["host_code"] = (f"No site with 网点编码 {code} in your jurisdiction "
                                   "or in an earlier row of this file.")
        payload["host_site_id"] = str(host_id) if host_id else None
    return errors


def _enterprise_row(db: Session, *, scope: str, cells: dict, crs: str | None
                    ) -> dict[str, str]:
    """One row as POST /enterprises would take it: the problems by field."""
    data, errors = _load(EnterpriseCreateSchema(),
                         columns.convert(cells, columns.ENTERPRISE_VALUES))
    for field, message in enterprise_errors(db, scope=scope, data=data).items():
        errors.setdefault(field, message)
    return errors or _stored(lambda: insert_enterprise(db, data=data))


def _stored(insert: Callable) -> dict[str, str]:
    try:
        insert()
    except DomainError as error:
        return {error.field or "row": error.message}
    return {}
