"""XLSX written as a stream: the workbook's XML parts straight into the zip file.

Why not XlsxWriter here: even in its `constant_memory` mode it spends several Python calls
per cell (argument checks, a cell tuple, an XML element written attribute by attribute);
measured on this project's machine it tops out at about 18,000 rows of eleven columns per
CPU-second with `write_row` and pre-built formats, below the 25,000 rows/s asked for.
Here each column gets, once, a cell template and a converter; a row is one `str.format`
call on a row template, a batch is one compressed write. The output is the same
SpreadsheetML: inline strings (no shared-string table to hold in memory), a styles part with
the columns' number formats, the header row bold and frozen, and a totals row (合计) whose
SUM formulas carry their computed values. Memory holds one batch.

A sheet holds at most 1,048,576 rows (Excel's limit); a longer export continues on a new
sheet of the same workbook.
"""

from __future__ import annotations

import zipfile
from datetime import datetime, timedelta
from xml.sax.saxutils import escape, quoteattr

from xlsxwriter.utility import xl_col_to_name

from service.common.chinatime import CHINA
from service.exports.writers import (
    DATE,
    DATETIME,
    NUMBER_FORMATS,
    SHEET_ROWS,
    TOTALS_LABEL,
    Column,
)

#: zlib level 1: the XML compresses almost as well as at 6, at twice the speed
COMPRESS_LEVEL = 1
#: control characters XML 1.0 does not allow (user text could carry them): dropped from the
#: encoded bytes (in UTF-8 they are single bytes, never part of a longer character)
_ILLEGAL = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])
_EPOCH = datetime(1899, 12, 30)
_EPOCH_DATE = _EPOCH.date()
_DAY = timedelta(days=1)
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

# Cell styles (cellXfs): 0 default, 1 header, 2 the totals label, then per number format
# one for data cells and one for the totals row.
_HEADER, _TOTAL_LABEL, _FIRST_FORMAT = 1, 2, 3
_FORMAT_KINDS = list(NUMBER_FORMATS)


def _data_style(kind: str) -> int:
    return _FIRST_FORMAT + 2 * _FORMAT_KINDS.index(kind)


def _text(value) -> str:
    if value is None:
        return ""
    text = value if type(value) is str else str(value)
    if "&" in text or "<" in text or ">" in text:
        text = escape(text)
    return text


def _number(value):
    return value


def _datetime(value: datetime) -> float:
    if value.tzinfo is not None:
        value = value.astimezone(CHINA).replace(tzinfo=None)
    return (value - _EPOCH) / _DAY


def _date(value) -> float:
    if isinstance(value, datetime):
        return _datetime(value)
    return float((value - _EPOCH_DATE).days)


def _converter(column: Column):
    if column.kind == DATETIME:
        return _datetime
    if column.kind == DATE:
        return _date
    return _number if column.kind in NUMBER_FORMATS else _text


def _inline(ref: str, text: str, style: int = 0) -> str:
    s = f' s="{style}"' if style else ""
    return f'<c r="{ref}"{s} t="inlineStr"><is><t>{text}</t></is></c>'


