"""R6 as pure rules: who reviews a file, what a unit's decision does to the candidate."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from infra.local.demo import preset
from zhaokao.domain.errors import Forbidden, InvalidField
from zhaokao.domain.review import (
    PROVINCE,
    Decision,
    ItemState,
    decide,
    kept_category,
    require_reason,
    review_units,
    reviewer_unit,
)

HUNAN, NINGXIA = preset("hunan-zsb-2024"), preset("ningxia-adult-2023")


@pytest.mark.parametrize(
    "policy,category,units",
    [
        (HUNAN, "ordinary", ["43001"]),
        (HUNAN, "poverty_family", ["43001", PROVINCE]),  # R6.1
        (HUNAN, "retired_soldier", ["43001", PROVINCE]),
        (HUNAN, "competition", ["43001", PROVINCE]),
        (HUNAN, "xianghu_craftsman", ["43001"]),
        (NINGXIA, "exempt_veteran", ["43001"]),  # the county reviews Ningxia's exemptions
    ],
)
def test_the_policy_says_which_units_review(policy, category: str, units: list[str]) -> None:
    assert review_units(policy, "43001", category) == units


def test_an_out_of_province_poverty_family_is_the_colleges_alone() -> None:
    """Seed 000: 省外户籍生源考生以高职（专科）院校审核确认名单为准."""
    away = {"out_of_province_household": True}
    assert review_units(HUNAN, "43001", "poverty_family", away) == ["43001"]
    assert review_units(HUNAN, "43001", "retired_soldier", away) == ["43001", PROVINCE]


def test_a_reviewer_works_for_their_own_unit_of_the_seasons_kind() -> None:
    assert reviewer_unit(frozenset({"college_reviewer"}), "43001", HUNAN) == "43001"
    assert reviewer_unit(frozenset({"provincial_reviewer"}), "province", HUNAN) == PROVINCE
    assert reviewer_unit(frozenset({"county_reviewer"}), "640104", NINGXIA) == "640104"
    with pytest.raises(Forbidden):
        reviewer_unit(frozenset({"county_reviewer"}), "640104", HUNAN)  # no counties in Hunan
    with pytest.raises(Forbidden):
        reviewer_unit(frozenset({"college_reviewer"}), None, HUNAN)


def test_every_decision_but_approval_needs_a_reason() -> None:
    assert require_reason(Decision.approve, None) is None
    assert require_reason(Decision.reject, "  材料不符 ") == "材料不符"
    for decision in (Decision.reject, Decision.send_back, Decision.call_on_site):
        with pytest.raises(InvalidField) as err:
            require_reason(decision, "  ")
        assert err.value.field == "reason"


P, A = ItemState.pending, ItemState.approved


def test_approval_waits_for_every_unit() -> None:
    first = decide({"43001": P, PROVINCE: P}, "43001", Decision.approve, "under_review")
    assert first.items == {"43001": A, PROVINCE: P} and first.action is None
    second = decide(first.items, PROVINCE, Decision.approve, "under_review")
    assert second.items == {"43001": A, PROVINCE: A} and second.action == "approve"


def test_a_rejection_or_send_back_closes_the_other_units_work() -> None:
    out = decide({"43001": P, PROVINCE: P}, PROVINCE, Decision.send_back, "under_review")
    assert out.items == {"43001": ItemState.closed, PROVINCE: ItemState.returned}
    assert out.action == "send_back"
    out = decide({"43001": A, PROVINCE: P}, PROVINCE, Decision.reject, "under_review")
    assert out.items == {"43001": A, PROVINCE: ItemState.rejected} and out.action == "reject"


def test_a_call_on_site_keeps_the_item_pending_and_moves_the_candidate_once() -> None:
    out = decide({"640104": P}, "640104", Decision.call_on_site, "under_review")
    assert out.items == {"640104": P} and out.action == "call_on_site"
    again = decide(out.items, "640104", Decision.call_on_site, "on_site")
    assert again.action is None  # already on site: the status stays


def test_a_decided_item_cannot_be_decided_again() -> None:
    with pytest.raises(InvalidField):
        decide({"43001": A}, "43001", Decision.reject, "approved")


@given(
    st.lists(
        st.tuples(st.sampled_from(["43001", PROVINCE]), st.sampled_from(list(Decision))),
        max_size=6,
    )
)
def test_approved_only_when_every_unit_approved(steps: list[tuple[str, Decision]]) -> None:
    """Whatever order two units decide in: the candidate is approved exactly when both
    passed the file (one may refuse its category alone), and no decision follows a
    rejection or a send-back."""
    states = {"43001": P, PROVINCE: P}
    status = "under_review"
    for unit, decision in steps:
        try:
            out = decide(states, unit, decision, status)
        except InvalidField:
            assert states[unit] != P
            continue
        assert status in ("under_review", "on_site")
        states = out.items
        if out.action in ("approve", "reject", "send_back"):
            status = {"approve": "approved", "reject": "rejected", "send_back": "returned"}[
                out.action
            ]
        elif out.action == "call_on_site":
            status = "on_site"
        passed = (A, ItemState.category_refused)
        assert (status == "approved") == all(s in passed for s in states.values())
        if status in ("rejected", "returned"):
            assert P not in states.values()


def test_a_category_refused_alone_passes_the_file_once_every_unit_is_done() -> None:
    """Seed 000: 未通过资格审核的考生不得填报该类计划 … 可填报普通计划 (R6.1)."""
    states = {"43001": ItemState.pending, PROVINCE: ItemState.pending}
    first = decide(states, PROVINCE, Decision.refuse_category, "under_review")
    assert first.items[PROVINCE] == ItemState.category_refused and first.action is None
    done = decide(first.items, "43001", Decision.approve, "under_review")
    assert done.action == "approve"  # the candidate is approved, in the category kept
    assert kept_category(HUNAN, "retired_soldier") == "ordinary"
    assert kept_category(NINGXIA, "exempt_veteran") == "ordinary"
    with pytest.raises(InvalidField):
        kept_category(HUNAN, "ordinary")  # an ordinary file is rejected whole or not at all


def test_exemption_applicants_pay_in_their_own_window() -> None:
    """Seed 004: 申请免试的考生 … 缴费时间另行通知; Hunan's exemptions are not paid here."""
    from zhaokao.domain.fees import amount_due, payment_window
    from zhaokao.domain.windows import WindowName

    assert payment_window(NINGXIA, {"category": "exempt_veteran"}) == WindowName.exemption_payment
    assert payment_window(NINGXIA, {"category": "ordinary"}) == WindowName.payment
    assert payment_window(HUNAN, {"category": "retired_soldier"}) == WindowName.payment
    refused = {"category": "ordinary", "exemption": False, "refused_category": "exempt_veteran"}
    assert amount_due(NINGXIA, None, refused) == 145
    assert amount_due(NINGXIA, None, {"category": "exempt_veteran", "exemption": True}) == 50
