"""Test data for photos: inspections made directly with the models, images made with Pillow,
and a phone that talks to the API and PUTs to the object store with plain HTTP."""

from __future__ import annotations

import base64
import hashlib
import io
import itertools
import uuid
from datetime import datetime, timedelta

import requests
from PIL import Image
from PIL.TiffImagePlugin import IFDRational

from service.auth.models import INSPECTOR
from service.checklists.models import ChecklistItem, ChecklistTemplate
from service.common.chinatime import CHINA
from service.db import utcnow
from service.evidence.models import COMPLETE, Photo
from service.inspections.models import Inspection

_versions = itertools.count(50_000)
#: the site every test inspection is at (宝山区), and a point 30 km away (青浦区)
SITE_POINT = (31.4056, 121.4896)
FAR_POINT = (31.1509, 121.1241)


def template(db, site_type: str = "express_outlet") -> ChecklistTemplate:
    items = [ChecklistItem(code="recycling_device", text="是否设置包装废弃物回收装置",
                           weight=50, position=1),
             ChecklistItem(code="real_name", text="是否落实实名收寄制度", weight=50, position=2)]
    found = ChecklistTemplate(site_type=site_type, version=next(_versions), title="测试检查表",
                              items=items)
    db.add(found)
    db.flush()
    return found


def inspection(make, *, region_code: str = "310113", status: str = "completed",
               started_at: datetime | None = None, finished_at: datetime | None = None,
               inspector=None) -> Inspection:
    """An inspection at a site at SITE_POINT: by default started 1 h and finished 10 min ago."""
    site = make.site(region_code=region_code, lat=SITE_POINT[0], lon=SITE_POINT[1])
    inspector = inspector or make.user(role=INSPECTOR, region_code=region_code)
    started_at = started_at or utcnow() - timedelta(hours=1)
    if finished_at is None and status != "draft":
        finished_at = utcnow() - timedelta(minutes=10)
    row = Inspection(id=uuid.uuid4(), site_id=site.id, region_code=region_code,
                     template_id=template(make.db).id, kind="routine", status=status,
                     started_at=started_at, finished_at=finished_at, lat=site.lat,
                     lon=site.lon, request_hash="0" * 64, submitted_by_id=inspector.id)
    row.inspectors.append(inspector)
    make.db.add(row)
    make.db.flush()
    return row


def photo(make, found: Inspection, *, status: str = COMPLETE, **fields) -> Photo:
    """A photo row (no object behind it) for listings and access checks."""
    photo_id = uuid.uuid4()
    row = Photo(id=photo_id, inspection_id=found.id, region_code=found.region_code,
                object_key=f"photos/{found.region_code}/{found.id}/{photo_id}.jpg",
                content_type="image/jpeg", declared_sha256="ab" * 32, size_bytes=1000,
                status=status, detected_type="image/jpeg" if status == COMPLETE else None,
                uploaded_by_id=found.submitted_by_id, **fields)
    make.db.add(row)
    make.db.flush()
    return row


def _rational(value: float) -> IFDRational:
    return IFDRational(round(value * 10_000), 10_000)


def _dms(value: float) -> tuple:
    value = abs(value)
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = (value - degrees - minutes / 60) * 3600
    return (_rational(degrees), _rational(minutes), _rational(seconds))


def exif(*, taken_at: datetime | None = None, offset: str | None = "+08:00",
         point: tuple[float, float] | None = None, datum: str | None = None) -> Image.Exif:
    """EXIF with DateTimeOriginal (written in China time) and a GPS position."""
    data = Image.Exif()
    data[0x010F], data[0x0110] = "TestMaker", "TestPhone"  # Make, Model
    if taken_at is not None:
        details = data.get_ifd(0x8769)
        details[0x9003] = taken_at.astimezone(CHINA).strftime("%Y:%m:%d %H:%M:%S")
        if offset:
            details[0x9011] = offset
    if point is not None:
        gps = data.get_ifd(0x8825)
        gps[1], gps[2] = ("N" if point[0] >= 0 else "S"), _dms(point[0])
        gps[3], gps[4] = ("E" if point[1] >= 0 else "W"), _dms(point[1])
        if datum:
            gps[0x12] = datum
    return data


def image(fmt: str = "JPEG", *, size=(640, 480), mode: str = "RGB", **exif_args) -> bytes:
    """An image in `fmt` (JPEG, PNG, WEBP, HEIF) with the given EXIF."""
    buffer = io.BytesIO()
    color = (30, 120, 200, 128) if mode == "RGBA" else (30, 120, 200)
    Image.new(mode, size, color).save(buffer, fmt, exif=exif(**exif_args).tobytes())
    return buffer.getvalue()


def taken_now(**exif_args) -> bytes:
    """A JPEG taken at the site during a default inspection (20 minutes ago)."""
    args = {"taken_at": utcnow() - timedelta(minutes=20), "point": SITE_POINT, **exif_args}
    return image(**args)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_b64(data: bytes) -> str:
    return base64.b64encode(hashlib.sha256(data).digest()).decode()


class Phone:
    """What the app on an inspector's phone does: API calls, and plain HTTP to the store."""

    def __init__(self, api):
        self.api = api
        self.http = requests.Session()
        self.http.trust_env = False  # straight to the local store, no proxy

    def create(self, inspection_id, data: bytes, *, content_type: str = "image/jpeg",
               photo_id=None, **body):
        payload = {"id": str(photo_id or uuid.uuid4()), "content_type": content_type,
                   "sha256": sha256_hex(data), "size_bytes": len(data), **body}
        return self.api.post(f"/api/v1/inspections/{inspection_id}/photos", json=payload)

    def put(self, created: dict, data: bytes, **header_changes) -> requests.Response:
        upload = created["upload"]
        assert upload["method"] == "PUT"
        headers = {**upload["headers"], **header_changes}
        return self.http.put(upload["url"], data=data, headers=headers, timeout=30)

    def complete(self, photo_id):
        return self.api.post(f"/api/v1/photos/{photo_id}/complete")

    def send(self, inspection_id, data: bytes, **create_args):
        """The whole flow: POST, PUT, complete; returns the completion's answer."""
        created = self.create(inspection_id, data, **create_args)
        assert created.status_code == 201, created.json
        assert self.put(created.json, data).status_code == 200
        return self.complete(created.json["id"])
