"""The CJK fonts our PDFs embed subsets of, from Debian, shipped in the layer
(``zhaokao/fonts``) and found on the machine locally: Noto Sans CJK SC (SIL OFL,
fonts-noto-cjk), which has every glyph a name may need, and WenQuanYi Micro Hei (Apache 2.0,
fonts-wqy-microhei), whose TrueType outlines reportlab subsets in milliseconds."""

from __future__ import annotations

import os
from functools import cache
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


TT_FILE = "wqy-microhei.ttc"
TT_PLACES = (
    Path(__file__).resolve().parents[1] / "fonts" / TT_FILE,
    Path("/usr/share/fonts/truetype/wqy") / TT_FILE,
)


@cache
def truetype_font() -> tuple[Path, frozenset[int]] | None:
    """The TrueType CJK font and the characters it has; None when this machine has none."""
    place = next((p for p in TT_PLACES if p.is_file()), None)
    if place is None:
        return None
    from fontTools.ttLib import TTCollection

    collection = TTCollection(str(place), lazy=True)
    covered = frozenset(collection.fonts[0].getBestCmap())
    collection.close()
    return place, covered
