"""R16.2: the candidate hears of every step by SMS (the local outbox locally)."""

from __future__ import annotations

from aws_lambda_powertools import Logger

from ..adapters import sms
from ..storage import pii
from ..storage.models import CandidateRecord

logger = Logger(service="zhaokao-service")  # shared code: one JSON logger of its own


def candidate(record: CandidateRecord, text: str) -> None:
    """Best effort after the change committed: a lost SMS is logged, never raised."""
    try:
        sms.send(pii.decrypt(record.phone_cipher), f"【招考】{record.name}：{text}")
    except Exception:
        logger.exception("notification failed", extra={"candidate_id": record.candidate_id})
