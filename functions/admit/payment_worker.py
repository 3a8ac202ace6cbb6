"""Payment queue consumer (R9.3): a verified payment applied exactly once.

However many times, in whatever order and however concurrently a notification
arrives, the order goes PENDING → PAID once (a condition on the order and a
sentinel per transaction id); partial batch failures; a DLQ after 5 tries.
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

from zhaokao.service import payments

logger = Logger(service="payments")
processor = BatchProcessor(event_type=EventType.SQS)


def record_handler(record: SQSRecord) -> None:
    body = json.loads(record.body)
    outcome = payments.on_payment_message(body)
    logger.info(
        "payment applied", extra={"out_trade_no": body.get("out_trade_no"), "outcome": outcome}
    )


@logger.inject_lambda_context(log_event=False)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )
