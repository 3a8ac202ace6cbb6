"""Policy-as-data, proved: a third, invented season (``tests/fixtures/third-season.json``,
not a preset) runs registration, profile, review, preferences and payment on the same code,
which nowhere names it — three schools × three majors, one plan type, a fee of 100, its own
documents and windows, no exemptions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.integration.test_payments import wait_paid
from tests.support import (
    ADDRESS,
    PDF,
    PERSONAL,
    SEEDS,
    Api,
    jpeg,
    nx_person,
    season_clock,
    upload,
    wait_status,
)

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "third-season.json"
SEASON = "shifan-adult-2025"
BASE = f"/v1/seasons/{SEASON}"
SCHOOLS = [("90001", "示范大学"), ("90002", "示范理工学院"), ("90003", "示范师范学院")]
MAJORS = [("1001", "会计"), ("1002", "计算机应用技术"), ("1003", "学前教育")]


@pytest.fixture(scope="module")
def third(cloud: Any, api: Api) -> str:
    """The season installed as an operator would, its county reviewer and its catalogue."""
    from infra.local.demo import STAFF_PASSWORD, create_staff
    from zhaokao.domain.policy import load_policy
    from zhaokao.storage import seasons

    policy = load_policy(FIXTURE.read_text("utf-8"))
    assert seasons.install(policy, "test")
    cloud.sms.register(policy)  # its signature and templates, approved at the SMS gateway
    create_staff("sf-990101", "county_reviewer", "990101", SEASON, STAFF_PASSWORD)
    rows = ["院校代码,院校名称,专业代码,专业名称,计划类别,层次,计划数,医学类"] + [
        f"{school},{school_name},{major},{major_name},,gqz,30,否"
        for school, school_name in SCHOOLS
        for major, major_name in MAJORS
    ]
    operator = api.staff_token("operator")
    imported = api.post(f"{BASE}/catalogue/plans", operator, json={"csv": "\n".join(rows)})
    assert imported.status_code == 200 and imported.json()["imported"] == 9, imported.text
    return SEASON


def test_no_code_names_the_third_season() -> None:
    for folder in ("layers", "functions", "infra", "web"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in (".py", ".js", ".json", ".html", ".yaml"):
                assert "shifan" not in path.read_text("utf-8", errors="ignore"), path


def test_a_candidate_goes_from_registration_to_payment(api: Api, cloud: Any, third: str) -> None:
    phone = "13512345678"
    PERSONAL.add(phone)
    name, id_number = nx_person(next(SEEDS))
    PERSONAL.add(id_number)
    with season_clock(SEASON, "2025-03-05T10:00:00"):
        _, token = api.register_person(SEASON, name, id_number, phone, county_code="990101")
        me = api.get("/v1/me", token).json()
        profile = {"version": me["version"], "native_place": "示范市", "mailing_address": ADDRESS}
        refused = api.put("/v1/me/profile", token, json={**profile, "medical_major": True})
        assert refused.status_code == 422 and refused.json()["error"]["field"] == "medical_major"
        saved = api.put("/v1/me/profile", token, json={**profile, "education": "high_school"})
        assert saved.status_code == 200, saved.text
        needed = [u["code"] for u in saved.json()["uploads_needed"]]
        assert needed == ["photo", "diploma"]  # its own document list
        assert upload(api, token, "photo", jpeg(), "image/jpeg")["status"] == "accepted"
        assert upload(api, token, "diploma", PDF, "application/pdf")["status"] == "accepted"
        version = api.get("/v1/me", token).json()["version"]
        assert api.post("/v1/me/submission", token, json={"version": version}).ok
        me = wait_status(api, token, "under_review")
        assert [c["rule"] for c in me["checks"]] == ["sf.students", "sf.adult"]
        reviewer = api.staff_token("sf-990101")
        decision = {"decision": "approve", "version": me["version"]}
        decided = api.post(
            f"{BASE}/review/candidates/{me['candidate_id']}/decision", reviewer, json=decision
        )
        assert decided.status_code == 200 and decided.json()["status"] == "approved", decided.text
    with season_clock(SEASON, "2025-03-25T10:00:00"):
        version = api.get("/v1/me", token).json()["version"]
        three = [{"school": s, "majors": [m for m, _ in MAJORS]} for s, _ in SCHOOLS]
        choice = {"version": version, "schools": three}
        saved = api.put("/v1/me/preferences", token, json=choice)
        assert saved.status_code == 200, saved.text
        assert saved.json()["fee"] == 100
        four = {**choice, "version": saved.json()["version"], "schools": [*three, three[0]]}
        too_many = api.put("/v1/me/preferences", token, json=four)
        assert (
            too_many.status_code == 422 and too_many.json()["error"]["code"] == "too_many_schools"
        )
        started = api.post("/v1/me/payment", token)
        assert started.status_code == 201 and started.json()["amount_yuan"] == 100, started.text
        cloud.payments.pay(cloud.payments.order(started.json()["out_trade_no"]))
        assert wait_paid(api, token)["amount_yuan"] == 100
