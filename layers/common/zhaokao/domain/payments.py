"""Payment rules (R9.3): what a provider's notification may change, and reconciliation."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

from .errors import Forbidden

NOTICE_WINDOW_SECONDS = 300  # a notification older or newer than this is refused


class Paid(NamedTuple):
    """A successful payment as the provider reports it."""

    out_trade_no: str
    transaction_id: str
    amount: int  # fen
    merchant_id: str
    success_time: str = ""  # ISO, as the provider reports it


def check_timestamp(timestamp: str, now: float) -> None:
    try:
        skew = abs(now - int(timestamp))
    except ValueError:
        raise Forbidden("通知时间戳无效", "timestamp", code="bad_timestamp") from None
    if skew > NOTICE_WINDOW_SECONDS:
        raise Forbidden("通知时间戳超出允许范围", "timestamp", code="stale_notification")


def paid(resource: dict[str, Any], merchant_id: str, order_amount: int | None) -> Paid:
    """The payment a decrypted resource reports, after checking it is ours and matches."""
    if resource.get("trade_state") != "SUCCESS":
        raise Forbidden("通知不是支付成功", "trade_state", code="not_success")
    if resource.get("mchid") != merchant_id:
        raise Forbidden("通知的商户号不是本平台", "mchid", code="other_merchant")
    if order_amount is None:
        raise Forbidden("没有这个订单", "out_trade_no", code="unknown_order")
    amount = int((resource.get("amount") or {}).get("total", -1))
    if amount != order_amount:
        raise Forbidden("通知金额与订单金额不符", "amount", code="amount_mismatch")
    return Paid(
        str(resource["out_trade_no"]),
        str(resource["transaction_id"]),
        amount,
        merchant_id,
        str(resource.get("success_time") or ""),
    )


class Line(NamedTuple):
    """One payment on either side of a reconciliation."""

    out_trade_no: str
    transaction_id: str
    amount: int


def reconcile(statement: Iterable[Line], recorded: Iterable[Line]) -> list[dict[str, Any]]:
    """R9.3: every difference between the provider's statement and our records, nothing else:
    paid_not_recorded, recorded_not_paid, amount_mismatch, duplicate (two payments of one order)."""
    theirs: dict[str, list[Line]] = {}
    for line in statement:
        theirs.setdefault(line.out_trade_no, []).append(line)
    ours = {line.out_trade_no: line for line in recorded}
    out: list[dict[str, Any]] = []
    for trade_no, lines in sorted(theirs.items()):
        mine = ours.get(trade_no)
        if mine is None:
            out += [{"kind": "paid_not_recorded", **ln._asdict()} for ln in lines]
            continue
        extra = [ln for ln in lines if ln.transaction_id != mine.transaction_id]
        same = [ln for ln in lines if ln.transaction_id == mine.transaction_id]
        out += [{"kind": "duplicate", **ln._asdict()} for ln in extra]
        if not same:
            out.append({"kind": "recorded_not_paid", **mine._asdict()})
        elif same[0].amount != mine.amount:
            out.append({"kind": "amount_mismatch", **same[0]._asdict(), "recorded": mine.amount})
    for trade_no, mine in sorted(ours.items()):
        if trade_no not in theirs:
            out.append({"kind": "recorded_not_paid", **mine._asdict()})
    return out
