"""Fees and payment (R9): the order, the provider's notification, applying it once."""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger
from pydantic import JsonValue

from ..adapters import metrics, queues
from ..adapters import payments as provider
from ..api.schemas import PaymentView
from ..domain import payments as rules
from ..domain.auth import Principal
from ..domain.errors import Conflict, DomainError, Forbidden, RuleViolation
from ..domain.fees import amount_due, payment_window
from ..messages import PaymentConfirmed
from ..settings import settings
from ..storage import candidates, seasons
from ..storage import payments as store
from .notify import candidate as notify_candidate

if TYPE_CHECKING:
    from ..domain.candidate import Candidate
    from ..domain.season import Season

logger = Logger(service="zhaokao-service")  # shared code: one JSON logger of its own


def start(who: Principal) -> PaymentView:
    """The candidate's order at the provider, for the fee the policy sets (R9.1, R9.2)."""
    who.require("candidate")
    record = candidates.get(who.username)
    season = seasons.get_season(record.season_id)
    yuan = _due(record, season)
    order, replaced = store.open_order(record.candidate_id, record.season_id, yuan)
    if order.status == "PAID":
        raise Conflict("报名考试费已缴纳，无须重复缴费", "payment", code="already_paid")
    if replaced is not None:  # the fee changed: the old order can no longer be paid
        provider.close_order(replaced.key.removeprefix("order#"))
    number = order.key.removeprefix("order#")
    made = provider.create_order(number, int(order.amount), f"{season.policy.name}报名考试费")
    return _order_view(order).model_copy(update={"pay_url": _absolute(made["pay_url"])})


def _due(record: Candidate, season: Season) -> int:
    """Yuan the candidate may pay now; a DomainError says why not (window, review, plan)."""
    season.require_window(payment_window(season.policy, record.profile))
    if season.policy.fees.after_approval and record.status != "approved":
        # R9.2: 报名资格审核通过的考生须在规定时间内办理网上缴费手续
        raise RuleViolation("资格审核通过后方可缴费", "payment", code="not_approved")
    plan_type = record.preferences.get("plan_type")
    if season.policy.preferences.plan_type_choice and not plan_type:
        raise RuleViolation(
            "请先填报志愿，再按所报计划类别缴费", "preferences", code="no_preferences"
        )
    yuan = amount_due(season.policy, plan_type, record.approvals)
    if yuan == 0:
        raise RuleViolation(
            "所报计划类别的费用由招生学校收取，本平台无须缴费", "payment", code="not_collected"
        )
    return yuan


def status(who: Principal) -> PaymentView:
    """The order (the receipt once PAID); before that, whether paying is open and if not why,
    from the same rules as ``start`` so the page never second-guesses them."""
    who.require("candidate")
    order = store.current_order(who.username)
    if order and order.status == "PAID":
        return _order_view(order)
    record = candidates.get(who.username)
    try:
        due = _due(record, seasons.get_season(record.season_id))
        blocked = None
    except DomainError as exc:
        due, blocked = None, exc.message
    if order and due is not None and int(order.amount) != due * 100:
        order = None  # the fee changed since: paying opens a new order
    view = _order_view(order) if order else PaymentView(status="NONE")
    return view.model_copy(update={"blocked": blocked})


def _order_view(order: Any) -> PaymentView:
    return PaymentView(
        out_trade_no=order.key.removeprefix("order#"),
        amount_yuan=int(order.amount) / 100,
        status=order.status,
        transaction_id=order.transaction_id,
        paid_at=order.paid_at,
    )


def _absolute(url: str) -> str:
    if url.startswith("http"):
        return url
    base = settings().pay_base_url
    return base[: base.index("/", base.index("//") + 2)] + url if "//" in base else url


def notify(headers: dict[str, str], body: str) -> None:
    """R9.3: verify (signature, timestamp, merchant, amount), keep it, queue it. Raises
    Forbidden for anything not authentic; the caller answers FAIL and logs a security event."""
    resource = provider.verify(headers, body)
    stamp = {k.lower(): v for k, v in headers.items()}.get("wechatpay-timestamp", "")
    rules.check_timestamp(stamp, time.time())
    order = store.get_order(str(resource.get("out_trade_no", "")))
    paid = rules.paid(resource, provider.merchant_id(), int(order.amount) if order else None)
    kept: dict[str, JsonValue] = {"headers": dict(headers), "body": body}
    store.keep_notice(str(json.loads(body).get("id")), kept)
    queues.send_all(settings().payment_queue_url, [PaymentConfirmed.of(paid)])


def on_payment_message(message: PaymentConfirmed) -> str:
    """Apply one verified payment, exactly once; the candidate hears of it once."""
    paid = message.paid()
    order = store.get_order(paid.out_trade_no)
    if order is None:  # verified at the door; gone since only by an operator's hand
        raise Forbidden("没有这个订单", "out_trade_no", code="unknown_order")
    outcome = store.apply(paid, order)
    if outcome == "paid":
        metrics.count("Payments", str(order.season_id))
        record = candidates.get(str(order.candidate_id))
        notify_candidate(
            record, "payment_paid", name=record.name, amount=f"{paid.amount / 100:.2f}"
        )
    if outcome == "duplicate":
        logger.warning("duplicate payment to refund", extra={"out_trade_no": paid.out_trade_no})
    return outcome
