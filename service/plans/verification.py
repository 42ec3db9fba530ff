"""What anyone needs to re-run a plan's draw and check its result (docs/plans.md)."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from service.plans import draw
from service.plans.logic import get_plan
from service.plans.models import PLAN_DRAWN, InspectionPlan

_V1 = """\
sha256-rank-v1. H(x) = lower-case hex SHA-256 of the UTF-8 text x; ids are lower-case
hyphenated UUIDs; "a ‖ b" is text concatenation.
1. seed_hash = H(seed).
2. Candidates (given) are sorted by site_id; each has a stratum ("all", a district code or
   a site type). Per stratum of N candidates the quota is: ratio mode:
   floor((p × N + 5000) / 10000), p = sample_ratio_per_10000 (r × N, half rounding up);
   count mode: n = min(count, total); stratum quota = floor(n × N / total),
   the seats left going one each to the strata with the largest remainder (n × N mod total),
   ties to the smaller stratum key.
3. Site key = H(seed ‖ ":site:" ‖ site_id). In each stratum take the quota lowest keys.
   Draw order (rank 1, 2, …): all taken sites by key ascending.
4. Inspectors (given, sorted by user_id). For each site in draw order take those whose
   jurisdiction covers it (the site's region_code starts with their region_prefix), rank
   them by H(seed ‖ ":inspector:" ‖ site_id ‖ ":" ‖ user_id) ascending, skip those with a
   declared conflict (user_id, the site's enterprise_id) and those already holding
   workload_cap sites of this plan; the first two form the pair (in that order).
Ties in any key are broken by the id ascending."""

_V2 = _V1.replace("sha256-rank-v1.", "sha256-rank-v2.").replace(
    """4. Inspectors (given, sorted by user_id). For each site in draw order take those whose
   jurisdiction covers it (the site's region_code starts with their region_prefix), rank""",
    """4. Inspectors (given, sorted by user_id). For each site in draw order take those who
   may inspect it: with pairing "jurisdiction", those whose jurisdiction covers it (the
   site's region_code starts with their region_prefix); with "cross_district", those whose
   jurisdiction does not cover it. Rank""").replace(
    "workload_cap sites of this plan; the first two form the pair (in that order).",
    """workload_cap sites of this plan; the first two form the pair (in that order), except
   that a pair holds an officer of role "inspector": when the first is not one, the
   second is the next inspector.""")
#: each algorithm's steps, as published with the draws made with it
DESCRIPTIONS = {"sha256-rank-v1": _V1, draw.ALGORITHM: _V2}


def verification(db: Session, *, scope: str, plan_id: uuid.UUID) -> dict:
    """Seed, hash, algorithm, parameters and (once drawn) the inputs and result as used."""
    plan = get_plan(db, scope=scope, plan_id=plan_id)
    record = plan.draw_record or {}
    drawn = plan.status == PLAN_DRAWN
    return {
        "plan_id": plan.id,
        "status": plan.status,
        "algorithm": record.get("algorithm", draw.ALGORITHM),
        "description": DESCRIPTIONS[record.get("algorithm", draw.ALGORITHM)],
        "seed_hash": plan.seed_hash,
        "seed": plan.seed if drawn else None,
        "drawn_at": plan.drawn_at,
        "parameters": _parameters(plan),
        "candidates": record.get("candidates"),
        "inspectors": record.get("inspectors"),
        "conflicts": record.get("conflicts"),
        "strata": record.get("strata"),
        "result": record.get("result"),
    }


def _parameters(plan: InspectionPlan) -> dict:
    ratio = plan.sample_mode == "ratio"
    return {
        "region_code": plan.region_code,
        "site_types": plan.site_types,
        "period_start": plan.period_start,
        "period_end": plan.period_end,
        "sample_mode": plan.sample_mode,
        "sample_value": plan.sample_value,
        "sample_ratio_per_10000": draw.ratio_per_10000(plan.sample_value) if ratio else None,
        "sample_count": None if ratio else int(plan.sample_value),
        "stratify_by": plan.stratify_by,
        "pairing": plan.pairing,
        "workload_cap": plan.workload_cap,
    }
