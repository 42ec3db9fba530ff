"""Every feature's models, imported once so metadata (and Alembic) sees all tables."""

from service.auth.models import User  # noqa: F401
from service.regions.models import Region  # noqa: F401
from service.registry.models import Enterprise, Site  # noqa: F401
