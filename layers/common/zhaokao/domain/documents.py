"""Uploaded files checked as they land (R4.1, R4.3): what the bytes really are.

A ``.jpg`` that is HTML is refused; a photo must decode and have the pixel
dimensions the season's policy sets; JPEG metadata (EXIF: camera, GPS, time)
is stripped from what is kept. Each refusal says why, in Chinese.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from .policy import Document, Photo

# magic bytes → content type
_MAGIC = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"%PDF-", "application/pdf"),
)
_PIL_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG"}
# R17.4: a file cannot exhaust a worker. Pixels are counted from the header before any
# decode: 40 million (an A4 scan at 600 dpi is 35 million) decode to at most 160 MB.
MAX_PIXELS = 40_000_000
TOO_LARGE = "图片尺寸过大，请缩小后重新上传"


class Inspection(NamedTuple):
    accepted: bool
    reason: str
    content_type: str | None = None
    width: int | None = None
    height: int | None = None
    cleaned: bytes | None = None  # what to keep (images re-encoded without metadata)


def sniff(data: bytes) -> str | None:
    return next((kind for magic, kind in _MAGIC if data.startswith(magic)), None)


def _refuse(reason: str, kind: str | None = None) -> Inspection:
    return Inspection(False, reason, kind)


def inspect_document(data: bytes, declared: str, rule: Document) -> Inspection:
    """A category document (R4.2): the bytes match the declared, allowed type and size."""
    kind = sniff(data)
    if kind is None or kind != declared:
        return _refuse(f"文件内容不是声明的类型（{declared}），请上传真实的图片或PDF文件", kind)
    if kind not in rule.content_types:
        return _refuse(f"{rule.name}只接受{'、'.join(rule.content_types)}", kind)
    if len(data) > rule.max_bytes:
        return _refuse(f"{rule.name}不能超过{rule.max_bytes // 1024}KB", kind)
    if kind in _PIL_FORMATS:
        return _image(data, kind, None)
    return Inspection(True, "文件检查通过", kind, cleaned=data)


def inspect_photo(data: bytes, rule: Photo) -> Inspection:
    """R4.1: the standard photo — format, size and pixel dimensions."""
    kind = sniff(data)
    if kind not in rule.content_types:
        return _refuse(
            f"证件照须为{'、'.join(t.split('/')[1].upper() for t in rule.content_types)}格式", kind
        )
    if len(data) > rule.max_bytes:
        return _refuse(f"证件照不能超过{rule.max_bytes // 1024}KB", kind)
    return _image(data, kind, rule)


def _image(data: bytes, kind: str, rule: Photo | None) -> Inspection:
    import warnings

    from PIL import Image, UnidentifiedImageError  # a worker's import, not a cold start's

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS  # Pillow's own guard, at our budget
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))  # the header only: nothing decoded yet
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return _refuse(TOO_LARGE, kind)
    except (UnidentifiedImageError, OSError, SyntaxError):
        return _refuse("图片已损坏或无法识别，请重新上传", kind)
    with image:
        width, height = image.size
        if width * height > MAX_PIXELS:
            return _refuse(TOO_LARGE, kind)
        try:
            if rule and not (rule.min_width <= width <= rule.max_width):
                return _refuse(
                    f"证件照宽度应在{rule.min_width}-{rule.max_width}像素之间，当前为{width}", kind
                )
            if rule and not (rule.min_height <= height <= rule.max_height):
                return _refuse(
                    f"证件照高度应在{rule.min_height}-{rule.max_height}像素之间，当前为{height}",
                    kind,
                )
            image.load()  # decodes every pixel: a truncated or forged file fails here
            # pixels only: EXIF (camera, GPS, time) and other metadata stay behind
            clean = Image.frombytes(image.mode, image.size, image.tobytes())
            if image.mode == "P":
                clean.putpalette(image.getpalette() or [])
            out = io.BytesIO()
            clean.save(out, format=_PIL_FORMATS[kind], quality=95)
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            return _refuse("图片已损坏或无法识别，请重新上传", kind)
    return Inspection(True, "文件检查通过", kind, width, height, out.getvalue())
