"""R8 through the local cloud: the catalogue, saving, history, restore, confirm, notices."""

from __future__ import annotations

import csv
import io
from typing import Any

from tests.support import (
    CLOSE,
    SEEDS,
    Api,
    approve,
    fresh_graduate,
    hunan_clock,
    ningxia_profile,
    register_ningxia,
)

NX, HN = "/v1/seasons/ningxia-adult-2023", "/v1/seasons/hunan-zsb-2024"
CHOICE = {
    "level": "zsb",
    "subject_category": "ligong",
    "schools": [
        {"school": "10749", "majors": ["080901", "080902"]},
        {"school": "11407", "majors": ["080703"]},
    ],
}


def ningxia_candidate(api: Api, phone: str) -> tuple[str, str]:
    cid, token = register_ningxia(api, phone, next(SEEDS))
    version = api.get("/v1/me", token).json()["version"]
    assert api.put("/v1/me/profile", token, json=ningxia_profile(version)).ok
    return cid, token


def version(api: Api, token: str) -> int:
    return int(api.get("/v1/me/preferences", token).json()["version"])


def shown_rules(api: Api, token: str) -> list[str]:
    return list(api.get("/v1/me/preferences", token).json()["rules"])


def test_the_catalogue_is_public_and_filtered(api: Api) -> None:
    page = api.get(f"{NX}/catalogue", params={"plan_type": "ligong", "limit": 2}).json()
    assert page["total"] == 4 and len(page["items"]) == 2
    found = api.get(f"{NX}/catalogue", params={"q": "医科"}).json()["items"]
    assert {i["major_name"] for i in found} == {"护理学", "中医学"}


def test_save_history_restore_confirm(api: Api, phone: str) -> None:
    _, token = ningxia_candidate(api, phone)
    r = api.put("/v1/me/preferences", token, json={**CHOICE, "version": version(api, token)})
    assert r.status_code == 200, r.text
    first = r.json()
    assert "志愿确认后不能再修改；确认前每次保存都会留存版本，可恢复。" in shown_rules(api, token)
    assert (
        first["saved"] == 1
        and first["fee"] == 145
        and first["choice"]["schools"][1]["school"] == "11407"
    )
    second = {**CHOICE, "schools": [{"school": "10749", "majors": ["080902"]}]}
    assert api.put("/v1/me/preferences", token, json={**second, "version": first["version"]}).ok
    stale = api.put("/v1/me/preferences", token, json={**CHOICE, "version": first["version"]})
    assert stale.status_code == 409
    shown = api.get("/v1/me/preferences", token).json()
    assert [h["no"] for h in shown["history"]] == [2, 1]
    assert shown["labels"] == {
        "10749": "宁夏大学",
        "10749/080901": "计算机科学与技术",
        "10749/080902": "软件工程",
        "11407": "北方民族大学",
        "11407/080703": "通信工程",
    }
    restored = api.post(
        "/v1/me/preferences/restore", token, json={"no": 1, "version": shown["version"]}
    )
    assert restored.json()["saved"] == 3 and restored.json()["choice"] == first["choice"]
    assert api.get("/v1/me/preferences", token).json()["history"][0]["restored_from"] == 1
    masked = phone[:3] + "****" + phone[-4:]
    texts = [m["text"] for m in api.get("/local/outbox").json() if m["to"] == masked]
    assert sum("志愿已保存" in t for t in texts) == 2 and any("恢复为第1版" in t for t in texts)
    confirmed = api.post(
        "/v1/me/preferences/confirmation", token, json={"version": restored.json()["version"]}
    )
    assert confirmed.json()["confirmed"] is True
    locked = api.put(
        "/v1/me/preferences", token, json={**CHOICE, "version": confirmed.json()["version"]}
    )
    assert locked.status_code == 422 and locked.json()["error"]["code"] == "confirmed"


def test_a_forbidden_choice_names_the_field_and_the_rule(api: Api, phone: str) -> None:
    _, token = ningxia_candidate(api, phone)
    medical = {
        "level": "zsb",
        "subject_category": "yixue",
        "schools": [{"school": "10752", "majors": ["101101"]}],
    }
    r = api.put("/v1/me/preferences", token, json={**medical, "version": version(api, token)})
    assert r.status_code == 422
    assert (
        r.json()["error"]["field"] == "subject_category"
        and "非医学类专科生" in r.json()["error"]["message"]
    )
    three = {
        **CHOICE,
        "schools": [{"school": s, "majors": ["080901"]} for s in ("10749", "11407", "10752")],
    }
    r = api.put("/v1/me/preferences", token, json={**three, "version": version(api, token)})
    assert r.json()["error"]["code"] == "too_many_schools"
    assert api.get("/v1/me/preferences", token).json()["saved"] == 0  # nothing stored


def test_hunan_one_close_major_of_an_approved_plan_type(api: Api, cloud: Any, phone: str) -> None:
    g = fresh_graduate(cloud)  # majors cycle: the 61st… graduate's major decides the links
    cid, token = api.register(g, phone)
    approve(cid)
    with hunan_clock("2024-03-22T09:00:00"):
        mine = api.get("/v1/me/preferences", token).json()
        assert mine["offered_plan_types"] == ["ordinary"] and mine["fee"] == 130
        close = CLOSE[g.major]
        body = {"plan_type": "ordinary", "schools": [{"school": close[0], "majors": [close[1]]}]}
        r = api.put("/v1/me/preferences", token, json={**body, "version": mine["version"]})
        assert r.status_code == 200, r.text
        soldier = {**body, "plan_type": "retired_soldier", "version": r.json()["version"]}
        refused = api.put("/v1/me/preferences", token, json=soldier)
        assert refused.status_code == 422 and refused.json()["error"]["field"] == "plan_type"
    closed = api.put("/v1/me/preferences", token, json={**body, "version": r.json()["version"]})
    assert closed.status_code == 403 and "志愿填报" in closed.json()["error"]["message"]


def test_operators_import_a_catalogue_row_by_row(api: Api) -> None:
    operator = api.staff_token("operator")
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(
        ["院校代码", "院校名称", "专业代码", "专业名称", "计划类别", "层次", "计划数", "医学类"]
    )
    w.writerow(["10749", "宁夏大学", "080901", "计算机科学与技术", "ligong", "zsb", "x", "否"])
    w.writerow(["10749", "宁夏大学", "080902", "软件工程", "shuxue", "zsb", "10", "也许"])
    bad = api.post(f"{NX}/catalogue/plans", operator, json={"csv": out.getvalue()}).json()
    assert bad["imported"] == 0 and {(p["row"], p["field"]) for p in bad["problems"]} == {
        (2, "seats"),
        (3, "plan_type"),
        (3, "medical"),
    }
    assert api.get(f"{NX}/catalogue").json()["total"] == 10  # nothing replaced
    missing = api.post(f"{NX}/catalogue/plans", operator, json={"csv": "院校代码\n1\n"})
    assert missing.status_code == 422 and "缺少列" in missing.json()["error"]["message"]
