"""R9.3: reconciliation reports every difference between statement and records, nothing else."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from zhaokao.domain.payments import Line, reconcile


def test_a_10000_row_statement_with_six_seeded_differences() -> None:
    rng = random.Random(2024)
    ours = [Line(f"ZK{n:08d}", f"42{rng.getrandbits(64):020d}", 14500) for n in range(10_000)]
    theirs = list(ours)
    missing_ours = [
        Line(f"ZKX{n:07d}", f"43{n:020d}", 14500) for n in range(3)
    ]  # paid, not recorded
    theirs += missing_ours
    dropped = [theirs.pop(rng.randrange(len(theirs) - 3)) for _ in range(2)]  # recorded, not paid
    i = rng.randrange(len(theirs) - 3)
    theirs[i] = theirs[i]._replace(amount=5000)  # amount mismatch
    rng.shuffle(theirs)
    found = reconcile(theirs, ours)
    kinds = sorted((d["kind"], d["out_trade_no"]) for d in found)
    assert len(found) == 6
    assert [k for k, _ in kinds].count("paid_not_recorded") == 3
    assert {n for k, n in kinds if k == "recorded_not_paid"} == {d.out_trade_no for d in dropped}
    mismatch = next(d for d in found if d["kind"] == "amount_mismatch")
    assert (mismatch["amount"], mismatch["recorded"]) == (5000, 14500)


def test_a_second_payment_of_one_order_is_a_duplicate() -> None:
    ours = [Line("ZK1", "t1", 14500)]
    found = reconcile([Line("ZK1", "t1", 14500), Line("ZK1", "t2", 14500)], ours)
    assert found == [
        {"kind": "duplicate", "out_trade_no": "ZK1", "transaction_id": "t2", "amount": 14500}
    ]


lines = st.builds(
    Line,
    st.sampled_from(["A", "B", "C", "D"]),
    st.sampled_from(["t1", "t2"]),
    st.sampled_from([5000, 14500]),
)


@given(st.lists(lines, max_size=8, unique_by=lambda ln: (ln.out_trade_no, ln.transaction_id)))
def test_a_statement_equal_to_the_records_has_no_differences(recorded: list[Line]) -> None:
    one_each = list({ln.out_trade_no: ln for ln in recorded}.values())
    assert reconcile(one_each, one_each) == []
    assert reconcile([], one_each) == [
        {"kind": "recorded_not_paid", **ln._asdict()} for ln in sorted(one_each)
    ]
