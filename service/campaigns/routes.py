"""Campaigns (专项行动): create, list, read."""

from __future__ import annotations

import uuid

from flask.views import MethodView

from service import db
from service.auth.models import ADMIN, SUPERVISOR
from service.campaigns import logic
from service.campaigns.schemas import (
    CampaignCreateSchema,
    CampaignPageSchema,
    CampaignQueryArgsSchema,
    CampaignSchema,
)
from service.common.access import caller, requires, scope
from service.common.api import Blueprint, version_tag

blp = Blueprint("campaigns", __name__, url_prefix="/api/v1",
                description="Campaigns (专项行动): a named period with its matters and regions, "
                            "which inspections, tasks and plans serve.")


@blp.route("/campaigns")
class Campaigns(MethodView):
    @requires()
    @blp.arguments(CampaignQueryArgsSchema, location="query")
    @blp.response(200, CampaignPageSchema)
    def get(self, args):
        """List the campaigns of your bureau and of the bureaus above it"""
        return logic.list_campaigns(db.session(), scope=scope(), **args)

    @requires(SUPERVISOR, ADMIN)
    @blp.arguments(CampaignCreateSchema, example={
        "name": "2026年“清风·实名寄递”专项行动", "region_code": "310000",
        "region_codes": ["310113", "310106"], "period_start": "2026-03-01",
        "period_end": "2026-06-30", "matter_codes": ["delivery_safety_three_systems"]})
    @blp.response(201, CampaignSchema)
    def post(self, data):
        """Create a campaign: name, period, matters and the regions it covers"""
        return logic.create_campaign(db.session(), scope=scope(), user=caller(), data=data)


@blp.route("/campaigns/<uuid:campaign_id>")
class CampaignItem(MethodView):
    @requires()
    @blp.etag
    @blp.response(200, CampaignSchema)
    def get(self, campaign_id: uuid.UUID):
        """Read a campaign"""
        campaign = logic.get_campaign(db.session(), scope=scope(), campaign_id=campaign_id)
        blp.set_etag(version_tag(campaign))
        return campaign
