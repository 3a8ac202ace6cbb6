"""Exam sites, the county adjacency, and seats held (R10): a seat is one sentinel held by
one candidate, and a candidate holds one seat — both by conditional writes, so neither a
rerun nor two workers ever give a seat twice."""

from __future__ import annotations

from datetime import UTC, datetime

from pynamodb.exceptions import TransactWriteError
from pynamodb.expressions.update import Action
from pynamodb.transactions import TransactWrite

from ..domain.arrangement import Room, Seat, Site
from ..domain.candidate import Candidate, ExamSeat
from ..domain.errors import Conflict
from .audit import audit_record
from .candidates import keyed
from .catalogue import replace
from .connection import connection
from .models import CandidateRecord, CatalogueRecord, UniqueRecord
from .outcomes import failed_conditions


def _exam(season_id: str) -> str:
    """The partition of a season's exam sites and county adjacency: a key space of their
    own beside the plan catalogue's, so neither kind's loader meets the other's rows."""
    return f"{season_id}#exam"


def replace_sites(season_id: str, sites: list[Site]) -> dict[str, int]:
    rows: dict[str, dict[str, object]] = {
        f"site#{s.county}#{s.code}": {
            "county": s.county,
            "code": s.code,
            "name": s.name,
            "address": s.address,
            "rooms": [list(r) for r in s.rooms],
        }
        for s in sites
    }
    return replace(_exam(season_id), "site#", rows)


def replace_adjacency(season_id: str, neighbours: dict[str, list[str]]) -> dict[str, int]:
    return replace(
        _exam(season_id),
        "adjacent#",
        {f"adjacent#{c}": {"neighbours": n} for c, n in neighbours.items()},
    )


def sites(season_id: str) -> list[Site]:
    return [
        Site(b["county"], b["code"], b["name"], b["address"], tuple(Room(*r) for r in b["rooms"]))
        for b in (
            r.body
            for r in CatalogueRecord.query(
                _exam(season_id), CatalogueRecord.key.startswith("site#")
            )
        )
    ]


def adjacency(season_id: str) -> dict[str, list[str]]:
    found = CatalogueRecord.query(_exam(season_id), CatalogueRecord.key.startswith("adjacent#"))
    return {r.key.removeprefix("adjacent#"): list(r.body["neighbours"]) for r in found}


def seat_of(record: Candidate) -> Seat | None:
    held = record.exam_seat
    return Seat(record.candidate_id, **held) if held else None


def hold(record: Candidate, seat: Seat, number: str, season_code: str) -> str:
    """The candidate holds ``seat``: its sentinel made (or already theirs), the seat they
    held before let go, in one transaction. Returns ``kept``, ``moved`` or ``new``."""
    before = record.exam_number
    if before == number:
        return "kept"
    now = datetime.now(UTC)
    key = f"seat#{record.season_id}#{number}"
    try:
        with TransactWrite(connection=connection()) as tx:
            tx.save(
                UniqueRecord(key=key, owner=record.candidate_id, created_at=now),
                condition=UniqueRecord.key.does_not_exist()
                | (UniqueRecord.owner == record.candidate_id),
            )
            if before:
                tx.delete(
                    UniqueRecord(key=f"seat#{record.season_id}#{before}"),
                    condition=UniqueRecord.owner == record.candidate_id,
                )
            held = (
                CandidateRecord.exam_number == before
                if before
                else CandidateRecord.exam_number.does_not_exist()
            )
            fields = ExamSeat(
                county=seat.county, site=seat.site, room=seat.room, seat=seat.seat, group=seat.group
            )
            tx.update(  # the record as read (its version): a change meanwhile retries the chunk
                item := keyed(record),
                actions=[
                    CandidateRecord.exam_number.set(number),
                    CandidateRecord.exam_seat.set(fields),
                ],
                condition=held,
            )
    except TransactWriteError as exc:
        failed_conditions(exc)
        raise Conflict(f"座位{number}已被占用或考生座位已变化", "seat", code="seat_taken") from None
    record.exam_number, record.exam_seat, record.version = number, fields, item.version
    return "moved" if before else "new"


def release(record: Candidate, actor: str) -> None:
    """The seat of one who no longer sits (withdrawn, cancelled) let go before a rerun, so
    the rooms can seat someone else: the sentinel and the record's seat, in one transaction
    on the version read, audited. Their ticket is void (service/tickets)."""
    number = record.exam_number
    subject = f"candidate#{record.candidate_id}"
    audit = audit_record(subject, actor, "seat:release", {"exam_number": number}, None)
    with TransactWrite(connection=connection()) as tx:
        tx.delete(
            UniqueRecord(key=f"seat#{record.season_id}#{number}"),
            condition=UniqueRecord.owner == record.candidate_id,
        )
        gone: list[Action] = [
            CandidateRecord.exam_number.remove(),
            CandidateRecord.exam_seat.remove(),
        ]
        tx.update(keyed(record), actions=gone)
        tx.save(audit)
