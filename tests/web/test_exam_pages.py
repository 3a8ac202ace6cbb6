"""Issue 15 as its users meet it: a candidate downloads the ticket inside its window and
queries scores (refused before the release, shown after, the bonus apart); an invigilator
opens the verify page from the ticket's QR text and sees who must hold it."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.test_arrangement import (  # noqa: F401 - ``seated``: a fixture
    PHONES,
    SEASON,
    run,
    seated,
    sitter,
    ticket_holder,
)
from tests.support import ARTIFACTS, Api, open_page, season_clock, sign_in, staff_sign_in

pytestmark = pytest.mark.both_sizes


def test_a_ticket_downloads_scores_show_and_the_qr_text_verifies(
    browser: Any,
    api: Api,
    cloud: Any,
    seated: str,  # noqa: F811 - the imported fixture
) -> None:
    from zhaokao.domain.tickets import token as ticket_token
    from zhaokao.service.tickets import _sign
    from zhaokao.storage import candidates

    cid = ticket_holder()
    others = [sitter("640105") for _ in range(5)]
    assert run(api, seated)["status"] == "done" and others
    number = str(candidates.get(cid).exam_number)
    header = "准考证号,科目代码,成绩,缺考\n"
    csv = f"{header}{number},zhengzhi,88,否\n{number},yingyu,,是\n{number},gaoshu_1,101,否\n"
    assert api.post(f"/v1/seasons/{SEASON}/scores", seated, json={"csv": csv}).ok

    page = open_page(browser, cloud, "/")
    with season_clock(SEASON, "2023-10-16T09:00:00"):
        sign_in(page, SEASON, PHONES[cid])
        step = "document.querySelector('#steps [aria-current=step]')?.textContent"
        page.wait_for_function(f"{step} === '准考证'")  # the step bar follows the season
        assert number in page.text_content("#next")
        with page.expect_download() as downloaded:
            page.click("#ticket")
        assert downloaded.value.suggested_filename == "准考证.pdf"
    with season_clock(SEASON, "2023-11-20T23:59:00"):
        page.click("#scores")
        page.wait_for_function("document.querySelector('#exam-error').textContent.length > 0")
        assert "成绩查询" in page.text_content("#exam-error")
    with season_clock(SEASON, "2023-11-21T08:00:00"):
        page.reload()
        page.wait_for_function(f"{step} === '成绩'")
        assert "成绩已发布" in page.text_content("#next")
        page.click("#scores")
        page.wait_for_selector("#score-table:not([hidden])")
    table = page.text_content("#score-table")
    assert "缺考" in table and "189" in table and "总分（不含照顾分）" in table
    page.screenshot(path=str(ARTIFACTS / "scores.png"), full_page=True)
    with season_clock(SEASON, "2024-01-22T09:00:00"):
        page.reload()
        page.wait_for_function(f"{step} === '录取'")
        assert "录取结果已可查询" in page.text_content("#next")

    qr = ticket_token(SEASON, number, cid, _sign)
    desk = open_page(browser, cloud, f"/verify.html#{qr}")  # the QR code's link, scanned
    desk.select_option("#season", "hunan-zsb-2024")  # the page's season: the ticket's rules
    staff_sign_in(desk, "operator")
    desk.wait_for_selector("#check:not([hidden])")
    desk.click("#check button[type=submit]")
    desk.wait_for_selector("#holder:not([hidden])")
    holder = desk.text_content("#holder-record")
    last4 = candidates.get(cid).id_masked[-4:]
    assert number in holder and f"身份证号后4位{last4}" in holder and "报名状态审核通过" in holder
    assert desk.text_content("#holder-verdict") == "核验通过"
    desk.screenshot(path=str(ARTIFACTS / "verify.png"), full_page=True)
    desk.fill("#check [name=token]", qr[:-3] + "abc")
    desk.click("#check button[type=submit]")
    desk.wait_for_selector('#check .error[data-for="token"]:not(:empty)')
    assert "签名不符" in desk.text_content('#check .error[data-for="token"]')
    fraud = {"kind": "fraud", "decision_no": "宁教考违〔2023〕7号", "description": "替考"}
    assert api.post(f"/v1/seasons/{SEASON}/candidates/{cid}/violations", seated, json=fraud).ok
    desk.fill("#check [name=token]", qr)
    desk.click("#check button[type=submit]")
    desk.wait_for_function("document.querySelector('#holder-verdict').className === 'error'")
    assert desk.text_content("#holder-verdict") == "该准考证无效：已取消资格，不得入场"


def test_an_operator_imports_sites_arranges_imports_scores_and_reads_statistics(
    browser: Any,
    api: Api,
    cloud: Any,
    seated: str,  # noqa: F811 - the imported fixture
) -> None:
    from tests.integration.test_arrangement import SITES
    from zhaokao.storage import candidates

    people = [sitter("640104") for _ in range(6)]
    sitter("640402")  # 固原: no site there nor next door — said on the page, per county
    desk = open_page(browser, cloud, "/exam.html", height=1600)
    desk.select_option("#season", SEASON)
    staff_sign_in(desk, "operator")
    desk.wait_for_selector("#desk:not([hidden])")

    def upload(selector: str, text: str) -> None:
        desk.set_input_files(
            selector, {"name": "f.csv", "mimeType": "text/csv", "buffer": text.encode()}
        )

    upload("#sites-file", SITES + "649999,01,无此县,—,1,30,0\n")
    desk.wait_for_selector("#sites-result table")
    assert "县区代码不是本考试季的县" in desk.text_content("#sites-result")
    upload("#sites-file", SITES)
    desk.wait_for_selector("#sites-result .ok")
    desk.click("#arrange")
    desk.wait_for_function(
        "document.querySelector('#arrange-progress').textContent.includes('编排完成')"
    )
    desk.wait_for_selector("#seating:not([hidden])")
    assert "银川一中" in desk.text_content("#seating")
    assert "名考生无法安排" in desk.text_content("#arrange-progress")
    notes = desk.text_content("#county-notes")
    assert "固原市原州区（640402）" in notes and "无法安排" in notes
    number = candidates.get(people[0]).exam_number
    header = "准考证号,科目代码,成绩,缺考\n"
    upload("#scores-file", f"{header}{number},zhengzhi,151,否\n")
    desk.wait_for_selector("#scores-result table")
    assert "成绩应为0至150的整数" in desk.text_content("#scores-result")
    upload("#scores-file", f"{header}{number},zhengzhi,90,否\n{number},yingyu,80,否\n")
    desk.wait_for_selector("#scores-result .ok")
    desk.click("#stats")
    desk.wait_for_selector("#chart img")
    assert "专升本·理工" in desk.text_content("#stats-table")  # words, not codes
    desk.screenshot(path=str(ARTIFACTS / "exam-desk.png"), full_page=True)
