"""The registry (名录库): enterprises and sites, their file imports and the nearby search."""

from __future__ import annotations

import uuid

import marshmallow as ma
from flask import current_app
from flask.views import MethodView

from service import db
from service.common import uploads
from service.common.access import ADMIN, INSPECTOR, SUPERVISOR, caller, requires, scope
from service.common.api import Blueprint, version_tag
from service.common.bodies import body_limit
from service.registry import importing, logic, nearby, sites
from service.registry.models import SITE_SUSPENDED
from service.registry.schemas import (
    EnterpriseCreateSchema,
    EnterpriseImportSchema,
    EnterprisePageSchema,
    EnterpriseQueryArgsSchema,
    EnterpriseSchema,
    EnterpriseUpdateSchema,
    ImportResultSchema,
    NearbyQueryArgsSchema,
    NearbySchema,
    SiteCloseSchema,
    SiteCreateSchema,
    SiteImportSchema,
    SitePageSchema,
    SiteQueryArgsSchema,
    SiteSchema,
    SiteUpdateSchema,
    UnregisteredTerminalSchema,
)

blp = Blueprint("registry", __name__, url_prefix="/api/v1",
                description="The registry (检查对象名录库): enterprises and sites.")

SITE_EXAMPLE = {
    "code": "BS-KD-0001", "name": "顺丰速运宝山友谊路营业部", "site_type": "express_outlet",
    "address": "上海市宝山区友谊路100号", "region_code": "310113",
    "location": {"lat": 31.4037, "lon": 121.4941, "crs": "gcj02"},
    "enterprise_id": "5b0c6a8e-8d7c-4f0a-9a55-1f6f3f1d2e01", "opened_on": "2021-06-01",
}


def _read(upload: dict) -> tuple[str, bytes]:
    return uploads.read_upload(upload, importing.MAX_IMPORT_BYTES)


# --- enterprises ------------------------------------------------------------------------

@blp.route("/enterprises")
class Enterprises(MethodView):
    @requires()
    @blp.arguments(EnterpriseQueryArgsSchema, location="query")
    @blp.response(200, EnterprisePageSchema)
    @blp.operation_id("listEnterprises")
    def get(self, args):
        """List enterprises (寄递企业) registered in or above your jurisdiction"""
        return logic.list_enterprises(db.session(), scope=scope(), **args)

    @requires(ADMIN)
    @blp.arguments(EnterpriseCreateSchema, example={
        "name": "上海顺丰速运有限公司", "brand": "顺丰", "uscc": "91310000MA1FL8TQ5C",
        "licence_number": "沪邮2009001", "is_major_brand": True, "region_code": "310000"})
    @blp.response(201, EnterpriseSchema)
    @blp.operation_id("createEnterprise")
    def post(self, data):
        """Add an enterprise registered in your jurisdiction

        The unified social credit code (统一社会信用代码) is checked (GB 32100) and unique.
        With a client-made `id`, a retry with the same body answers 201 again and creates
        nothing; the same id with another body is 409.
        """
        return logic.create_enterprise(db.session(), scope=scope(), data=data)


@blp.route("/enterprises/import")
class EnterpriseImport(MethodView):
    @requires(ADMIN)
    @body_limit(importing.MAX_IMPORT_BYTES + uploads.MULTIPART_OVERHEAD)
    @blp.arguments(EnterpriseImportSchema, location="files", unknown=ma.RAISE)
    @blp.response(201, ImportResultSchema)
    @blp.alt_response(413, description="The file is larger than 5 MiB.")
    @blp.alt_response(415, description="Neither .xlsx nor .csv.")
    @blp.operation_id("importEnterprises")
    def post(self, upload):
        """Import enterprises from an .xlsx or .csv file, all or nothing

        Columns: 企业名称, 品牌, 统一社会信用代码, 许可证号, 主要品牌, 行政区划代码 (or the
        API's field names). A file with any bad row imports nothing: the 422 lists every bad
        row and field. Uploading the same file again answers the first import's result.
        """
        filename, content = _read(upload)
        return importing.import_enterprises(db.session(), scope=scope(), user_id=caller().id,
                                            filename=filename, content=content)


@blp.route("/enterprises/<uuid:enterprise_id>")
class EnterpriseItem(MethodView):
    @requires()
    @blp.etag
    @blp.response(200, EnterpriseSchema)
    @blp.operation_id("getEnterprise")
    def get(self, enterprise_id: uuid.UUID):
        """Read an enterprise"""
        enterprise = logic.get_enterprise(db.session(), scope=scope(),
                                          enterprise_id=enterprise_id)
        blp.set_etag(version_tag(enterprise))
        return enterprise

    @requires(ADMIN)
    @blp.etag
    @blp.arguments(EnterpriseUpdateSchema, example={"is_major_brand": True})
    @blp.response(200, EnterpriseSchema)
    @blp.operation_id("updateEnterprise")
    def patch(self, data, enterprise_id: uuid.UUID):
        """Change an enterprise registered in your jurisdiction (needs If-Match)"""
        session = db.session()
        enterprise = logic.get_enterprise(session, scope=scope(), enterprise_id=enterprise_id)
        blp.check_etag(version_tag(enterprise))
        enterprise = logic.update_enterprise(session, scope=scope(), enterprise=enterprise,
                                             data=data)
        blp.set_etag(version_tag(enterprise))
        return enterprise


# --- sites ------------------------------------------------------------------------------

