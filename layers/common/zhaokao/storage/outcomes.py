"""Why a conditional write or a transaction did not happen (issue 10).

A failed condition is the expected, idempotent outcome (someone got there first, a
message delivered again): the caller decides what it means. Everything else — throttling,
a conflict with another transaction in flight, access denied, a service error — is raised
as it came, so the request fails or the queue message is retried, reaches its DLQ and
raises the alarm. Never read one as the other.
"""

from __future__ import annotations

from pynamodb.exceptions import PynamoDBException, TransactWriteError

CONDITION = "ConditionalCheckFailed"


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
