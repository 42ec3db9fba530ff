"""The edge-case world (tests/stats/world.py) and the enforcement tests' people and
catalogue, used here."""

from tests.enforcement.conftest import apis, catalogue, people  # noqa: F401
from tests.stats.world import computed, world  # noqa: F401
