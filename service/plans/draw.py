"""The double-random draw as a pure function of its published inputs (docs/plans.md).

Nothing here reads the database: given the seed, the candidate sites, the eligible
inspectors and the declared conflicts, anyone re-running these steps gets the same sites
and the same pairs. Ids are the lower-case, hyphenated text of the UUIDs.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

ALGORITHM = "sha256-rank-v2"
PAIR_SIZE = 2
#: the role that submits an inspection from the phone: every pair holds one
FIELD_ROLE = "inspector"
#: who may inspect a site: officers whose jurisdiction covers it, or (县区互查) only
#: officers of another district
JURISDICTION, CROSS_DISTRICT = PAIRINGS = ("jurisdiction", "cross_district")


@dataclass(frozen=True)
class Candidate:
    site_id: str
    region_code: str
    #: "all", the site's district code (first 6 digits) or its site type
    stratum: str
    enterprise_id: str | None


@dataclass(frozen=True)
class Inspector:
    user_id: str
    #: the inspector's jurisdiction as a code prefix: sites whose code starts with it
    region_prefix: str
    #: inspector or supervisor: a pair needs at least one inspector
    role: str = FIELD_ROLE


@dataclass(frozen=True)
class Drawn:
    rank: int
    site_id: str
    stratum: str
    inspector_ids: tuple[str, ...]


class DrawError(Exception):
    """No pair can be formed for a drawn site; `site_id` names it."""

    def __init__(self, message: str, site_id: str):
        super().__init__(message)
        self.site_id = site_id


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def site_key(seed: str, site_id: str) -> str:
    return sha256_hex(f"{seed}:site:{site_id}")


def inspector_key(seed: str, site_id: str, user_id: str) -> str:
    return sha256_hex(f"{seed}:inspector:{site_id}:{user_id}")


def ratio_per_10000(value: float) -> int:
    """The ratio in ten-thousandths (ratios have at most four decimals, so this is exact)."""
    return round(value * 10000)


def quotas(sizes: dict[str, int], mode: str, value: float) -> dict[str, int]:
    """How many sites each stratum gives (stratum -> candidate count in, quota out)."""
    if mode == "ratio":
        ratio = ratio_per_10000(value)
        return {stratum: (ratio * size + 5000) // 10000 for stratum, size in sizes.items()}
    total = sum(sizes.values())
    wanted = min(int(value), total)
    if total == 0:
        return dict.fromkeys(sizes, 0)
    base = {stratum: wanted * size // total for stratum, size in sizes.items()}
    left = wanted - sum(base.values())
    by_remainder = sorted(sizes, key=lambda s: (-(wanted * sizes[s] % total), s))
    for stratum in by_remainder[:left]:
        base[stratum] += 1
    return base


def select_sites(seed: str, candidates: list[Candidate], mode: str,
                 value: float) -> list[Candidate]:
    """The drawn sites in draw order: the lowest site keys of each stratum, merged by key."""
    strata: dict[str, list[Candidate]] = {}
    for candidate in candidates:
        strata.setdefault(candidate.stratum, []).append(candidate)
    wanted = quotas({s: len(c) for s, c in strata.items()}, mode, value)
    chosen = []
    for stratum, members in strata.items():
        ranked = sorted(members, key=lambda c: (site_key(seed, c.site_id), c.site_id))
        chosen.extend(ranked[: wanted[stratum]])
    return sorted(chosen, key=lambda c: (site_key(seed, c.site_id), c.site_id))


def covers(inspector: Inspector, site: Candidate, pairing: str) -> bool:
    """May the inspector be paired for the site: its jurisdiction covers the site, or, for
    cross-district checks, the site lies outside its jurisdiction."""
    inside = site.region_code.startswith(inspector.region_prefix)
    return inside if pairing == JURISDICTION else not inside


def pick_pair(free: list[Inspector]) -> tuple[str, ...] | None:
    """The first two of the ranked free officers, except that a pair holds an inspector:
    when the first is not one, the second is the next inspector."""
    if not free:
        return None
    first, rest = free[0], free[1:]
    if first.role != FIELD_ROLE:
        rest = [i for i in rest if i.role == FIELD_ROLE]
    return (first.user_id, rest[0].user_id) if rest else None


def assign_pairs(seed: str, sites: list[Candidate], inspectors: list[Inspector],
                 conflicts: set[tuple[str, str]], cap: int | None,
                 pairing: str = JURISDICTION) -> list[Drawn]:
    """A pair per site, in draw order: the two lowest-keyed officers free to go."""
    load = {inspector.user_id: 0 for inspector in inspectors}
    result = []
    for rank, site in enumerate(sites, start=1):
        covering = [i for i in inspectors if covers(i, site, pairing)]
        ranked = sorted(covering,
                        key=lambda i: (inspector_key(seed, site.site_id, i.user_id), i.user_id))
        free = [i for i in ranked if (i.user_id, site.enterprise_id) not in conflicts
                and (cap is None or load[i.user_id] < cap)]
        pair = pick_pair(free)
        if pair is None:
            raise DrawError(_no_pair_message(site, len(covering), len(free), cap),
                            site.site_id)
        for user_id in pair:
            load[user_id] += 1
        result.append(Drawn(rank, site.site_id, site.stratum, pair))
    return result


def _no_pair_message(site: Candidate, covering: int, free: int, cap: int | None) -> str:
    cap_text = f" and under the workload cap of {cap}" if cap is not None else ""
    return (f"No inspector pair can be formed for site {site.site_id}: {covering} eligible "
            f"officers may inspect its region, {free} of them free of a conflict of interest "
            f"(回避){cap_text}, and a pair needs two, one of them an inspector. Add inspectors, "
            "raise the workload cap or reduce the sample.")


def run(seed: str, candidates: list[Candidate], inspectors: list[Inspector],
        conflicts: set[tuple[str, str]], mode: str, value: float,
        cap: int | None, pairing: str = JURISDICTION) -> list[Drawn]:
    """The whole draw: sites, then pairs. Raises DrawError when a pair cannot be formed."""
    sites = select_sites(seed, sorted(candidates, key=lambda c: c.site_id), mode, value)
    return assign_pairs(seed, sites, sorted(inspectors, key=lambda i: i.user_id), conflicts,
                        cap, pairing)
