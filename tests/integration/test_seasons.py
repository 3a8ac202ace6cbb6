"""R1 through the API: seasons, their phase, audited clock pins and window extensions."""

from __future__ import annotations

from tests.support import Api


def test_seasons_are_listed_with_their_phase(api: Api) -> None:
    seasons = {s["season_id"]: s for s in api.get("/v1/seasons").json()}
    assert set(seasons) >= {"hunan-zsb-2024", "ningxia-adult-2023"}
    hunan = api.get("/v1/seasons/hunan-zsb-2024").json()
    assert hunan["open_windows"] == ["registration", "profile"]
    registration = next(w for w in hunan["windows"] if w["name"] == "registration")
    assert registration["text"] == "2024年1月29日08:00至2024年2月2日17:00" and registration["open"]
    assert api.get("/v1/seasons/nowhere-2030").status_code == 404


def test_an_extension_is_audited_and_takes_effect(api: Api) -> None:
    operator = api.staff_token("operator")
    path = "/v1/seasons/ningxia-adult-2023/windows/payment/extension"
    r = api.post(path, operator, json={"end": "2023-09-11T18:00:00", "reason": "系统维护顺延一天"})
    assert r.status_code == 200, r.text
    payment = next(w for w in r.json()["windows"] if w["name"] == "payment")
    assert payment["end"] == "2023-09-11T18:00:00+08:00"
    earlier = api.post(path, operator, json={"end": "2023-09-10T18:00:00", "reason": "缩短"})
    assert earlier.status_code == 409 and earlier.json()["error"]["field"] == "end"
    unknown = api.post(
        "/v1/seasons/ningxia-adult-2023/windows/lunch/extension",
        operator,
        json={"end": "2023-09-11T18:00:00", "reason": "x" * 3},
    )
    assert unknown.status_code == 422 and unknown.json()["error"]["field"] == "window"
    trail = api.get("/v1/seasons/ningxia-adult-2023/audit", operator).json()
    entry = next(e for e in trail if e["action"] == "season.window_extended.payment")
    assert entry["actor"] == "operator:operator" and entry["reason"] == "系统维护顺延一天"
    assert entry["before"]["end"] == "2023-09-10T18:00:00+08:00"
    assert entry["after"]["end"] == "2023-09-11T18:00:00+08:00"


def test_only_operators_change_seasons(api: Api) -> None:
    college = api.staff_token("hn-43001")
    r = api.put("/v1/seasons/hunan-zsb-2024/clock", college, json={"at": "2024-01-15T10:00:00"})
    assert r.status_code == 403
    assert api.get("/v1/seasons/hunan-zsb-2024/audit", college).status_code == 403


def test_next_years_season_from_a_preset(api: Api) -> None:
    operator = api.staff_token("operator")
    body = {"season_id": "hunan-zsb-2025", "from_season": "hunan-zsb-2024"}
    r = api.post("/v1/seasons", operator, json=body)
    assert r.status_code == 201, r.text
    registration = next(w for w in r.json()["windows"] if w["name"] == "registration")
    assert registration["start"] == "2025-01-29T08:00:00+08:00"
    assert api.post("/v1/seasons", operator, json=body).status_code == 409
    bad = api.post("/v1/seasons", operator, json={**body, "season_id": "Bad Name"})
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "season_id"


def test_the_clock_pin_is_audited(api: Api) -> None:
    operator = api.staff_token("operator")
    trail = api.get("/v1/seasons/hunan-zsb-2024/audit", operator).json()
    assert any(e["action"] == "season.clock_pinned" for e in trail)


def test_what_the_fuzzer_found_is_refused_in_the_error_shape(api: Api) -> None:
    """``make fuzz`` found each of these a 500 or accepted; each is now a 4xx naming its field."""
    operator = api.staff_token("operator")
    # a window with only a start: an end before it is a conflict, not an invalid policy
    path = "/v1/seasons/ningxia-adult-2023/windows/admission_query/extension"
    r = api.post(path, operator, json={"end": "2000-01-01T00:00:00Z", "reason": "00"})
    assert r.status_code == 409 and r.json()["error"]["field"] == "end", r.text
    # a time is text: 0 is not 1970
    r = api.put("/v1/seasons/hunan-zsb-2024/clock", operator, json={"at": 0})
    assert r.status_code == 422 and r.json()["error"]["field"] == "at", r.text
    assert r.json()["error"]["message"] == "时间格式应为 YYYY-MM-DDTHH:MM"
    # ids no season or record can have: never a key DynamoDB refuses
    for season in ("__main__", "a" * 65, "%C3%A9"):
        assert api.get(f"/v1/seasons/{season}").status_code == 404, season
    college = api.staff_token("hn-43001")
    r = api.get("/v1/seasons/hunan-zsb-2024/roster-imports/" + "9" * 129, college)
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    r = api.post("/v1/auth/token", None, json={"season_id": "", "phone": "1", "password": "x"})
    assert r.status_code == 422 and r.json()["error"]["field"] == "season_id"