@blp.route("/sites")
class Sites(MethodView):
    @requires()
    @blp.arguments(SiteQueryArgsSchema, location="query")
    @blp.response(200, SitePageSchema)
    @blp.operation_id("listSites")
    def get(self, args):
        """List sites of your jurisdiction, closed ones included unless filtered"""
        with db.reading() as connection:  # Core rows, no ORM session
            return sites.list_sites(connection, scope=scope(), **args)

    @requires(ADMIN)
    @blp.arguments(SiteCreateSchema, example=SITE_EXAMPLE)
    @blp.response(201, SiteSchema)
    @blp.operation_id("createSite")
    def post(self, data):
        """Add a site to the registry

        `location` may be WGS-84, GCJ-02 or BD-09 (`crs`); it is stored and answered as
        WGS-84. Each site type has its rules (docs/registry.md): a postal outlet needs
        `outlet_operator` and `outlet_location`, an express terminal its
        `registration_status` (registered with number and date), a parcel locker
        `cell_count`, a publication point `host_site_id` (工作点: a postal outlet; 工作站: a
        major brand's outlet or sorting centre). `urban` defaults to the region's flag. With
        a client-made `id`, a retry with the same body answers 201 again and creates nothing.
        """
        return sites.create_site(db.session(), scope=scope(), data=data)


@blp.route("/sites/unregistered-terminals")
class UnregisteredTerminals(MethodView):
    @requires(INSPECTOR, SUPERVISOR, ADMIN)
    @blp.arguments(UnregisteredTerminalSchema, example={
        "id": "2b0c4a1e-8f3d-4c6b-9a7e-5d1f0e2c3b4a", "name": "无名快递代收点（友谊路）",
        "address": "上海市宝山区友谊路88号", "region_code": "310113",
        "location": {"lat": 31.4051, "lon": 121.4902, "crs": "gcj02"},
        "found_on": "2026-03-02"})
    @blp.response(201, SiteSchema)
    def post(self, data):
        """Record an express terminal found operating without registration (未备案)

        From the field (末端网点清理整顿): it joins the registry as an `express_terminal` with
        `registration_status: unregistered`, so it can be inspected, then registered or
        closed. With a client-made `id`, a retry with the same body answers the same site.
        """
        return sites.record_unregistered_terminal(db.session(), scope=scope(), data=data)


@blp.route("/sites/nearby")
class SitesNearby(MethodView):
    @requires()
    @blp.arguments(NearbyQueryArgsSchema, location="query")
    @blp.response(200, NearbySchema)
    @blp.operation_id("listNearbySites")
    def get(self, args):
        """Sites near a point, nearest first, each with its distance

        The point may be given in any `crs`; distances are geodesic on WGS-84. Closed sites
        are left out unless `include_closed=true`. `radius_m` is at most NEARBY_MAX_RADIUS_M.
        """
        args.pop("crs")  # the schema has turned the point into WGS-84
        settings = current_app.config["SETTINGS"]
        with db.reading() as connection:  # Core rows, no ORM session
            return nearby.find_nearby(connection, scope=scope(),
                                      max_radius_m=settings.nearby_max_radius_m, **args)


@blp.route("/sites/import")
class SiteImport(MethodView):
    @requires(ADMIN)
    @body_limit(importing.MAX_IMPORT_BYTES + uploads.MULTIPART_OVERHEAD)
    @blp.arguments(SiteImportSchema, location="files", unknown=ma.RAISE)
    @blp.response(201, ImportResultSchema)
    @blp.alt_response(413, description="The file is larger than 5 MiB.")
    @blp.alt_response(415, description="Neither .xlsx nor .csv.")
    @blp.operation_id("importSites")
    def post(self, upload):
        """Import sites from an .xlsx or .csv file, all or nothing

        Chinese headers as bureaus keep them (网点名称, 网点类型, 地址, 行政区划代码, 纬度, 经度,
        坐标系, 企业统一社会信用代码, 开业日期 …) or the API's field names; see
        docs/registry.md. A file with any bad row imports nothing: the 422 lists every bad
        row and field. Uploading the same file again answers the first import's result.
        """
        filename, content = _read(upload)
        return importing.import_sites(db.session(), scope=scope(), user_id=caller().id,
                                      filename=filename, content=content, crs=upload["crs"])


@blp.route("/sites/<uuid:site_id>")
class SiteItem(MethodView):
    @requires()
    @blp.etag
    @blp.response(200, SiteSchema)
    @blp.operation_id("getSite")
    def get(self, site_id: uuid.UUID):
        """Read a site of your jurisdiction, or one your open cross-district task names"""
        site = sites.read_site(db.session(), scope=scope(), site_id=site_id)
        blp.set_etag(version_tag(site))
        return site

    @requires(ADMIN)
    @blp.etag
    @blp.arguments(SiteUpdateSchema, example={"status": SITE_SUSPENDED})
    @blp.response(200, SiteSchema)
    @blp.operation_id("updateSite")
    def patch(self, data, site_id: uuid.UUID):
        """Correct a site, or suspend (停业整顿) and reactivate it (needs If-Match)"""
        session = db.session()
        site = sites.get_site(session, scope=scope(), site_id=site_id)
        blp.check_etag(version_tag(site))
        site = sites.update_site(session, scope=scope(), site=site, data=data)
        blp.set_etag(version_tag(site))
        return site


@blp.route("/sites/<uuid:site_id>/close")
class SiteClose(MethodView):
    @requires(ADMIN)
    @blp.etag
    @blp.arguments(SiteCloseSchema, example={"closed_on": "2026-03-31",
                                             "reason": "经营者申请注销"})
    @blp.response(200, SiteSchema)
    @blp.operation_id("closeSite")
    def post(self, data, site_id: uuid.UUID):
        """Close a site: kept in the registry with its closing day, never deleted

        Closing again with the same day answers the same; another day is 409.
        """
        site = sites.close_site(db.session(), scope=scope(), site_id=site_id,
                                closed_on=data["closed_on"], reason=data["reason"])
        blp.set_etag(version_tag(site))
        return site
