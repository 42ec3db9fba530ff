from tests.access import Endpoint

ORDER = 10


def build(make, side):
    """The catalogue is national reference data, seeded: nothing to build per side."""


CASES = [
    # the same for every bureau
    Endpoint("GET", "/api/v1/matters", (), lambda s: "/api/v1/matters", other_status=200),
]
