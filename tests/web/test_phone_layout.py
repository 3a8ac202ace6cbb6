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


def test_every_field_error_shows_at_once_at_its_field(
    api: Api, cloud: Any, browser: Any, phone: str
) -> None:
    """Issue 14: the API sends every field error (in Chinese); the form shows each at its
    field, marks the field invalid and ties the message to it for screen readers."""
    api.register(fresh_graduate(cloud), phone)
    page = browser.new_page(viewport={"width": 1000, "height": 1200}, locale="zh-CN")
    as_viewer(page, cloud)
    page.goto(cloud.url + "/")
    page.wait_for_selector("body[data-ready=true]")
    sign_in(page, "hunan-zsb-2024", phone)
    page.fill("#profile [name=native_place]", "湖南长沙")
    for name, value in (("recipient", "王小明"), ("phone", "13900001111"), ("province", "湖南省")):
        page.fill(f"#profile [name=addr_{name}]", value)
    page.fill("#profile [name=addr_city]", "长沙市")
    page.fill("#profile [name=addr_address]", "岳")  # too short
    page.fill("#profile [name=addr_postcode]", "41")  # not six digits
    page.click("#profile button[type=submit]")
    page.wait_for_selector('#profile .error[data-for="addr_postcode"]:not(:empty)')
    assert page.text_content('#profile .error[data-for="addr_address"]')  # both at once
    postcode = page.locator("#profile [name=addr_postcode]")
    assert postcode.get_attribute("aria-invalid") == "true"
    described = postcode.get_attribute("aria-describedby")
    assert described and page.text_content(f"#{described}") == "格式不正确"
    assert "String should" not in page.text_content("#profile")  # never pydantic's English
    page.close()


def test_a_candidate_changes_the_phone_on_the_page(
    api: Api, cloud: Any, browser: Any, phone: str
) -> None:
    """Seed 000: 保持手机畅通 — codes to both numbers, then the record shows the new one."""
    from tests.support import PERSONAL

    api.register(fresh_graduate(cloud), phone)
    new = str(int(phone) + 11)
    PERSONAL.add(new)
    cloud.sms.history.pop(phone)  # a minute after the registration code (flow control)
    page = browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN")
    as_viewer(page, cloud)
    page.goto(cloud.url + "/")
    page.wait_for_selector("body[data-ready=true]")
    sign_in(page, "hunan-zsb-2024", phone)
    page.click("#phone-change summary")
    page.fill("#change-phone [name=phone]", new)
    page.click("#send-phone-codes")
    page.wait_for_selector("#phone-ok:not([hidden])")
    page.fill("#change-phone [name=old_code]", "000000")
    page.fill("#change-phone [name=new_code]", api.last_code(new))
    page.click("#change-phone button[type=submit]")
    page.wait_for_selector('#change-phone .error[data-for="old_code"]:not(:empty)')
    page.fill("#change-phone [name=old_code]", api.last_code(phone))
    page.click("#change-phone button[type=submit]")
    page.wait_for_function("document.querySelector('#phone-ok').textContent.includes('已更换')")
    page.wait_for_function(f"document.querySelector('#record').textContent.includes('{new[-4:]}')")
    page.close()
