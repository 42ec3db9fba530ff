"""The violation catalogue: loaded whole or not at all, versioned, kept by cases."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from sqlalchemy import func, select

from service.enforcement.catalogue import SAMPLE_FILE
from service.enforcement.models import CatalogueVersion
from tests.enforcement.conftest import open_case
from tests.enforcement.helpers import days_ago

URL = "/api/v1/enforcement/catalogue"


def sample() -> dict:
    return json.loads(SAMPLE_FILE.read_text(encoding="utf-8"))


def test_the_shipped_file_is_marked_as_a_sample():
    data = sample()
    assert data["sample"] is True and "SAMPLE" in data["label"]


def test_an_admin_loads_a_file_and_everyone_reads_the_current_version(apis):
    loaded = apis["admin"].post(URL, json=sample())
    assert loaded.status_code == 201, loaded.json
    again = apis["admin"].post(URL, json=sample())
    assert again.status_code == 200 and again.json["number"] == loaded.json["number"]
    current = apis["inspector"].get(URL).json
    assert current["number"] == loaded.json["number"]
    entry = next(v for v in current["violations"] if v["code"] == "real_name_not_enforced")
    assert entry["bands"]["ordinary"] == {"min_fen": 1000000, "max_fen": 5000000,
                                          "measures": ["fine", "rectification"]}
    assert entry["item_codes"] == ["real_name"]


def test_a_file_with_bad_entries_lists_every_one_and_changes_nothing(apis, db):
    before = db.scalar(select(func.count()).select_from(CatalogueVersion))
    data = sample()
    data["violations"][0]["bands"]["minor"]["min_fen"] = 500      # above max_fen 0
    data["violations"][2]["code"] = data["violations"][1]["code"]  # duplicate
    data["violations"][3]["item_codes"] = ["no_such_item"]
    del data["violations"][4]["law"]
    response = apis["admin"].post(URL, json=data)
    assert response.status_code == 422
    errors = response.json["errors"]["json"]["violations"]
    assert set(errors) == {"0", "4"}  # what the schema sees; the rest after it passes
    data["violations"][0]["bands"]["minor"]["min_fen"] = 0
    data["violations"][4]["law"] = "《快递市场管理办法》"
    response = apis["admin"].post(URL, json=data)
    assert response.status_code == 422
    errors = response.json["errors"]["json"]["violations"]
    assert set(errors) == {"2", "3"}
    assert "Duplicate code" in errors["2"]["code"][0]
    assert "no_such_item" in errors["3"]["item_codes"][0]
    assert db.scalar(select(func.count()).select_from(CatalogueVersion)) == before


def test_only_admins_load_catalogues(apis):
    assert apis["supervisor"].post(URL, json=sample()).status_code == 403


def test_a_case_keeps_the_version_it_was_decided_under(apis, inspection, catalogue):
    case = open_case(apis, inspection, opened_days_ago=5)
    case.move("approve_filing", on=days_ago(5))
    case.move("investigate", "inspector", on=days_ago(5))
    notice = case.move("give_notice", "inspector", on=days_ago(4),
                       violation_code="real_name_not_enforced", circumstance="minor",
                       measures=["warning"])
    newer = sample()
    newer["label"] = "2026-02"
    assert apis["admin"].post(URL, json=newer).status_code == 201
    decided = case.move("decide", on=days_ago(1))
    assert decided["catalogue_version"] == notice["catalogue_version"] == catalogue.number
    assert apis["inspector"].get(URL).json["number"] == catalogue.number + 1


def test_the_command_refuses_a_bad_file_and_loads_a_good_one(tmp_path, database_url):
    bad = sample()
    bad["violations"][1]["bands"]["serious"]["measures"] = ["jail"]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    env = {**os.environ, "DATABASE_URL": database_url}
    run = [sys.executable, "-m", "service.cli", "catalogue-load"]
    refused = subprocess.run([*run, str(path)], capture_output=True, text=True, env=env)
    assert refused.returncode != 0
    assert "violations" in refused.stderr and "jail" not in refused.stdout
    assert '"1"' in refused.stderr


def test_the_command_loads_a_good_file_into_a_new_version(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'scratch.db'}"}
    cli = [sys.executable, "-m", "service.cli"]
    subprocess.run([*cli, "migrate"], check=True, capture_output=True, env=env)
    first = subprocess.run([*cli, "catalogue-load", str(SAMPLE_FILE)], capture_output=True,
                           text=True, env=env)
    assert first.returncode == 0, first.stderr
    assert "Catalogue version 1: 7 violations." in first.stdout
    again = subprocess.run([*cli, "catalogue-load", str(SAMPLE_FILE)], capture_output=True,
                           text=True, env=env)
    assert "already loaded" in again.stdout
