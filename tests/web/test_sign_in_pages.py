"""Issue 9 in headless Chromium: a candidate finds a forgotten password again by SMS and
changes it; a new staff member binds an authenticator and keeps the recovery codes."""

from __future__ import annotations

from typing import Any

import pyotp
import pytest

from tests.support import ARTIFACTS, PERSONAL, SEEDS, Api, open_page, register_ningxia

pytestmark = [pytest.mark.web, pytest.mark.both_sizes]


def test_a_candidate_resets_a_forgotten_password_then_changes_it(
    cloud: Any, api: Api, browser: Any, phone: str
) -> None:
    register_ningxia(api, phone, next(SEEDS))
    cloud.sms.history.pop(phone)  # a minute after the registration code (gateway flow control)
    page = open_page(browser, cloud, "/")
    page.select_option("#season", "ningxia-adult-2023")
    page.wait_for_function("document.querySelector('#phase').textContent.includes('宁夏')")
    page.click("button[data-tab=login]")
    page.fill("#login [name=phone]", phone)
    page.click("#forgot")
    reset = page.locator("#reset")
    reset.wait_for(state="visible")
    assert reset.locator("[name=phone]").input_value() == phone  # carried over from sign-in
    page.click("#send-reset")
    page.wait_for_function("document.querySelector('#send-reset').textContent.includes('已发送')")
    reset.locator("[name=otp]").fill(api.last_code(phone))
    reset.locator("[name=password]").fill("short")  # too weak first: told at its field
    reset.locator("button[type=submit]").click()
    weak = page.locator('#reset .error[data-for="password"]')
    weak.wait_for(state="visible")
    assert "8-64位" in weak.text_content()
    page.screenshot(path=str(ARTIFACTS / "reset-weak.png"), full_page=True)
    reset.locator("[name=password]").fill("found2024again")
    reset.locator("button[type=submit]").click()
    page.wait_for_selector("#reset-ok:not([hidden])")
    assert "密码已重置" in page.locator("#reset-ok").text_content()
    page.screenshot(path=str(ARTIFACTS / "reset-done.png"), full_page=True)

    page.locator("#login").wait_for(state="visible")
    page.fill("#login [name=password]", "abc12345")  # the old password no longer works
    page.click("#login button[type=submit]")
    page.wait_for_function(
        "document.querySelector('#login .error[data-for=password]').textContent.length > 0"
    )
    page.fill("#login [name=password]", "found2024again")
    page.click("#login button[type=submit]")
    page.wait_for_selector("#my-file:not([hidden])")

    page.click("#password-change summary")
    change = page.locator("#change-password")
    change.locator("[name=old_password]").fill("found2024again")
    change.locator("[name=new_password]").fill("changed2024")
    change.locator("button[type=submit]").click()
    page.wait_for_selector("#change-ok:not([hidden])")
    page.wait_for_function(
        "document.querySelector('#timeline').textContent.includes('修改登录密码')"
    )
    assert "通过短信验证码重置登录密码" in (page.locator("#timeline").text_content() or "")
    page.screenshot(path=str(ARTIFACTS / "password-changed.png"), full_page=True)
    page.reload()  # the session survives: its tokens are kept for the tab
    page.wait_for_selector("body[data-ready=true]")
    page.click("button[data-tab=me]")
    page.wait_for_selector("#my-file:not([hidden])")
    page.click("#logout")
    page.close()
    again = open_page(browser, cloud, "/")
    sign_in_as(again, phone, "changed2024")
    again.close()


def sign_in_as(page: Any, phone: str, password: str) -> None:
    page.select_option("#season", "ningxia-adult-2023")
    page.wait_for_function("document.querySelector('#phase').textContent.length > 0")
    page.click("button[data-tab=login]")
    page.fill("#login [name=phone]", phone)
    page.fill("#login [name=password]", password)
    page.click("#login button[type=submit]")
    page.wait_for_selector("#my-file:not([hidden])")


def test_a_new_reviewer_binds_an_authenticator_on_first_sign_in(
    cloud: Any, api: Api, browser: Any, size: str
) -> None:
    username = f"county-web-{size}"  # a new reviewer at each size
    body = {
        "username": username,
        "role": "county_reviewer",
        "unit": "640104",
        "season": "ningxia-adult-2023",
        "password": "Start2024pass",
    }
    assert api.post("/v1/staff", api.staff_token("operator"), json=body).status_code == 201
    desk = open_page(browser, cloud, "/review.html")
    desk.select_option("#season", "ningxia-adult-2023")
    desk.fill("#staff-login [name=username]", username)
    desk.fill("#staff-login [name=password]", "Start2024pass")
    desk.click("#staff-login button[type=submit]")
    desk.locator("#enrol").wait_for(state="visible")
    desk.wait_for_function("document.querySelector('#enrol-qr').naturalWidth > 0")  # the QR
    desk.screenshot(path=str(ARTIFACTS / "enrol-qr.png"), full_page=True)
    secret = desk.locator("#enrol-secret").text_content() or ""
    desk.fill(
        "#activate [name=code]", "123456" if pyotp.TOTP(secret).now() != "123456" else "654321"
    )
    desk.click("#activate button[type=submit]")
    desk.locator('#activate .error[data-for="code"]').wait_for(state="visible")
    desk.fill("#activate [name=code]", pyotp.TOTP(secret).now())
    desk.click("#activate button[type=submit]")
    desk.locator("#recovery").wait_for(state="visible")
    assert desk.locator("#recovery-codes li").count() == 10
    desk.screenshot(path=str(ARTIFACTS / "enrol-recovery.png"), full_page=True)
    desk.click("#recovery-done")
    desk.locator("#queue").wait_for(state="visible")
    assert "640104" in (desk.locator("#unit").text_content() or "")
    desk.click("#staff-logout")
    desk.locator("#staff-login").wait_for(state="visible")
    desk.close()


def test_a_busy_address_answers_a_picture_check_before_its_code(
    cloud: Any, api: Api, browser: Any, phone: str, monkeypatch: pytest.MonkeyPatch, size: str
) -> None:
    from zhaokao.domain import otp

    # a school's lab (one at each size): its free share of codes already asked for
    school = "10.251.0.1" if size == "desktop" else "10.251.0.2"
    for n in range(5):
        neighbour = str(15600000000 + n * 7919 + int(phone[-4:]))
        PERSONAL.add(neighbour)
        assert api.post(
            "/v1/seasons/hunan-zsb-2024/otp", json={"phone": neighbour}, client=school
        ).ok
    monkeypatch.setattr(otp, "new_challenge", lambda: "K7PX")
    page = open_page(browser, cloud, "/", client=school)
    page.select_option("#season", "hunan-zsb-2024")
    page.wait_for_function("document.querySelector('#phase').textContent.includes('湖南')")
    page.fill("#register [name=phone]", phone)
    page.click("#send-otp")
    box = page.locator("#register .captcha")
    box.wait_for(state="visible")
    assert "图形验证码" in page.locator('#register .error[data-for="captcha"]').text_content()
    assert box.locator("img").evaluate("img => img.complete && img.naturalWidth") == 160
    page.screenshot(path=str(ARTIFACTS / "captcha.png"), full_page=True)
    box.locator("input").fill("k7px")
    page.click("#send-otp")
    page.wait_for_function("document.querySelector('#send-otp').textContent.includes('已发送')")
    assert box.is_hidden()
    assert api.last_code(phone)
