"""Reading the lists bureaus keep: XLSX (openpyxl, read-only) or CSV in UTF-8 (with or
without BOM), GB18030/GBK (Excel on Chinese Windows) or UTF-16 (Excel's "Unicode text").

A table is a header row (found among the first rows, so a title line above it is fine) and
data rows numbered as Excel shows them (header = row 1 in a plain file).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import PurePath
from typing import Any

from openpyxl import load_workbook

from service.common.errors import DomainError, UnsupportedMediaType, field_error

#: rows searched for the header, for files with a title line or two above it
HEADER_SEARCH_ROWS = 10
#: columns bureaus add that carry nothing to import
IGNORED_HEADERS = {"序号", "编号序号", "备注", "说明", "no", "#"}
XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls


@dataclass
class Table:
    #: field -> the header as written in the file
    headers: dict[str, str]
    #: (row number as Excel shows it, {field: cell value}) for every non-blank row
    rows: list[tuple[int, dict[str, Any]]]


def file_error(message: str) -> DomainError:
    return field_error("file", message, location="files")


def normalise(text: Any) -> str:
    """A header or value as compared: no blanks, quotes, '*' marks or (bracketed notes)."""
    text = re.sub(r"[\s\"'“”‘’*＊]", "", str(text))
    text = re.sub(r"[（(【\[].*?[）)】\]]", "", text)
    return text.lower()


def read_table(filename: str, content: bytes, *, aliases: dict[str, tuple[str, ...]],
               required: tuple[str, ...], max_rows: int) -> Table:
    """The file's header mapped to fields, and its data rows; file-level problems are a
    422 naming `file` (415 for a type that is neither XLSX nor CSV)."""
    rows = _raw_rows(filename, content)
    header_number, mapping, headers = _find_header(rows, aliases)
    missing = [f"{aliases[field][0]} ({field})" for field in required if field not in headers]
    if missing:
        raise file_error(f"Missing column(s): {', '.join(missing)}.")
    data = []
    for number, cells in rows:
        values = {field: cell for index, field in mapping.items()
                  if index < len(cells) and (cell := _plain(cells[index])) != ""}
        if not values:
            continue
        if len(data) == max_rows:
            raise file_error(f"More than {max_rows} data rows; split the file.")
        data.append((number, values))
    if not data:
        raise file_error(f"No data rows below the header (row {header_number}).")
    return Table(headers=headers, rows=data)


def _find_header(rows: Iterator[tuple[int, list]], aliases: dict[str, tuple[str, ...]]
                 ) -> tuple[int, dict[int, str], dict[str, str]]:
    lookup = {normalise(name): field for field, names in aliases.items()
              for name in (field, *names)}
    for number, cells in rows:
        texts = [str(_plain(cell)) for cell in cells]
        mapping = {i: lookup[normalise(t)] for i, t in enumerate(texts) if normalise(t) in lookup}
        if len(mapping) >= 2:
            return number, mapping, _check_header(texts, mapping)
        if number >= HEADER_SEARCH_ROWS:
            break
    examples = ", ".join(names[0] for names in list(aliases.values())[:4])
    raise file_error(f"No header row found: expected columns such as {examples}.")


def _check_header(texts: list[str], mapping: dict[int, str]) -> dict[str, str]:
    unknown = [t for i, t in enumerate(texts)
               if t and i not in mapping and normalise(t) not in IGNORED_HEADERS]
    if unknown:
        raise file_error(f"Unknown column(s): {', '.join(unknown)}.")
    headers: dict[str, str] = {}
    for index, field in mapping.items():
        if field in headers:
            raise file_error(f"Two columns mean {field}: {headers[field]}, {texts[index]}.")
        headers[field] = texts[index]
    return headers


def _plain(cell: Any) -> Any:
    """A cell as the schemas read it: stripped text, numbers, ISO dates."""
    if cell is None:
        return ""
    if isinstance(cell, str):
        return cell.strip()
    if isinstance(cell, datetime):
        return cell.date().isoformat() if cell.time() == time(0) else cell.isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return int(cell)
    return cell


# --- the two file types -----------------------------------------------------------------

def _raw_rows(filename: str, content: bytes) -> Iterator[tuple[int, list]]:
    suffix = PurePath(filename or "").suffix.lower()
    if not content:
        raise file_error("The file is empty.")
    if content.startswith(OLE_MAGIC) or suffix == ".xls":
        raise UnsupportedMediaType("Old Excel (.xls) files are not read; save as .xlsx or CSV.",
                                   field="file", location="files")
    if content.startswith(XLSX_MAGIC):
        return _xlsx_rows(content)
    if suffix in (".csv", ".txt", ""):
        return _csv_rows(content)
    raise UnsupportedMediaType(f"A {suffix} file cannot be imported; send .xlsx or .csv.",
                               field="file", location="files")


def _xlsx_rows(content: bytes) -> Iterator[tuple[int, list]]:
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # some writers record a wrong size; read every cell
        rows = sheet.iter_rows(values_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a broken file: none is a 500
        raise file_error("Not a readable .xlsx workbook.") from exc
    return _guarded(enumerate(rows, start=1), book)


def _guarded(rows, book) -> Iterator[tuple[int, list]]:
    try:
        for number, row in rows:
            yield number, list(row)
    except Exception as exc:  # a damaged sheet part shows only while reading it
        raise file_error("The .xlsx workbook is damaged.") from exc
    finally:
        book.close()


def _csv_rows(content: bytes) -> Iterator[tuple[int, list]]:
    text = _decode(content)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from enumerate(reader, start=1)
    except csv.Error as exc:
        raise file_error(f"Not a readable CSV file: {exc}.") from exc


def _decode(content: bytes) -> str:
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise file_error("The CSV file is neither UTF-8 nor GB18030 (GBK) text.")
