"""R1.3: every window the policies declare guards exactly the actions it names — each is
refused one minute before the window opens and one minute after it closes, the window
named in the error, and is not refused for its window inside it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
import requests

from tests.integration.test_review_rules import hunan_candidate, submit
from tests.support import (
    ADDRESS,
    PDF,
    SEEDS,
    Api,
    fresh_graduate,
    ningxia_profile,
    preset_policy,
    ready,
    register_ningxia,
    season_clock,
    upload,
    wait_status,
)

HN, NX = "hunan-zsb-2024", "ningxia-adult-2023"
LABELS = {  # as the candidate and the reviewer read them (domain/windows.WINDOW_LABELS)
    "registration": "注册报名",
    "roster_import": "学籍导入",
    "profile": "信息完善",
    "review": "资格审核",
    "special_review": "专项资格审核",
    "preferences": "志愿填报",
    "payment": "网上缴费",
    "ticket_printing": "准考证打印",
    "score_release": "成绩查询",
}
# Windows whose actions come with later work (admission: issue 16)
LATER = {"admission_query"}

Attempt = Callable[[Api, dict[str, Any]], requests.Response]


def _decide(reviewer: str, file: str, decision: str = "approve") -> Attempt:
    def attempt(api: Api, who: dict[str, Any]) -> requests.Response:
        season, cid = who[file]
        body = {"decision": decision, "version": 999}  # stale inside: 409, never a change
        url = f"/v1/seasons/{season}/review/candidates/{cid}/decision"
        return api.post(url, api.staff_token(reviewer), json=body)

    return attempt


def _as(candidate: str, method: str, path: str, body: Callable[[dict[str, Any]], Any]) -> Attempt:
    def attempt(api: Api, who: dict[str, Any]) -> requests.Response:
        token = who[candidate]
        return api.call(method, path, token, json=body(api.get("/v1/me", token).json()))

    return attempt


def _profile(season: str) -> Callable[[dict[str, Any]], Any]:
    def body(me: dict[str, Any]) -> Any:
        if season == NX:
            return ningxia_profile(me["version"] + 100)  # stale inside: 409
        return {
            "version": me["version"] + 100,
            "native_place": "湖南长沙",
            "mailing_address": ADDRESS,
        }

    return body


def _anonymous(season: str, path: str, body: dict[str, Any]) -> Attempt:
    return lambda api, who: api.post(f"/v1/seasons/{season}{path}", json=body)


REGISTRATION = {
    "name": "张三",
    "id_number": "110101199003074514",
    "phone": "13700000000",
    "otp": "000000",  # a wrong code inside: 422
    "password": "abc12345",
    "pledge": True,
}
ROSTER = "/roster-imports"
CHOICE = {"version": 1, "plan_type": "ordinary", "schools": [{"school": "10001", "majors": ["1"]}]}
NX_CHOICE = {**CHOICE, "plan_type": None, "level": "zsb"}
PHOTO = {"code": "photo", "content_type": "image/jpeg"}
STALE = {"version": 999}
CASES: list[tuple[str, str, str, Attempt]] = [
    (HN, "registration", "code", _anonymous(HN, "/otp", {"phone": "13700000001"})),
    (HN, "registration", "register", _anonymous(HN, "/registrations", REGISTRATION)),
    (NX, "registration", "code", _anonymous(NX, "/otp", {"phone": "13700000002"})),
    (
        NX,
        "registration",
        "register",
        _anonymous(NX, "/registrations", {**REGISTRATION, "county_code": "640104"}),
    ),
    (
        HN,
        "roster_import",
        "import",
        lambda api, who: api.post(f"/v1/seasons/{HN}{ROSTER}", api.staff_token("hn-43001")),
    ),
    (HN, "profile", "profile", _as("hn", "PUT", "/v1/me/profile", _profile(HN))),
    (NX, "profile", "profile", _as("nx", "PUT", "/v1/me/profile", _profile(NX))),
    (
        HN,
        "profile",
        "upload",
        _as(
            "hn",
            "POST",
            "/v1/me/uploads",
            lambda me: {"code": "photo", "content_type": "image/jpeg"},
        ),
    ),
    (
        NX,
        "profile",
        "upload",
        _as(
            "nx",
            "POST",
            "/v1/me/uploads",
            lambda me: {"code": "photo", "content_type": "image/jpeg"},
        ),
    ),
    (HN, "profile", "submit", _as("hn", "POST", "/v1/me/submission", lambda me: STALE)),
    (NX, "profile", "submit", _as("nx", "POST", "/v1/me/submission", lambda me: STALE)),
    (HN, "review", "college decides", _decide("hn-43001", "hn_file")),
    (NX, "review", "county decides", _decide("nx-640104", "nx_file")),
    (HN, "special_review", "province decides", _decide("hn-province", "hn_file")),
    (NX, "special_review", "on-site decision", _decide("nx-640104", "nx_on_site")),
    (HN, "preferences", "save", _as("hn", "PUT", "/v1/me/preferences", lambda me: CHOICE)),
    (
        NX,
        "preferences",
        "save",
        _as(
            "nx",
            "PUT",
            "/v1/me/preferences",
            lambda me: {**CHOICE, "plan_type": None, "level": "zsb"},
        ),
    ),
    (
        NX,
        "preferences",
        "confirm",
        _as("nx", "POST", "/v1/me/preferences/confirmation", lambda me: STALE),
    ),
    (HN, "payment", "pay", _as("hn", "POST", "/v1/me/payment", lambda me: None)),
    (HN, "ticket_printing", "ticket", lambda api, who: api.get("/v1/me/ticket", who["hn"])),
    (NX, "ticket_printing", "ticket", lambda api, who: api.get("/v1/me/ticket", who["nx"])),
    (NX, "score_release", "scores", lambda api, who: api.get("/v1/me/scores", who["nx"])),
    (NX, "payment", "pay", _as("nx", "POST", "/v1/me/payment", lambda me: None)),
]


def test_every_declared_window_has_its_cases() -> None:
    for season in (HN, NX):
        declared = set(preset_policy(season)["windows"])
        tested = {window for s, window, _, _ in CASES if s == season}
        assert declared - LATER == tested, season


@pytest.fixture(scope="module")
def who(api: Api, cloud: Any) -> dict[str, Any]:
    """A registered candidate of each season, and files waiting for each kind of review."""
    phones = iter(range(13600000000, 13600099999, 97))
    _, hn = api.register(fresh_graduate(cloud), str(next(phones)))
    _, nx = register_ningxia(api, str(next(phones)), next(SEEDS))
    hn_file, hn_token, _ = hunan_candidate(api, cloud, str(next(phones)), category="poverty_family")
    assert upload(api, hn_token, "poverty_proof", PDF, "application/pdf")["status"] == "accepted"
    submit(api, hn_token)
    nx_file, nx_token, version = ready(api, str(next(phones)))
    api.post("/v1/me/submission", nx_token, json={"version": version})
    site, site_token, version = ready(api, str(next(phones)), bonus_claims=["veteran"])
    api.post("/v1/me/submission", site_token, json={"version": version})
    wait_status(api, hn_token, "under_review")
    wait_status(api, nx_token, "under_review")
    wait_status(api, site_token, "on_site")
    return {
        "hn": hn,
        "nx": nx,
        "hn_file": (HN, hn_file),
        "nx_file": (NX, nx_file),
        "nx_on_site": (NX, site),
    }


def _at(moment: datetime, minutes: int) -> str:
    return (moment + timedelta(minutes=minutes)).replace(tzinfo=None).isoformat()


@pytest.mark.parametrize(
    "season,window,action,attempt", CASES, ids=[f"{s[:2]}-{w}-{a}" for s, w, a, _ in CASES]
)
def test_an_action_is_refused_outside_its_window(
    api: Api, who: dict[str, Any], season: str, window: str, action: str, attempt: Attempt
) -> None:
    from zhaokao.storage import seasons

    bounds = seasons.get_season(season).policy.windows[window]
    edges = [(bounds.start, -1), (bounds.end, 1)]
    for edge, minutes in [(t, m) for t, m in edges if t is not None]:
        with season_clock(season, _at(edge, minutes)):
            r = attempt(api, who)
        assert r.status_code == 403, (edge, minutes, r.text)
        error = r.json()["error"]
        assert error["code"] == "window_closed" and LABELS[window] in error["message"], error
    inside = (
        bounds.end - timedelta(minutes=1) if bounds.end else bounds.start + timedelta(minutes=1)
    )
    with season_clock(season, _at(inside, 0)):
        r = attempt(api, who)
    assert r.json().get("error", {}).get("code") != "window_closed", r.text
