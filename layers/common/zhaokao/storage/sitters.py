"""Who sat a season's exam (R5.2): one sentinel per candidate, keyed by the ID's HMAC."""

from __future__ import annotations

from datetime import UTC, datetime

from pynamodb.exceptions import DoesNotExist

from . import pii
from .models import UniqueRecord


def _key(season_id: str, id_number: str) -> str:
    return f"sat#{season_id}#{pii.key_hash('id', id_number)}"


def record(season_id: str, id_numbers: list[str], actor: str) -> int:
    """Load a season's sat-the-exam list (idempotent: a second load rewrites the same keys)."""
    now = datetime.now(UTC)
    with UniqueRecord.batch_write() as batch:
        for number in id_numbers:
            batch.save(UniqueRecord(key=_key(season_id, number), owner=actor, created_at=now))
    return len(id_numbers)


def sat(season_id: str, id_number: str) -> bool:
    try:
        UniqueRecord.get(_key(season_id, id_number))
    except DoesNotExist:
        return False
    return True
