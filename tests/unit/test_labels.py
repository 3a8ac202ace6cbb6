"""The words for the platform's codes come from one place (domain/labels) and cover every
code a page can meet: a new status, decision or audited action without words fails here."""

from __future__ import annotations

import re
from pathlib import Path

from zhaokao.domain import labels
from zhaokao.domain.eligibility import Outcome
from zhaokao.domain.lifecycle import TRANSITIONS, Status
from zhaokao.domain.review import Decision, ItemState

CODE = Path(__file__).parents[2] / "layers" / "common" / "zhaokao"


def test_every_status_decision_state_and_outcome_has_words() -> None:
    catalogue = labels.catalogue()
    assert set(catalogue["status"]) == {str(s) for s in Status}  # type: ignore[arg-type]
    assert set(catalogue["decisions"]) == {str(d) for d in Decision}  # type: ignore[arg-type]
    assert set(catalogue["review_states"]) == {str(s) for s in ItemState}  # type: ignore[arg-type]
    assert set(catalogue["check_outcomes"]) == {str(o) for o in Outcome}  # type: ignore[arg-type]


def test_every_audited_action_has_words() -> None:
    written = set(TRANSITIONS) - {"approve", "reject", "send_back", "call_on_site"}  # review:…
    for source in CODE.rglob("*.py"):
        written |= set(re.findall(r'audit_action="([a-z_:]+)"', source.read_text("utf-8")))
    unworded = {a for a in written if labels.action_label(a) == a}
    assert not unworded
    assert labels.action_label("review:send_back@430102") == "资格审核（430102）：退回修改"
    assert labels.action_label("review:approve@province") == "资格审核（省级复核）：审核通过"
    assert labels.action_label("document:photo") == "材料检查"


def test_who_changed_it_in_words() -> None:
    assert labels.actor_label("candidate:c-1") == "考生本人"
    assert labels.actor_label("system:payments") == "系统"
    assert labels.actor_label("staff:county_reviewer:li") == "li"


def test_a_seasons_rules_are_said_from_its_policy() -> None:
    from importlib import resources

    from zhaokao.domain.policy import load_policy

    def texts(name: str) -> dict[str, str]:
        text = resources.files("zhaokao.policies").joinpath(f"{name}.json").read_text("utf-8")
        return labels.season_texts(load_policy(text))

    hunan, ningxia = texts("hunan-zsb-2024"), texts("ningxia-adult-2023")
    assert "学信网" in hunan["register_hint"] and hunan["submit"] == "提交"
    assert "居住证" in ningxia["register_hint"] and ningxia["submit"] == "确认"
    assert "锁定" in ningxia["submit_locks"] and "退回" in hunan["submit_locks"]
    assert hunan["fee_note"] == ningxia["fee_note"] == "缴费成功后不予退费。"  # refundable: false
