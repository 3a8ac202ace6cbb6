"""图形验证码 pictures (R17.4), drawn by the ``captcha`` library: warped characters over
noise, in fonts it ships. Imported only by the route that draws one."""

from __future__ import annotations

import base64
from functools import cache
from typing import Any


@cache
def _drawer() -> Any:
    from captcha.image import ImageCaptcha

    return ImageCaptcha(width=160, height=60)


def picture(answer: str) -> str:
    """The picture of ``answer`` as a PNG data URL, for an <img> as it is."""
    png = _drawer().generate(answer).getvalue()
    return "data:image/png;base64," + base64.b64encode(png).decode()
