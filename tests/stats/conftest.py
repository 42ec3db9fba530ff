"""The edge-case world (tests/stats/world.py) for the statistics tests."""

from tests.stats.casework_world import casework, casework_computed  # noqa: F401
from tests.stats.world import computed, world  # noqa: F401
from tests.workers.redis_worker import redis_celery  # noqa: F401
