"""Importing the registry from the files bureaus keep: all or nothing, once."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import prcoords
import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from service.registry.importing import MAX_IMPORT_BYTES, MAX_IMPORT_ROWS
from service.registry.models import Enterprise, Site
from tests.factories import valid_uscc

SITE_HEADER = ["网点编码", "网点名称", "网点类型", "局所类型", "地址", "行政区划代码", "纬度",
               "经度", "坐标系", "企业统一社会信用代码", "开业日期", "城乡", "备案号", "格口数",
               "所属网点编码", "局所位置", "纯邮网点", "备案状态", "备案日期", "绿色网点认定日期"]


def xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(lines: list[str], encoding: str = "utf-8-sig") -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def upload(api, content: bytes, name: str, kind: str = "sites", **form):
    return api.post(f"/api/v1/{kind}/import", content_type="multipart/form-data",
                    data={"file": (io.BytesIO(content), name), **form})


def count_sites(db) -> int:
    return db.scalar(select(func.count()).select_from(Site))


def by_code(db, code: str) -> Site:
    return db.scalar(select(Site).where(Site.code == code))


def bad_rows(response) -> set[tuple[int, str]]:
    assert response.status_code == 422, response.json
    return {(row["row"], row["field"]) for row in response.json["errors"]["file"]["rows"]}


def test_a_chinese_xlsx_imports_every_site_type(admin, make, db):
    enterprise = make.enterprise(region_code="310000")
    gcj = (31.4036, 121.4938)
    content = xlsx([
        SITE_HEADER,
        ["BS-001", "宝山友谊路邮政支局", "邮政普遍服务网点（邮政局所）", "自办", "友谊路1号",
         310113, 31.4056, 121.4896, "WGS-84", None, date(2015, 3, 1), "城区", None, None, None,
         "城区", "是", None, None, None],
        ["BS-002", "中通友谊路营业部", "快递营业网点", None, "友谊路2号", "310113", gcj[0], gcj[1],
         "GCJ-02", enterprise.uscc, datetime(2021, 6, 1), "城区", None, None, None,
         None, None, None, None, "2023-06-01"],
        ["BS-003", "菜鸟驿站友谊路店", "快递末端网点", None, "友谊路3号", 310113, 31.405,
         121.49, None, None, "2022/7/15", "农村", "沪宝备2022015", None, None,
         None, None, None, "2022/8/1", None],
        ["BS-004", "丰巢柜友谊路", "智能快件箱", None, "友谊路4号", 310113, 31.404, 121.49,
         None, None, "2023年1月5日", None, None, 48, None, None, None, None, None, None],
        ["BS-005", "友谊路工作点", "“扫黄打非”工作站", None, "友谊路1号", 310113, 31.4056,
         121.4896, None, None, 20230301, None, None, None, "BS-001", None, None, None, None,
         None],
        ["BS-006", "无证驿站", "驿站", None, "友谊路6号", 310113, 31.405, 121.49, None, None,
         "2024-05-01", None, None, None, None, None, None, "未备案", None, None],
    ])
    response = upload(admin, content, "宝山区名录.xlsx")
    assert response.status_code == 201, response.json
    assert (response.json["rows"], response.json["created"]) == (6, 6)
    outlet, express = by_code(db, "BS-001"), by_code(db, "BS-002")
    assert (outlet.site_type, outlet.outlet_operator, outlet.outlet_location, outlet.postal_only,
            outlet.opened_on) == ("postal_outlet", "self_run", "urban", True, date(2015, 3, 1))
    assert express.enterprise_id == enterprise.id
    assert express.green_since == date(2023, 6, 1)
    assert express.lat == pytest.approx(prcoords.gcj_wgs_bored(gcj).lat, abs=1e-7)
    terminal, locker = by_code(db, "BS-003"), by_code(db, "BS-004")
    assert (terminal.registration_status, terminal.registration_number, terminal.registered_on,
            terminal.urban) == ("registered", "沪宝备2022015", date(2022, 8, 1), False)
    assert by_code(db, "BS-006").registration_status == "unregistered"
    assert (locker.cell_count, locker.opened_on) == (48, date(2023, 1, 5))
    point = by_code(db, "BS-005")
    assert (point.host_site_id, point.publication_kind) == (outlet.id, "work_point")


def test_an_import_keeps_workstations_agency_village_outlets_and_deregistered_terminals(
        admin, make, db):
    enterprise = make.enterprise(region_code="310000")
    header = [*SITE_HEADER, "工作站点类型", "注销日期", "营业状态", "关闭日期"]
    blank = [None] * 4
    content = xlsx([
        header,
        ["BS-101", "中通罗泾营业部", "快递营业网点", None, "罗泾镇1号", 310113, 31.48, 121.41,
         None, enterprise.uscc, "2020-01-01", "农村", None, None, None, None, None, None,
         None, None, *blank],
        ["BS-102", "中通罗泾营业部“扫黄打非”工作站", "扫黄打非工作站", None, "罗泾镇1号", 310113,
         31.48, 121.41, None, None, "2021-01-01", "农村", None, None, "BS-101", None, None,
         None, None, None, "工作站", None, None, None],
        ["BS-103", "罗泾新建村村邮站", "邮政局所", "代办", "罗泾镇新建村", 310113, 31.49, 121.40,
         None, None, "2016-01-01", "农村", None, None, None, "村邮站", "否", None, None,
         None, *blank],
        ["BS-104", "兔喜生活（罗泾店）", "快递末端网点", None, "罗泾镇2号", 310113, 31.48,
         121.42, None, enterprise.uscc, "2019-05-01", "农村", "沪宝备2019007", None, None,
         None, None, "已注销", "2019-06-01", None, None, "2024-03-31", "已关闭",
         "2024-03-31"],
    ])
    response = upload(admin, content, "宝山区名录（罗泾）.xlsx")
    assert response.status_code == 201, response.json
    station = by_code(db, "BS-102")
    assert (station.publication_kind, station.host_site_id) == (
        "workstation", by_code(db, "BS-101").id)
    village = by_code(db, "BS-103")
    assert (village.outlet_operator, village.outlet_location, village.postal_only) == (
        "agency", "village", False)
    terminal = by_code(db, "BS-104")
    assert (terminal.registration_status, terminal.registration_number,
            terminal.deregistered_on, terminal.status) == (
        "deregistered", "沪宝备2019007", date(2024, 3, 31), "closed")


def test_a_gbk_csv_from_excel_on_chinese_windows(admin, db):
    content = csv_bytes([
        "名称,类型,地址,区划代码,纬度,经度,开业日期,城乡",
        "韵达快递月浦营业部,快递营业网点,月浦镇沪太路1号,310113,31.41,121.45,2019-05-01,农村",
    ], encoding="gb18030")
    response = upload(admin, content, "名录.csv")
    assert response.status_code == 201, response.json
    site = db.scalar(select(Site).where(Site.address == "月浦镇沪太路1号"))
    assert (site.name, site.urban) == ("韵达快递月浦营业部", False)


def test_english_headers_and_the_forms_crs(admin, db):
    content = csv_bytes([
        "code,name,site_type,cell_count,address,region_code,lat,lon,opened_on",
        "EN-001,Locker A,parcel_locker,12,Youyi Rd 9,310113,31.4036,121.4938,2024-02-01",
    ])
    assert upload(admin, content, "sites.csv", crs="gcj02").status_code == 201
    assert by_code(db, "EN-001").lon == pytest.approx(
        prcoords.gcj_wgs_bored((31.4036, 121.4938)).lon, abs=1e-7)


def test_one_bad_row_and_nothing_is_imported_with_every_bad_row_named(admin, db):
    before = count_sites(db)
    content = csv_bytes([
        "网点名称,网点类型,地址,行政区划代码,纬度,经度,开业日期,格口数,企业统一社会信用代码",
        "好网点一,快递营业网点,路1号,310113,31.40,121.48,2020-01-01,,",
        "静安的网点,快递营业网点,路2号,310106,31.23,121.44,2020-01-01,,",
        "好网点二,快递营业网点,路3号,310113,31.40,121.48,2020-01-01,,",
        "仓库,仓库,路4号,310113,31.40,121.48,,,",
        "快件箱,智能快件箱,路5号,310113,95,121.48,2020-01-01,,",
        f"无名企业的网点,快递营业网点,路6号,310113,31.40,121.48,2020-01-01,,{valid_uscc(88888)}",
    ])
    response = upload(admin, content, "sites.csv")
    assert bad_rows(response) == {(3, "region_code"), (5, "site_type"), (5, "opened_on"),
                                  (6, "lat"), (6, "cell_count"), (7, "enterprise_uscc")}
    assert response.json["errors"]["file"]["rows"][0]["column"] == "行政区划代码"
    assert count_sites(db) == before


def test_row_numbers_are_the_ones_excel_shows_below_a_title(admin):
    content = xlsx([["宝山区快递网点名录（2026年3月）"], [],
                    ["网点名称", "网点类型", "地址", "行政区划代码", "纬度", "经度", "开业日期"],
                    ["好网点", "快递营业网点", "路1号", "310113", 31.4, 121.48, "2020-01-01"],
                    ["坏网点", "快递末端网点", "路2号", "310113", 31.4, 121.48, "2020-01-01"]])
    assert bad_rows(upload(admin, content, "名录.xlsx")) == {(5, "registration_status")}


def test_a_code_repeated_in_the_file_or_taken_is_a_bad_row(admin, make):
    make.site(code="BS-100")
    content = csv_bytes([
        "网点编码,网点名称,网点类型,地址,行政区划代码,纬度,经度,开业日期",
        "BS-100,甲,快递营业网点,路1号,310113,31.4,121.48,2020-01-01",
        "BS-101,乙,快递营业网点,路2号,310113,31.4,121.48,2020-01-01",
        "BS-101,丙,快递营业网点,路3号,310113,31.4,121.48,2020-01-01",
    ])
    assert bad_rows(upload(admin, content, "sites.csv")) == {(2, "code"), (4, "code")}


def test_uploading_the_same_file_again_creates_nothing_new(admin, db):
    content = csv_bytes([
        "网点名称,网点类型,地址,行政区划代码,纬度,经度,开业日期",
        "重复上传的网点,快递营业网点,路1号,310113,31.4,121.48,2020-01-01",
    ])
    first = upload(admin, content, "sites.csv")
    count = count_sites(db)
    again = upload(admin, content, "sites (1).csv")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json == first.json
    assert count_sites(db) == count
    other_crs = upload(admin, content, "sites.csv", crs="bd09")
    assert other_crs.status_code == 409 and "crs" in other_crs.json["errors"]["files"]


@pytest.mark.parametrize(("content", "name", "status"), [
    (b"%PDF-1.7 ...", "名录.pdf", 415),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "名录.xls", 415),
    (b"PK\x03\x04 not really a workbook", "名录.xlsx", 422),
    (b"", "empty.csv", 422),
    ("网点名称,网点类型,颜色\n甲,快递营业网点,红\n".encode(), "unknown.csv", 422),
    ("网点名称,网点类型,地址\n甲,快递营业网点,路1号\n".encode(), "missing.csv", 422),
    ("网点名称,网点类型,地址,行政区划代码,纬度,经度,开业日期\n".encode(), "header.csv", 422),
])
def test_files_that_cannot_be_read_are_named(admin, content, name, status):
    response = upload(admin, content, name)
    assert response.status_code == status, response.json
    assert "file" in response.json["errors"]["files"]


def test_a_missing_file_is_named(admin):
    response = admin.post("/api/v1/sites/import", content_type="multipart/form-data",
                          data={"crs": "wgs84"})
    assert response.status_code == 422 and "file" in response.json["errors"]["files"]


def test_limits_on_size_and_rows(admin):
    too_big = upload(admin, b"a" * (MAX_IMPORT_BYTES + 1), "big.csv")
    assert too_big.status_code == 413
    lines = ["网点名称,网点类型,地址,行政区划代码,纬度,经度,开业日期"]
    lines += [f"网点{i},快递营业网点,路{i}号,310113,31.4,121.48,2020-01-01"
              for i in range(MAX_IMPORT_ROWS + 1)]
    too_long = upload(admin, csv_bytes(lines), "long.csv")
    assert too_long.status_code == 422
    assert str(MAX_IMPORT_ROWS) in str(too_long.json["errors"]["files"]["file"])


def test_enterprises_then_their_sites(admin, db):
    zto, sto = valid_uscc(81001), valid_uscc(81002)
    enterprises = xlsx([["企业名称", "品牌", "统一社会信用代码", "许可证号", "主要品牌",
                         "行政区划代码"],
                        ["上海中通宝山分公司", "中通", zto, "沪邮2011001", "是", 310113],
                        ["上海小件快递有限公司", "其他", sto.lower(), None, "否", 310113]])
    response = upload(admin, enterprises, "企业.xlsx", kind="enterprises")
    assert response.status_code == 201 and response.json["created"] == 2
    stored = db.scalar(select(Enterprise).where(Enterprise.uscc == sto))
    assert (stored.is_major_brand, stored.licence_number) == (False, None)
    sites = csv_bytes(["网点名称,网点类型,地址,行政区划代码,纬度,经度,开业日期,"
                       "企业统一社会信用代码",
                       f"中通友谊路,快递营业网点,路1号,310113,31.4,121.48,2020-01-01,{zto}"])
    assert upload(admin, sites, "sites.csv").status_code == 201
    site = db.scalar(select(Site).where(Site.name == "中通友谊路"))
    assert site.enterprise_id == db.scalar(select(Enterprise.id).where(Enterprise.uscc == zto))


def test_an_enterprise_file_with_a_bad_code_imports_nothing(admin, db):
    good, bad = valid_uscc(82001), valid_uscc(82002)
    bad = bad[:-1] + ("0" if bad[-1] != "0" else "1")
    content = csv_bytes(["企业名称,品牌,统一社会信用代码,行政区划代码",
                         f"甲公司,顺丰,{good},310113", f"乙公司,顺丰,{bad},310113",
                         f"丙公司,顺丰,{good},310113"])
    response = upload(admin, content, "企业.csv", kind="enterprises")
    assert bad_rows(response) == {(3, "uscc"), (4, "uscc")}
    assert db.scalar(select(Enterprise).where(Enterprise.uscc == good)) is None


def test_only_admins_import(make, as_user):
    inspector = as_user(make.user(role="inspector"))
    assert upload(inspector, b"x", "sites.csv").status_code == 403


def test_the_documented_example_imports(admin, make):
    doc = (Path(__file__).parents[2] / "docs" / "registry.md").read_text(encoding="utf-8")
    example = doc.split("```csv\n", 1)[1].split("```", 1)[0]
    make.enterprise(region_code="310113", uscc="91310113MA1G00001H")
    response = upload(admin, example.encode(), "example.csv")
    assert response.status_code == 201, response.json
    assert response.json["created"] == 5
