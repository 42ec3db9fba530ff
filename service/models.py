"""Every feature's models, imported once so metadata (and Alembic) sees all tables."""

import service.assignments.models
import service.audit.models
import service.auth.models
import service.campaigns.models
import service.checklists.models
import service.console.models
import service.enforcement.models
import service.evaluations.models
import service.evidence.models
import service.exports.models
import service.inspections.models
import service.matters.models
import service.plans.models
import service.regions.models
import service.registry.models
import service.selfchecks.models
import service.stats.models
import service.sync.models  # noqa: F401
