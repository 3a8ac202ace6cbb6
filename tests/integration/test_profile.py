"""R4.1/R4.4 through the local cloud: the profile, versioned, audited, locked once submitted."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support import Api, fresh_graduate
from zhaokao.storage import lifecycle

PROFILE = {
    "native_place": "湖南长沙",
    "mailing_address": {
        "recipient": "王芳",
        "phone": "13800138000",
        "province": "湖南省",
        "city": "长沙市",
        "address": "岳麓区麓山南路1号",
        "postcode": "410082",
    },
}


@pytest.fixture
def signed_in(cloud, api: Api, phone) -> tuple[str, str]:
    candidate, token = api.register(fresh_graduate(cloud), phone)
    return token, candidate


def save(api: Api, token: str, **changes: Any):
    return api.put("/v1/me/profile", token, json={**PROFILE, "version": 1, **changes})


def test_profile_is_saved_versioned_and_locked_after_submission(api: Api, signed_in) -> None:
    token, candidate = signed_in
    r = save(api, token)
    assert r.status_code == 200, r.text
    assert r.json()["version"] == 2 and r.json()["profile"]["native_place"] == "湖南长沙"
    stale = save(api, token, native_place="湖南株洲")  # still says version 1
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "stale_version"

    lifecycle.transition(candidate, "submit", "candidate:self", expected_version=2)
    locked = save(api, token, version=3)
    assert locked.status_code == 409 and locked.json()["error"]["code"] == "locked"

    steps = api.get("/v1/me/timeline", token).json()
    assert [s["action"] for s in steps] == ["profile", "submit"]
    assert steps[0]["after"]["profile"]["mailing_address"]["postcode"] == "410082"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"status": "approved"}, "status"),  # no privileged field through a candidate route
        ({"category": "astronaut"}, "category"),
        ({"level": "zsb"}, "level"),  # Hunan has no levels
        ({"category": "competition"}, "competition"),
        (
            {
                "competition": {
                    "event": "技能大赛",
                    "item": "焊接",
                    "award_level": "一等奖",
                    "award_date": "2023-05-01",
                }
            },
            "competition",
        ),
        (
            {"mailing_address": {**PROFILE["mailing_address"], "postcode": "41008"}},
            "mailing_address.postcode",
        ),
    ],
)
def test_bad_profiles_name_the_field(api: Api, signed_in, changes, field) -> None:
    token, _ = signed_in
    r = save(api, token, **changes)
    assert r.status_code == 422, r.text
    assert r.json()["error"]["field"] == field


def test_staff_cannot_use_the_candidate_profile_route(api: Api) -> None:
    staff = api.staff_token("hn-43001")
    assert save(api, staff).status_code == 403
