"""Where and when: datum conversion, the radius widened by accuracy, the phone's clock."""

from __future__ import annotations

import prcoords
import pytest

from tests.inspections.factories import ago, ahead, body, moved


def _at(lat, lon, crs="wgs84", accuracy_m=10):
    return {"lat": lat, "lon": lon, "crs": crs, "accuracy_m": accuracy_m}


def test_gcj02_from_a_chinese_map_sdk_is_converted_before_the_check(phone, site, template,
                                                                   url):
    gcj = prcoords.wgs_gcj((site.lat, site.lon))  # what 高德/腾讯 report at the site
    response = phone.put(url, json=body(site, template, location=_at(gcj.lat, gcj.lon,
                                                                      "gcj02")))
    assert response.status_code == 201, response.json
    assert response.json["location_anomaly"] is False
    assert response.json["distance_m"] < 1
    assert response.json["location"]["crs"] == "wgs84"
    assert response.json["location"]["lat"] == pytest.approx(site.lat, abs=1e-5)


def test_wgs84_coordinates_mislabelled_as_gcj02_land_hundreds_of_metres_off(phone, site,
                                                                           template, url):
    response = phone.put(url, json=body(site, template, location=_at(site.lat, site.lon,
                                                                      "gcj02")))
    assert response.status_code == 201
    assert response.json["location_anomaly"] is True
    assert response.json["distance_m"] > 300  # the GCJ-02 offset in Shanghai
    assert response.json["review_status"] == "pending"


def test_bd09_from_baidu_is_converted_too(phone, site, template, url):
    bd = prcoords.wgs_bd((site.lat, site.lon))
    response = phone.put(url, json=body(site, template, location=_at(bd.lat, bd.lon, "bd09")))
    assert response.json["location_anomaly"] is False and response.json["distance_m"] < 1


@pytest.mark.parametrize(("accuracy_m", "flagged"), [(30, True), (60, False), (None, True)])
def test_the_radius_is_widened_by_the_reported_accuracy(phone, site, template, url,
                                                        accuracy_m, flagged):
    lat, lon = moved(site.lat, site.lon, 250)  # 250 m north; the radius is 200 m
    response = phone.put(url, json=body(site, template, location=_at(lat, lon,
                                                                      accuracy_m=accuracy_m)))
    assert response.status_code == 201
    assert response.json["distance_m"] == pytest.approx(250, abs=0.5)
    assert response.json["location_anomaly"] is flagged
    assert response.json["review_status"] == ("pending" if flagged else "none")


def test_inside_the_radius_is_not_flagged(phone, site, template, url):
    lat, lon = moved(site.lat, site.lon, 150, bearing=90)
    response = phone.put(url, json=body(site, template, location=_at(lat, lon)))
    assert response.json["location_anomaly"] is False


def test_no_position_at_all_is_accepted_but_flagged(phone, site, template, url):
    sent = body(site, template)
    sent["location"] = None
    response = phone.put(url, json=sent)
    assert response.status_code == 201
    assert response.json["location"] is None and response.json["location_anomaly"] is True


def test_a_bad_crs_is_422(phone, site, template, url):
    response = phone.put(url, json=body(site, template, location=_at(31.4, 121.48, "cgcs2000")))
    assert response.status_code == 422
    assert "crs" in response.json["errors"]["json"]["location"]


@pytest.mark.parametrize("field", ["started_at", "finished_at"])
def test_a_time_beyond_the_clock_skew_is_refused_naming_the_field(phone, site, template, url,
                                                                  field):
    times = {"started_at": ago(hours=1), "finished_at": ago(minutes=1)}
    times[field] = ahead(hours=2)
    if field == "started_at":
        times["finished_at"] = ahead(hours=3)
    response = phone.put(url, json=body(site, template, **times))
    assert response.status_code == 422
    message = response.json["errors"]["json"][field][0]
    assert "ahead of the server's clock" in message and "time zone" in message


def test_a_little_clock_skew_is_allowed(phone, site, template, url):
    response = phone.put(url, json=body(site, template, finished_at=ahead(seconds=60)))
    assert response.status_code == 201


def test_a_time_without_offset_is_refused(phone, site, template, url):
    response = phone.put(url, json=body(site, template, started_at="2026-03-02T10:05:00"))
    assert response.status_code == 422
    assert "offset" in response.json["errors"]["json"]["started_at"][0]


def test_finishing_before_starting_is_refused(phone, site, template, url):
    response = phone.put(url, json=body(site, template, started_at=ago(minutes=5),
                                        finished_at=ago(minutes=30)))
    assert response.status_code == 422 and "finished_at" in response.json["errors"]["json"]
