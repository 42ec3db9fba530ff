from tests.access import Endpoint

ORDER = 70


def build(make, side):
    side.sync_site = make.site(region_code=side.region)


CASES = [
    Endpoint("GET", "/api/v1/sync/changes", (), lambda s: "/api/v1/sync/changes?limit=500",
             listed=lambda s: str(s.sync_site.id), other_status=200),
]
