"""A candidate's preferences: the current choice on the candidate, every version kept (R8)."""

from __future__ import annotations

from datetime import UTC, datetime

from pynamodb.transactions import TransactWrite

from ..domain.candidate import Candidate, Choice
from .lifecycle import change
from .models import PreferenceRecord


def save(
    record: Candidate,
    choice: Choice,
    actor: str,
    restored_from: int | None = None,
) -> Candidate:
    """One transaction: the candidate (choice, count, version), the new version and the
    audit record — conditional on the candidate's version as read."""
    no = int(record.preferences_no or 0) + 1
    version = PreferenceRecord(
        candidate_id=record.candidate_id,
        no=no,
        choice=choice,
        saved_at=datetime.now(UTC),
        actor=actor,
        restored_from=restored_from,
    )

    def keep(tx: TransactWrite) -> None:
        tx.save(version, condition=PreferenceRecord.no.does_not_exist())

    return change(
        record,
        None,
        actor,
        audit_action="preferences:restore" if restored_from else "preferences:save",
        sets={"preferences": choice, "preferences_no": no},
        also=keep,
    )


def confirm(record: Candidate, actor: str) -> Candidate:
    return change(
        record,
        None,
        actor,
        audit_action="preferences:confirm",
        sets={"preferences_confirmed": True},
    )


def history(candidate_id: str) -> list[PreferenceRecord]:
    return list(PreferenceRecord.query(candidate_id, scan_index_forward=False))


def version(candidate_id: str, no: int) -> PreferenceRecord | None:
    return next(iter(PreferenceRecord.query(candidate_id, PreferenceRecord.no == no)), None)
