"""Queues (SQS)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel

from .clients import client

BATCH_BYTES = 1_000_000  # SQS: at most 10 messages and 1 MiB per SendMessageBatch
MESSAGE_BYTES = 256 * 1024


def send_all(queue_url: str, messages: Sequence[BaseModel]) -> None:
    """Send ``messages`` (each a model of zhaokao.messages, which its consumer reads) in
    batches that respect SQS's count and size limits.

    A partly failed batch raises, so the caller's own message is retried (the
    consumers of what we send are idempotent).
    """
    sqs = client("sqs")
    batch: list[str] = []
    size = 0
    for message in messages:
        text = message.model_dump_json()
        length = len(text.encode())
        if length > MESSAGE_BYTES:
            raise ValueError(f"a message of {length} bytes is over SQS's {MESSAGE_BYTES}")
        if batch and (len(batch) == 10 or size + length > BATCH_BYTES):
            _send(sqs, queue_url, batch)
            batch, size = [], 0
        batch.append(text)
        size += length
    if batch:
        _send(sqs, queue_url, batch)


def _send(sqs: Any, queue_url: str, texts: list[str]) -> None:
    entries = [{"Id": str(i), "MessageBody": text} for i, text in enumerate(texts)]
    result = sqs.send_message_batch(QueueUrl=queue_url, Entries=entries)
    if result.get("Failed"):
        raise RuntimeError(f"{len(result['Failed'])} messages were not queued")


def redrive(dead_letter_url: str, source_url: str) -> int:
    """Move every message of a DLQ back to its queue (after the fix; runbook).

    Each is sent before it is deleted: a crash in between leaves a copy in both,
    which the idempotent consumers absorb.
    """
    sqs = client("sqs")
    moved = 0
    while True:
        messages = sqs.receive_message(
            QueueUrl=dead_letter_url, MaxNumberOfMessages=10, WaitTimeSeconds=0
        ).get("Messages", [])
        if not messages:
            return moved
        _send(sqs, source_url, [m["Body"] for m in messages])
        sqs.delete_message_batch(
            QueueUrl=dead_letter_url,
            Entries=[
                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)
            ],
        )
        moved += len(messages)
