"""R16.2: SMS in the season's approved templates, each one recorded for its receipt."""

from __future__ import annotations

import secrets

from aws_lambda_powertools import Logger

from ..adapters import metrics, sms
from ..domain.candidate import Candidate
from ..domain.identity import mask_phone
from ..domain.sms import Message
from ..storage import messages, pii, seasons

logger = Logger(service="zhaokao-service")  # shared code: one JSON logger of its own


def send(season_id: str, phone: str, message: Message) -> None:
    """Send now (a code must go at once); the gateway's refusal is raised, named. Nothing
    is written: the message's id names its season and kind for its receipt."""
    sms.send(phone, message, messages.out_id(season_id, message.kind, secrets.token_hex(8)))


def candidate(record: Candidate, kind: str, **params: object) -> None:
    """Best effort after the change committed: a lost SMS is logged, never raised."""
    try:
        message = seasons.get_season(record.season_id).policy.message(kind, **params)
        send(record.season_id, pii.decrypt(record.phone_cipher), message)
    except Exception:
        metrics.count("SmsFailed", record.season_id)
        logger.exception(
            "notification failed", extra={"candidate_id": record.candidate_id, "kind": kind}
        )


def receipts(reports: list[dict[str, object]]) -> int:
    """The gateway's delivery receipts (R16.2): each message recorded delivered or failed;
    a failure is logged (the operators' SMS-failure metric counts these lines)."""
    recorded = 0
    for report in reports:
        message_id = str(report.get("out_id") or "")
        if message_id.count(".") < 2:
            continue  # not one of ours
        delivered = bool(report.get("success"))
        error = None if delivered else str(report.get("err_code") or "UNKNOWN")
        phone = (
            mask_phone(str(report.get("phone_number") or "")) if report.get("phone_number") else ""
        )
        messages.receipt(message_id, str(report.get("biz_id") or ""), phone, delivered, error)
        recorded += 1
        if not delivered:
            metrics.count("SmsFailed", message_id.split(".", 1)[0])
            logger.warning("SMS not delivered", extra={"out_id": message_id, "err_code": error})
    return recorded
