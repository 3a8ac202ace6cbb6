"""The one place a candidate's record changes (R16.1): check, version, audit — atomically."""

from __future__ import annotations

from typing import Any

from pynamodb.exceptions import TransactWriteError
from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action
from pynamodb.transactions import TransactWrite

from ..domain.errors import Conflict
from ..domain.lifecycle import EDITABLE, next_status, require_editable
from .audit import audit_record, history
from .candidates import get
from .connection import connection
from .models import AuditRecord, CandidateRecord


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
    record = _read(candidate_id, expected_version)
    target = str(next_status(record.status, action))
    version = int(record.version)
    before = {"status": record.status, "version": version}
    after = {"status": target, "version": version + 1}
    audit = audit_record(f"candidate#{candidate_id}", actor, action, before, after, reason)
    _commit(record, [CandidateRecord.status.set(target)], audit)
    record.status = target
    return record


def update_profile(
    candidate_id: str, profile: dict[str, Any], actor: str, expected_version: int
) -> CandidateRecord:
    """R4.1/R4.4: a change of the profile, only while editable; versioned and audited."""
    record = _read(candidate_id, expected_version)
    require_editable(record.status)
    before = {"profile": record.profile, "version": expected_version}
    after = {"profile": profile, "version": expected_version + 1}
    audit = audit_record(f"candidate#{candidate_id}", actor, "profile", before, after)
    editable = CandidateRecord.status.is_in(*EDITABLE)  # R4.4, checked again at write time
    _commit(record, [CandidateRecord.profile.set(profile)], audit, editable)
    record.profile = profile
    return record


def timeline(candidate_id: str) -> list[dict[str, Any]]:
    """Every change of a candidate's record, oldest first (the candidate's timeline)."""
    return list(reversed(history(f"candidate#{candidate_id}")))


def _read(candidate_id: str, expected_version: int | None) -> CandidateRecord:
    record = get(candidate_id)
    if expected_version is not None and expected_version != int(record.version):
        raise _stale()
    return record


def _commit(
    record: CandidateRecord,
    actions: list[Action],
    audit: AuditRecord,
    condition: Condition | None = None,
) -> None:
    """The change and its audit in one transaction. The VersionAttribute adds
    ``version = <read>`` and the increment, and bumps ``record.version`` on success."""
    try:
        with TransactWrite(connection=connection()) as tx:
            tx.update(record, actions=actions, condition=condition)
            tx.save(audit)
    except TransactWriteError as exc:
        codes = {r.code if r else None for r in exc.cancellation_reasons or []}
        if {"ConditionalCheckFailed", "TransactionConflict"} & codes:  # only the record has one
            raise _stale() from None
        raise


def _stale() -> Conflict:
    return Conflict("记录已被他人修改，请刷新后重试", "version", code="stale_version")
