"""A plan's results as files bureaus open in Excel: XLSX, and CSV (UTF-8 with a BOM)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator

from openpyxl import Workbook

#: rows per streamed chunk of a CSV export
CSV_CHUNK_ROWS = 500
HEADERS = ["序号", "检查对象名称", "检查对象类型", "地址", "所属区域代码", "所属区域",
           "寄递企业", "统一社会信用代码", "抽查事项", "检查日期", "检查结果", "得分"]
SITE_TYPE_LABELS = {
    "postal_outlet": "邮政普遍服务网点",
    "express_outlet": "快递营业网点",
    "express_terminal": "快递末端网点",
    "sorting_center": "邮件快件处理场所",
    "parcel_locker": "智能快件箱",
    "publication_point": "“扫黄打非”工作点",
}


def rows(report: dict) -> list[list]:
    """One row per drawn site and matter, in draw order, with the columns of HEADERS."""
    return [[_safe(value) for value in row] for row in _raw_rows(report)]


def _raw_rows(report: dict) -> list[list]:
    return [[
        item["rank"], item["site_name"], SITE_TYPE_LABELS.get(item["site_type"], item["site_type"]),
        item["address"], item["region_code"], item["region_name"] or "",
        item["enterprise_name"] or "", item["enterprise_uscc"] or "", matter["name"],
        item["inspection_date"].isoformat() if item["inspection_date"] else "",
        matter["outcome_label"], "" if item["score"] is None else round(item["score"], 1),
    ] for item in report["items"] for matter in item["matters"]]


def _safe(value):
    """Text that Excel would read as a formula is kept as text (CSV/formula injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def csv_chunks(report: dict) -> Iterator[bytes]:
    """The CSV as it streams: a BOM and the headers, then one chunk per CSV_CHUNK_ROWS rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    yield "\ufeff".encode() + _drain(buffer)
    lines = rows(report)
    for start in range(0, len(lines), CSV_CHUNK_ROWS):
        writer.writerows(lines[start:start + CSV_CHUNK_ROWS])
        yield _drain(buffer)


def _drain(buffer: io.StringIO) -> bytes:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text.encode("utf-8")


def to_xlsx(report: dict) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("抽查结果")
    sheet.append(HEADERS)
    for row in rows(report):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def filename(report: dict, extension: str) -> str:
    name = re.sub(r'[\\/:*?"<>|\s]+', "_", report["plan_name"])
    return f"双随机抽查结果-{name}.{extension}"


def ascii_filename(report: dict, extension: str) -> str:
    """The same file named in ASCII, for clients that ignore filename*: the plan's
    period and id, e.g. plan-results-2026-10-01_2026-12-31-1a2b3c4d.csv."""
    return (f"plan-results-{report['period_start']}_{report['period_end']}-"
            f"{str(report['plan_id'])[:8]}.{extension}")
