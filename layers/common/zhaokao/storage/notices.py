"""The public notice (R7): entries published with an approval, complaints against them."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from pydantic import JsonValue
from pynamodb.exceptions import DoesNotExist, TransactWriteError
from pynamodb.transactions import TransactWrite

from ..domain.candidate import Approvals, Candidate
from ..domain.errors import Conflict, NotFound
from ..domain.notice import Notice
from .audit import audit_record
from .connection import connection
from .lifecycle import change
from .models import NoticeRecord
from .outcomes import failed_conditions


def publish(
    season_id: str, candidate_id: str, body: dict[str, JsonValue]
) -> Callable[[TransactWrite], None]:
    """An entry, written in the transaction of the approval that lists it."""
    entry = NoticeRecord(
        season_id=season_id,
        key=f"entry#{secrets.token_hex(8)}",
        candidate_id=candidate_id,
        body=body,
        state="listed",
        created_at=datetime.now(UTC),
    )

    def put(tx: TransactWrite) -> None:
        tx.save(entry)

    return put


def withdraw(season_id: str, candidate_id: str) -> Callable[[TransactWrite], None] | None:
    """The candidate's entries still listed, revoked in the transaction of the decision
    that ends what they list (one Query of the season's notice, filtered)."""
    listed = list(
        NoticeRecord.query(
            season_id,
            NoticeRecord.key.startswith("entry#"),
            filter_condition=(NoticeRecord.candidate_id == candidate_id)
            & (NoticeRecord.state == "listed"),
        )
    )
    if not listed:
        return None

    def revoke(tx: TransactWrite) -> None:
        for entry in listed:
            tx.update(entry, actions=[NoticeRecord.state.set("revoked")])

    return revoke


def entries(season_id: str) -> list[Notice]:
    return _notices(NoticeRecord.query(season_id, NoticeRecord.key.startswith("entry#")))


def complaints(season_id: str, state: str | None = None) -> list[Notice]:
    condition = NoticeRecord.state == state if state else None
    return _notices(
        NoticeRecord.query(
            season_id, NoticeRecord.key.startswith("complaint#"), filter_condition=condition
        )
    )


def get(season_id: str, key: str) -> Notice:
    try:
        return _notice(NoticeRecord.get(season_id, key))
    except DoesNotExist:
        raise NotFound("没有找到该记录") from None


def _notice(record: NoticeRecord) -> Notice:
    return Notice.model_validate(record.attribute_values)


def _notices(found: Iterable[NoticeRecord]) -> list[Notice]:
    return [_notice(r) for r in found]


def _keyed(notice: Notice) -> NoticeRecord:
    """The item to change: its key and the version read."""
    return NoticeRecord(season_id=notice.season_id, key=notice.key, version=notice.version)


def file_complaint(season_id: str, entry: Notice, body: dict[str, JsonValue]) -> Notice:
    complaint = NoticeRecord(
        season_id=season_id,
        key=f"complaint#{secrets.token_hex(8)}",
        candidate_id=entry.candidate_id,
        body={**body, "entry": entry.key.removeprefix("entry#")},
        state="open",
        created_at=datetime.now(UTC),
    )
    complaint.save()
    return _notice(complaint)


def resolve(
    complaint: Notice,
    upheld: bool,
    resolution: str,
    actor: str,
    candidate: Candidate | None,
    entry: Notice | None,
) -> Notice:
    """R7.2: close a complaint. Upheld, it also revokes the entry and the candidate's
    approved exemption or bonus, in one transaction with the audit records."""
    body = {**complaint.body, "resolution": resolution, "resolved_by": actor}
    state = "upheld" if upheld else "dismissed"
    still_open = NoticeRecord.state == "open"

    def close(tx: TransactWrite) -> None:
        tx.update(
            _keyed(complaint),
            actions=[NoticeRecord.state.set(state), NoticeRecord.body.set(body)],
            condition=still_open,
        )
        if entry is not None:
            tx.update(_keyed(entry), actions=[NoticeRecord.state.set("revoked")])

    if upheld and candidate is not None:
        revoked: Approvals = {**(candidate.approvals or Approvals()), "revoked": True}
        change(
            candidate,
            None,
            actor,
            audit_action="notice:revoke",
            reason=resolution,
            sets={"approvals": revoked},
            also=close,
        )
    else:
        audit = audit_record(
            f"notice#{complaint.season_id}", actor, f"complaint:{state}", reason=resolution
        )
        try:
            with TransactWrite(connection=connection()) as tx:
                close(tx)
                tx.save(audit)
        except TransactWriteError as exc:
            failed_conditions(exc)
            raise Conflict("该举报已处理", "complaint", code="stale_version") from None
    return complaint.model_copy(
        update={"state": state, "body": body, "version": complaint.version + 1}
    )
