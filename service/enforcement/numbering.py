"""Document numbers (文书编号): per bureau, per year, per kind, sequential with no gap and no
duplicate, e.g. 沪宝邮管罚〔2026〕12号.

The counter row is read with `SELECT … FOR UPDATE` and bumped in the request's own
transaction: the row stays locked until that transaction ends, so concurrent requests queue
on it, and a request that fails rolls its number back with everything else (no gap). The
first number of a year creates the row in a SAVEPOINT; a request that loses that race waits
for the winner's row and counts on from it. (SQLite has no row locks; its writers queue on
the database's write lock instead.)
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from service.enforcement.models import DOCUMENT_KINDS, Document, DocumentCounter
from service.regions.models import Region

#: 省级简称 by the first two digits of the region code (GB/T 2260)
PROVINCE_ABBREVIATIONS = {
    "11": "京", "12": "津", "13": "冀", "14": "晋", "15": "蒙", "21": "辽", "22": "吉",
    "23": "黑", "31": "沪", "32": "苏", "33": "浙", "34": "皖", "35": "闽", "36": "赣",
    "37": "鲁", "41": "豫", "42": "鄂", "43": "湘", "44": "粤", "45": "桂", "46": "琼",
    "50": "渝", "51": "川", "52": "贵", "53": "云", "54": "藏", "61": "陕", "62": "甘",
    "63": "青", "64": "宁", "65": "新",
}


def bureau_prefix(db: Session, bureau_code: str) -> str:
    """沪 for a province-level bureau, 沪宝 for 宝山区, 苏苏 for 苏州市: then 邮管."""
    province = PROVINCE_ABBREVIATIONS.get(bureau_code[:2], "")
    if bureau_code.endswith("0000") or len(bureau_code) != 6:
        return f"{province}邮管"
    name = db.scalar(select(Region.name).where(Region.code == bureau_code)) or ""
    return f"{province}{name[:1]}邮管"


def _locked_counter(db: Session, key: dict) -> DocumentCounter | None:
    return db.scalar(select(DocumentCounter).filter_by(**key).with_for_update()
                     .execution_options(populate_existing=True))


def _next_seq(db: Session, *, bureau_code: str, year: int, kind: str) -> int:
    key = {"bureau_code": bureau_code, "year": year, "kind": kind}
    counter = _locked_counter(db, key)
    if counter is None:
        try:
            with db.begin_nested():
                db.add(DocumentCounter(**key, last_seq=0))
                db.flush()
        except IntegrityError:
            pass  # another request made it first; lock theirs below
        counter = _locked_counter(db, key)
    counter.last_seq += 1
    db.flush()
    return counter.last_seq


def issue_document(db: Session, *, bureau_code: str, kind: str, issued_on: date,
                   case_id: uuid.UUID | None = None,
                   subject_id: uuid.UUID | None = None) -> Document:
    """Issue the next number of `kind` for the bureau and the year of `issued_on`."""
    seq = _next_seq(db, bureau_code=bureau_code, year=issued_on.year, kind=kind)
    number = (f"{bureau_prefix(db, bureau_code)}{DOCUMENT_KINDS[kind]}"
              f"〔{issued_on.year}〕{seq}号")
    document = Document(bureau_code=bureau_code, year=issued_on.year, kind=kind, seq=seq,
                        number=number, issued_on=issued_on, case_id=case_id,
                        subject_id=subject_id)
    db.add(document)
    db.flush()
    return document
