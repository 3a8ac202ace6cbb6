"""Scheduled payment work (R9.2, R9.3): settle orders whose notification never came,
withdraw the unpaid at the deadline, reconcile the provider's daily statement."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from typing import Any

from aws_lambda_powertools import Logger
from pydantic import JsonValue

from ..adapters import payments as provider
from ..adapters import queues
from ..api.operator_schemas import Reconciliation
from ..domain import payments as rules
from ..domain.auth import Principal
from ..domain.candidate import Candidate
from ..domain.errors import Conflict, InvalidField, NotFound
from ..domain.fees import amount_due, payment_window
from ..domain.lifecycle import Status
from ..domain.policy import Policy
from ..domain.windows import WindowName
from ..messages import PaymentConfirmed
from ..settings import settings
from ..storage import candidates, lifecycle, seasons
from ..storage import payments as store

logger = Logger(service="zhaokao-service")  # shared code: one JSON logger of its own
JOB = "system:payment-jobs"
KEPT_DIFFERENCES = 1000  # in the stored report; more than this is an incident, not a report
OWING = {
    Status.registered,
    Status.submitted,
    Status.under_review,
    Status.on_site,
    Status.approved,
    Status.returned,
}


def settle_pending(season_id: str) -> dict[str, int]:
    """R9.3: ask the provider about every PENDING order; a paid one is applied through the
    same queue as a notification, so it still happens once."""
    found, paying = _settle(season_id)
    return {"pending": found, "settled": len(paying)}


def _settle(season_id: str) -> tuple[int, set[str]]:
    """The pending orders asked about, and the candidates whose payment the provider has
    taken: queued to be applied."""
    merchant = provider.merchant_id()
    found, paid, paying = 0, [], set()
    for order in store.pending_orders(season_id):
        found += 1
        state = provider.query_order(order.key.removeprefix("order#"))
        if state and state.get("trade_state") == "SUCCESS":
            paid.append(PaymentConfirmed.of(rules.paid(state, merchant, int(order.amount))))
            paying.add(str(order.candidate_id))
    if paid:
        queues.send_all(settings().payment_queue_url, paid)
    return found, paying


def withdraw_unpaid(season_id: str) -> dict[str, int]:
    """R9.2: once the payment window has closed, every candidate still owing is withdrawn
    (视为放弃), audited with the reason. Run again, it finds nothing more to do."""
    season = seasons.get_season(season_id)
    policy, now = season.policy, season.now()
    closed = {  # a candidate owes inside their own window (exemption applicants': apart)
        name
        for name in (WindowName.payment, WindowName.exemption_payment)
        if (w := policy.windows.get(name)) is not None and w.end is not None and now >= w.end
    }
    if not policy.fees.withdraw_unpaid_at_deadline or not closed:
        return {"withdrawn": 0}
    # R9.3: who paid before the deadline owes nothing, whether or not the provider's
    # notification has arrived yet — settled first, never withdrawn
    _, paying = _settle(season_id)
    units = [u.code for u in policy.home_units()]
    withdrawn = 0
    for unit in units:
        owing = [
            r
            for r in candidates.of_unit(season_id, unit)
            if r.status in OWING and payment_window(policy, r.profile) in closed and owes(policy, r)
        ]
        paid = store.paid_candidates([r.candidate_id for r in owing]) if owing else set()
        for record in owing:
            if record.candidate_id in paid or record.candidate_id in paying:
                continue
            try:
                lifecycle.change(record, "withdraw", JOB, reason="未在缴费截止时间前缴费，视为放弃")
                withdrawn += 1
            except Conflict:
                logger.info(
                    "changed while withdrawing; next run",
                    extra={"candidate_id": record.candidate_id},
                )
    return {"withdrawn": withdrawn}


def owes(policy: Policy, record: Candidate) -> bool:
    """A fee this platform collects (R9.1: Hunan's special plans' are the schools')."""
    plan_type = record.preferences.get("plan_type")
    return amount_due(policy, plan_type, record.approvals) > 0


def reconcile(day: str) -> dict[str, JsonValue]:
    """R9.3: the provider's statement of ``day`` against our ledger: every difference."""
    text = provider.statement(day)
    rows = list(csv.reader(io.StringIO(text)))[1:]
    theirs = [rules.Line(r[3], r[2], int(r[5])) for r in rows if len(r) >= 6]
    ours = [
        rules.Line(str(e.body["out_trade_no"]), str(e.transaction_id), int(e.amount))
        for e in store.ledger(day)
    ]
    differences = rules.reconcile(theirs, ours)
    logger.info(
        "reconciled",
        extra={
            "day": day,
            "statement": len(theirs),
            "ledger": len(ours),
            "differences": len(differences),
        },
    )
    result: dict[str, JsonValue] = {
        "day": day,
        "statement": len(theirs),
        "ledger": len(ours),
        "differences": list[JsonValue](differences),
    }
    kept = list[JsonValue](differences[:KEPT_DIFFERENCES])  # an item holds 400 KB; logged: count
    store.keep_report(day, {**result, "differences": kept, "differences_total": len(differences)})
    return result


def reconciliation(who: Principal, day: str) -> Reconciliation:
    """The operators' view of a day's reconciliation report."""
    who.require("operator")
    try:
        date.fromisoformat(day)
    except ValueError:
        raise InvalidField("日期格式应为 YYYY-MM-DD", "day") from None
    found = store.report(day)
    if found is None:
        raise NotFound("该日对账尚未进行（每日凌晨对账前一日的账单）", "day")
    return Reconciliation.model_validate(found)


def run(job: str, day: str | None = None) -> dict[str, Any]:
    """What the schedule calls: one job over every season."""
    if job == "reconcile":
        return reconcile(day or (datetime.now(UTC) - timedelta(days=1)).date().isoformat())
    act = settle_pending if job == "settle" else withdraw_unpaid
    return {s.season_id: act(s.season_id) for s in seasons.list_seasons()}
