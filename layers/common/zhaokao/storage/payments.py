"""Orders and payments (R9.3): PENDING → PAID exactly once, by conditions on the data."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime

from pydantic import JsonValue
from pynamodb.exceptions import DoesNotExist, PutError, TransactWriteError
from pynamodb.transactions import TransactWrite

from ..domain.payments import Paid
from .audit import audit_record
from .connection import connection
from .models import AuditRecord, PaymentRecord
from .outcomes import failed_conditions


def order_number(candidate_id: str, yuan: int) -> str:
    """One order per candidate and amount: providers refuse a changed amount under one
    number, so a fee that changes (an exemption refused) is a new order. 32 characters."""
    return f"ZK{candidate_id.replace('-', '')[:25]}F{yuan:04d}"


def get_order(out_trade_no: str) -> PaymentRecord | None:
    try:
        return PaymentRecord.get(f"order#{out_trade_no}")
    except DoesNotExist:
        return None


def current_order(candidate_id: str) -> PaymentRecord | None:
    """The candidate's order now (the one paid, or the latest opened)."""
    try:
        pointer = PaymentRecord.get(f"orderof#{candidate_id}")
    except DoesNotExist:
        return None
    return get_order(str(pointer.out_trade_no))


def open_order(
    candidate_id: str, season_id: str, yuan: int
) -> tuple[PaymentRecord, PaymentRecord | None]:
    """The candidate's order for ``yuan``, created once (a second request finds the first).
    A PENDING order of another amount is closed in the same transaction and returned as
    the second item, for the provider to close too; a PAID one is returned as it is."""
    number = order_number(candidate_id, yuan)
    current = current_order(candidate_id)
    if current is not None and (current.status == "PAID" or current.key == f"order#{number}"):
        return current, None
    now = datetime.now(UTC)
    order = PaymentRecord(
        key=f"order#{number}",
        kind="order",
        candidate_id=candidate_id,
        season_id=season_id,
        amount=yuan * 100,
        status="PENDING",
        at=now,
        pending_season=season_id,
    )
    pointer = PaymentRecord(
        key=f"orderof#{candidate_id}", kind="pointer", out_trade_no=number, at=now
    )
    try:
        with TransactWrite(connection=connection()) as tx:
            tx.save(order, condition=PaymentRecord.key.does_not_exist())
            if current is None:
                tx.save(pointer, condition=PaymentRecord.key.does_not_exist())
            else:
                tx.update(
                    current,
                    actions=[
                        PaymentRecord.status.set("CLOSED"),
                        PaymentRecord.pending_season.remove(),
                    ],
                    condition=PaymentRecord.status == "PENDING",
                )
                was = current.key.removeprefix("order#")
                tx.save(pointer, condition=PaymentRecord.out_trade_no == was)
                tx.save(
                    audit_record(
                        f"candidate#{candidate_id}",
                        "system:payments",
                        "payment:order_replaced",
                        before={"out_trade_no": was, "amount": int(current.amount)},
                        after={"out_trade_no": number, "amount": yuan * 100},
                    )
                )
    except TransactWriteError as exc:
        failed_conditions(exc)  # a concurrent request opened or replaced it: theirs stands
        found = current_order(candidate_id)
        assert found is not None
        return found, None
    return order, current


def keep_notice(notice_id: str, raw: dict[str, JsonValue]) -> None:
    """Every authentic notification as received (its headers and body), once per id."""
    record = PaymentRecord(key=f"notice#{notice_id}", kind="notice", body=raw, at=datetime.now(UTC))
    with contextlib.suppress(PutError):  # the same notification again: already kept
        record.save(condition=PaymentRecord.key.does_not_exist())


