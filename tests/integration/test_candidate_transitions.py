"""R16.1 against DynamoDB (local cloud): transition, version and audit in one transaction."""

from __future__ import annotations

import concurrent.futures as cf

import pytest

from tests.support import Api, fresh_graduate
from zhaokao.domain.errors import Conflict
from zhaokao.storage import lifecycle
from zhaokao.storage.models import CandidateRecord


@pytest.fixture
def candidate(cloud, api: Api, phone) -> str:
    return api.register(fresh_graduate(cloud), phone)[0]


def test_transitions_are_versioned_audited_and_exclusive(candidate: str) -> None:
    record = lifecycle.transition(candidate, "submit", "candidate:self", expected_version=1)
    assert (record.status, record.version) == ("submitted", 2)

    def route(_: int) -> str:
        try:
            lifecycle.transition(candidate, "route", "worker", expected_version=2)
            return "ok"
        except Conflict as exc:
            return exc.code

    with cf.ThreadPoolExecutor(max_workers=5) as pool:
        results = sorted(pool.map(route, range(5)))
    assert results.count("ok") == 1 and set(results) <= {"ok", "stale_version", "bad_transition"}

    with pytest.raises(Conflict) as err:
        lifecycle.transition(candidate, "approve", "reviewer:x", expected_version=2)
    assert err.value.code == "stale_version"
    assert CandidateRecord.get(candidate).status == "under_review"

    lifecycle.transition(candidate, "approve", "college_reviewer:hn-43001", 3, reason="材料齐全")
    steps = lifecycle.timeline(candidate)
    assert [s["action"] for s in steps] == ["submit", "route", "approve"]
    assert steps[-1]["before"] == {"status": "under_review", "version": 3}
    assert steps[-1]["after"] == {"status": "approved", "version": 4}
    assert steps[-1]["actor"] == "college_reviewer:hn-43001" and steps[-1]["reason"] == "材料齐全"
