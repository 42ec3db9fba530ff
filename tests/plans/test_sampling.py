"""How many sites a plan draws, overall and per stratum (district or site type)."""

from __future__ import annotations

from collections import Counter

from tests.plans import factories
from tests.plans.conftest import BAOSHAN, JINGAN, QINGPU


def _districts(make, sizes: dict[str, int]) -> dict[str, str]:
    """Sites per district, with enough inspectors in each; site id -> district."""
    where = {}
    for district, count in sizes.items():
        for site in factories.sites(make, district, count):
            where[str(site.id)] = district
        factories.inspectors(make, district, 6)
    return where


def _per_district(drawn: dict, where: dict[str, str]) -> dict[str, int]:
    return dict(Counter(where[s["site_id"]] for s in drawn["drawn_sites"]))


def test_a_stratified_ratio_takes_its_share_of_every_district(make, api):
    where = _districts(make, {BAOSHAN: 10, JINGAN: 20, QINGPU: 30})
    drawn = factories.drawn(api, region_code="310000", stratify_by="district",
                            sample_value=0.2)
    assert _per_district(drawn, where) == {BAOSHAN: 2, JINGAN: 4, QINGPU: 6}
    assert {s["stratum"] for s in drawn["drawn_sites"]} == {BAOSHAN, JINGAN, QINGPU}
    strata = api.get(f"/api/v1/plans/{drawn['id']}/verification").json["strata"]
    assert strata == [{"stratum": JINGAN, "candidates": 20, "quota": 4},
                      {"stratum": BAOSHAN, "candidates": 10, "quota": 2},
                      {"stratum": QINGPU, "candidates": 30, "quota": 6}]


def test_a_stratified_count_is_split_by_largest_remainders(make, api):
    where = _districts(make, {BAOSHAN: 10, JINGAN: 20, QINGPU: 30})
    drawn = factories.drawn(api, region_code="310000", stratify_by="district",
                            sample_mode="count", sample_value=10)
    # 10 × 10/60 = 1.67, 10 × 20/60 = 3.33, 10 × 30/60 = 5: the spare seat goes to 宝山
    assert _per_district(drawn, where) == {BAOSHAN: 2, JINGAN: 3, QINGPU: 5}


def test_a_ratio_rounds_half_up(make, api):
    factories.sites(make, BAOSHAN, 10)
    factories.inspectors(make, BAOSHAN, 4)
    drawn = factories.drawn(api, sample_value=0.25)  # 2.5 sites
    assert len(drawn["drawn_sites"]) == 3


def test_a_count_larger_than_the_candidates_takes_them_all(make, api):
    factories.sites(make, BAOSHAN, 3)
    factories.inspectors(make, BAOSHAN, 4)
    drawn = factories.drawn(api, sample_mode="count", sample_value=50)
    assert len(drawn["drawn_sites"]) == 3


def test_stratifying_by_site_type(make, api):
    factories.sites(make, BAOSHAN, 4, site_type="express_outlet")
    factories.sites(make, BAOSHAN, 6, site_type="express_terminal")
    factories.inspectors(make, BAOSHAN, 6)
    drawn = factories.drawn(api, site_types=["express_outlet", "express_terminal"],
                            stratify_by="site_type", sample_value=0.5,
                            matter_codes=["packaging_management"])
    assert Counter(s["stratum"] for s in drawn["drawn_sites"]) == {
        "express_outlet": 2, "express_terminal": 3}