def apply(paid: Paid, order: PaymentRecord) -> str:
    """``paid`` once: the order PENDING → PAID, the transaction's sentinel, the candidate's
    one counted payment and the ledger entry, in one transaction. Returns what happened:
    ``paid``, ``already`` (this transaction was applied before) or ``duplicate`` (another
    successful payment of the same candidate: recorded to refund, never dropped)."""
    if order.status == "PAID" and order.transaction_id == paid.transaction_id:
        return "already"  # the usual redelivery, seen on the order just read: no write
    now = datetime.now(UTC)
    try:
        with TransactWrite(connection=connection()) as tx:
            tx.update(
                order,
                actions=[
                    PaymentRecord.status.set("PAID"),
                    PaymentRecord.transaction_id.set(paid.transaction_id),
                    PaymentRecord.paid_at.set(paid.success_time or now.isoformat()),
                    PaymentRecord.pending_season.remove(),
                ],
                condition=PaymentRecord.status == "PENDING",
            )
            for key, kind in (
                (f"txn#{paid.transaction_id}", "txn"),
                (f"paid#{order.candidate_id}", "paid"),
                (f"ledger#{paid.transaction_id}", "ledger"),
            ):
                tx.save(
                    _entry(key, kind, paid, order, now),
                    condition=PaymentRecord.key.does_not_exist(),
                )
            tx.save(_audit(paid, order, "payment:paid"))
        return "paid"
    except TransactWriteError as exc:
        failed_conditions(exc)  # throttled, in conflict, denied: raised, the message retried
    if _exists(f"txn#{paid.transaction_id}"):
        return "already"
    try:
        with TransactWrite(connection=connection()) as tx:
            tx.save(
                _entry(f"txn#{paid.transaction_id}", "txn", paid, order, now),
                condition=PaymentRecord.key.does_not_exist(),
            )
            tx.save(_entry(f"duplicate#{paid.transaction_id}", "duplicate", paid, order, now))
            tx.save(_audit(paid, order, "payment:duplicate"))
    except TransactWriteError as exc:
        failed_conditions(exc)
        return "already"  # a concurrent delivery of this duplicate recorded it
    return "duplicate"


def _audit(paid: Paid, order: PaymentRecord, action: str) -> AuditRecord:
    """The payment (or a duplicate to refund) on the candidate's timeline, committed with it."""
    return audit_record(
        f"candidate#{order.candidate_id}",
        "system:payments",
        action,
        before={"out_trade_no": paid.out_trade_no, "status": order.status},
        after={"amount": paid.amount, "transaction_id": paid.transaction_id},
    )


def _entry(key: str, kind: str, paid: Paid, order: PaymentRecord, now: datetime) -> PaymentRecord:
    day = (paid.success_time or now.isoformat())[:10] if kind == "ledger" else None
    return PaymentRecord(
        day=day,
        key=key,
        kind=kind,
        candidate_id=order.candidate_id,
        season_id=order.season_id,
        amount=paid.amount,
        transaction_id=paid.transaction_id,
        body={"out_trade_no": paid.out_trade_no},
        at=now,
    )


def _exists(key: str) -> bool:
    try:
        PaymentRecord.get(key)
    except DoesNotExist:
        return False
    return True


def pending_orders(season_id: str) -> list[PaymentRecord]:
    """Orders of the season still waiting for their notification, oldest first."""
    return list(PaymentRecord.pending.query(season_id))


def keep_report(day: str, report: dict[str, JsonValue]) -> None:
    """The day's reconciliation report; a later run replaces it (it saw more)."""
    PaymentRecord(key=f"report#{day}", kind="report", body=report, at=datetime.now(UTC)).save()


def report(day: str) -> dict[str, JsonValue] | None:
    try:
        found = PaymentRecord.get(f"report#{day}")
    except DoesNotExist:
        return None
    return {**found.body, "reconciled_at": found.at.isoformat(timespec="seconds")}


def ledger(day: str) -> list[PaymentRecord]:
    return list(PaymentRecord.by_day.query(day))


def paid_candidates(candidate_ids: list[str]) -> set[str]:
    """Which of these candidates have a counted payment (BatchGet of their sentinels)."""
    keys = [f"paid#{c}" for c in candidate_ids]
    return {str(r.candidate_id) for r in PaymentRecord.batch_get(keys)}
