"""Issue 16 as its users meet it: an operator tries a trial, runs the admission, approves
each school's list and sees it published; the school's admissions office sees its own list
and records a letter; a candidate reads the result with its explanation."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.test_admission import OTHER, PHONES, SCHOOL, prepare
from tests.support import ARTIFACTS, Api, open_page, season_clock, sign_in, staff_sign_in

pytestmark = pytest.mark.both_sizes


def test_an_operator_runs_the_admission_a_school_and_a_candidate_see_it(
    browser: Any, api: Api, cloud: Any, size: str
) -> None:
    SEASON = f"ningxia-admit-{size}-2023"  # a season of its own at each size
    people = prepare(api, SEASON)
    errors: list[str] = []
    page = open_page(browser, cloud, "/admission.html")
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.select_option("#season", SEASON)
    staff_sign_in(page, "operator")
    page.wait_for_selector("#operator-desk:not([hidden])")
    assert page.input_value("#lines tbody input") == "200"

    page.click("#trial")
    page.wait_for_function("document.querySelector('#run-state').textContent.includes('试算完成')")
    assert "4 人（第1轮 3，第2轮 1）" in page.text_content("#run-summary")
    page.wait_for_function("document.querySelector('#lines tbody').textContent.includes('计划4')")

    page.once("dialog", lambda d: d.accept())
    page.click("#official")
    page.wait_for_selector("#run-schools [data-approve]")
    page.click(f"#run-schools [data-list='{SCHOOL}']")
    page.wait_for_selector("#school-list tbody tr")
    assert page.locator("#school-list tbody tr").count() == 3
    page.click(f"#run-schools [data-approve='{SCHOOL}']")
    page.wait_for_selector(f"#run-schools [data-approve='{OTHER}']")
    asked: list[str] = []  # the last approval publishes: it says so, with the counts, first
    page.once("dialog", lambda d: (asked.append(d.message), d.accept()))
    page.click(f"#run-schools [data-approve='{OTHER}']")
    page.wait_for_function("document.querySelector('#run-state').textContent.includes('已发布')")
    assert "立即发布" in asked[0] and "共录取 4 人" in asked[0], asked
    page.screenshot(path=str(ARTIFACTS / "admission-desk.png"), full_page=True)
    assert not errors, errors

    school = open_page(browser, cloud, "/admission.html")
    school.select_option("#season", SEASON)
    staff_sign_in(school, "school-demo")
    school.wait_for_selector("#admitted tbody tr[data-id]")
    assert school.locator("#admitted tbody tr[data-id]").count() == 3
    assert school.is_hidden("#operator-desk")
    row = school.locator(f"#admitted tr[data-id='{people['top']}']")
    row.locator("[name=tracking_number]").fill("单号")
    row.locator("form.letter button").click()
    row.locator(".error[data-for=tracking_number]:not(:empty)").wait_for()
    row.locator("[name=tracking_number]").fill("EA123456789CN")
    row.locator("form.letter button").click()
    row.locator("form.letter button", has_text="已保存").wait_for()
    school.screenshot(path=str(ARTIFACTS / "admission-school.png"), full_page=True)

    me = open_page(browser, cloud, "/")
    with season_clock(SEASON, "2024-01-22T09:00:00"):
        sign_in(me, SEASON, PHONES[people["adjusts"]])
        me.click("#admission")
        me.wait_for_selector("#admission-result:not([hidden])")
    text = me.text_content("#admission-result")
    assert "软件工程" in text and "服从调剂" in text and "宁夏示范大学" in text
    me.locator("#admission-result").screenshot(path=str(ARTIFACTS / "admission-result.png"))
