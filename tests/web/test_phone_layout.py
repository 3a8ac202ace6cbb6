"""Issue 14, phones first: at 390×844 the portal fits the screen (no sideways scroll, the
header wraps instead of cutting the season picker), inputs are 16 px (no zoom on focus),
tap targets 44 px, no staff links for candidates, and a reload keeps the session."""

from __future__ import annotations

from typing import Any

from tests.support import ARTIFACTS, Api, as_viewer, fresh_graduate, sign_in


def test_the_portal_fits_a_phone_and_a_reload_keeps_the_session(
    api: Api, cloud: Any, browser: Any, phone: str
) -> None:
    api.register(fresh_graduate(cloud), phone)
    page = browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN")
    as_viewer(page, cloud)
    page.goto(cloud.url + "/")
    page.wait_for_selector("body[data-ready=true]")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert "审核工作台" not in page.text_content("header")  # staff links are not for candidates
    season = page.locator("#season").bounding_box()
    assert season is not None and season["x"] + season["width"] <= 390  # not cut off
    sizes = page.evaluate(
        "[...document.querySelectorAll('#login input')].map((i) => getComputedStyle(i).fontSize)"
    )
    assert set(sizes) == {"16px"}
    heights = page.evaluate(
        "[...document.querySelectorAll('button:not([hidden])')].filter((b) => b.offsetParent)"
        ".map((b) => b.getBoundingClientRect().height)"
    )
    assert heights and min(heights) >= 44
    assert page.get_attribute("#register [name=otp]", "autocomplete") == "one-time-code"
    assert page.get_attribute("#login [name=phone]", "type") == "tel"
    sign_in(page, "hunan-zsb-2024", phone)
    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    page.wait_for_selector("#my-file:not([hidden])")
    assert page.get_attribute("button[data-tab=me]", "aria-selected") == "true"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(ARTIFACTS / "phone-me.png"), full_page=False)
    page.close()
