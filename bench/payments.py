"""Payment worker speed (R9.3): verified payments applied per second, in-process.

Each message goes through the worker's handler in batches of 10, as SQS delivers
them: the order read, one transaction (the order PENDING → PAID, the transaction
sentinel, the candidate's paid sentinel, the ledger entry, the audit record on the
candidate's timeline) and the candidate's SMS.
Then every message is delivered again, as providers do: a redelivery reads the order,
finds it PAID by this very transaction and changes nothing. (A redelivery racing the
first delivery fails the transaction instead and reads the sentinel: still nothing.)
"""

from __future__ import annotations

import secrets
import time
from datetime import UTC, datetime
from typing import Any

from bench.registration import counting_aws, quiet_logs, stored_candidates
from bench.review import Context, ready_candidates, sqs_event

FEE = 14500  # fen: Ningxia's 145 yuan


def _orders(count: int) -> tuple[list[str], list[dict[str, Any]]]:
    """Approved candidates with a PENDING order each, and the payment the provider reports."""
    from zhaokao.adapters import payments as provider
    from zhaokao.domain.payments import Paid
    from zhaokao.storage import payments

    paid = []
    ids = ready_candidates(count, status="approved")
    for cid in ids:
        order, _ = payments.open_order(cid, "ningxia-adult-2023", FEE // 100)
        transaction = "42" + secrets.token_hex(13)
        paid.append(
            Paid(
                order.key.removeprefix("order#"),
                transaction,
                FEE,
                provider.merchant_id(),
                datetime.now(UTC).isoformat(timespec="seconds"),
            )._asdict()
        )
    return ids, paid


def _deliver(messages: list[dict[str, Any]]) -> dict[str, Any]:
    from functions.admit import payment_worker

    context = Context()
    context.function_name = "PaymentWorkerFunction"
    with quiet_logs("payments"), counting_aws() as (calls, items):
        started = time.perf_counter()
        for i in range(0, len(messages), 10):
            event = sqs_event(messages[i : i + 10], "PaymentQueue")
            result = payment_worker.handler(event, context)
            assert result["batchItemFailures"] == [], result
        seconds = time.perf_counter() - started
    return {
        "per_second": round(len(messages) / seconds, 1),
        "dynamodb_calls_per_message": {
            op: round(n / len(messages), 2) for op, n in sorted(calls.items())
        },
        "transaction_items": sorted(set(items)),
    }


def main(cloud: Any, messages: int = 500) -> dict[str, Any]:
    from zhaokao.storage import payments

    ids, paid = _orders(messages)
    first = _deliver(paid)
    again = _deliver(paid)
    settled = sum(payments.get_order(p["out_trade_no"]).status == "PAID" for p in paid)
    counted = len(payments.paid_candidates(ids))
    print(
        f"payment worker, in-process: {first['per_second']} payments/s over {messages} "
        f"(PAID {settled}); DynamoDB calls per message {first['dynamodb_calls_per_message']}, "
        f"transaction items {first['transaction_items']}; {stored_candidates():,} candidates stored"
    )
    print(
        f"  redelivered: {again['per_second']} messages/s, changing nothing; "
        f"DynamoDB calls per message {again['dynamodb_calls_per_message']}"
    )
    return {
        "messages": messages,
        "paid": settled,
        "counted": counted,
        "first": first,
        "again": again,
    }
