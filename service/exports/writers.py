"""Files bureaus open in Excel, written row by row to a temporary file: memory stays flat.

XLSX through XlsxWriter's constant_memory mode (each row goes to disk as it is written):
Chinese headers in bold, the header row frozen, number formats per column, and a totals
row (合计) whose SUM formulas carry their computed values. CSV in UTF-8 with a byte-order
mark, so Excel reads the Chinese text. Sources quote text that Excel would take for a
formula (formula injection) before it gets here.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import datetime

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from service.common.chinatime import CHINA

TEXT, INTEGER, DECIMAL, PERCENT, DATE, DATETIME = (
    "text", "integer", "decimal", "percent", "date", "datetime")
NUMBER_FORMATS = {INTEGER: "#,##0", DECIMAL: "0.0", PERCENT: "0.0%", DATE: "yyyy-mm-dd",
                  DATETIME: "yyyy-mm-dd hh:mm"}
#: Excel's rows per sheet; a longer export continues on a new sheet
SHEET_ROWS = 1_048_576
TOTALS_LABEL = "合计"


@dataclass(frozen=True)
class Column:
    header: str
    kind: str = TEXT
    width: int = 14
    #: summed in the totals row
    total: bool = False


def china_naive(value):
    """Aware times as China wall-clock time without offset: what a spreadsheet shows."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(CHINA).replace(tzinfo=None)
    return value


class CsvFile:
    """Rows come shaped by the database (text quoted, times in China time): written as
    they are, a batch at a time."""

    def __init__(self, path: str, columns: list[Column]):
        self._file = open(path, "w", encoding="utf-8-sig", newline="")  # noqa: SIM115
        self._writer = csv.writer(self._file)
        self._writer.writerow([column.header for column in columns])

    def write_batch(self, rows) -> None:
        self._writer.writerows(rows)

    def write_totals(self, totals: list) -> None:
        self._writer.writerow(totals)

    def close(self) -> None:
        self._file.close()


class XlsxFile:
    def __init__(self, path: str, columns: list[Column], sheet_name: str):
        self._book = xlsxwriter.Workbook(path, {"constant_memory": True,
                                                "remove_timezone": True})
        self._columns = columns
        self._sheet_name = sheet_name
        self._header = self._book.add_format({"bold": True, "bg_color": "#DDEBF7",
                                              "border": 1})
        self._formats = [self._book.add_format({"num_format": NUMBER_FORMATS[c.kind]})
                         if c.kind in NUMBER_FORMATS else None for c in columns]
        self._sheets = 0
        self._new_sheet()

    def _new_sheet(self) -> None:
        self._sheets += 1
        name = self._sheet_name if self._sheets == 1 else f"{self._sheet_name}{self._sheets}"
        self._sheet = self._book.add_worksheet(name[:31])
        for index, column in enumerate(self._columns):
            self._sheet.set_column(index, index, column.width, self._formats[index])
        self._sheet.write_row(0, 0, [column.header for column in self._columns], self._header)
        self._sheet.freeze_panes(1, 0)
        self._row = 1

    def write_batch(self, rows) -> None:
        for row in rows:
            if self._row >= SHEET_ROWS - 1:  # keep one row for the totals
                self._new_sheet()
            for index, value in enumerate(row):
                self._cell(index, value)
            self._row += 1

    def _cell(self, index: int, value) -> None:
        if value is None:
            return
        kind, fmt = self._columns[index].kind, self._formats[index]
        if kind in (DATE, DATETIME):
            self._sheet.write_datetime(self._row, index, china_naive(value), fmt)
        elif kind in (INTEGER, DECIMAL, PERCENT):
            self._sheet.write_number(self._row, index, value, fmt)
        else:
            self._sheet.write_string(self._row, index, str(value))

    def write_totals(self, totals: list) -> None:
        """The 合计 row: SUM over this sheet's rows, with the value over all rows cached."""
        bold = self._book.add_format({"bold": True, "top": 1})
        for index, value in enumerate(totals):
            if index == 0:
                self._sheet.write_string(self._row, 0, TOTALS_LABEL, bold)
            elif value is not None and self._sheets == 1:
                letter = xl_col_to_name(index)
                self._sheet.write_formula(self._row, index,
                                          f"=SUM({letter}2:{letter}{self._row})",
                                          self._formats[index], value)
            elif value is not None:
                self._sheet.write_number(self._row, index, value, self._formats[index])

    def close(self) -> None:
        self._book.close()


class Totals:
    """Running sums of the columns marked `total`; the first cell holds the label."""

    def __init__(self, columns: list[Column]):
        self._summed = [index for index, column in enumerate(columns) if column.total]
        self._sums = dict.fromkeys(self._summed, 0)
        self._width = len(columns)

    def add(self, rows) -> None:
        for index in self._summed:
            self._sums[index] += sum(row[index] or 0 for row in rows)

    def row(self) -> list | None:
        if not self._summed:
            return None
        return [TOTALS_LABEL, *[self._sums.get(index) for index in range(1, self._width)]]
