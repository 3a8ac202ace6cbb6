"""R4.1/R4.3: what an uploaded file really is, its photo dimensions, EXIF stripped."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from tests.unit.test_registration_rules import HUNAN
from zhaokao.domain.documents import inspect_document, inspect_photo

PHOTO = HUNAN.policy.photo
DOCUMENT = HUNAN.policy.categories[2].documents[0]  # the discharge certificate


def jpeg(width: int = 358, height: int = 441, exif: bool = False, quality: int = 80) -> bytes:
    image = Image.new("RGB", (width, height), (200, 180, 160))
    out = io.BytesIO()
    extra = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "CameraMaker"  # Make
        data[0x9003] = "2024:01:29 10:00:00"  # DateTimeOriginal
        extra["exif"] = data.tobytes()
    image.save(out, format="JPEG", quality=quality, **extra)
    return out.getvalue()


def test_a_good_photo_is_kept_without_its_exif() -> None:
    raw = jpeg(exif=True)
    assert Image.open(io.BytesIO(raw)).getexif()  # the upload carries metadata
    result = inspect_photo(raw, PHOTO)
    assert result.accepted and (result.width, result.height) == (358, 441)
    kept = Image.open(io.BytesIO(result.cleaned or b""))
    assert not kept.getexif() and "exif" not in kept.info


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"<html><script>alert(1)</script></html>", "格式"),
        (jpeg(200, 441), "宽度"),
        (jpeg(358, 1200), "高度"),
        (jpeg(720, 960, quality=100) + b"\x00" * 300_000, "KB"),
        (jpeg()[:600], "损坏"),
    ],
)
def test_bad_photos_say_why(data: bytes, words: str) -> None:
    result = inspect_photo(data, PHOTO)
    assert not result.accepted and words in result.reason


def test_documents_must_be_what_they_claim() -> None:
    assert inspect_document(b"%PDF-1.7\n...", "application/pdf", DOCUMENT).accepted
    html = inspect_document(b"<!doctype html>", "image/jpeg", DOCUMENT)
    assert not html.accepted and "声明的类型" in html.reason
    renamed = inspect_document(jpeg(), "application/pdf", DOCUMENT)
    assert not renamed.accepted
    png = io.BytesIO()
    Image.new("P", (50, 50)).save(png, format="PNG")
    assert inspect_document(png.getvalue(), "image/png", DOCUMENT).accepted
