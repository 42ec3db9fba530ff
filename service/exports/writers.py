"""Files bureaus open in Excel, written batch by batch to a temporary file: memory stays
flat. Columns and their kinds; CSV in UTF-8 with a byte-order mark, so Excel reads the
Chinese text; running totals. XLSX (Chinese headers in bold, the header row frozen, number
formats per column, a totals row 合计) is `service.exports.xlsx`. Sources quote text that
Excel would take for a formula (formula injection) before it gets here.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

TEXT, INTEGER, DECIMAL, MONEY, PERCENT, DATE, DATETIME = (
    "text", "integer", "decimal", "money", "percent", "date", "datetime")
#: the Excel number format of each kind that is not text (money: yuan with fen)
NUMBER_FORMATS = {INTEGER: "#,##0", DECIMAL: "0.0", MONEY: "#,##0.00", PERCENT: "0.0%",
                  DATE: "yyyy-mm-dd", DATETIME: "yyyy-mm-dd hh:mm"}
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


class CsvFile:
    """Rows come shaped by the database (text quoted, times in China time): written as
    they are, a batch at a time."""

    def __init__(self, path: str, columns: list[Column]):
        self._file = open(path, "w", encoding="utf-8-sig", newline="")  # noqa: SIM115
        self._writer = csv.writer(self._file)
        self._writer.writerow([column.header for column in columns])

    @staticmethod
    def head(columns: list[Column]) -> bytes:
        """The file's first bytes: the byte-order mark and the header line."""
        return "\ufeff".encode() + CsvFile.line([column.header for column in columns])

    @staticmethod
    def line(row: list) -> bytes:
        """One row as CSV bytes, as the writer would write it."""
        buffer = io.StringIO()
        csv.writer(buffer).writerow(row)
        return buffer.getvalue().encode("utf-8")

    def write_batch(self, rows) -> None:
        self._writer.writerows(rows)

    def write_totals(self, totals: list) -> None:
        self._writer.writerow(totals)

    def close(self) -> None:
        self._file.close()


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
