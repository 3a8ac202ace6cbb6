"""Review-routing queue consumer (R5, R6.3): checks, then one work item per reviewing unit.

Idempotent per message (a routed round is not routed again); failures are
reported per message, and a message that keeps failing goes to the DLQ.
"""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from zhaokao.service import review

logger = Logger(service="review-routing")
processor = BatchProcessor(event_type=EventType.SQS)


def record_handler(record: SQSRecord) -> None:
    body = json.loads(record.body)
    outcome = review.on_routing_message(body)
    logger.info("routed", extra={"candidate_id": body.get("candidate_id"), "outcome": outcome})


@logger.inject_lambda_context(log_event=False)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )
