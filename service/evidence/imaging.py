"""What a photo's bytes really are: magic bytes, EXIF time and GPS, and thumbnails (Pillow).

Nothing here trusts what the phone declared; everything reads the bytes.
"""

from __future__ import annotations

import contextlib
import io
import math
import struct
from dataclasses import dataclass
from datetime import UTC, datetime

import pillow_heif
from PIL import Image, ImageOps, UnidentifiedImageError

from service.common.chinatime import CHINA
from service.common.geo import in_china, to_wgs84

pillow_heif.register_heif_opener()

#: the ranged read at completion: a JPEG's EXIF (APP1, ≤ 64 KiB) comes before its pixels
PREFIX_BYTES = 256 * 1024
THUMBNAIL_BOX = (320, 320)

_HEIC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs"}
_HEIF_BRANDS = {b"mif1", b"msf1"}
#: Pillow's format name for each type, so a file is parsed only as what its bytes say
PILLOW_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP",
                  "image/heic": "HEIF", "image/heif": "HEIF"}
#: what Pillow and pillow-heif raise on bytes they cannot read (untrusted input)
DECODE_ERRORS = (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError,
                 RuntimeError, struct.error, IndexError, KeyError, TypeError,
                 Image.DecompressionBombError)
_TAG_ERRORS = (ValueError, TypeError, ZeroDivisionError, KeyError, IndexError, AttributeError,
               OverflowError, struct.error)


class NotAnImage(Exception):
    """The bytes are not a readable JPEG, PNG, HEIC/HEIF or WebP image."""


@dataclass
class ImageFacts:
    width: int
    height: int
    taken_at: datetime | None
    lat: float | None
    lon: float | None


def sniff_type(head: bytes) -> str | None:
    """The image type the first bytes announce (JPEG, PNG, WebP, HEIC/HEIF), else None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:8] == b"ftyp":
        return _heif_type(head)
    return None


def _heif_type(head: bytes) -> str | None:
    major = head[8:12]
    box_size = int.from_bytes(head[0:4], "big")
    compatible = {head[i:i + 4] for i in range(16, min(box_size, len(head)) - 3, 4)}
    if major in _HEIC_BRANDS:
        return "image/heic"
    if major in _HEIF_BRANDS and not compatible & {b"avif", b"avis"}:
        return "image/heic" if compatible & _HEIC_BRANDS else "image/heif"
    return None


def read_facts(data: bytes, image_type: str) -> ImageFacts:
    """Pixel size, EXIF time and GPS; NotAnImage when Pillow cannot read the header."""
    try:
        with Image.open(io.BytesIO(data), formats=[PILLOW_FORMATS[image_type]]) as image:
            width, height = image.size
            exif = _exif_of(image)
    except DECODE_ERRORS as exc:
        raise NotAnImage(str(exc) or type(exc).__name__) from exc
    lat, lon = exif_position(exif)
    return ImageFacts(width, height, exif_time(exif), lat, lon)


def _exif_of(image: Image.Image) -> Image.Exif:
    """The image's EXIF; empty when it is malformed (a broken tag is no reason to reject)."""
    try:
        return image.getexif()
    except DECODE_ERRORS:
        return Image.Exif()


def exif_time(exif: Image.Exif) -> datetime | None:
    """DateTimeOriginal (else Digitized, else DateTime) with its offset tag, as aware UTC."""
    try:
        details = exif.get_ifd(0x8769)
        for time_tag, offset_tag, source in ((0x9003, 0x9011, details),
                                             (0x9004, 0x9012, details),
                                             (0x0132, 0x9010, exif)):
            taken = _parse_time(source.get(time_tag), details.get(offset_tag))
            if taken is not None:
                return taken
    except _TAG_ERRORS:
        pass
    return None


def _text(value) -> str | None:
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    return value.strip("\x00 ") if isinstance(value, str) else None


def _parse_time(raw, offset) -> datetime | None:
    raw, offset = _text(raw), _text(offset)
    if not raw:
        return None
    try:
        local = datetime.strptime(raw[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    zone = CHINA  # EXIF without an offset: the phone's clock, in China time
    if offset:
        with contextlib.suppress(ValueError):
            zone = datetime.strptime(offset, "%z").tzinfo
    return local.replace(tzinfo=zone).astimezone(UTC)


def exif_position(exif: Image.Exif) -> tuple[float | None, float | None]:
    """GPS latitude/longitude as WGS-84 (a GCJ-02/BD-09 GPSMapDatum is converted)."""
    try:
        gps = exif.get_ifd(0x8825)
        lat = _degrees(gps.get(2), _text(gps.get(1)), "S")
        lon = _degrees(gps.get(4), _text(gps.get(3)), "W")
        datum = (_text(gps.get(0x12)) or "").upper().replace("-", "")
    except _TAG_ERRORS:
        return None, None
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None, None
    if lat == 0 and lon == 0:  # some cameras write zeros when they had no fix
        return None, None
    if ("GCJ" in datum or "BD09" in datum) and in_china(lat, lon):
        return to_wgs84(lat, lon, "gcj02" if "GCJ" in datum else "bd09")
    return lat, lon  # a Chinese datum claimed outside China can only be WGS-84 mislabelled


def _degrees(dms, ref: str | None, negative_ref: str) -> float | None:
    if not dms or len(dms) != 3:
        return None
    value = float(dms[0]) + float(dms[1]) / 60 + float(dms[2]) / 3600
    if not math.isfinite(value):
        return None
    return -value if (ref or "").upper() == negative_ref else value


def thumbnail_jpeg(data: bytes, image_type: str) -> bytes:
    """A JPEG at most 320×320, upright (EXIF orientation applied), on white if transparent."""
    with Image.open(io.BytesIO(data), formats=[PILLOW_FORMATS[image_type]]) as image:
        image.draft("RGB", THUMBNAIL_BOX)  # JPEG decodes at a reduced scale: fast, small
        upright = ImageOps.exif_transpose(image)
        upright.thumbnail(THUMBNAIL_BOX)
        if upright.mode in ("RGBA", "LA", "P", "PA"):
            rgba = upright.convert("RGBA")
            upright = Image.new("RGB", rgba.size, "white")
            upright.paste(rgba, mask=rgba.getchannel("A"))
        out = io.BytesIO()
        upright.convert("RGB").save(out, "JPEG", quality=80, optimize=True)
    return out.getvalue()
