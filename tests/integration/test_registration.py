"""R3 end to end through the local cloud: code, register, sign in, my record."""

from __future__ import annotations

import concurrent.futures as cf
from typing import Any

import pytest

from tests.support import PERSONAL, Api
from zhaokao.storage.models import CandidateRecord, UniqueRecord

HUNAN = "/v1/seasons/hunan-zsb-2024"
NINGXIA = "/v1/seasons/ningxia-adult-2023"


def graduate(cloud: Any, index: int) -> Any:
    return cloud.demo["graduates"][index]


def form(g: Any, phone: str, code: str, **changes: Any) -> dict[str, Any]:
    return {
        "name": g.name,
        "id_number": g.id_number,
        "phone": phone,
        "otp": code,
        "password": "abc12345",
        "pledge": True,
        **changes,
    }


def error(response: Any) -> dict[str, Any]:
    return response.json()["error"]


def test_a_listed_graduate_registers_signs_in_and_sees_their_record(cloud, api: Api, phone) -> None:
    g = graduate(cloud, 0)
    sent = api.post(f"{HUNAN}/otp", json={"phone": phone})
    assert sent.status_code == 200 and sent.json()["sent_to"] == phone[:3] + "****" + phone[-4:]
    r = api.post(f"{HUNAN}/registrations", json=form(g, phone, api.last_code(phone)))
    assert r.status_code == 201, r.text
    candidate_id = r.json()["candidate_id"]
    token = api.post(
        "/v1/auth/token",
        json={"season_id": "hunan-zsb-2024", "phone": phone, "password": "abc12345"},
    ).json()["access_token"]
    me = api.get("/v1/me", token)
    assert me.status_code == 200
    body = me.json()
    assert body["candidate_id"] == candidate_id and body["name"] == g.name
    assert body["college_code"] == "43001" and body["status"] == "registered"
    assert body["id_number"] == g.id_number[:3] + "*" * 11 + g.id_number[-4:]
    assert body["phone"] == phone[:3] + "****" + phone[-4:]
    assert g.id_number not in me.text and phone not in me.text


def test_stored_personal_data_is_hashed_or_encrypted(cloud, api: Api, phone) -> None:
    g = graduate(cloud, 1)
    api.post(f"{HUNAN}/otp", json={"phone": phone})
    r = api.post(f"{HUNAN}/registrations", json=form(g, phone, api.last_code(phone)))
    raw = cloud.client("dynamodb").get_item(
        TableName="CandidatesTable", Key={"candidate_id": {"S": r.json()["candidate_id"]}}
    )["Item"]
    assert g.id_number not in str(raw) and phone not in str(raw)


def test_one_phone_once_and_one_id_once(cloud, api: Api, phone) -> None:
    g = graduate(cloud, 2)
    api.post(f"{HUNAN}/otp", json={"phone": phone})
    assert (
        api.post(f"{HUNAN}/registrations", json=form(g, phone, api.last_code(phone))).status_code
        == 201
    )
    again = api.post(f"{HUNAN}/otp", json={"phone": phone})  # as for any phone: no 409 tells
    assert again.status_code == 429 and error(again)["code"] == "otp_too_soon"  # R17.4
    second = str(int(phone) + 1)
    PERSONAL.add(second)
    api.post(f"{HUNAN}/otp", json={"phone": second})
    taken = api.post(f"{HUNAN}/registrations", json=form(g, second, api.last_code(second)))
    assert taken.status_code == 409 and error(taken)["field"] == "id_number"
    assert api.post(f"{HUNAN}/otp", json={"phone": second}).status_code == 429  # once a minute


