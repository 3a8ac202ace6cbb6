"""R17.4: codes bounded beyond one phone — per client address (a 图形验证码 past its free
share, none past its maximum), per season and hour in total (the operators warned before
it is spent) — and no code route telling whether a phone is registered."""

from __future__ import annotations

import base64
import io
import itertools
from collections.abc import Iterator
from typing import Any

import pytest
from PIL import Image

from tests.support import PERSONAL, Api, register_ningxia

NX = "/v1/seasons/ningxia-adult-2023"
TIGHT = "tight-limits-2023"  # a season of its own: its counters start at nothing
_phones = iter(range(15700000000, 15799999999, 7717))
_seeds = itertools.count(900)


def fresh_phone() -> str:
    number = str(next(_phones))
    PERSONAL.add(number)
    return number


@pytest.fixture(scope="module")
def tight(cloud: Any) -> Iterator[str]:
    """Ningxia's policy with small limits: two free codes per client, four asks at most
    (a refused ask counts), a budget of 40 an hour (two per shard) that warns at half."""
    from zhaokao.domain.policy import CodeLimits
    from zhaokao.storage import seasons

    ningxia = seasons.get_season("ningxia-adult-2023")
    limits = CodeLimits(client_free=2, client_max=4, hourly_budget=40, warn_share=0.5)
    sms = ningxia.policy.sms.model_copy(update={"limits": limits})
    seasons.install(ningxia.policy.model_copy(update={"season_id": TIGHT, "sms": sms}), "test")
    seasons.pin_clock(TIGHT, ningxia.now(), "test")
    yield f"/v1/seasons/{TIGHT}"


@pytest.fixture
def known_answer(monkeypatch: pytest.MonkeyPatch) -> str:
    """The next pictures show 'K7PX' (the handlers run in this process)."""
    from zhaokao.domain import otp

    monkeypatch.setattr(otp, "new_challenge", lambda: "K7PX")
    return "K7PX"


@pytest.fixture(autouse=True)
def an_hour_of_its_own(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    """Each test counts in an hour of its own: none sees another's codes, nor the clock
    turning an hour in the middle."""
    from zhaokao.storage import otp

    monkeypatch.setattr(otp, "_hour", lambda now: request.node.name)


def test_a_registered_phone_gets_the_same_answer_and_its_sms_says_so(
    cloud: Any, api: Api, phone: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from zhaokao.domain import otp

    register_ningxia(api, phone, next(_seeds))
    monkeypatch.setattr(otp, "RESEND_SECONDS", 0)  # a minute later
    cloud.sms.history.pop(phone)  # and the gateway's per-number flow control with it
    other = fresh_phone()
    registered = api.post(f"{NX}/otp", json={"phone": phone})
    unknown = api.post(f"{NX}/otp", json={"phone": other})
    assert registered.status_code == unknown.status_code == 200
    assert set(registered.json()) == set(unknown.json()) == {"sent_to", "resend_after"}
    outbox = api.get("/local/outbox").json()
    text = next(m["text"] for m in outbox if m["to"] == phone[:3] + "****" + phone[-4:])
    assert "已注册" in text and "验证码为" not in text  # the owner learns it, the asker not
    assert api.last_code(other)  # a new phone's SMS carries its code


def test_a_client_past_its_free_codes_passes_a_picture_check_then_stops(
    api: Api, tight: str, known_answer: str
) -> None:
    client = "10.250.0.1"
    for _ in range(2):
        assert api.post(f"{tight}/otp", json={"phone": fresh_phone()}, client=client).ok
    held = api.post(f"{tight}/otp", json={"phone": fresh_phone()}, client=client)
    assert held.status_code == 429
    assert held.json()["error"]["code"] == "captcha_required"
    assert held.json()["error"]["field"] == "captcha"

    picture = api.post("/v1/captcha", client=client)
    assert picture.status_code == 201, picture.text
    image = Image.open(io.BytesIO(base64.b64decode(picture.json()["image"].split(",", 1)[1])))
    assert image.format == "PNG" and image.size == (160, 60)
    check = {"captcha_id": picture.json()["captcha_id"]}
    wrong = api.post(
        f"{tight}/otp",
        json={"phone": fresh_phone(), **check, "captcha_answer": "AAAA"},
        client=client,
    )
    assert wrong.status_code == 422 and wrong.json()["error"]["code"] == "captcha_wrong"
    again = api.post(  # one picture, one try: the right answer now is too late
        f"{tight}/otp",
        json={"phone": fresh_phone(), **check, "captcha_answer": known_answer},
        client=client,
    )
    assert again.status_code == 422 and again.json()["error"]["code"] == "captcha_expired"

    fresh = api.post("/v1/captcha", client=client).json()["captcha_id"]
    typed = " ｋ７ｐｘ"  # full-width, lower case, a stray space: what a phone keyboard gives
    passed = api.post(
        f"{tight}/otp",
        json={"phone": fresh_phone(), "captcha_id": fresh, "captcha_answer": typed},
        client=client,
    )
    assert passed.status_code == 200, passed.text

    last = api.post("/v1/captcha", client=client).json()["captcha_id"]
    stopped = api.post(
        f"{tight}/otp",
        json={"phone": fresh_phone(), "captcha_id": last, "captcha_answer": known_answer},
        client=client,
    )
    assert stopped.status_code == 429 and stopped.json()["error"]["code"] == "client_limit"
    elsewhere = api.post(f"{tight}/otp", json={"phone": fresh_phone()}, client="10.250.0.2")
    assert elsewhere.ok  # another address is not held back by this one


def test_the_seasons_hourly_budget_is_spent_exactly_and_warns_before(
    api: Api, tight: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from zhaokao.adapters import metrics

    counted: list[str] = []
    monkeypatch.setattr(metrics, "count", lambda name, season, value=1: counted.append(name))
    refused_soon = fresh_phone()
    first = api.post(f"{tight}/otp", json={"phone": refused_soon})
    too_soon = api.post(f"{tight}/otp", json={"phone": refused_soon})
    assert first.ok and too_soon.json()["error"]["code"] == "otp_too_soon"
    answers = [
        api.post(f"{tight}/otp", json={"phone": fresh_phone()}) for _ in range(400)
    ]  # every shard drawn twice or more
    sent = 1 + sum(r.ok for r in answers)
    busy = [r.json()["error"] for r in answers if r.status_code == 429]
    assert sent == 40  # the too-soon code was given back
    assert {e["code"] for e in busy} == {"sms_busy"} and "稍后再试" in busy[0]["message"]
    assert counted.count("CodeBudgetWarning") == 20  # one per shard, at half of its share
    assert "CodeBudgetSpent" in counted
