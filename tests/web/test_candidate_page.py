"""The candidate page in headless Chromium: register, sign in, see the record."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support import ARTIFACTS, PERSONAL, Api, fresh_graduate, open_page

pytestmark = [pytest.mark.web, pytest.mark.both_sizes]


def test_a_graduate_registers_and_sees_their_record(cloud, api: Api, browser, phone) -> None:
    g = fresh_graduate(cloud)
    page = open_page(browser, cloud, "/", height=1100)
    page.select_option("#season", "hunan-zsb-2024")
    page.wait_for_function("document.querySelector('#phase').textContent.includes('湖南')")
    assert page.locator("#register .local").is_visible()  # the pointer to the local outbox

    form = page.locator("#register")
    form.locator("[name=name]").fill(g.name)
    form.locator("[name=id_number]").fill("110105194912310021")  # a wrong check digit first
    form.locator("[name=phone]").fill(phone)
    page.click("#send-otp")
    page.wait_for_function("document.querySelector('#send-otp').textContent.includes('已发送')")
    form.locator("[name=otp]").fill(api.last_code(phone))
    form.locator("[name=password]").fill("abc12345")
    form.locator("button[type=submit]").click()
    error = page.locator('.error[data-for="id_number"]')
    error.wait_for(state="visible")
    assert "校验位" in error.text_content()
    page.screenshot(path=str(ARTIFACTS / "register-error.png"), full_page=True)

    form.locator("[name=id_number]").fill(g.id_number)
    form.locator("button[type=submit]").click()  # 报考须知 and 诚信承诺书 not yet accepted
    pledge = page.locator('.error[data-for="pledge"]')
    pledge.wait_for(state="visible")
    assert "诚信承诺书" in pledge.text_content()
    page.click("#pledge-text summary")
    assert "诚信应考" in page.text_content("#pledge-text")
    form.locator("[name=pledge]").check()
    form.locator("button[type=submit]").click()
    page.wait_for_selector("#register-ok:not([hidden])")
    page.click("#phase details summary")  # every window of the season, in the notice's words
    assert "注册报名" in page.text_content("#phase") and "ws.jbmo.cn" in page.text_content("#phase")
    page.screenshot(path=str(ARTIFACTS / "register-ok.png"), full_page=True)

    login = page.locator("#login")
    login.wait_for(state="visible")
    login.locator("[name=password]").fill("abc12345")

    def slowly(route: Any) -> None:  # a slow network: the button waits, busy, and once
        page.wait_for_timeout(600)
        route.continue_()

    page.route("**/v1/auth/token", slowly)
    login.locator("button[type=submit]").click()
    busy = login.locator("button[type=submit][aria-busy=true]")
    busy.wait_for()
    assert busy.is_disabled()
    page.wait_for_selector("#record:not([hidden])")
    assert login.locator("button[type=submit]").get_attribute("aria-busy") is None
    record = page.locator("#record").text_content()
    assert g.name in record and "长沙民政职业技术学院" in record and "已注册" in record
    assert g.id_number not in page.content() and phone not in page.locator("#me").text_content()
    assert g.id_number[:3] + "*" * 11 + g.id_number[-4:] in record
    page.screenshot(path=str(ARTIFACTS / "my-record.png"), full_page=True)
    page.close()
    PERSONAL.add(g.id_number)


def test_after_a_refusal_the_page_says_what_the_candidate_can_still_do(
    cloud: Any, api: Api, browser: Any, phone: str
) -> None:
    from tests.support import ready, sign_in, wait_status

    cid, token, version = ready(api, phone)
    assert api.post("/v1/me/submission", token, json={"version": version}).ok
    me = wait_status(api, token, "under_review")
    url = f"/v1/seasons/ningxia-adult-2023/review/candidates/{cid}/decision"
    body = {"decision": "reject", "reason": "学历证书与报考层次不符", "version": me["version"]}
    assert api.post(url, api.staff_token("nx-640104"), json=body).ok
    page = open_page(browser, cloud, "/")
    sign_in(page, "ningxia-adult-2023", phone)
    page.wait_for_function("document.querySelector('#next').textContent.includes('未通过')")
    told = page.text_content("#next")
    assert "学历证书与报考层次不符" in told and "咨询" in told and "www.nxjyks.cn" in told
    page.screenshot(path=str(ARTIFACTS / "refused-next.png"))