def test_fifty_concurrent_registrations_of_one_phone(cloud, api: Api, phone) -> None:
    """R3.2: exactly one 201, 49 × 409, and no sentinel or record left by the losers."""
    from zhaokao.storage import otp
    from zhaokao.storage.candidates import id_key, phone_key

    people = cloud.demo["graduates"][10:50] + cloud.demo["graduates"][:10]
    keys = {g.id_number: id_key("hunan-zsb-2024", g.id_number) for g in people}
    before = {k for k in keys.values() if _exists(k)}
    candidates_before = CandidateRecord.by_unit.count("hunan-zsb-2024#43001")
    api.post(f"{HUNAN}/otp", json={"phone": phone})
    code = api.last_code(phone)
    consume = otp.consume  # 50 requests each need a valid code: one-use is tested apart
    otp.consume = lambda *a, **k: None  # type: ignore[assignment]
    try:
        with cf.ThreadPoolExecutor(max_workers=25) as pool:
            results = list(
                pool.map(
                    lambda g: Api(api.base, api.edge).post(
                        f"{HUNAN}/registrations", json=form(g, phone, code)
                    ),
                    people,
                )
            )
    finally:
        otp.consume = consume  # type: ignore[assignment]
    codes = sorted(r.status_code for r in results)
    winners = [(g, r) for g, r in zip(people, results, strict=True) if r.status_code == 201]
    assert len(winners) == 1 and codes.count(409) == 49, codes
    assert all(error(r)["field"] in ("phone", "id_number") for r in results if r.status_code == 409)
    g, r = winners[0]
    winner = r.json()["candidate_id"]
    after = {k for k in keys.values() if _exists(k)}
    assert after - before == {keys[g.id_number]}  # the losers left no ID sentinel
    assert UniqueRecord.get(keys[g.id_number]).owner == winner
    assert UniqueRecord.get(phone_key("hunan-zsb-2024", phone)).owner == winner
    assert CandidateRecord.get(winner).status == "registered"
    # the losers left no candidate record either, and the winner signs in at once
    assert CandidateRecord.by_unit.count("hunan-zsb-2024#43001") == candidates_before + 1
    signed = api.post(
        "/v1/auth/token",
        json={"season_id": "hunan-zsb-2024", "phone": phone, "password": "abc12345"},
    )
    assert signed.status_code == 200 and api.get("/v1/me", signed.json()["access_token"]).ok


def _exists(key: str) -> bool:
    return UniqueRecord.count(key) > 0


def test_not_on_the_roster(api: Api, phone) -> None:
    api.post(f"{HUNAN}/otp", json={"phone": phone})
    r = api.post(
        f"{HUNAN}/registrations",
        json={
            "name": "王芳",
            "id_number": "11010519491231002X",
            "phone": phone,
            "otp": api.last_code(phone),
            "password": "abc12345",
            "pledge": True,
        },
    )
    assert r.status_code == 422 and error(r)["code"] == "not_in_roster"


@pytest.mark.parametrize(
    ("changes", "status", "field"),
    [
        ({"id_number": "110105194912310021"}, 422, "id_number"),
        ({"phone": "12345"}, 422, "phone"),
        ({"password": "1234"}, 422, "password"),
        ({"otp": "000000"}, 422, "otp"),
        ({"surprise": True}, 422, "surprise"),
        ({"name": None}, 422, "name"),
    ],
)
def test_bad_registrations_name_the_field(cloud, api: Api, phone, changes, status, field) -> None:
    g = graduate(cloud, 4)
    api.post(f"{HUNAN}/otp", json={"phone": phone})
    body = {
        k: v
        for k, v in {**form(g, phone, api.last_code(phone)), **changes}.items()
        if v is not None
    }
    r = api.post(f"{HUNAN}/registrations", json=body)
    assert r.status_code == status, r.text
    assert error(r)["field"] == field and error(r)["message"]


def test_wrong_codes_lock_after_five(cloud, api: Api, phone) -> None:
    g = graduate(cloud, 5)
    api.post(f"{HUNAN}/otp", json={"phone": phone})
    code = api.last_code(phone)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    messages = [
        error(api.post(f"{HUNAN}/registrations", json=form(g, phone, wrong)))["code"]
        for _ in range(5)
    ]
    assert messages == ["otp_wrong"] * 4 + ["otp_locked"]
    locked = api.post(f"{HUNAN}/registrations", json=form(g, phone, code))
    assert error(locked)["code"] == "otp_locked"


def test_outside_the_window_names_it(api: Api, phone) -> None:
    r = api.post("/v1/seasons/hunan-zsb-2024/roster-imports")
    assert r.status_code == 401  # staff only; and the candidate routes:
    from datetime import datetime

    from zhaokao.domain.windows import CST
    from zhaokao.storage import seasons

    seasons.pin_clock("hunan-zsb-2024", datetime(2024, 2, 3, 9, tzinfo=CST), "test")
    try:
        seasons.forget_cache()
        closed = api.post(f"{HUNAN}/otp", json={"phone": phone})
        assert closed.status_code == 403 and error(closed)["code"] == "window_closed"
        assert "注册报名" in error(closed)["message"]
    finally:
        seasons.pin_clock("hunan-zsb-2024", datetime(2024, 1, 29, 10, tzinfo=CST), "test")
        seasons.forget_cache()


