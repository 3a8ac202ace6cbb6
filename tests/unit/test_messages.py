"""Issue 25: the messages between functions are one pydantic model each, shared by the
producer and the consumer — a body that is not the model fails in the consumer (and, after
its retries, lands in the DLQ) instead of being half read."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from zhaokao.domain.payments import Paid
from zhaokao.messages import (
    ARRANGEMENT,
    HoldSeats,
    PapersMoved,
    PaymentConfirmed,
    RosterChunk,
    RouteSubmission,
)


def test_each_message_reads_back_as_it_was_written() -> None:
    paid = Paid("ord-1", "tx-1", 15000, "mch", "2024-04-01T10:00:00+08:00")
    assert (
        PaymentConfirmed.model_validate_json(PaymentConfirmed.of(paid).model_dump_json()).paid()
        == paid
    )
    chunk = RosterChunk(
        season_id="s",
        import_id="i",
        college="43001",
        chunk=0,
        rows=[(2, {"name": "王伟"})],
        photos={"a.jpg": None},
        repeats={"3": 2},
    )
    assert RosterChunk.model_validate_json(chunk.model_dump_json()) == chunk
    moved = PapersMoved(season_id="s", run_id="", moved={"yingyu": "英语改为4月20日9:00"})
    assert ARRANGEMENT.validate_json(moved.model_dump_json()) == moved


def test_a_body_that_is_not_its_message_is_refused_naming_what() -> None:
    with pytest.raises(ValidationError, match="round"):
        RouteSubmission.model_validate({"candidate_id": "c"})
    with pytest.raises(ValidationError, match="extra"):
        RouteSubmission.model_validate({"candidate_id": "c", "round": 1, "also": 2})
    with pytest.raises(ValidationError, match="seats"):
        ARRANGEMENT.validate_python(
            {"kind": "seats", "season_id": "s", "run_id": "r", "chunk": 0, "season_code": "24"}
        )
    with pytest.raises(ValidationError):
        ARRANGEMENT.validate_python({"kind": "rearrange", "season_id": "s", "run_id": "r"})
    assert isinstance(
        ARRANGEMENT.validate_python(
            {
                "kind": "seats",
                "season_id": "s",
                "run_id": "r",
                "chunk": 0,
                "season_code": "24",
                "seats": [],
            }
        ),
        HoldSeats,
    )
