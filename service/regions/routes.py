"""Regions (行政区划): children, look-up, subtree; admins add towns and set urban flags."""

from __future__ import annotations

from flask.views import MethodView

from service import db
from service.common.access import ADMIN, requires, scope
from service.common.api import Blueprint, version_tag
from service.common.pagination import PageArgsSchema
from service.regions import logic
from service.regions.schemas import (
    RegionCreateSchema,
    RegionDetailSchema,
    RegionPageSchema,
    RegionQueryArgsSchema,
    RegionSchema,
    RegionUpdateSchema,
)

blp = Blueprint(
    "regions", __name__, url_prefix="/api/v1/regions",
    description="Administrative divisions (行政区划, GB/T 2260), limited to your jurisdiction.",
)


@blp.route("")
class Regions(MethodView):
    @requires()
    @blp.arguments(RegionQueryArgsSchema, location="query")
    @blp.response(200, RegionPageSchema)
    @blp.operation_id("listRegions")
    def get(self, args):
        """List the children of a region

        Without `parent`, the children of your own administration's region.
        """
        parent = args.pop("parent") or scope()
        return logic.list_children(db.session(), scope=scope(), parent=parent, **args)

    @requires(ADMIN)
    @blp.arguments(RegionCreateSchema, example={"code": "310113001", "name": "友谊路街道"})
    @blp.response(201, RegionSchema)
    @blp.operation_id("createRegion")
    def post(self, data):
        """Add a town or village below a district

        For village-level coverage; the GB/T 2260 list itself stops at counties.
        Sending the same code and name again answers the same region.
        """
        return logic.create_local_region(db.session(), scope=scope(), data=data)


@blp.route("/<code>")
class RegionItem(MethodView):
    @requires()
    @blp.etag
    @blp.response(200, RegionDetailSchema)
    @blp.operation_id("getRegion")
    def get(self, code):
        """Look up a region by code"""
        session = db.session()
        region = logic.get_region(session, scope=scope(), code=code)
        blp.set_etag(version_tag(region))
        region.path = logic.ancestors(session, region)
        return region

    @requires(ADMIN)
    @blp.etag
    @blp.arguments(RegionUpdateSchema, example={"urban": False})
    @blp.response(200, RegionSchema)
    @blp.operation_id("updateRegion")
    def patch(self, data, code):
        """Correct a region's name or urban/rural flag (needs If-Match)"""
        region = logic.get_region(db.session(), scope=scope(), code=code)
        blp.check_etag(version_tag(region))
        region = logic.update_region(db.session(), region=region, data=data)
        blp.set_etag(version_tag(region))
        return region


@blp.route("/<code>/subtree")
class RegionSubtree(MethodView):
    @requires()
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, RegionPageSchema)
    @blp.operation_id("getRegionSubtree")
    def get(self, args, code):
        """Resolve a region's subtree: the region and every region below it"""
        return logic.list_subtree(db.session(), scope=scope(), code=code, **args)
