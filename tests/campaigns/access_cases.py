from service.auth.models import ADMIN, SUPERVISOR
from tests.access import Endpoint
from tests.campaigns import factories

ORDER = 20


def build(make, side):
    side.campaign = factories.campaign(make, side.region)


CASES = [
    Endpoint("GET", "/api/v1/campaigns", (), lambda s: "/api/v1/campaigns?limit=500",
             listed=lambda s: str(s.campaign.id), other_status=200),
    Endpoint("POST", "/api/v1/campaigns", (SUPERVISOR, ADMIN), lambda s: "/api/v1/campaigns",
             body=lambda s: factories.campaign_body(region_code=s.region,
                                                    region_codes=[s.region]),
             ok=201, other_status=422),
    Endpoint("GET", "/api/v1/campaigns/<uuid:campaign_id>", (),
             lambda s: f"/api/v1/campaigns/{s.campaign.id}"),
]
