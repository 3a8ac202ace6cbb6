"""R17.4: the rules that bound codes beyond one phone, as pure functions."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from zhaokao.domain import otp
from zhaokao.domain.policy import CodeLimits

LIMITS = CodeLimits(client_free=5, client_max=200, hourly_budget=50_000, warn_share=0.8)


@pytest.mark.parametrize(
    ("asked", "checked", "held"),
    [
        (1, False, None),
        (5, False, None),
        (6, False, "captcha_required"),
        (6, True, None),
        (200, True, None),
        (201, True, "client_limit"),
        (201, False, "client_limit"),
    ],
)
def test_a_client_asks_freely_then_after_a_check_then_not_at_all(
    asked: int, checked: bool, held: str | None
) -> None:
    assert otp.client_gate(asked, LIMITS, checked) == held


def test_the_budget_is_shared_by_shards_and_warns_at_its_share() -> None:
    assert otp.shard_budget(LIMITS) == (2_500, 2_000)
    tiny = CodeLimits(client_free=1, client_max=1, hourly_budget=3, warn_share=0.5)
    assert otp.shard_budget(tiny) == (1, 1)  # never a shard that takes nothing


def test_an_answer_is_compared_as_typed_on_any_keyboard() -> None:
    assert otp.challenge_answer(" ｋ７ｐ x") == "K7PX"
    challenge = otp.new_challenge()
    assert len(challenge) == 4 and set(challenge) <= set(otp.CHALLENGE_ALPHABET)
    assert not set("0O1IL2Z5S8B") & set(otp.CHALLENGE_ALPHABET)


def test_limits_out_of_order_are_refused_by_the_policy_schema() -> None:
    with pytest.raises(ValidationError, match="client_max"):
        CodeLimits(client_free=10, client_max=5, hourly_budget=100, warn_share=0.8)
    with pytest.raises(ValidationError):
        CodeLimits(client_free=1, client_max=5, hourly_budget=100, warn_share=1.0)
