"""Reading image bytes: the type by magic bytes, EXIF time and GPS, whatever the phone says."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PIL import Image

from service.evidence import imaging
from tests.evidence import helpers


def _ftyp(major: bytes, *compatible: bytes) -> bytes:
    brands = b"".join(compatible)
    return (16 + len(brands)).to_bytes(4, "big") + b"ftyp" + major + b"\0\0\0\0" + brands


@pytest.mark.parametrize(("head", "expected"), [
    (b"\xff\xd8\xff\xe1....Exif", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "image/png"),
    (b"RIFF\x10\0\0\0WEBPVP8 ", "image/webp"),
    (_ftyp(b"heic", b"mif1", b"heic"), "image/heic"),
    (_ftyp(b"mif1", b"mif1", b"heic"), "image/heic"),
    (_ftyp(b"mif1", b"mif1"), "image/heif"),
    (_ftyp(b"avif", b"mif1", b"avif"), None),
    (_ftyp(b"mif1", b"mif1", b"avif"), None),
    (_ftyp(b"isom", b"mp41"), None),  # a video
    (b"%PDF-1.7\n", None),
    (b"RIFF\x10\0\0\0WAVEfmt ", None),
    (b"GIF89a", None),
    (b"", None),
])
def test_the_type_comes_from_the_first_bytes(head, expected):
    assert imaging.sniff_type(head) == expected


def test_heic_from_a_phone_library_is_read():
    data = helpers.image("HEIF", taken_at=datetime(2024, 5, 1, 2, 0, tzinfo=UTC),
                         point=helpers.SITE_POINT)
    assert imaging.sniff_type(data[:64]) == "image/heic"
    facts = imaging.read_facts(data, "image/heic")
    assert facts.taken_at == datetime(2024, 5, 1, 2, 0, tzinfo=UTC)
    assert (round(facts.lat, 6), round(facts.lon, 6)) == helpers.SITE_POINT


def test_southern_and_western_positions_are_negative():
    facts = imaging.read_facts(helpers.image(point=(-33.8688, -70.6693)), "image/jpeg")
    assert (round(facts.lat, 4), round(facts.lon, 4)) == (-33.8688, -70.6693)


def test_zero_zero_means_no_fix():
    assert imaging.read_facts(helpers.image(point=(0.0, 0.0)), "image/jpeg").lat is None


@pytest.mark.parametrize("raw", ["", "0000:00:00 00:00:00", "yesterday", "2024:13:01 10:00:00"])
def test_unreadable_times_are_no_time(raw):
    exif = Image.Exif()
    exif.get_ifd(0x8769)[0x9003] = raw
    assert imaging.exif_time(exif) is None


def test_digitized_then_file_time_stand_in_for_the_original_time():
    exif = Image.Exif()
    exif[0x0132] = "2024:05:01 10:00:00"
    assert imaging.exif_time(exif) == datetime(2024, 5, 1, 2, 0, tzinfo=UTC)
    exif.get_ifd(0x8769)[0x9004] = "2024:05:01 09:00:00"
    exif.get_ifd(0x8769)[0x9012] = "+00:00"
    assert imaging.exif_time(exif) == datetime(2024, 5, 1, 9, 0, tzinfo=UTC)


def test_malformed_gps_is_no_position():
    exif = Image.Exif()
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", "thirty-one", "E", (1, 2)
    assert imaging.exif_position(exif) == (None, None)


def test_a_thumbnail_of_a_heic_photo_is_a_jpeg():
    thumb = imaging.thumbnail_jpeg(helpers.image("HEIF", size=(800, 600)), "image/heic")
    assert thumb[:3] == b"\xff\xd8\xff"
