"""Queues (SQS)."""

from __future__ import annotations

import json
from typing import Any

from .clients import client


def send_all(queue_url: str, bodies: list[dict[str, Any]]) -> None:
    """Send in batches of ten; a partly failed batch raises so the caller's message is retried."""
    sqs = client("sqs")
    for start in range(0, len(bodies), 10):
        entries = [
            {"Id": str(i), "MessageBody": json.dumps(body, ensure_ascii=False)}
            for i, body in enumerate(bodies[start : start + 10])
        ]
        result = sqs.send_message_batch(QueueUrl=queue_url, Entries=entries)
        if result.get("Failed"):
            raise RuntimeError(f"{len(result['Failed'])} messages were not queued")
