"""A candidate's states: only the listed transitions, and the R4.4 lock."""

from __future__ import annotations

import pytest

from zhaokao.domain.errors import Conflict
from zhaokao.domain.lifecycle import TRANSITIONS, Status, next_status, require_editable


def test_the_review_path() -> None:
    path = ["submit", "route", "call_on_site", "send_back", "submit", "route", "approve"]
    status = Status.registered
    for action in path:
        status = next_status(status, action)
    assert status is Status.approved


@pytest.mark.parametrize(
    ("current", "action"),
    [
        ("registered", "approve"),
        ("approved", "submit"),
        ("rejected", "send_back"),
        ("withdrawn", "withdraw"),
        ("submitted", "submit"),
    ],
)
def test_forbidden_transitions_are_conflicts(current: str, action: str) -> None:
    with pytest.raises(Conflict) as err:
        next_status(current, action)
    assert err.value.code == "bad_transition" and "当前状态" in err.value.message


def test_every_state_can_be_reached() -> None:
    targets = {target for _, target in TRANSITIONS.values()}
    assert targets | {Status.registered} == set(Status)


def test_submitted_registrations_are_locked_until_sent_back() -> None:
    require_editable("registered")
    require_editable("returned")
    for status in ("submitted", "under_review", "approved"):
        with pytest.raises(Conflict) as err:
            require_editable(status)
        assert err.value.code == "locked"
