"""Money in the exports: kept in fen (分), shown in yuan (元), exact to the fen, in CSV and
XLSX (a number format with two decimals), totals included."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import requests
from openpyxl import load_workbook

from service.common.access import ANALYST
from tests.stats.casework_world import case


def _export(api, **body) -> dict:
    answer = api.post("/api/v1/exports", json=body)
    assert answer.status_code == 202, answer.json
    job = api.get(f"/api/v1/exports/{answer.json['id']}").json
    assert job["status"] == "done", job
    return job


def _fined(make):
    """Three decisions of one 宝山 site: 0.10, 0.20 and 12,345.67 yuan (sum 12,345.97; in
    floating point 0.1 + 0.2 is not 0.3)."""
    site = make.site(region_code="310113")
    for fen in (10, 20, 1_234_567):
        case(make, site, filed_on=date(2026, 10, 1), decided_on=date(2026, 10, 9),
             fine_fen=fen, status="executing")
    case(make, site, filed_on=date(2026, 10, 2))          # no fine: an empty cell


def test_the_case_list_shows_fines_in_yuan_exactly(make, as_user):
    _fined(make)
    api = as_user(make.user(role=ANALYST, region_code="310113"))
    csv = _export(api, kind="cases", format="csv")
    lines = requests.get(csv["download_url"], timeout=10).content.decode("utf-8-sig")
    header, *rows, totals = [line.split(",") for line in lines.splitlines()]
    money = header.index("罚款金额（元）")
    assert sorted(row[money] for row in rows) == ["", "0.10", "0.20", "12345.67"]
    assert totals[money] == "12345.97"
    job = _export(api, kind="cases", format="xlsx")
    content = requests.get(job["download_url"], timeout=10).content
    sheet = load_workbook(io.BytesIO(content), data_only=True).active
    values = [sheet.cell(row=r, column=money + 1) for r in range(2, sheet.max_row + 1)]
    assert sorted(Decimal(str(c.value)) for c in values[:-1] if c.value is not None) == [
        Decimal("0.10"), Decimal("0.20"), Decimal("12345.67")]
    assert Decimal(str(values[-1].value)) == Decimal("12345.97")
    assert {c.number_format for c in values if c.value is not None} == {"#,##0.00"}
