"""Enterprises (寄递企业): checked credit codes, seen from below, changed only at home."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select

from service.registry.models import Enterprise
from tests.factories import valid_uscc
from tests.registry.conftest import errors_of


def body(**fields) -> dict:
    return {"name": "上海韵达货运有限公司", "brand": "韵达", "uscc": valid_uscc(70001),
            "licence_number": "沪邮2010001", "is_major_brand": True, "region_code": "310113",
            **fields}


def test_an_admin_adds_an_enterprise_with_its_code_kept_compact(admin):
    code = valid_uscc(70002)
    spaced = f"{code[:6].lower()} {code[6:12].lower()}-{code[12:]}"
    response = admin.post("/api/v1/enterprises", json=body(uscc=spaced))
    assert response.status_code == 201, response.json
    assert response.json["uscc"] == code


def test_a_wrong_check_character_is_named(admin):
    code = valid_uscc(70003)
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    response = admin.post("/api/v1/enterprises", json=body(uscc=wrong))
    assert response.status_code == 422
    assert "check character" in str(errors_of(response)["uscc"])


def test_a_code_of_the_wrong_length_or_alphabet_is_named(admin):
    for bad in ("91310113MA1G0000", "91310113MA1G00001I"):
        response = admin.post("/api/v1/enterprises", json=body(uscc=bad))
        assert response.status_code == 422
        assert "uscc" in errors_of(response)


def test_a_credit_code_is_registered_once(admin, make):
    taken = make.enterprise()
    response = admin.post("/api/v1/enterprises", json=body(uscc=taken.uscc))
    assert response.status_code == 409
    assert "uscc" in errors_of(response)


def test_a_retried_create_with_the_same_id_creates_one_enterprise(admin, db):
    sent = body(id=str(uuid.uuid4()), uscc=valid_uscc(70004))
    first = admin.post("/api/v1/enterprises", json=sent)
    again = admin.post("/api/v1/enterprises", json=sent)
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json == again.json
    assert db.scalar(select(func.count()).select_from(Enterprise)
                     .where(Enterprise.id == uuid.UUID(sent["id"]))) == 1


def test_the_same_id_with_another_body_is_a_conflict(admin):
    sent = body(id=str(uuid.uuid4()), uscc=valid_uscc(70005))
    assert admin.post("/api/v1/enterprises", json=sent).status_code == 201
    response = admin.post("/api/v1/enterprises", json={**sent, "name": "别的公司"})
    assert response.status_code == 409
    assert "id" in errors_of(response)


def test_enterprises_are_added_only_in_your_jurisdiction(admin):
    response = admin.post("/api/v1/enterprises", json=body(region_code="320505"))
    assert response.status_code == 422
    assert "outside" in str(errors_of(response)["region_code"])


def test_a_district_sees_enterprises_of_its_city_but_not_of_another_city(make, as_user):
    city = make.enterprise(region_code="310000")
    own = make.enterprise(region_code="310113")
    sibling = make.enterprise(region_code="310106")
    suzhou = make.enterprise(region_code="320500")
    district = as_user(make.user(role="analyst", region_code="310113"))
    assert district.get(f"/api/v1/enterprises/{city.id}").status_code == 200
    assert district.get(f"/api/v1/enterprises/{suzhou.id}").status_code == 404
    assert district.get(f"/api/v1/enterprises/{sibling.id}").status_code == 404
    listed = {e["id"] for e in district.get("/api/v1/enterprises?limit=500").json["items"]}
    assert {str(city.id), str(own.id)} <= listed
    assert not {str(sibling.id), str(suzhou.id)} & listed


def test_a_district_cannot_change_an_enterprise_registered_with_its_city(make, as_user):
    city = make.enterprise(region_code="310000")
    district = as_user(make.user(role="admin", region_code="310113"))
    response = district.patch(f"/api/v1/enterprises/{city.id}", json={"brand": "圆通"},
                              headers={"If-Match": "*"})
    assert response.status_code == 403


def test_changes_need_the_current_etag(admin, make):
    enterprise = make.enterprise(region_code="310113")
    url = f"/api/v1/enterprises/{enterprise.id}"
    etag = admin.get(url).headers["ETag"]
    assert admin.patch(url, json={"brand": "圆通"}).status_code == 428
    changed = admin.patch(url, json={"brand": "圆通"}, headers={"If-Match": etag})
    assert changed.status_code == 200 and changed.json["brand"] == "圆通"
    stale = admin.patch(url, json={"brand": "申通"}, headers={"If-Match": etag})
    assert stale.status_code == 412


def test_a_changed_credit_code_is_checked_and_unique(admin, make):
    enterprise = make.enterprise(region_code="310113")
    other = make.enterprise(region_code="310113")
    url = f"/api/v1/enterprises/{enterprise.id}"
    taken = admin.patch(url, json={"uscc": other.uscc}, headers={"If-Match": "*"})
    assert taken.status_code == 409 and "uscc" in errors_of(taken)
    bad = admin.patch(url, json={"uscc": "123"}, headers={"If-Match": "*"})
    assert bad.status_code == 422 and "uscc" in errors_of(bad)


def test_the_list_filters_by_brand_major_brand_region_and_name(make, as_user):
    make.enterprise(region_code="310113", brand="德邦", is_major_brand=False,
                    name="上海德邦物流宝山分公司")
    make.enterprise(region_code="310000", brand="顺丰", name="上海顺丰速运有限公司")
    api = as_user(make.user(role="analyst", region_code="310000"))

    def names(query):
        return {e["name"] for e in api.get(f"/api/v1/enterprises?limit=500&{query}").json["items"]}

    assert names("brand=德邦") == {"上海德邦物流宝山分公司"}
    assert "上海德邦物流宝山分公司" in names("is_major_brand=false")
    assert "上海德邦物流宝山分公司" not in names("is_major_brand=true")
    assert names("region_code=310113") >= {"上海德邦物流宝山分公司"}
    assert "上海顺丰速运有限公司" not in names("region_code=310113")
    assert names("q=顺丰速运") == {"上海顺丰速运有限公司"}


def test_pages_list_every_enterprise_once(make, as_user):
    made = {str(make.enterprise(region_code="310113").id) for _ in range(7)}
    api = as_user(make.user(role="analyst", region_code="310113"))
    seen, cursor = [], None
    while True:
        query = "limit=3" + (f"&cursor={cursor}" if cursor else "")
        page = api.get(f"/api/v1/enterprises?{query}").json
        seen += [e["id"] for e in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen))
    assert made <= set(seen)
