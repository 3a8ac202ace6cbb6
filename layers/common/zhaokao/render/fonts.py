"""The CJK font our PDFs embed a subset of: Noto Sans CJK SC (SIL OFL), from Debian's
fonts-noto-cjk — shipped in the layer (``zhaokao/fonts``), found on the machine locally."""

from __future__ import annotations

import os
from pathlib import Path

from ..domain.errors import Unavailable

FILE = "NotoSansCJK-Regular.ttc"
SC = 2  # the collection's Simplified Chinese face (JP, KR, SC, TC, HK, then the monos)
PLACES = (
    Path(__file__).resolve().parents[1] / "fonts" / FILE,  # the Lambda layer
    Path("/usr/share/fonts/opentype/noto") / FILE,  # Debian's fonts-noto-cjk
)


def cjk_font() -> Path:
    """Where the font is; Unavailable (503) when this machine has none."""
    chosen = os.environ.get("ZHAOKAO_CJK_FONT")
    for place in ([Path(chosen)] if chosen else []) + list(PLACES):
        if place.is_file():
            return place
    raise Unavailable("暂时无法生成PDF文件，请稍后再试", code="font_missing")
