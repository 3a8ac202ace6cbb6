"""SQS's limits: at most 10 messages and 1 MiB a batch, 256 KB a message."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel

from zhaokao.adapters import queues


class FakeSqs:
    def __init__(self) -> None:
        self.batches: list[list[dict[str, Any]]] = []

    def send_message_batch(self, QueueUrl: str, Entries: list[dict[str, Any]]) -> dict:
        assert len(Entries) <= 10
        assert sum(len(e["MessageBody"].encode()) for e in Entries) <= 1_048_576
        self.batches.append(Entries)
        return {"Successful": Entries}


class Blob(BaseModel):  # a message of the size a test needs
    n: int
    rows: str = ""


@pytest.fixture
def sqs(monkeypatch) -> FakeSqs:
    fake = FakeSqs()
    monkeypatch.setattr(queues, "client", lambda _service: fake)
    return fake


def test_large_messages_are_split_by_size(sqs: FakeSqs) -> None:
    bodies = [Blob(n=i, rows="行" * 55_000) for i in range(10)]  # ~165 KB each
    queues.send_all("q", bodies)
    assert sum(len(b) for b in sqs.batches) == 10 and len(sqs.batches) >= 2


def test_small_messages_go_ten_at_a_time(sqs: FakeSqs) -> None:
    queues.send_all("q", [Blob(n=i) for i in range(23)])
    assert [len(b) for b in sqs.batches] == [10, 10, 3]


def test_an_oversized_message_is_refused(sqs: FakeSqs) -> None:
    with pytest.raises(ValueError):
        queues.send_all("q", [Blob(n=0, rows="x" * 300_000)])
    assert not sqs.batches
