"""One round trip where one will do (issue 11's warm path), counted through botocore."""

from __future__ import annotations

from typing import Any

from bench.registration import counting_aws
from tests.support import PERSONAL, SEEDS, Api, ningxia_profile, register_ningxia


def test_the_season_list_is_read_once_then_served_from_the_cache(api: Api) -> None:
    from zhaokao.storage import seasons

    seasons.forget_cache()
    assert api.get("/v1/seasons").ok
    with counting_aws() as (calls, _):
        assert api.get("/v1/seasons").ok
        assert api.get("/v1/seasons/hunan-zsb-2024").ok
    assert dict(calls) == {}  # both answered from the warm function's cache


def test_a_new_phones_code_is_three_writes_and_one_read(api: Api, phone: str) -> None:
    warm = str(int(phone) + 1)  # a first code warms the season and the SMS credentials
    PERSONAL.add(warm)
    assert api.post("/v1/seasons/ningxia-adult-2023/otp", json={"phone": warm}).ok
    with counting_aws() as (calls, _):
        r = api.post("/v1/seasons/ningxia-adult-2023/otp", json={"phone": phone})
    assert r.ok, r.text
    # the client's count, a shard of the season's budget (R17.4), the code; is the phone taken
    assert dict(calls) == {"UpdateItem": 3, "GetItem": 1}


def test_a_profile_save_reads_the_candidate_once(api: Api, phone: str) -> None:
    _, token = register_ningxia(api, phone, next(SEEDS))
    version = api.get("/v1/me", token).json()["version"]
    with counting_aws() as (calls, items):
        r = api.put("/v1/me/profile", token, json=ningxia_profile(version))
    assert r.status_code == 200, r.text
    assert dict(calls) == {"GetItem": 1, "TransactWriteItems": 1}
    assert items == [2]  # the candidate and its audit record


def test_a_stale_profile_save_changes_nothing(api: Api, phone: str) -> Any:
    _, token = register_ningxia(api, phone, next(SEEDS))
    version = api.get("/v1/me", token).json()["version"]
    assert api.put("/v1/me/profile", token, json=ningxia_profile(version)).ok
    stale = api.put("/v1/me/profile", token, json=ningxia_profile(version, native_place="宁夏吴忠"))
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "stale_version"
    assert api.get("/v1/me", token).json()["profile"]["native_place"] == "宁夏银川"
