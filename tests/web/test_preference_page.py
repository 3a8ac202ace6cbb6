"""Issue 4 in headless Chromium: a Ningxia candidate picks 2×2 preferences (a forbidden
category first), changes and restores them, confirms, pays on the provider's page and
gets the receipt."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support import (
    ARTIFACTS,
    CLOSE,
    SEEDS,
    Api,
    approve,
    fresh_graduate,
    hunan_clock,
    ningxia_profile,
    open_page,
    register_ningxia,
    sign_in,
)

pytestmark = [pytest.mark.web, pytest.mark.both_sizes]


def _pick(page: Any, school: str, major: str) -> None:
    row = page.locator("#plans tbody tr").filter(has_text=school).filter(has_text=major)
    row.locator("button[data-pick]").click()


def _badge(page: Any, text: str) -> None:
    page.wait_for_function(
        f"document.querySelector('#prefs-state').textContent === {text!r}", timeout=10_000
    )


def test_a_ningxia_candidate_picks_two_by_two_confirms_and_pays(
    cloud: Any, api: Api, browser: Any, phone: str
) -> None:
    cid, token = register_ningxia(api, phone, next(SEEDS))
    version = api.get("/v1/me", token).json()["version"]
    assert api.put("/v1/me/profile", token, json=ningxia_profile(version)).ok
    page = open_page(browser, cloud, "/", height=1400)

    def yes(dialog: Any) -> None:  # 确认后不能修改 — yes
        dialog.accept()

    def stay(dialog: Any) -> None:  # 离开此页？— no
        dialog.dismiss()

    page.on("dialog", yes)
    sign_in(page, "ningxia-adult-2023", phone)
    page.click("button[data-tab=prefs]")
    page.wait_for_selector("#rules li")
    page.wait_for_function("document.querySelector('#fee').textContent.length > 0")
    rules = page.locator("#rules").text_content()
    assert "最多填报2所院校，每所院校最多2个专业" in rules and "非医学类专科生" in rules
    assert "专升本" in page.locator("#level-line").text_content()
    assert "资格审核通过后方可缴费" in page.locator("#fee").text_content()

    # 医学 is not for this candidate: each plan says so in the catalogue, before any saving
    page.select_option("#choice [name=subject_category]", "yixue")
    page.wait_for_function("document.querySelector('#plans-total').textContent.includes('医学')")
    row = page.locator("#plans tbody tr").filter(has_text="宁夏医科大学").filter(has_text="护理学")
    assert "不可填报" in row.text_content() and row.locator("button[data-pick]").count() == 0

    page.select_option("#choice [name=subject_category]", "ligong")
    page.wait_for_function("document.querySelector('#plans-total').textContent === '共4条（理工）'")
    for school, major in (
        ("宁夏大学", "计算机科学与技术"),
        ("宁夏大学", "软件工程"),
        ("北方民族大学", "通信工程"),
        ("北方民族大学", "计算机科学与技术"),
    ):
        _pick(page, school, major)
    slots = page.locator("#slots").text_content()
    assert "第一志愿院校：宁夏大学" in slots and "第二志愿院校：北方民族大学" in slots
    tapped = page.locator(
        "#plans tbody tr:has-text('北方民族大学'):has-text('通信工程') .pick-note"
    )
    assert tapped.text_content() == "已选入，保存后生效"  # the answer where it was tapped
    assert page.is_visible("#unsaved")  # said on the page, and leaving now asks first:
    page.remove_listener("dialog", yes)
    page.on("dialog", stay)
    with page.expect_event("dialog") as leaving:
        page.evaluate("setTimeout(() => location.reload())")
    assert leaving.value.type == "beforeunload"
    page.remove_listener("dialog", stay)
    page.on("dialog", yes)
    assert "第二志愿院校：北方民族大学" in page.locator("#slots").text_content()
    page.click("#slots button[data-up='1']")  # reordered: 北方民族大学 first …
    assert "第一志愿院校：北方民族大学" in page.locator("#slots").text_content()
    page.click("#slots button[data-up='1']")  # … and back
    assert "第一志愿院校：宁夏大学" in page.locator("#slots").text_content()
    page.click("#save-choice")
    _badge(page, "已保存第1版")
    assert not page.is_visible("#unsaved")

    page.click("#slots button[data-drop='1/1']")  # a second thought: one major fewer …
    page.click("#save-choice")
    _badge(page, "已保存第2版")
    page.click("#history button[data-restore='1']")  # … and back to the first
    _badge(page, "已保存第3版")
    history = page.locator("#history tbody").text_content()
    assert "由第1版恢复" in history and "北方民族大学（通信工程、计算机科学与技术）" in history
    page.screenshot(path=str(ARTIFACTS / "preferences.png"), full_page=True)

    page.click("#confirm-choice")
    _badge(page, "已确认")
    assert page.locator("#save-choice").is_hidden()
    page.wait_for_function("!document.querySelector('#plans button[data-pick]')")  # locked

    approve(cid)  # the county's review (tested on its own in the review tests)
    page.click("button[data-tab=prefs]")
    pay = page.locator("#pay-start")
    pay.wait_for()
    assert pay.text_content() == "去缴费（¥145.00）"
    pay.click()
    page.wait_for_selector("#pay")  # the provider's pay page
    assert "145.00" in page.locator("#amount").text_content()
    page.screenshot(path=str(ARTIFACTS / "pay-page.png"), full_page=True)
    page.click("#pay")
    page.click("#back")
    receipt = page.locator("#receipt")
    receipt.wait_for(timeout=30_000)
    text = receipt.text_content()
    assert "缴费凭证" in text and "¥145.00" in text and "收款单位宁夏教育考试院" in text
    box = receipt.bounding_box()
    assert box is not None and box["y"] < page.viewport_size["height"]  # in view after paying
    assert "*" in page.locator("#receipt dd").nth(1).text_content()  # the ID number, masked
    page.screenshot(path=str(ARTIFACTS / "receipt.png"), full_page=True)
    page.click("button[data-tab=me]")  # each step on the candidate's timeline, in words
    page.wait_for_function("document.querySelector('#timeline').textContent.includes('缴费成功')")
    steps = page.locator("#timeline").text_content()
    assert "保存志愿" in steps and "恢复历史志愿" in steps and "确认志愿" in steps
    page.close()
    paid = api.get("/v1/me/payment", token).json()
    assert paid["status"] == "PAID" and paid["transaction_id"] in text
    confirmed = api.get("/v1/me/preferences", token).json()
    assert confirmed["confirmed"] and len(confirmed["choice"]["schools"]) == 2


def test_a_hunan_graduate_chooses_an_approved_plan_type_and_one_close_major(
    cloud: Any, api: Api, browser: Any, phone: str
) -> None:
    g = fresh_graduate(cloud)
    cid, _ = api.register(g, phone)
    approve(cid)
    school, major = CLOSE[g.major]
    with hunan_clock("2024-03-22T09:00:00"):
        page = open_page(browser, cloud, "/", height=1400)
        sign_in(page, "hunan-zsb-2024", phone)
        page.click("button[data-tab=prefs]")
        page.wait_for_selector("#rules li")
        assert "相同或相近" in page.locator("#rules").text_content()
        options = page.locator("#choice [name=plan_type] option").all_text_contents()
        assert options == ["请选择", "普通计划"]  # R8.1: only what review approved
        page.select_option("#choice [name=plan_type]", "ordinary")
        page.wait_for_function(
            "document.querySelector('#plans-total').textContent.includes('普通计划')"
        )
        far = "040106" if major != "040106" else "080901"
        far_row = page.locator(f"#plans tbody tr:has-text('{far}')").first
        assert "不属于相同或相近专业" in far_row.text_content()  # marked before any saving
        assert far_row.locator("button[data-pick]").count() == 0
        close = page.locator(f"#plans tbody tr:has-text('{school}'):has-text('{major}')")
        assert "相同或相近" in close.text_content()
        page.locator(f"#plans tbody tr:has-text('{school}'):has-text('{major}') button").click()
        assert page.locator("#slots > li").count() == 1  # one school, one major: replaced
        page.click("#save-choice")
        _badge(page, "已保存第1版")
        pay = page.locator("#pay-start")
        pay.wait_for()
        assert pay.text_content() == "去缴费（¥130.00）"
        page.screenshot(path=str(ARTIFACTS / "preferences-hunan.png"), full_page=True)
        page.close()