class XlsxFile:
    """The same interface as `CsvFile`: write_batch, write_totals, close."""

    def __init__(self, path: str, columns: list[Column], sheet_name: str,
                 rows: int | None = None):
        self._zip = zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED,
                                    compresslevel=COMPRESS_LEVEL)
        self._columns = columns
        self._sheet_name = sheet_name
        self._letters = [xl_col_to_name(index) for index in range(len(columns))]
        self._numeric = [column.kind in NUMBER_FORMATS for column in columns]
        self._converters = [_converter(column) for column in columns]
        self._styles = [_data_style(column.kind) if numeric else 0
                        for column, numeric in zip(columns, self._numeric, strict=True)]
        cells = []
        for index, (letter, numeric) in enumerate(zip(self._letters, self._numeric,
                                                      strict=True)):
            style = self._styles[index]
            cells.append(f'<c r="{letter}{{0}}" s="{style}"><v>{{{index + 1}}}</v></c>'
                         if numeric else _inline(f"{letter}{{0}}", f"{{{index + 1}}}"))
        row_template = '<row r="{0}">' + "".join(cells) + "</row>"
        #: one row: str.format(row number, *values), dates converted to Excel's serial days
        self._row_template = row_template.format
        #: the markup's `<` (and `>`) in one row
        self._tags = row_template.count("<")
        self._converted = [(index, convert) for index, convert in enumerate(self._converters)
                           if convert in (_datetime, _date)]
        #: the rows expected (the source's count), for each sheet's <dimension>: readers
        #: such as openpyxl otherwise read the whole sheet to size it before the first row
        self._expected = rows
        self._written = 0
        self._sheets: list[str] = []
        self._out = None
        self._new_sheet()

    # --- rows ---------------------------------------------------------------------------

    def write_batch(self, rows) -> None:
        parts = []
        template, converted, tags = self._row_template, self._converted, self._tags
        for row in rows:
            if self._row >= SHEET_ROWS - 1:  # keep one row for the totals
                self._write("".join(parts))
                parts = []
                self._new_sheet()
            self._row += 1
            self._written += 1
            if None in row or "" in row:
                parts.append(self._sparse_row(row))
                continue
            if converted:
                row = list(row)
                for index, convert in converted:
                    row[index] = convert(row[index])
            line = template(self._row, *row)
            # Text goes in as it is; a line whose markup is not exactly the template's (an
            # `&`, `<` or `>` in some value) is written again with its text escaped.
            if line.count("<") != tags or line.count(">") != tags or "&" in line:
                line = self._sparse_row(row)
            parts.append(line)
        self._write("".join(parts))

    def _sparse_row(self, row) -> str:
        """A row with empty cells: those are left out (a number cell cannot be empty)."""
        cells = []
        for index, value in enumerate(row):
            if value is None or value == "":
                continue
            ref = f"{self._letters[index]}{self._row}"
            if type(value) is not float:   # not converted yet
                value = self._converters[index](value)
            cells.append(f'<c r="{ref}" s="{self._styles[index]}"><v>{value}</v></c>'
                         if self._numeric[index] else _inline(ref, value))
        return f'<row r="{self._row}">' + "".join(cells) + "</row>"

    def write_totals(self, totals: list) -> None:
        """The 合计 row: SUM over this sheet's rows, with the value over all rows cached (on
        a second sheet and after, the value alone)."""
        self._row += 1
        cells = []
        for index, value in enumerate(totals):
            ref = f"{self._letters[index]}{self._row}"
            if index == 0:
                cells.append(_inline(ref, _text(TOTALS_LABEL), _TOTAL_LABEL))
            elif value is not None and self._numeric[index]:
                style = self._styles[index] + 1
                letter = self._letters[index]
                formula = (f"<f>SUM({letter}2:{letter}{self._row - 1})</f>"
                           if len(self._sheets) == 1 else "")
                cells.append(f'<c r="{ref}" s="{style}">{formula}<v>{value}</v></c>')
        self._write(f'<row r="{self._row}">' + "".join(cells) + "</row>")

    def _write(self, text: str) -> None:
        if text:
            self._out.write(text.encode("utf-8").translate(None, _ILLEGAL))

    # --- sheets and the package ------------------------------------------------------------

    def _new_sheet(self) -> None:
        self._end_sheet()
        number = len(self._sheets) + 1
        name = (self._sheet_name if number == 1 else f"{self._sheet_name}{number}")[:31]
        self._sheets.append(name)
        self._out = self._zip.open(f"xl/worksheets/sheet{number}.xml", "w", force_zip64=True)
        cols = "".join(
            f'<col min="{i}" max="{i}" width="{column.width + 0.7:.2f}" customWidth="1"'
            + (f' style="{self._styles[i - 1]}"' if self._styles[i - 1] else "") + "/>"
            for i, column in enumerate(self._columns, start=1))
        header = "".join(_inline(f"{letter}1", _text(column.header), _HEADER)
                         for letter, column in zip(self._letters, self._columns, strict=True))
        selected = ' tabSelected="1"' if number == 1 else ""
        last = 1   # the header; then this sheet's share of the rows expected, and the totals
        if self._expected is not None:
            totals = any(column.total for column in self._columns)
            last = min(SHEET_ROWS, 1 + max(self._expected - self._written, 0) + totals)
        dimension = f"A1:{self._letters[-1]}{last}"
        self._write(
            f'{_HEAD}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">'
            f'<dimension ref="{dimension}"/><sheetViews><sheetView workbookViewId="0"{selected}>'
            '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
            '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
            f'<sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols><sheetData>'
            f'<row r="1">{header}</row>')
        self._row = 1

    def _end_sheet(self) -> None:
        if self._out is not None:
            self._write('</sheetData><pageMargins left="0.7" right="0.7" top="0.75" '
                        'bottom="0.75" header="0.3" footer="0.3"/></worksheet>')
            self._out.close()
            self._out = None

    def close(self) -> None:
        self._end_sheet()
        parts = {
            "[Content_Types].xml": self._content_types(),
            "_rels/.rels": (f'{_HEAD}<Relationships xmlns="{_PKG_REL}"><Relationship Id="rId1" '
                            f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
                            "</Relationships>"),
            "xl/workbook.xml": self._workbook(),
            "xl/_rels/workbook.xml.rels": self._workbook_rels(),
            "xl/styles.xml": _styles(),
        }
        for name, text in parts.items():
            self._zip.writestr(name, text)
        self._zip.close()

    def _content_types(self) -> str:
        sheets = "".join(
            f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for n in range(1, len(self._sheets) + 1))
        return (f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                'content-types"><Default Extension="rels" ContentType="application/'
                'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
                'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
                'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
                'sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/'
                f'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>{sheets}</Types>')

    def _workbook(self) -> str:
        sheets = "".join(f"<sheet name={quoteattr(name)} sheetId=\"{n}\" r:id=\"rId{n}\"/>"
                         for n, name in enumerate(self._sheets, start=1))
        return (f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><bookViews>'
                f'<workbookView activeTab="0"/></bookViews><sheets>{sheets}</sheets>'
                '<calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>')

    def _workbook_rels(self) -> str:
        count = len(self._sheets)
        sheets = "".join(f'<Relationship Id="rId{n}" Type="{_REL}/worksheet" '
                         f'Target="worksheets/sheet{n}.xml"/>' for n in range(1, count + 1))
        return (f'{_HEAD}<Relationships xmlns="{_PKG_REL}">{sheets}'
                f'<Relationship Id="rId{count + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
                "</Relationships>")