def test_ningxia_registers_in_a_county(api: Api, phone) -> None:
    api.post(f"{NINGXIA}/otp", json={"phone": phone})
    body = {
        "name": "马丽",
        "id_number": "640104199001011234",
        "phone": phone,
        "otp": api.last_code(phone),
        "password": "abc12345",
        "pledge": True,
    }
    from stdnum.cn import ric

    body["id_number"] = body["id_number"][:17] + ric.calc_check_digit(body["id_number"])
    PERSONAL.add(body["id_number"])
    missing = api.post(f"{NINGXIA}/registrations", json=body)
    assert missing.status_code == 422 and error(missing)["field"] == "county_code"
    api.post(f"{NINGXIA}/otp", json={"phone": phone})  # the failed try used the code
    body["otp"] = api.last_code(phone)
    r = api.post(f"{NINGXIA}/registrations", json={**body, "county_code": "640104"})
    assert r.status_code in (201, 429), r.text


def test_staff_and_candidates_cannot_use_each_others_routes(cloud, api: Api) -> None:
    staff = api.staff_token("hn-43001")
    assert api.get("/v1/me", staff).status_code == 403
    assert api.get("/v1/me", "not-a-token").status_code == 401
    bad = api.post("/v1/auth/staff-token", json={"username": "hn-43001", "password": "wrong1234"})
    assert bad.status_code == 401 and error(bad)["code"] == "bad_credentials"


def test_a_body_that_is_not_json_gets_the_error_shape(api: Api) -> None:
    r = api.post(f"{HUNAN}/otp", data=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 422 and error(r)["code"] == "validation_error"
    empty = api.post(f"{HUNAN}/otp", json={})
    assert empty.status_code == 422 and error(empty)["field"] == "phone"


FULL = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


def test_a_full_width_id_number_is_the_same_person(cloud, api: Api, phone) -> None:
    """R3.5: one person, one identity — typed half-width, full-width or spaced."""
    from tests.support import fresh_graduate

    g = fresh_graduate(cloud)
    api.post(f"{HUNAN}/otp", json={"phone": phone.translate(FULL)})  # the same phone
    typed = g.id_number.translate(FULL)
    r = api.post(
        f"{HUNAN}/registrations", json=form(g, phone, api.last_code(phone), id_number=typed)
    )
    assert r.status_code == 201, r.text
    second = str(int(phone) + 1)
    PERSONAL.add(second)
    api.post(f"{HUNAN}/otp", json={"phone": second})
    spaced = f"{g.id_number[:6]} {g.id_number[6:14]} {g.id_number[14:]}"
    again = api.post(
        f"{HUNAN}/registrations", json=form(g, second, api.last_code(second), id_number=spaced)
    )
    assert again.status_code == 409 and error(again)["field"] == "id_number"
    signed = api.post(
        "/v1/auth/token",
        json={"season_id": "hunan-zsb-2024", "phone": f"+86 {phone}", "password": "abc12345"},
    )
    assert signed.status_code == 200  # signs in by the phone however written


def test_a_graduate_whose_name_has_a_rare_character_registers(cloud, api: Api, phone) -> None:
    """R3.5: 生僻字 of the supplementary planes; a minority name with any middle dot."""
    from datetime import date

    from infra.local.demo import id_number
    from zhaokao.domain.roster import RosterRow
    from zhaokao.storage import roster

    rows = []
    for n, name in enumerate(("吉𠮷", "阿卜杜热合曼·买买提明")):
        number = id_number(__import__("random").Random(f"rare{n}"), "430101")
        PERSONAL.add(number)
        rows.append(
            RosterRow(name, number, "43001", "510201", date(2024, 6, 30), True, (), "x.jpg")
        )
    roster.upsert("hunan-zsb-2024", [(r, "demo/x.jpg") for r in rows])
    for n, (row, typed) in enumerate(zip(rows, ("吉𠮷", "阿卜杜热合曼•买买提明"), strict=True)):
        number = str(int(phone) + 10 * n)
        PERSONAL.add(number)
        _, token = api.register_person("hunan-zsb-2024", typed, row.id_number, number)
        assert api.get("/v1/me", token).json()["name"] == row.name


def test_every_field_error_at_once_in_chinese(api: Api) -> None:
    body = {"id_number": "", "phone": "1" * 30, "otp": 123456, "password": "x", "extra": 1}
    r = api.post(f"{HUNAN}/registrations", json=body)
    assert r.status_code == 422
    err = error(r)
    fields = {f["field"]: f["message"] for f in err["fields"]}
    assert fields == {
        "name": "缺少必填字段",
        "id_number": "不能为空",
        "phone": "不能超过20个字",
        "otp": "应为文字",
        "pledge": "缺少必填字段",
        "extra": "不允许的字段",
    }
    assert (err["field"], err["message"]) == (
        err["fields"][0]["field"],
        err["fields"][0]["message"],
    )
    assert not any(c.isascii() and c.isalpha() for m in fields.values() for c in m)  # no English
