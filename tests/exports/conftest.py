"""The edge-case world (tests/stats/world.py), exported here."""

from tests.stats.world import computed, world  # noqa: F401
