"""Throttles are retried, AccessDenied is not: which failed AWS calls are worth asking again
(the admission run's Task steps retry only these)."""

from __future__ import annotations

from botocore.exceptions import ClientError, EndpointConnectionError, ParamValidationError
from pynamodb.exceptions import (
    CancellationReason,
    GetError,
    TransactWriteError,
    VerboseClientError,
)

from zhaokao.storage.outcomes import retryable


def _client_error(code: str, status: int) -> ClientError:
    answer = {
        "Error": {"Code": code, "Message": "m"},
        "ResponseMetadata": {"HTTPStatusCode": status},
    }
    return ClientError(answer, "GetObject")  # type: ignore[arg-type]


def test_throttles_conflicts_and_service_failures_are_retried() -> None:
    for code, status in [("SlowDown", 503), ("ThrottlingException", 400), ("Weird", 500)]:
        assert retryable(_client_error(code, status)), code
    assert retryable(EndpointConnectionError(endpoint_url="https://s3"))
    throttled = GetError("get", _client_error("ProvisionedThroughputExceededException", 400))
    assert retryable(throttled)


def test_denied_invalid_and_missing_are_not() -> None:
    for code, status in [("AccessDenied", 403), ("ValidationException", 400), ("NoSuchKey", 404)]:
        assert not retryable(_client_error(code, status)), code
    assert not retryable(GetError("get", _client_error("AccessDeniedException", 400)))
    assert not retryable(ParamValidationError(report="bad"))
    assert not retryable(FileNotFoundError("admission/x/plans.csv"))


def test_a_cancelled_transaction_is_retried_only_for_a_conflict() -> None:
    def cancelled(*codes: str | None) -> TransactWriteError:
        answer = {"Error": {"Code": "TransactionCanceledException", "Message": "m"}}
        reasons = [CancellationReason(code=c) if c else None for c in codes]
        return TransactWriteError(
            "tx", VerboseClientError(answer, "TransactWriteItems", cancellation_reasons=reasons)
        )

    assert retryable(cancelled(None, "TransactionConflict"))
    assert not retryable(cancelled("ConditionalCheckFailed", None))
