"""Regions: the GB/T 2260 list is loaded, subtrees resolve, and look-ups stay in jurisdiction."""

from sqlalchemy import select

from service.common.regions import contains, in_subtree, subtree_prefix
from service.regions.models import Region


def test_the_full_gbt2260_list_is_loaded_with_parents(db):
    assert db.query(Region).count() >= 3210
    assert db.get(Region, "310113").parent_code == "310000"   # municipality: no city level
    assert db.get(Region, "320505").parent_code == "320500"   # 苏州市虎丘区 under 苏州市
    assert db.get(Region, "419001").parent_code == "410000"   # 省直辖县级行政单位


def test_districts_are_urban_and_counties_rural(db):
    assert db.get(Region, "310113").urban is True     # 宝山区
    assert db.get(Region, "130121").urban is False    # 井陉县
    assert db.get(Region, "429021").urban is False    # 神农架林区
    assert db.get(Region, "310000").urban is None     # a province-level region


def test_subtree_prefixes_follow_the_code_structure():
    assert subtree_prefix("310000") == "31"
    assert subtree_prefix("320500") == "3205"
    assert subtree_prefix("310113") == "310113"
    assert contains("310000", "310113001")
    assert not contains("310113", "310106")


def test_subtree_filter_is_a_range_that_carries_past_a_nine(db):
    # 沧州市 130900: prefix 1309, upper bound 131 (not "130:"), in any collation
    codes = set(db.scalars(select(Region.code).where(in_subtree(Region.code, "130900"))))
    assert {"130900", "130902", "130981"} <= codes
    assert not codes & {"130800", "131000", "131002", "139999"}
    assert all(code.startswith("1309") for code in codes)


def test_city_bureau_lists_its_districts(make, as_user):
    api = as_user(make.user(role="analyst", region_code="310000"))
    response = api.get("/api/v1/regions?limit=500")
    assert response.status_code == 200
    names = {item["name"] for item in response.json["items"]}
    assert {"宝山区", "静安区", "青浦区", "奉贤区"} <= names
    assert response.json["next_cursor"] is None


def test_children_page_with_a_cursor_without_gaps(make, as_user):
    api = as_user(make.user(role="analyst", region_code="310000"))
    seen, cursor = [], None
    while True:
        url = "/api/v1/regions?limit=5" + (f"&cursor={cursor}" if cursor else "")
        page = api.get(url).json
        seen += [item["code"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 16 and seen == sorted(seen)


def test_a_bad_cursor_is_a_422_naming_it(make, as_user):
    api = as_user(make.user(role="analyst", region_code="310000"))
    response = api.get("/api/v1/regions?cursor=not-a-cursor")
    assert response.status_code == 422
    assert "cursor" in response.json["errors"]["query"]


def test_lookup_shows_the_path_and_an_etag(make, as_user):
    api = as_user(make.user(role="analyst", region_code="310113"))
    response = api.get("/api/v1/regions/310113")
    assert response.json["name"] == "宝山区"
    assert [r["code"] for r in response.json["path"]] == ["000000", "310000"]
    assert response.headers["ETag"]


def test_a_district_cannot_see_its_neighbour_or_its_city(make, as_user):
    api = as_user(make.user(role="analyst", region_code="310113"))
    assert api.get("/api/v1/regions/310106").status_code == 404
    assert api.get("/api/v1/regions/310000").status_code == 404
    assert api.get("/api/v1/regions/999999").status_code == 404
    assert api.get("/api/v1/regions?parent=310000").status_code == 404


def test_subtree_of_a_city(make, as_user):
    api = as_user(make.user(role="analyst", region_code="320000"))
    page = api.get("/api/v1/regions/320500/subtree?limit=100").json
    codes = [item["code"] for item in page["items"]]
    assert codes[0] == "320500" and "320505" in codes
    assert all(code.startswith("3205") for code in codes)


def test_admin_adds_a_town_and_a_retry_creates_nothing_new(make, as_user, db):
    api = as_user(make.user(role="admin", region_code="310113"))
    body = {"code": "310113101", "name": "友谊路街道"}
    first = api.post("/api/v1/regions", json=body)
    again = api.post("/api/v1/regions", json=body)
    assert first.status_code == again.status_code == 201
    assert first.json == again.json
    assert db.get(Region, "310113101").urban is False  # 街道 is not a 区: admins correct it
    clash = api.post("/api/v1/regions", json={**body, "name": "别的街道"})
    assert clash.status_code == 422 and "code" in clash.json["errors"]["json"]


def test_towns_are_only_added_inside_ones_own_district(make, as_user):
    api = as_user(make.user(role="admin", region_code="310113"))
    response = api.post("/api/v1/regions", json={"code": "310106101", "name": "某街道"})
    assert response.status_code == 422
    assert "code" in response.json["errors"]["json"]
    six = api.post("/api/v1/regions", json={"code": "310199", "name": "新区"})
    assert six.status_code == 422


def test_urban_flag_update_needs_a_current_etag(make, as_user):
    api = as_user(make.user(role="admin", region_code="310113"))
    etag = api.get("/api/v1/regions/310113").headers["ETag"]
    assert api.patch("/api/v1/regions/310113", json={"urban": False}).status_code == 428
    ok = api.patch("/api/v1/regions/310113", json={"urban": False}, headers={"If-Match": etag})
    assert ok.status_code == 200 and ok.json["urban"] is False
    stale = api.patch("/api/v1/regions/310113", json={"urban": True},
                      headers={"If-Match": etag})
    assert stale.status_code == 412


def test_unknown_fields_are_named(make, as_user):
    api = as_user(make.user(role="admin", region_code="310113"))
    response = api.patch("/api/v1/regions/310113", json={"colour": "red"},
                         headers={"If-Match": "*"})
    assert response.status_code == 422
    assert "colour" in response.json["errors"]["json"]
