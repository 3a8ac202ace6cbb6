"""The audit log (R16.1)."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any, TypedDict

from pydantic import JsonValue

from .models import AuditRecord

Snapshot = dict[str, JsonValue]  # what the audit keeps of a record before or after a change


class Entry(TypedDict):
    """One change of a subject, as its history shows it."""

    at: str
    actor: str
    action: str
    before: Any  # a Snapshot, or a value the change replaced
    after: Any
    reason: str | None


def audit_record(
    subject: str,
    actor: str,
    action: str,
    before: Any = None,
    after: Any = None,
    reason: str | None = None,
) -> AuditRecord:
    at = datetime.now(UTC).isoformat(timespec="microseconds")
    return AuditRecord(
        subject=subject,
        at_id=f"{at}#{secrets.token_hex(4)}",
        actor=actor,
        action=action,
        before=before,
        after=after,
        reason=reason,
    )


def history(subject: str, limit: int = 100) -> list[Entry]:
    """The newest changes of a subject first."""
    return [
        Entry(
            at=r.at_id.split("#")[0],
            actor=r.actor,
            action=r.action,
            before=r.before,
            after=r.after,
            reason=r.reason,
        )
        for r in AuditRecord.query(subject, scan_index_forward=False, limit=limit)
    ]
