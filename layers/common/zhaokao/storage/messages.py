"""SMS delivery receipts (R16.2); the phone kept only masked."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pynamodb.exceptions import PutError

from .models import MessageRecord, UniqueRecord
from .outcomes import condition_failed

KEEP = timedelta(days=180)


def out_id(season_id: str, kind: str, nonce: str) -> str:
    """Our id of a message, handed to the gateway and named by its receipt."""
    return f"{season_id}.{kind}.{nonce}"


def receipt(
    message_id: str, biz_id: str, phone_masked: str, delivered: bool, error: str | None
) -> None:
    """Record a receipt (a redelivered receipt overwrites itself with the same facts)."""
    season_id, kind, _ = message_id.split(".", 2)
    now = datetime.now(UTC)
    MessageRecord(
        out_id=message_id,
        biz_id=biz_id,
        kind=kind,
        season_id=season_id,
        phone_masked=phone_masked,
        status="delivered" if delivered else "failed",
        error=error,
        reported_at=now,
        expires=now + KEEP,
    ).save()


def get(message_id: str) -> MessageRecord | None:
    try:
        return MessageRecord.get(message_id, consistent_read=True)
    except MessageRecord.DoesNotExist:
        return None


def first_time(season_id: str, kind: str, candidate_id: str) -> bool:
    """True once for each candidate and kind of news (R16.2): a sentinel, made on the first
    call; a rerun of the announcement finds it and tells nobody twice."""
    told = UniqueRecord(
        key=f"told#{season_id}#{kind}#{candidate_id}",
        owner=candidate_id,
        created_at=datetime.now(UTC),
    )
    try:
        told.save(condition=UniqueRecord.key.does_not_exist())
    except PutError as exc:
        if condition_failed(exc):
            return False
        raise
    return True
