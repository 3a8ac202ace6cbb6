"""The one shape of every queue consumer (R17.4): each message of a batch parsed and given
to one service function; a message that raises is reported failed alone (partial batch
response) and comes back until the queue's DLQ takes it — so that function must be
idempotent, as each is."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import TypeAdapter

Handler = Callable[[dict[str, Any], LambdaContext], PartialItemFailureResponse]
M = TypeVar("M")


def consumer(
    service: str,
    messages: TypeAdapter[M],
    on_message: Callable[[M], object],
    done: str,
    *logged: str,
) -> Handler:
    """A Lambda handler for an SQS event source: each body parsed as ``messages`` (the
    model its producer wrote), given to ``on_message``, then ``done`` logged with the
    message's ``logged`` fields (identifiers, never personal data) and what the function
    answered."""
    logger = Logger(service=service)
    processor = BatchProcessor(event_type=EventType.SQS)

    def record_handler(record: SQSRecord) -> None:
        message = messages.validate_json(record.body)
        outcome = on_message(message)
        said = {k: getattr(message, k, None) for k in logged}
        logger.info(done, extra={**said, "outcome": outcome})

    @logger.inject_lambda_context(log_event=False)
    def handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
        return process_partial_response(
            event=event, record_handler=record_handler, processor=processor, context=context
        )

    return handler
