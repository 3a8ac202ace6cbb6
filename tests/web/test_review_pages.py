"""Issue 3 in headless Chromium: a candidate from profile to a college reviewer's approval,
a Ningxia candidate's uploads with progress, the public notice and its complaint form."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support import (
    ARTIFACTS,
    PDF,
    SEEDS,
    Api,
    fresh_graduate,
    hunan_clock,
    jpeg,
    open_page,
    ready,
    register_ningxia,
    sign_in,
    staff_sign_in,
    wait_status,
)

pytestmark = [pytest.mark.web, pytest.mark.both_sizes]


def _address(page: Any) -> None:
    for name, value in {
        "native_place": "湖南长沙", "addr_recipient": "王小明", "addr_phone": "13900001111",
        "addr_province": "湖南省", "addr_city": "长沙市", "addr_address": "岳麓区麓山南路1号",
        "addr_postcode": "410000",
    }.items():  # fmt: skip
        page.fill(f"#profile [name={name}]", value)


def test_from_profile_to_a_college_reviewers_approval(
    cloud: Any, api: Api, browser: Any, phone: str
) -> None:
    g = fresh_graduate(cloud)
    _, token = api.register(g, phone)
    page = open_page(browser, cloud, "/")
    sign_in(page, "hunan-zsb-2024", phone)
    assert "请先完善个人信息" in page.locator("#missing").text_content()
    page.fill("#profile [name=addr_postcode]", "41")  # a bad postcode first
    _address(page)
    page.fill("#profile [name=addr_postcode]", "41")
    page.click("#profile button[type=submit]")
    error = page.locator('#profile .error[data-for="addr_postcode"]')
    error.wait_for(state="visible")
    page.fill("#profile [name=addr_postcode]", "410000")
    page.click("#profile button[type=submit]")
    page.wait_for_selector("#profile-ok:not([hidden])")
    page.wait_for_function("document.querySelector('#missing').children.length === 0")
    page.screenshot(path=str(ARTIFACTS / "profile-saved.png"), full_page=True)
    assert "提交报名" in page.text_content("#next")  # what to do next, at the top
    asked: list[str] = []

    def check_and_accept(dialog: Any) -> None:  # no mistake is final by one tap
        asked.append(dialog.message)
        dialog.accept()

    page.once("dialog", lambda dialog: dialog.dismiss())  # not confirmed: nothing is submitted
    page.click("#submit")
    page.wait_for_timeout(500)
    assert page.get_attribute("#status", "data-status") == "registered"
    assert api.get("/v1/me", token).json()["status"] == "registered"
    page.once("dialog", check_and_accept)
    page.click("#submit")
    page.wait_for_function("document.querySelector('#status').dataset.status === 'under_review'")
    assert "应届专科毕业生" in page.locator("#checks").text_content()
    assert page.locator("#profile [name=native_place]").is_disabled()  # locked after submission
    assert asked and g.name in asked[0] and "提交后不能修改" in asked[0]
    page.wait_for_function(
        "document.querySelector('#steps [aria-current=step]').textContent === '资格审核'"
    )
    page.screenshot(path=str(ARTIFACTS / "submitted.png"), full_page=True)
    with page.expect_download() as downloaded:  # the printable registration (issue 13)
        page.click("#print-form")
    assert downloaded.value.suggested_filename == "报名信息表.pdf"
    assert downloaded.value.path().read_bytes()[:4] == b"%PDF"

    with hunan_clock("2024-02-05T09:00:00"):
        desk = open_page(browser, cloud, "/review.html")
        desk.select_option("#season", "hunan-zsb-2024")
        staff_sign_in(desk, "hn-43001")
        row = desk.locator("#items tr", has_text=g.name)
        row.wait_for()
        assert g.id_number not in desk.content()
        desk.screenshot(path=str(ARTIFACTS / "review-queue.png"), full_page=True)
        row.locator("a.open").click()
        desk.wait_for_selector("#file:not([hidden])")
        assert "长沙民政职业技术学院" in desk.locator("#file-record").text_content()
        shown = desk.locator("#file").text_content()
        assert "标准证件照（学籍照片）" in shown  # the college's photo, by its name
        assert "（R5." not in shown and "photo：" not in shown  # no requirement ids, no codes
        desk.select_option("#decision [name=decision]", "approve")
        desk.click("#decision button[type=submit]")
        desk.wait_for_selector("#decision-ok:not([hidden])")
        assert "审核通过" in desk.locator("#decision-ok").text_content()
        desk.wait_for_selector("#file-status[data-status=approved]")
        assert desk.locator("#decision").is_hidden()  # decided: nothing more to decide
        desk.screenshot(path=str(ARTIFACTS / "review-decided.png"), full_page=True)
        desk.close()

    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    page.click("button[data-tab=me]")
    page.wait_for_function("document.querySelector('#status').dataset.status === 'approved'")
    page.wait_for_function(
        "document.querySelector('#timeline').textContent.includes('资格审核（43001）：审核通过')"
    )
    page.screenshot(path=str(ARTIFACTS / "approved.png"), full_page=True)
    page.close()


def test_a_ningxia_candidate_uploads_with_progress_and_confirms(
    cloud: Any, api: Api, browser: Any, phone: str
) -> None:
    _, token = register_ningxia(api, phone, next(SEEDS))
    page = open_page(browser, cloud, "/")
    sign_in(page, "ningxia-adult-2023", phone)
    _address(page)
    page.select_option("#profile [name=level]", "zsb")
    page.select_option("#profile [name=education]", "high_school")  # refused for 专升本
    page.wait_for_selector("#profile-flags:not([hidden])")  # said before saving (issue 14)
    flagged = page.text_content("#profile-flags")
    assert "资格自动校验将不通过" in flagged and "专升本" in flagged
    page.screenshot(path=str(ARTIFACTS / "profile-flagged.png"), full_page=True)
    page.select_option("#profile [name=education]", "college")
    page.wait_for_selector("#profile-flags[hidden]", state="attached")
    assert api.get("/v1/me", token).json()["profile"] is None  # nothing saved by the check
    page.click("#profile button[type=submit]")
    page.wait_for_selector("#uploads li[data-code=xuexin_record]")
    rule = page.text_content("#uploads li[data-code=photo]")
    assert "JPEG格式" in rule and "宽295–720像素" in rule  # the rules in words, before uploading
    photo = page.locator("#uploads li[data-code=photo]")
    photo.locator("input[type=file]").set_input_files(
        {"name": "small.jpg", "mimeType": "image/jpeg", "buffer": jpeg(200, 300)}
    )
    photo = page.locator("#uploads li[data-code=photo] .bad")
    photo.wait_for()
    assert "宽度" in photo.text_content()
    for code, name, mime, data in (
        ("photo", "me.jpg", "image/jpeg", jpeg()),
        ("xuexin_record", "xuexin.pdf", "application/pdf", PDF),
    ):
        item = page.locator(f"#uploads li[data-code={code}]")
        item.locator("input[type=file]").set_input_files(
            {"name": name, "mimeType": mime, "buffer": data}
        )
        page.locator(f"#uploads li[data-code={code}] .ok").wait_for()
    thumb = page.locator("#uploads li[data-code=photo] img.thumb")  # what was sent, seen
    assert thumb.count() == 1 and thumb.evaluate("(img) => img.naturalWidth") > 0
    page.screenshot(path=str(ARTIFACTS / "uploads.png"), full_page=True)
    assert page.locator("#submit").text_content().startswith("确认报名")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#submit")
    page.wait_for_function("document.querySelector('#status').dataset.status === 'under_review'")
    assert page.locator("#uploads input[type=file]").count() == 0  # locked (R4.4)
    page.screenshot(path=str(ARTIFACTS / "confirmed.png"), full_page=True)
    page.close()
    wait_status(api, token, "under_review")


def test_the_public_notice_and_its_complaint_form(
    cloud: Any, api: Api, browser: Any, phone: str
) -> None:
    cid, token, version = ready(api, phone, bonus_claims=["military_merit"])
    api.post("/v1/me/submission", token, json={"version": version})
    me = wait_status(api, token, "on_site")
    body = {"decision": "approve", "version": me["version"]}
    reviewer = api.staff_token("nx-640104")
    url = f"/v1/seasons/ningxia-adult-2023/review/candidates/{cid}/decision"
    assert api.post(url, reviewer, json=body).ok
    page = open_page(browser, cloud, "/notice.html")
    page.select_option("#season", "ningxia-adult-2023")
    row = page.locator("#entries tr", has_text="解放军、武警部队")
    row.first.wait_for()
    assert me["name"] not in page.locator("#entries").text_content()  # masked
    row.first.locator("button.complain").click()
    page.fill("#complaint [name=name]", "李四")
    page.fill("#complaint [name=phone]", "13800138000")
    page.fill("#complaint [name=content]", "短")
    page.click("#complaint button[type=submit]")
    page.locator('#complaint .error[data-for="content"]').wait_for(state="visible")
    page.fill("#complaint [name=content]", "该考生立功证书存疑，请核查")
    page.click("#complaint button[type=submit]")
    page.wait_for_selector("#filed:not([hidden])")
    number = page.locator("#filed").text_content().split("编号 ")[1].split("，")[0]
    page.fill("#track [name=complaint_id]", number)
    page.click("#track button[type=submit]")
    page.wait_for_function("document.querySelector('#tracked').textContent.includes('受理中')")
    page.screenshot(path=str(ARTIFACTS / "notice.png"), full_page=True)
    page.close()


def test_a_county_reviewer_searches_counts_and_steps_through_files(
    cloud: Any, api: Api, browser: Any
) -> None:
    """Issue 14: the reviewer finds a file by part of a name, sees the counts per state,
    and goes from one file to the next without returning to the list."""
    people = []
    for seed in (next(SEEDS), next(SEEDS)):
        phone = f"1377{seed:07d}"
        _, token, version = ready(api, phone)
        assert api.post("/v1/me/submission", token, json={"version": version}).ok
        wait_status(api, token, "under_review")
        people.append(api.get("/v1/me", token).json()["name"])
    desk = open_page(browser, cloud, "/review.html")
    desk.select_option("#season", "ningxia-adult-2023")
    staff_sign_in(desk, "nx-640104")
    desk.wait_for_selector("#items tr[data-id]")
    desk.wait_for_function("document.querySelector('#counts').textContent.includes('待审核')")
    assert "待审核" in desk.text_content("#counts")
    desk.fill("#search [name=q]", people[0][1:])
    desk.click("#search button[type=submit]")
    desk.wait_for_selector("#search-clear:not([hidden])")
    assert people[0] in desk.text_content("#items")
    desk.click("#search-clear")
    desk.wait_for_selector("#search-clear[hidden]", state="attached")
    desk.locator("#items a.open").first.click()
    desk.wait_for_selector("#file:not([hidden])")
    first = desk.text_content("#file-record")
    assert desk.is_disabled("#prev-file")
    desk.click("#next-file")
    desk.wait_for_function(
        "(before) => document.querySelector('#file-record').textContent !== before", arg=first
    )
    desk.screenshot(path=str(ARTIFACTS / "review-search.png"), full_page=True)
