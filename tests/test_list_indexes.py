"""Every keyset list reads its page in order from an index: on PostgreSQL, each list's query
(as the API sends it) is EXPLAINed with sorting disabled, and a Sort left in the plan means
no index serves its ORDER BY. A list endpoint missing from LISTS fails the first test."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from service.inspections.models import Inspection
from tests.evidence.helpers import inspection, photo, template
from tests.inspections.factories import body

SPEC = Path(__file__).resolve().parent.parent / "api_specs" / "openapi.json"

#: every list endpoint (a 200 answer with next_cursor) -> (role, query string)
LISTS = {
    "/api/v1/audit": ("admin", "object=inspection:{inspection_id}"),
    "/api/v1/checklists": ("admin", ""),
    "/api/v1/conflicts": ("admin", ""),
    "/api/v1/enterprises": ("admin", ""),
    "/api/v1/findings": ("admin", ""),
    "/api/v1/inspections": ("admin", ""),
    "/api/v1/inspections/flagged": ("supervisor", ""),
    "/api/v1/inspections/{inspection_id}/photos": ("admin", ""),
    "/api/v1/matters": ("admin", ""),
    "/api/v1/me/tasks": ("inspector", ""),
    "/api/v1/photos/abandoned": ("admin", ""),
    "/api/v1/plans": ("admin", ""),
    "/api/v1/regions": ("admin", ""),
    "/api/v1/regions/{code}/subtree": ("admin", ""),
    "/api/v1/sites": ("admin", ""),
    "/api/v1/tasks": ("admin", ""),
    "/api/v1/users": ("admin", ""),
    "/api/v1/enforcement/cases": ("supervisor", ""),
    "/api/v1/enforcement/queues/{queue}": ("supervisor", ""),
    "/api/v1/enforcement/rectifications": ("supervisor", ""),
    "/api/v1/enforcement/summons": ("supervisor", ""),
    "/api/v1/exports": ("admin", ""),
    "/api/v1/public/decisions": ("admin", ""),
    "/api/v1/stats/gap": ("admin", "period=2026-11"),
    "/api/v1/campaigns": ("admin", ""),
    "/api/v1/rectification-evaluations": ("admin", ""),
    "/api/v1/self-checks": ("admin", ""),
}
#: feeds that page by their own cursor (not `next_cursor`), so the spec scan above cannot find
#: them: (path, role, query string, tables whose pages each must read in order)
FEEDS = [
    ("/api/v1/sync/changes", "inspector", "limit=2", ("sites", "checklist_templates")),
]
#: lists with a filter that picks another index: (path, role, query string)
FILTERED = [
    ("/api/v1/sites", "admin", "site_type=express_outlet"),
    ("/api/v1/tasks", "admin", "status=open"),
    ("/api/v1/inspections", "admin", "status=completed"),
]


def list_endpoints() -> set[str]:
    """GET paths of the spec whose 200 answer is a page (has next_cursor)."""
    spec = json.loads(SPEC.read_text())
    schemas = spec["components"]["schemas"]
    found = set()
    for path, operations in spec["paths"].items():
        answer = operations.get("get", {}).get("responses", {}).get("200", {})
        ref = answer.get("content", {}).get("application/json", {}).get("schema", {})
        name = ref.get("$ref", "").rsplit("/", 1)[-1]
        if "next_cursor" in schemas.get(name, {}).get("properties", {}):
            found.add(path)
    return found


def test_every_list_endpoint_is_checked_here():
    assert list_endpoints() == set(LISTS), "add the new list to LISTS (and its index)"


@pytest.fixture
def postgresql(connection):
    sql, _ = connection
    if sql.dialect.name != "postgresql":
        pytest.skip("EXPLAIN checks run on PostgreSQL (DATABASE_URL)")
    return sql


@pytest.fixture
def callers(make, as_user):
    national = {role: as_user(make.user(role=role, region_code="000000"))
                for role in ("admin", "supervisor")}
    inspector = make.user(role="inspector", region_code="000000")
    return {**national, "inspector": as_user(inspector)}


def list_query(sql_log, api, url: str) -> tuple[str, object]:
    """The page query the API runs for `url`: its statement and parameters."""
    with sql_log() as seen:
        response = api.get(url)
    assert response.status_code == 200, (url, response.json)
    pages = [(s, p) for s, p in seen if "ORDER BY" in s and "LIMIT" in s]
    assert pages, f"no paged query seen for {url}"
    return pages[0]


def sorts_in(plan: dict) -> list[str]:
    found = [plan["Node Type"]] if "Sort" in plan["Node Type"] else []
    for child in plan.get("Plans", []):
        found += sorts_in(child)
    return found


def plan_of(sql, statement: str, parameters) -> dict:
    sql.exec_driver_sql("SET enable_sort = off")
    sql.exec_driver_sql("SET enable_incremental_sort = off")
    try:
        rows = sql.exec_driver_sql("EXPLAIN (FORMAT JSON) " + statement, parameters).all()
    finally:
        sql.exec_driver_sql("RESET enable_sort")
        sql.exec_driver_sql("RESET enable_incremental_sort")
    document = rows[0][0]
    return (json.loads(document) if isinstance(document, str) else document)[0]["Plan"]


def submitted(make, phone):
    """An inspection sent through the API, so the audit trail has its history."""
    site = make.site(region_code="310113", lat=31.40, lon=121.48)
    sent = body(site, template(make.db), answers={"recycling_device": "pass",
                                                  "real_name": "fail"})
    response = phone.put(f"/api/v1/inspections/{uuid.uuid4()}", json=sent)
    assert response.status_code == 201, response.json
    return make.db.get(Inspection, uuid.UUID(response.json["id"]))


def cases():
    yield from ((path, role, query) for path, (role, query) in LISTS.items())
    yield from FILTERED


@pytest.mark.parametrize(("path", "role", "query"), list(cases()))
def test_the_list_reads_its_order_from_an_index(postgresql, sql_log, callers, make, path, role,
                                                query):
    found = submitted(make, callers["inspector"]) if path == "/api/v1/audit" else inspection(make)
    photo(make, found)
    url = path.format(inspection_id=found.id, code="310000", queue="filing_approval")
    url += "?" + query.format(inspection_id=found.id) if query else ""
    statement, parameters = list_query(sql_log, callers[role], url)
    plan = plan_of(postgresql, statement, parameters)
    assert not sorts_in(plan), f"{url}: no index serves its ORDER BY:\n{statement}\n{plan}"


@pytest.mark.parametrize(("path", "role", "query", "tables"), FEEDS)
def test_the_feed_reads_each_table_in_order_from_an_index(postgresql, sql_log, callers, make,
                                                         path, role, query, tables):
    for number in range(3):
        make.site(region_code="310113", name=f"同步网点{number}")
    template(make.db)
    first = callers[role].get(f"{path}?{query}")
    assert first.status_code == 200, first.json
    # a page after a position: the tuple comparison must not cost the index its order
    url = f"{path}?{query}&since={first.json['next_since']}"
    with sql_log() as seen:
        response = callers[role].get(url)
    assert response.status_code == 200, (url, response.json)
    for table in tables:
        pages = [(s, p) for s, p in seen
                 if "ORDER BY" in s and "LIMIT" in s and f"FROM {table}" in s]
        assert pages, f"no paged query of {table} seen for {url}"
        plan = plan_of(postgresql, *pages[0])
        assert not sorts_in(plan), f"{url}: no index serves {table}'s order:\n{plan}"


def scans_in(plan: dict) -> list[tuple[str, str]]:
    """(node type, table) of every scan of the plan that reads a table."""
    found = [(plan["Node Type"], plan["Relation Name"])] if "Relation Name" in plan else []
    for child in plan.get("Plans", []):
        found += scans_in(child)
    return found


def casework_statements():
    """The monthly figures' and enforcement rates' queries over the enforcement tables, for a
    month, also as counted for a campaign (service.stats.casework)."""
    from service.stats import casework
    from service.stats.periods import parse

    month, campaign = parse("2026-10"), uuid.uuid4()
    for count in (casework.case_counts, casework.rectification_counts,
                  casework.suspension_counts, casework.summons_counts):
        yield count.__name__, count(month)
        yield f"{count.__name__} (campaign)", count(month, campaign)
    for rate in (casework.rectification_on_time, casework.disclosure_timeliness):
        yield rate.__name__, rate(month)


ENFORCEMENT_TABLES = ("enforcement_cases", "enforcement_rectifications", "enforcement_summons",
                      "enforcement_suspensions")


@pytest.mark.parametrize(("name", "statement"), list(casework_statements()),
                         ids=lambda value: value if isinstance(value, str) else "")
def test_the_monthly_figures_read_their_month_from_indexes(postgresql, name, statement):
    """Each casework count reads the month's rows by an index on its dates (or the
    campaign's), never the whole table: EXPLAINed with sequential scans disabled, a Seq Scan
    left in the plan means no index serves it."""
    compiled = statement.compile(dialect=postgresql.dialect,
                                 compile_kwargs={"literal_binds": True})
    postgresql.exec_driver_sql("SET enable_seqscan = off")
    try:
        document = postgresql.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {compiled}").scalar()
    finally:
        postgresql.exec_driver_sql("RESET enable_seqscan")
    plan = (json.loads(document) if isinstance(document, str) else document)[0]["Plan"]
    full = [(node, table) for node, table in scans_in(plan)
            if node == "Seq Scan" and table in ENFORCEMENT_TABLES]
    assert not full, f"{name} scans a whole table: {full}\n{compiled}"
