"""Upload queue consumer (R4.1–R4.3): inspect every file a candidate uploaded.

S3 sends one event per object; a redelivered event finds the raw upload gone
and changes nothing.
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

from zhaokao.service import documents

logger = Logger(service="upload-inspection")
processor = BatchProcessor(event_type=EventType.SQS)


def record_handler(record: SQSRecord) -> None:
    results = documents.on_upload_event(json.loads(record.body))
    logger.info("inspected", extra={"results": results})


@logger.inject_lambda_context(log_event=False)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )
