"""The one place a candidate's state changes (R16.1): transition, version, audit — atomically."""

from __future__ import annotations

from typing import Any

from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

from ..domain.errors import Conflict
from ..domain.lifecycle import EDITABLE, next_status, require_editable
from .audit import audit_record, history
from .candidates import get
from .connection import connection
from .models import CandidateRecord


def transition(
    candidate_id: str,
    action: str,
    actor: str,
    expected_version: int | None = None,
    reason: str | None = None,
) -> CandidateRecord:
    """Apply ``action`` if allowed from the current state and the version is the one read.

    A stale version (someone changed the record since it was read) is a 409 and
    changes nothing; the audit record is written in the same transaction.
    """
    record = get(candidate_id)
    version = int(record.version or 0)
    if expected_version is not None and expected_version != version:
        raise _stale()
    before = {"status": record.status, "version": version}
    target = next_status(record.status, action)
    after = {"status": str(target), "version": version + 1}
    try:
        with TransactWrite(connection=connection()) as tx:
            # the VersionAttribute adds "version = <read>" and the increment
            tx.update(record, actions=[CandidateRecord.status.set(str(target))])
            tx.save(audit_record(f"candidate#{candidate_id}", actor, action, before, after, reason))
    except TransactWriteError as exc:
        codes = [r.code if r else None for r in exc.cancellation_reasons or []]
        if {"ConditionalCheckFailed", "TransactionConflict"} & set(
            codes
        ):  # only the record has a condition
            raise Conflict(
                "记录已被他人修改，请刷新后重试", "version", code="stale_version"
            ) from None
        raise
    return get(candidate_id)


def update_profile(
    candidate_id: str, profile: dict[str, Any], actor: str, expected_version: int
) -> CandidateRecord:
    """R4.1/R4.4: a change of the profile, only while editable; versioned and audited."""
    record = get(candidate_id)
    if int(record.version or 0) != expected_version:
        raise _stale()
    require_editable(record.status)
    before = {"profile": record.profile, "version": expected_version}
    after = {"profile": profile, "version": expected_version + 1}
    try:
        with TransactWrite(connection=connection()) as tx:
            tx.update(
                record,
                actions=[CandidateRecord.profile.set(profile)],
                condition=CandidateRecord.status.is_in(*EDITABLE),
            )
            tx.save(audit_record(f"candidate#{candidate_id}", actor, "profile", before, after))
    except TransactWriteError as exc:
        codes = {r.code if r else None for r in exc.cancellation_reasons or []}
        if {"ConditionalCheckFailed", "TransactionConflict"} & codes:
            raise _stale() from None
        raise
    return get(candidate_id)


def _stale() -> Conflict:
    return Conflict("记录已被他人修改，请刷新后重试", "version", code="stale_version")


def timeline(candidate_id: str) -> list[dict[str, Any]]:
    """Every state change of a candidate, oldest first (what the candidate's timeline shows)."""
    return list(reversed(history(f"candidate#{candidate_id}")))
