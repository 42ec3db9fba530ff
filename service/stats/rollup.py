"""Subtotals up the region tree, in SQL.

Every figure is first counted per district (the first six digits of the site's region code,
so towns and villages count in their district). A district's counts then also count for its
city (PPCC00), province (PP0000) and the nation (000000): one UNION ALL lists each base row
under each of its ancestors, and a GROUP BY sums them. Ancestor codes that are not regions
(a municipality has no city code: 310113 lies directly in 310000) drop out at the join with
`regions`. Counts of sites add up because a site lies in one district.
"""

from __future__ import annotations

from sqlalchemy import Select, String, func, literal, literal_column, select, union_all

from service.common.regions import NATIONAL_CODE
from service.regions.models import Region
from service.registry.models import Site

DISTRICT_DIGITS = 6


def substr(column, start: int, length: int):
    """SQL substr with the numbers written inline, so that a GROUP BY on it is the very same
    expression as the SELECT's (PostgreSQL compares expressions, and bound parameters
    differ)."""
    return func.substr(column, literal_column(str(start)), literal_column(str(length)),
                       type_=String)


def district_of(column):
    """SQL: the district (six-digit) code of a region code column."""
    return substr(column, 1, DISTRICT_DIGITS)


def site_district():
    return district_of(Site.region_code)


def rolled_up(base: Select, *, keys: list[str], sums: list[str],
              all_key: tuple[str, str] | None = None) -> Select:
    """Sum `base` (columns region, *keys, *sums) into every region above it.

    With `all_key=(key, label)` it adds, per region, one more row summing over that key
    (e.g. site_type "all").
    """
    rows = base.cte("base_rows")
    region = rows.c.region
    ancestors = [
        select(region.label("code"), *[rows.c[k] for k in keys], *[rows.c[s] for s in sums]),
        select((substr(region, 1, 4) + "00").label("code"), *_rest(rows, keys, sums))
        .where(substr(region, 5, 2) != "00"),
        select((substr(region, 1, 2) + "0000").label("code"), *_rest(rows, keys, sums))
        .where(substr(region, 3, 4) != "0000"),
        select(literal(NATIONAL_CODE).label("code"), *_rest(rows, keys, sums))
        .where(region != NATIONAL_CODE),
    ]
    tree = union_all(*ancestors).cte("tree_rows")
    grouped = _grouped(tree, keys, sums)
    if all_key is None:
        return grouped
    key, label = all_key
    overall = _grouped(tree, keys, sums, constants={key: literal(label)})
    return union_all(grouped, overall)


def _rest(rows, keys, sums):
    return [*[rows.c[k] for k in keys], *[rows.c[s] for s in sums]]


def _grouped(tree, keys: list[str], sums: list[str], constants: dict | None = None) -> Select:
    """GROUP BY region and keys; a key given in `constants` is that value, not grouped."""
    constants = constants or {}
    group = [tree.c.code, Region.level, *[tree.c[k] for k in keys if k not in constants]]
    labelled = [constants[k].label(k) if k in constants else tree.c[k] for k in keys]
    return (select(tree.c.code.label("region_code"), Region.level.label("region_level"),
                   *labelled, *[func.sum(tree.c[s]).label(s) for s in sums])
            .join(Region, Region.code == tree.c.code)
            .group_by(*group))
