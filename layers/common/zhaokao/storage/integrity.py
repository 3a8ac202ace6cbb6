"""Violations (诚信) on the candidate's record, and exam bans by person across seasons."""

from __future__ import annotations

from datetime import UTC, date, datetime

from pynamodb.exceptions import DoesNotExist
from pynamodb.transactions import TransactWrite

from ..domain.candidate import Candidate, Integrity
from . import admission, pii
from .lifecycle import change
from .models import UniqueRecord


def _ban_key(id_number: str) -> str:
    return f"ban#{pii.key_hash('id', id_number)}"  # one person, whatever the season


def banned_until(id_number: str) -> date | None:
    """The last day of the person's exam ban, if one was ever recorded."""
    try:
        found = UniqueRecord.get(_ban_key(id_number))
    except DoesNotExist:
        return None
    return date.fromisoformat(str(found.until)) if found.until else None


def record(
    candidate: Candidate,
    integrity: Integrity,
    cancel: bool,
    ban_until: date | None,
    actor: str,
    reason: str,
) -> Candidate:
    """The violation on the record (cancelling the qualification when it does), the ban
    by person, and the audit: one transaction on the version read."""
    ban = None
    if ban_until is not None:
        id_number = pii.decrypt(candidate.id_cipher)
        longest = max(ban_until, banned_until(id_number) or ban_until)
        ban = UniqueRecord(
            key=_ban_key(id_number),
            owner=candidate.season_id,
            created_at=datetime.now(UTC),
            until=longest.isoformat(),
        )

    def also(tx: TransactWrite) -> None:
        if ban is not None:
            tx.save(ban)
        if cancel:  # R16.1: the admission steps read it (storage/admission)
            tx.save(admission.sanction(candidate.season_id, candidate.candidate_id, reason))

    action = "cancel" if cancel and candidate.status != "cancelled" else None
    return change(
        candidate,
        action,
        actor,
        audit_action="integrity:violation",
        reason=reason,
        sets={"integrity": integrity},
        also=also,
    )
