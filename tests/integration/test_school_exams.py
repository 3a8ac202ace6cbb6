"""R10.4, R11.1 (seed 000 L86 "按照报考学校要求"): Hunan's exams are set by the schools — each
enters its own papers, place and rooms; the platform seats its paid, approved applicants
with a 准考证号; the tickets print Apr 18–20 with the school's times and place; each school
imports its own applicants' scores, and operators release them."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.integration.test_admission import PHONES, approved
from tests.integration.test_arrangement import finished
from tests.support import Api, season_clock

SEASON = "hunan-exams-2024"
BASE = f"/v1/seasons/{SEASON}"
PLANS = (
    "院校代码,院校名称,专业代码,专业名称,计划类别,层次,计划数,医学类\n"
    "10530,湘潭示范大学,080901,计算机科学与技术,ordinary,zsb,10,否\n"
    "10531,长沙示范学院,080901,计算机科学与技术,ordinary,zsb,10,否\n"
)


def exam(rooms: list[int], english_at: str = "2024-04-20T09:00:00") -> dict[str, Any]:
    english_end = english_at[:11] + f"{int(english_at[11:13]) + 2:02d}:00:00"
    return {
        "place": "湘潭示范大学南校区",
        "address": "湘潭市雨湖区示范路1号",
        "rooms": rooms,
        "papers": [
            {
                "subject": "yy",
                "name": "大学英语",
                "start": english_at,
                "end": english_end,
                "full_marks": 100,
            },
            {
                "subject": "zh",
                "name": "专业综合",
                "start": "2024-04-20T14:30:00",
                "end": "2024-04-20T17:00:00",
                "full_marks": 200,
            },
        ],
        "reason": "本校专升本考试安排",
    }


@pytest.fixture(scope="module")
def season(cloud: Any, api: Api) -> dict[str, str]:
    """Hunan's policy as a season of its own, its two schools' plans imported."""
    from zhaokao.storage import seasons

    hunan = seasons.get_season("hunan-zsb-2024").policy
    seasons.install(hunan.model_copy(update={"season_id": SEASON}), "test")
    operator = api.staff_token("operator")
    r = api.post(f"{BASE}/catalogue/plans", operator, json={"csv": PLANS})
    assert r.status_code == 200, r.text
    return {"operator": operator, "school": api.staff_token("school-demo")}  # 10530's


def applicant(school: str, paid: bool = True) -> str:
    from zhaokao.storage.models import PaymentRecord

    sets = {"preferences": {"plan_type": "ordinary", "schools": [{"school": school, "majors": []}]}}
    cid = approved(SEASON, "43001", "hn-exam", sets)
    if paid:
        PaymentRecord(key=f"paid#{cid}", kind="paid", candidate_id=cid, at=datetime.now(UTC)).save()
    return cid


def seat(api: Api, token: str, school: str) -> dict[str, Any]:
    started = api.post(f"{BASE}/schools/{school}/seating", token)
    assert started.status_code == 202, started.text
    url = f"{BASE}/schools/{school}/seating/{started.json()['run_id']}"
    return finished(api, token, url)


def test_a_school_enters_its_exam_seats_its_applicants_and_their_tickets_print(
    api: Api, season: dict[str, str]
) -> None:
    from tests.integration.test_rules_letter import _pdf_page
    from zhaokao.storage import candidates

    school, operator = season["school"], season["operator"]
    mine = [applicant("10530") for _ in range(3)]
    unpaid, theirs = applicant("10530", paid=False), applicant("10531")
    early = api.post(f"{BASE}/schools/10530/seating", school)
    assert early.status_code == 422 and early.json()["error"]["code"] == "no_school_exam"
    bad = {**exam([2, 1]), "papers": [{**exam([1])["papers"][0], "end": "2024-04-20T08:00:00"}]}
    r = api.put(f"{BASE}/schools/10530/exam", school, json=bad)
    assert r.status_code == 422 and r.json()["error"]["field"] == "papers[0].end", r.text
    twice = {**exam([2]), "papers": [exam([2])["papers"][0]] * 2}
    r = api.put(f"{BASE}/schools/10530/exam", school, json=twice)
    assert r.status_code == 422 and r.json()["error"]["field"] == "papers[1].subject", r.text
    r = api.put(f"{BASE}/schools/10530/exam", school, json=exam([2, 1]))
    assert r.status_code == 200 and r.json()["seats"] == 3, r.text
    assert r.json()["papers"][0]["when"] == "04月20日 09:00—11:00"
    other = api.put(f"{BASE}/schools/10531/exam", school, json=exam([5]))
    assert other.status_code == 404  # another school's exam is not this school's to set

    run = seat(api, school, "10530")
    assert run["status"] == "done" and run["new"] == 3 and run["unplaced"] == 0, run
    numbers = {c: candidates.get(c).exam_number for c in [*mine, unpaid, theirs]}
    assert numbers[unpaid] is None and numbers[theirs] is None  # unpaid; another school's
    assert len({numbers[c] for c in mine}) == 3
    assert all(re.fullmatch(r"2410530001\d{5}", str(numbers[c])) for c in mine)

    body = {"season_id": SEASON, "phone": PHONES[mine[0]], "password": "abc12345"}
    token = api.post("/v1/auth/token", json=body).json()["access_token"]
    with season_clock(SEASON, "2024-04-17T23:00:00"):
        assert api.get("/v1/me/ticket", token).status_code == 403
    with season_clock(SEASON, "2024-04-18T09:00:00"):
        ticket = api.get("/v1/me/ticket", token)
    assert ticket.status_code == 200, ticket.text[:300]
    text = _pdf_page(ticket.content, "hunan-ticket.png")
    for words in ("湘潭示范大学南校区", "大学英语", "04月20日 09:00—11:00", "专业综合"):
        assert words in text, words
    assert str(numbers[mine[0]]) in text and "尚未安排" not in text

    # the school moves a paper: who is seated is told by SMS, and the ticket follows
    moved = api.put(f"{BASE}/schools/10530/exam", school, json=exam([2, 1], "2024-04-21T08:00:00"))
    assert moved.status_code == 200 and moved.json()["moved"] == ["yy"], moved.text
    from tests.support import sms_containing

    assert "大学英语改为04月21日 08:00—10:00" in sms_containing(api, "大学英语改为")
    with season_clock(SEASON, "2024-04-18T09:00:00"):
        again = api.get("/v1/me/ticket", token)
    assert "04月21日 08:00—10:00" in _pdf_page(again.content, "hunan-ticket-moved.png")

    # the rooms hold fewer than the applicants: said on the run, nobody silently dropped
    api.put(f"{BASE}/schools/10530/exam", school, json=exam([2]))
    short = seat(api, operator, "10530")
    assert short["unplaced"] == 1 and "不足" in short["notes"][0]["reason"], short


def test_each_school_imports_its_own_applicants_scores_and_operators_release_them(
    api: Api, season: dict[str, str]
) -> None:
    from zhaokao.storage import candidates

    school, operator = season["school"], season["operator"]
    api.put(f"{BASE}/schools/10530/exam", school, json=exam([30]))
    api.put(f"{BASE}/schools/10531/exam", operator, json=exam([30]))
    mine, theirs = applicant("10530"), applicant("10531")
    assert seat(api, school, "10530")["status"] == "done"
    assert seat(api, operator, "10531")["status"] == "done"
    number, other = candidates.get(mine).exam_number, candidates.get(theirs).exam_number

    header = "准考证号,科目代码,成绩,缺考\n"
    refused = api.post(f"{BASE}/scores", operator, json={"csv": f"{header}{number},yy,80,否\n"})
    assert refused.status_code == 403  # the schools import their own (R11.1)
    csv = f"{header}{number},yy,80,否\n{other},yy,70,否\n{number},zh,201,否\n{number},sx,50,否\n"
    report = api.post(f"{BASE}/scores", school, json={"csv": csv}).json()
    assert report["imported"] == 0 and {(p["row"], p["field"]) for p in report["problems"]} == {
        (3, "exam_number"),  # another school's applicant
        (4, "score"),  # over the paper's 200
        (5, "subject"),  # not a paper of this school's exam
    }, report
    assert "不是本校考生" in report["problems"][0]["message"]
    good = f"{header}{number},yy,80,否\n{number},zh,150,否\n"
    done = api.post(f"{BASE}/scores", school, json={"csv": good}).json()
    assert done["imported"] == 2 and done["candidates"] == 1, done

    body = {"season_id": SEASON, "phone": PHONES[mine], "password": "abc12345"}
    token = api.post("/v1/auth/token", json=body).json()["access_token"]
    assert api.get("/v1/me/scores", token).status_code == 403  # not released yet
    window = {"start": "2024-05-10T10:00:00", "end": "2024-05-20T17:00:00", "reason": "成绩发布"}
    released = api.put(f"{BASE}/windows/score_release", operator, json=window)
    assert released.status_code == 200, released.text
    with season_clock(SEASON, "2024-05-10T10:01:00"):
        scores = api.get("/v1/me/scores", token).json()
    assert scores["total"] == 230, scores
    assert [s["name"] for s in scores["subjects"]] == ["大学英语", "专业综合"]
