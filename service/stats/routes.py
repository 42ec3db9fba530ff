"""The figures bureaus report (统计): coverage rates, monthly statistics, the coverage gap."""

from __future__ import annotations

from flask import current_app
from flask.views import MethodView

from service import db
from service.common.access import ADMIN, ANALYST, LEGAL_REVIEWER, SUPERVISOR, requires, scope
from service.common.api import Blueprint
from service.db import utcnow
from service.stats import gap, logic, reports
from service.stats.compute import targets_from
from service.stats.schemas import (
    CoverageQueryArgsSchema,
    CoverageReportSchema,
    GapPageSchema,
    GapQueryArgsSchema,
    GapSummaryQueryArgsSchema,
    GapSummarySchema,
    MonthlyQueryArgsSchema,
    MonthlyReportSchema,
    MonthlyTrendQueryArgsSchema,
    MonthlyTrendSchema,
    RecomputeRequestSchema,
    RecomputeSchema,
)

blp = Blueprint(
    "stats", __name__, url_prefix="/api/v1",
    description="The figures bureaus report: coverage rates (覆盖率) and monthly statistics "
                "(月度执法统计) from snapshots the workers compute, with subtotals up the region "
                "tree, and the sites still to inspect (the coverage gap).",
)
READERS = (ANALYST, SUPERVISOR, ADMIN, LEGAL_REVIEWER)
PLANNERS = (SUPERVISOR, ANALYST, ADMIN)


@blp.route("/stats/coverage")
class Coverage(MethodView):
    @requires(*READERS)
    @blp.arguments(CoverageQueryArgsSchema, location="query")
    @blp.response(200, CoverageReportSchema)
    def get(self, args):
        """Coverage rates of a region and the regions directly below it, for a period

        Each rate per site type and over all types, with its target and whether it is met;
        a rate whose denominator is 0 has no value (null).
        """
        targets = targets_from(current_app.config["SETTINGS"])
        return reports.coverage_report(db.session(), scope=scope(), targets=targets, **args)


@blp.route("/stats/monthly")
class Monthly(MethodView):
    @requires(*READERS)
    @blp.arguments(MonthlyQueryArgsSchema, location="query")
    @blp.response(200, MonthlyReportSchema)
    def get(self, args):
        """Monthly statistics (月度执法统计) of a region (subtotal) and the regions below it

        With `campaign_id`: the campaign's figures (专项行动), counted over what carries it.
        """
        return reports.monthly_report(db.session(), scope=scope(), now=utcnow(), **args)


@blp.route("/stats/monthly/trend")
class MonthlyTrend(MethodView):
    @requires(*READERS)
    @blp.arguments(MonthlyTrendQueryArgsSchema, location="query")
    @blp.response(200, MonthlyTrendSchema)
    def get(self, args):
        """A region's monthly statistics over the 12 months ending with `month`"""
        return reports.monthly_trend(db.session(), scope=scope(), **args)


@blp.route("/stats/gap")
class Gap(MethodView):
    @requires(*PLANNERS)
    @blp.arguments(GapQueryArgsSchema, location="query")
    @blp.response(200, GapPageSchema)
    def get(self, args):
        """Sites not yet inspected in a period (what to do next), by district and type"""
        return gap.gap_sites(db.session(), scope=scope(), **args)


@blp.route("/stats/gap/summary")
class GapSummary(MethodView):
    @requires(*PLANNERS)
    @blp.arguments(GapSummaryQueryArgsSchema, location="query")
    @blp.response(200, GapSummarySchema)
    def get(self, args):
        """How many sites are still to inspect in a period, per district and type"""
        return gap.gap_summary(db.session(), scope=scope(), **args)


@blp.route("/stats/recompute")
class Recompute(MethodView):
    @requires(ANALYST, ADMIN)
    @blp.arguments(RecomputeRequestSchema, example={"period": "2026-11"})
    @blp.response(202, RecomputeSchema)
    def post(self, data):
        """Ask a worker to recompute a period's snapshot now (otherwise nightly)"""
        return logic.request_recompute(db.session(), **data)
