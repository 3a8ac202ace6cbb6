"""Why a conditional write or a transaction did not happen (issue 10).

A failed condition is the expected, idempotent outcome (someone got there first, a
message delivered again): the caller decides what it means. Everything else — throttling,
a conflict with another transaction in flight, access denied, a service error — is raised
as it came, so the request fails or the queue message is retried, reaches its DLQ and
raises the alarm. Never read one as the other.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError, ConnectionError, HTTPClientError
from pynamodb.exceptions import PynamoDBException, TransactWriteError, UpdateError
from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action
from pynamodb.models import Model

CONDITION = "ConditionalCheckFailed"
# What AWS answers when a retry may well succeed: throttling, a transaction in flight on
# the same items, the service's own failure. AccessDenied, a validation error or a missing
# resource stay as they are however often they are asked (R17: fail at once, say why).
RETRYABLE_CODES = frozenset(
    {
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "RequestThrottled",
        "RequestThrottledException",
        "RequestLimitExceeded",
        "TooManyRequestsException",
        "ProvisionedThroughputExceededException",
        "SlowDown",
        "TransactionConflict",
        "TransactionInProgressException",
        "InternalError",
        "InternalFailure",
        "InternalServerError",
        "ServiceUnavailable",
    }
)


def failed_conditions(exc: TransactWriteError) -> list[int]:
    """The positions of the items whose condition failed, when that alone cancelled the
    transaction; otherwise ``exc`` itself is raised."""
    reasons = exc.cancellation_reasons or []
    failed = [i for i, r in enumerate(reasons) if r is not None and r.code == CONDITION]
    other = [r for r in reasons if r is not None and r.code != CONDITION]
    if other or not failed:
        raise exc
    return failed


def condition_failed(exc: PynamoDBException) -> bool:
    """A single conditional write refused by its condition (anything else: False)."""
    return exc.cause_response_code == "ConditionalCheckFailedException"


def updated(
    record: Model, actions: list[Action], condition: Condition | None, **options: Any
) -> bool:
    """An update that may lose to its condition (False); any other failure is raised."""
    try:
        record.update(actions=actions, condition=condition, **options)
        return True
    except UpdateError as exc:
        if condition_failed(exc):
            return False
        raise


def retryable(exc: BaseException) -> bool:
    """A failed AWS call that is worth asking again: throttled, in conflict, a 5xx or the
    connection lost. Anything else (denied, invalid, missing) is not."""
    if isinstance(exc, ConnectionError | HTTPClientError):
        return True
    if isinstance(exc, TransactWriteError) and exc.cancellation_reasons:
        codes = {r.code for r in exc.cancellation_reasons if r is not None}
        return bool(codes) and codes <= RETRYABLE_CODES | {"None"}
    if isinstance(exc, PynamoDBException):
        return exc.cause is not None and retryable(exc.cause)
    if isinstance(exc, ClientError):
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        return exc.response.get("Error", {}).get("Code") in RETRYABLE_CODES or status >= 500
    return False
