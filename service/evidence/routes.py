"""Photos (检查照片): upload URLs, completion checks, downloads, clean-up listing."""

from __future__ import annotations

from flask import current_app
from flask.views import MethodView

from service import db
from service.common.access import ADMIN, INSPECTOR, caller, requires, scope
from service.common.api import Blueprint
from service.common.pagination import PageArgsSchema
from service.db import utcnow
from service.evidence import completion, logic
from service.evidence.schemas import (
    EXAMPLE_SHA256,
    PhotoCreatedSchema,
    PhotoCreateSchema,
    PhotoPageSchema,
    PhotoQueryArgsSchema,
    PhotoSchema,
    SignedUrlSchema,
)

blp = Blueprint(
    "evidence", __name__, url_prefix="/api/v1",
    description="Photos taken as evidence (检查照片). Phones PUT the bytes straight to object "
                "storage through presigned URLs; the API checks them at completion.",
)


def _store():
    return current_app.extensions["object_store"]


def _settings():
    return current_app.config["SETTINGS"]


@blp.route("/inspections/<uuid:inspection_id>/photos")
class InspectionPhotos(MethodView):
    @requires()
    @blp.arguments(PhotoQueryArgsSchema, location="query")
    @blp.response(200, PhotoPageSchema)
    @blp.operation_id("listInspectionPhotos")
    def get(self, args, inspection_id):
        """List an inspection's photos"""
        return logic.list_photos(db.session(), scope=scope(), inspection_id=inspection_id,
                                 **args)

    @requires(INSPECTOR)
    @blp.arguments(PhotoCreateSchema, example={
        "id": "6f1c2a3e-9b7d-4c55-8a0e-2f4b6d8c1e90", "content_type": "image/jpeg",
        "sha256": EXAMPLE_SHA256, "size_bytes": 2483111, "item_code": "recycling_device"})
    @blp.response(201, PhotoCreatedSchema)
    @blp.operation_id("createPhoto")
    def post(self, data, inspection_id):
        """Add a photo to an inspection and get its upload URL

        PUT the bytes to `upload.url` with exactly `upload.headers`, then
        `POST /api/v1/photos/{id}/complete`. Draft and completed inspections take photos;
        voided ones answer 409. Sending the same id and body again answers the same photo
        with a fresh URL.
        """
        return logic.create_photo(db.session(), _store(), scope=scope(), user_id=caller().id,
                                  settings=_settings(), inspection_id=inspection_id, data=data)


@blp.route("/photos/<uuid:photo_id>/complete")
class PhotoComplete(MethodView):
    @requires(INSPECTOR)
    @blp.response(200, PhotoSchema)
    @blp.operation_id("completePhoto")
    def post(self, photo_id):
        """Complete a photo after uploading it

        Checks the stored object: present (else 409, retry later), within the size limit
        (413), the declared SHA-256, and an image by its bytes (JPEG, PNG, HEIC/HEIF, WebP;
        else 422 naming `file`). Reads EXIF time and GPS and flags a photo taken outside
        the inspection window or away from the site. A rejected photo stays rejected;
        completing again answers the same.
        """
        return completion.complete_photo(db.session(), _store(), scope=scope(),
                                         settings=_settings(), user_id=caller().id,
                                         photo_id=photo_id)


@blp.route("/photos/<uuid:photo_id>")
class PhotoItem(MethodView):
    @requires()
    @blp.response(200, PhotoSchema)
    @blp.operation_id("getPhoto")
    def get(self, photo_id):
        """Look up a photo"""
        return logic.get_photo(db.session(), scope=scope(), photo_id=photo_id)


@blp.route("/photos/<uuid:photo_id>/download")
class PhotoDownload(MethodView):
    @requires()
    @blp.response(200, SignedUrlSchema)
    @blp.operation_id("getPhotoDownload")
    def get(self, photo_id):
        """Get a short-lived download URL of a completed photo"""
        return logic.download_url(db.session(), _store(), scope=scope(), settings=_settings(),
                                  photo_id=photo_id)


@blp.route("/photos/<uuid:photo_id>/thumbnail")
class PhotoThumbnail(MethodView):
    @requires()
    @blp.response(200, SignedUrlSchema)
    @blp.operation_id("getPhotoThumbnail")
    def get(self, photo_id):
        """Get a short-lived download URL of a photo's thumbnail (JPEG, ≤ 320 px)"""
        return logic.thumbnail_url(db.session(), _store(), scope=scope(), settings=_settings(),
                                   photo_id=photo_id)


@blp.route("/photos/abandoned")
class AbandonedPhotos(MethodView):
    @requires(ADMIN)
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, PhotoPageSchema)
    @blp.operation_id("listAbandonedPhotos")
    def get(self, args):
        """List photos never completed within the grace period (clean-up candidates)"""
        return logic.list_abandoned(db.session(), scope=scope(), now=utcnow(),
                                    grace_hours=_settings().photo_cleanup_grace_hours, **args)