def _styles() -> str:
    """Fonts (regular, bold), fills (the header's), borders (the header's box, the totals'
    top line) and one pair of cell styles per number format."""
    formats = "".join(f'<numFmt numFmtId="{164 + i}" formatCode={quoteattr(code)}/>'
                      for i, code in enumerate(NUMBER_FORMATS.values()))
    font = '<sz val="11"/><name val="Calibri"/><family val="2"/><scheme val="minor"/>'
    thin = '<{0} style="thin"><color auto="1"/></{0}>'
    box = "".join(thin.format(side) for side in ("left", "right", "top", "bottom"))
    xfs = ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>',
           '<xf numFmtId="0" fontId="1" fillId="2" borderId="1" xfId="0" applyFont="1" '
           'applyFill="1" applyBorder="1"/>',
           '<xf numFmtId="0" fontId="1" fillId="0" borderId="2" xfId="0" applyFont="1" '
           'applyBorder="1"/>']
    for i in range(len(NUMBER_FORMATS)):
        xfs.append(f'<xf numFmtId="{164 + i}" fontId="0" fillId="0" borderId="0" xfId="0" '
                   'applyNumberFormat="1"/>')
        xfs.append(f'<xf numFmtId="{164 + i}" fontId="1" fillId="0" borderId="2" xfId="0" '
                   'applyNumberFormat="1" applyFont="1" applyBorder="1"/>')
    return (f'{_HEAD}<styleSheet xmlns="{_MAIN}">'
            f'<numFmts count="{len(NUMBER_FORMATS)}">{formats}</numFmts>'
            f'<fonts count="2"><font>{font}</font><font><b/>{font}</font></fonts>'
            '<fills count="3"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill>'
            '<fill><patternFill patternType="solid"><fgColor rgb="FFDDEBF7"/>'
            '<bgColor indexed="64"/></patternFill></fill></fills>'
            '<borders count="3"><border><left/><right/><top/><bottom/><diagonal/></border>'
            f'<border>{box}<diagonal/></border>'
            f'<border><left/><right/>{thin.format("top")}<bottom/><diagonal/></border></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
            f'</cellStyleXfs><cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
            '</cellStyles><dxfs count="0"/><tableStyles count="0" '
            'defaultTableStyle="TableStyleMedium9" defaultPivotStyle="PivotStyleLight16"/>'
            "</styleSheet>")
