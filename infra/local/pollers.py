"""Lambda's SQS event-source mapping, locally: batches, partial failures, the DLQ.

Messages a handler reports as failed (or all of them when it raises) are left
alone: they come back after the queue's visibility timeout, and SQS itself
moves them to the DLQ once they were received ``maxReceiveCount`` times. The mapping
reads, receives and deletes with the function's role, as on AWS: each worker's grant on its
own queue is checked.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from .runtime import Runtime, role_of
from .template import QueueSource

log = logging.getLogger("zhaokao.local")


class Poller(threading.Thread):
    def __init__(
        self,
        sqs: Any,
        runtime: Runtime,
        source: QueueSource,
        url: str,
        arn: str,
        stop: threading.Event,
    ) -> None:
        super().__init__(name=f"poll-{source.queue}", daemon=True)
        self.sqs, self.runtime, self.source = sqs, runtime, source
        self.url, self.arn, self.stopping = url, arn, stop

    def run(self) -> None:
        with role_of(self.source.function):  # the mapping checks the queue as it starts
            self.sqs.get_queue_attributes(QueueUrl=self.url, AttributeNames=["All"])
        while not self.stopping.is_set():
            try:
                self.poll_once(wait=1)
            except Exception:  # keep polling, as the real mapping does; the log says why
                if not self.stopping.is_set():
                    log.exception("poller %s failed", self.source.queue)
                    self.stopping.wait(1)

    def poll_once(self, wait: int = 0) -> int:
        with role_of(self.source.function):
            messages = self.sqs.receive_message(
                QueueUrl=self.url,
                MaxNumberOfMessages=min(self.source.batch_size, 10),
                WaitTimeSeconds=wait,
                AttributeNames=["All"],
                MessageAttributeNames=["All"],
            ).get("Messages", [])
        if not messages:
            return 0
        event = {"Records": [self._record(m) for m in messages]}
        try:
            result = self.runtime.invoke(self.source.function, event) or {}
        except Exception:
            log.exception("%s raised; the batch returns to the queue", self.source.function)
            return len(messages)
        failed = set()
        if self.source.report_failures:
            failed = {f["itemIdentifier"] for f in result.get("batchItemFailures", [])}
        done = [m for m in messages if m["MessageId"] not in failed]
        for start in range(0, len(done), 10):
            with role_of(self.source.function):
                self.sqs.delete_message_batch(
                    QueueUrl=self.url,
                    Entries=[
                        {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]}
                        for i, m in enumerate(done[start : start + 10])
                    ],
                )
        return len(messages)

    def _record(self, m: dict[str, Any]) -> dict[str, Any]:
        return {
            "messageId": m["MessageId"],
            "receiptHandle": m["ReceiptHandle"],
            "body": m["Body"],
            "attributes": m.get("Attributes", {}),
            "messageAttributes": m.get("MessageAttributes", {}),
            "md5OfBody": m.get("MD5OfBody"),
            "eventSource": "aws:sqs",
            "eventSourceARN": self.arn,
            "awsRegion": "us-east-1",
        }
