"""考场编排 (R10.1, R10.2): sites imported, a run queued, seats written once each."""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..adapters import objects, queues
from ..api.operator_schemas import ArrangementRun, CatalogueImported, Seating, TimetableSet
from ..domain import arrangement as rules
from ..domain.auth import Principal
from ..domain.candidate import Candidate
from ..domain.errors import InvalidField, NotFound, RuleViolation
from ..domain.jobs import Job
from ..domain.spreadsheet import csv_text
from ..domain.tickets import changed_papers, subjects_of
from ..domain.windows import CST
from ..messages import (
    ArrangementMessage,
    HoldSeats,
    MakeTickets,
    PapersMoved,
    PlanSeats,
    PlanTickets,
)
from ..settings import settings
from ..storage import arrangement as store
from ..storage import candidates, imports, payments, seasons
from . import notify
from .tables import replace_table

if TYPE_CHECKING:
    from ..domain.policy import Policy

CHUNK = 200  # seats a message writes
RUN = "arrangement"  # the runs' unit in the imports table


def _sited(season_id: str) -> Policy:
    policy = seasons.get_season(season_id).policy
    if policy.exam_sites is None:
        raise RuleViolation("本考试季的考试由招生学校自行组织，不编排考场", code="no_exam_sites")
    return policy


def import_sites(who: Principal, season_id: str, kind: str, text: str) -> CatalogueImported:
    """Operators replace the sites or the adjacency; nothing is replaced while a row is bad."""
    who.require("operator")
    policy = _sited(season_id)
    counties = {c.code for c in policy.reference.counties}
    assert policy.exam_sites is not None
    if kind == "sites":
        sites, problems = rules.site_rows(text, counties, policy.exam_sites.room_seats)
        return CatalogueImported.model_validate(
            replace_table(
                season_id,
                who.actor(),
                "exam_sites",
                len(sites),
                problems,
                lambda: store.replace_sites(season_id, sites),
            )
        )
    neighbours, problems = rules.adjacency_rows(text, counties)
    return CatalogueImported.model_validate(
        replace_table(
            season_id,
            who.actor(),
            "adjacency",
            len(neighbours),
            problems,
            lambda: store.replace_adjacency(season_id, neighbours),
        )
    )


def start(who: Principal, season_id: str) -> ArrangementRun:
    """R10.1: a run, queued; its progress is read like an import's."""
    who.require("operator")
    _sited(season_id)
    return ArrangementRun.model_validate(queued(season_id, RUN, PlanSeats, who.actor()))


def queued(
    season_id: str, unit: str, first: Callable[..., ArrangementMessage], actor: str, **fields: str
) -> ArrangementRun:
    """A run of the arrangement worker, its progress recorded: its first message is of the
    kind ``first`` with ``fields``."""
    run_id = f"{unit.partition('#')[0]}-{datetime.now(CST):%Y%m%d%H%M%S}-{secrets.token_hex(3)}"
    record = imports.create(season_id, run_id, unit, actor)
    message = first(season_id=season_id, run_id=run_id, **fields)
    queues.send_all(settings().arrangement_queue_url, [message])
    return run_view(record)


def progress(who: Principal, season_id: str, run_id: str, unit: str = RUN) -> ArrangementRun:
    """A run's progress: an arrangement's, or (``unit`` TICKETS) a bulk of tickets'."""
    who.require("operator")
    return unit_progress(season_id, run_id, unit)


def unit_progress(season_id: str, run_id: str, unit: str) -> ArrangementRun:
    record = imports.get(season_id, run_id)
    if record.college_code != unit:
        raise NotFound("没有找到该批次", "run_id")
    return ArrangementRun.model_validate(run_view(record))


def run_view(record: Job) -> ArrangementRun:
    """A run as operators read it: seats written of all, new, moved and kept."""
    seen = imports.view(record)
    notes = record.notes or []
    return ArrangementRun(
        run_id=seen["import_id"],
        season_id=seen["season_id"],
        status=seen["status"],
        seats=seen["total_rows"],
        written=seen["processed_rows"],
        progress=seen["progress"],
        new=seen["added"],
        moved=seen["updated"],
        kept=seen["unchanged"],
        unplaced=sum(n["sitters"] for n in notes if n["host"] is None),
        notes=notes,
        error=seen["error"],
        created_at=seen["created_at"],
        finished_at=seen["finished_at"],
    )


def _group(policy: Policy, record: Candidate) -> str:
    """One paper, one room: the level, and the subject group for the levels that have one."""
    level = record.profile.get("level") or policy.preferences.level or ""
    category = record.preferences.get("subject_category")
    return f"{level}-{category}" if category else level


def sitting(policy: Policy, records: list[Candidate]) -> list[Candidate]:
    """Who of ``records`` sits the exam (one BatchGet of the payments)."""
    paid = payments.paid_candidates([r.candidate_id for r in records]) if records else set()
    return [r for r in records if _sits(policy, r, paid)]


def _sits(policy: Policy, record: Candidate, paid: set[str]) -> bool:
    """R10: approved and paid (or owing no fee here, R9.1); not exempt (免试), not
    withdrawn, not cancelled."""
    from .payment_jobs import owes

    approvals = record.approvals or {}
    exempt = approvals.get("exemption") and not approvals.get("revoked")
    settled = record.candidate_id in paid or not owes(policy, record)
    return record.status == "approved" and settled and not exempt


def release_departed(records: list[Candidate], seated: list[Candidate]) -> None:
    """R16.1: a seat held by one who no longer sits (withdrawn, cancelled) is let go before
    a rerun: the rooms may give it to someone else, and their ticket stays void."""
    sitting_now = {r.candidate_id for r in seated}
    for record in records:
        if record.exam_number and record.candidate_id not in sitting_now:
            store.release(record, "arrangement")


def set_timetable(
    who: Principal, season_id: str, sessions: list[dict[str, Any]], reason: str
) -> TimetableSet:
    """R10.5: operators enter and correct the season's timetable (a paper, its start and
    end); tickets print it. Who sits a paper whose time moved is told by SMS — a job of the
    arrangement worker, one message per seated candidate of the groups that sit it."""
    who.require("operator")
    policy = _sited(season_id)
    known = {s.code for s in policy.exam.subjects}
    for i, session in enumerate(sessions):
        if session["subject"] not in known:
            raise InvalidField("不是本考试季的考试科目", f"sessions[{i}].subject")
        if session["end"] <= session["start"]:
            raise InvalidField("结束时间须晚于开始时间", f"sessions[{i}].end")
    if len({s["subject"] for s in sessions}) != len(sessions):
        raise InvalidField("同一科目只能有一个考试时间", "sessions")
    rows = [{**s, "start": s["start"].isoformat(), "end": s["end"].isoformat()} for s in sessions]
    replaced, season = seasons.set_timetable(season_id, rows, reason, who.actor())
    moved = changed_papers(replaced, season.policy.exam.timetable)
    if moved:
        told = PapersMoved(season_id=season_id, run_id="", moved=moved)
        queues.send_all(settings().arrangement_queue_url, [told])
    return TimetableSet(timetable=timetable_view(season.policy), moved=sorted(moved))


def timetable_view(policy: Policy) -> list[dict[str, Any]]:
    names = {s.code: s.name for s in policy.exam.subjects}
    return [
        {
            "subject": s.subject,
            "name": names.get(s.subject, s.subject),
            "start": s.start.isoformat(),
            "end": s.end.isoformat(),
        }
        for s in sorted(policy.exam.timetable, key=lambda s: s.start)
    ]


def tell_papers_moved(season_id: str, moved: dict[str, str], school: str | None) -> str:
    """Every seated candidate who sits a moved paper (of the season's timetable, or of
    ``school``'s own exam): one SMS naming the papers and their new times."""
    policy = seasons.get_season(season_id).policy
    names = {s.code: s.name for s in policy.exam.subjects}
    if school:
        names = {p.subject: p.name for p in policy.exam.schools[school].papers}
    told = 0
    for unit in policy.home_units():
        for record in candidates.of_unit(season_id, unit.code):
            seat = store.seat_of(record)
            if seat is None or (school and seat.county != school):
                continue
            mine = set(names) if school else set(subjects_of(policy, seat.group))
            hit = sorted(c for c in moved if c in mine)
            if hit:
                change = "；".join(f"{names.get(c, c)}改为{moved[c]}" for c in hit)[:35]
                notify.candidate(record, "exam_changed", name=record.name, change=change)
                told += 1
    return f"told {told}"


def hold_seats(message: HoldSeats) -> str:
    """One chunk of a run's seats held, each candidate told of a seat that moved (R10.5)."""
    season_id, run_id = message.season_id, message.run_id
    counts: Counter[str] = Counter()
    code = message.season_code
    for fields in message.seats:
        seat = rules.Seat(**fields)
        record = candidates.get(seat.candidate_id)
        number = seat.exam_number(code)
        held = store.hold(record, seat, number, code)
        if held == "moved":  # R10.5: told, with the new seat
            change = f"准考证号{number}，第{seat.room}考场{seat.seat:02d}座"
            notify.candidate(record, "exam_changed", name=record.name, change=change)
        counts[held] += 1
    imports.chunk_done(
        season_id,
        run_id,
        message.chunk,
        len(message.seats),
        {"added": counts["new"], "updated": counts["moved"], "unchanged": counts["kept"]},
    )
    return "seated"


def plan(season_id: str, run_id: str) -> str:
    """Read who sits, arrange (pure), and queue the seats in chunks — once per run."""
    policy = _sited(season_id)
    assert policy.exam_sites is not None
    records = [r for unit in policy.home_units() for r in candidates.of_unit(season_id, unit.code)]
    seated = sitting(policy, records)
    sitters = [
        rules.Sitter(
            r.candidate_id,
            str(r.county_code),
            _group(policy, r),
            "",
            bool(r.profile.get("accessible_room")),
        )
        for r in seated
    ]
    release_departed(records, seated)
    previous = {r.candidate_id: seat for r in seated if (seat := store.seat_of(r))}
    neighbours = store.adjacency(season_id) or {
        c.code: c.neighbours for c in policy.reference.counties
    }
    done = rules.arrange(
        season_id,
        sitters,
        store.sites(season_id),
        neighbours,
        policy.exam_sites.min_registrants_per_county,
        previous,
    )
    seats = sorted(done.seats.values(), key=lambda s: (s.county, s.site, s.room, s.seat))
    notes = [n._asdict() for n in done.notes]  # who sits next door, who has no seat, and why
    return queue_seats(policy, season_id, run_id, seats, notes)


def queue_seats(
    policy: Policy, season_id: str, run_id: str, seats: list[rules.Seat], notes: list[Any]
) -> str:
    """A run's seats queued in chunks for the seat writers, once per run (a redelivered
    plan finds its run started and its chunks queued)."""
    chunks = [seats[i : i + CHUNK] for i in range(0, len(seats), CHUNK)]
    if not imports.started(season_id, run_id, run_id, len(seats), len(chunks), notes):
        return "already_planned"
    code = str(policy.year)[-2:]
    queues.send_all(
        settings().arrangement_queue_url,
        [
            HoldSeats(
                season_id=season_id,
                run_id=run_id,
                chunk=i,
                season_code=code,
                seats=[s._asdict() for s in chunk],
            )
            for i, chunk in enumerate(chunks)
        ],
    )
    return "planned"


def counts(who: Principal, season_id: str) -> Seating:
    """Operators' view: candidates seated per exam county and site (one Query a unit)."""
    who.require("operator")
    policy = _sited(season_id)
    per_site: Counter[tuple[str, str]] = Counter()
    for unit in policy.home_units():
        for record in candidates.of_unit(season_id, unit.code):
            if record.exam_seat:
                per_site[(record.exam_seat["county"], record.exam_seat["site"])] += 1
    names = {(s.county, s.code): s.name for s in store.sites(season_id)}
    rows = [
        {"county": c, "site": s, "name": names.get((c, s), s), "seated": n}
        for (c, s), n in sorted(per_site.items())
    ]
    return Seating(season_id=season_id, seated=sum(per_site.values()), sites=rows)


def room_lists(
    who: Principal, season_id: str, county: str, site: str, kind: str
) -> tuple[str, str, bytes]:
    """考场名单 of one site for its invigilators, room by room in seat order: a CSV, or a
    printable PDF with each candidate's photo. Returns the file name, type and bytes."""

    from ..render.rooms import Line, rooms_pdf
    from .printing import photo_key

    who.require("operator")
    policy = _sited(season_id)
    found = next((s for s in store.sites(season_id) if (s.county, s.code) == (county, site)), None)
    if found is None:
        raise NotFound("没有找到该考点", "site")
    seated = [
        r
        for unit in policy.home_units()
        for r in candidates.of_unit(season_id, unit.code)
        if r.exam_seat and (r.exam_seat["county"], r.exam_seat["site"]) == (county, site)
    ]
    name = f"{found.name}考场名单"
    if kind == "csv":
        rows = (
            [r.exam_seat["room"], f"{r.exam_seat['seat']:02d}", r.exam_number, r.name, r.id_masked]
            for r in sorted(seated, key=lambda r: str(r.exam_number))
            if r.exam_seat
        )
        text = csv_text(["考场", "座号", "准考证号", "姓名", "身份证号"], rows)
        return f"{name}.csv", "text/csv; charset=utf-8", text.encode()
    rooms: dict[int, list[Line]] = {}
    for r in seated:
        if r.exam_seat is None:
            continue
        key = photo_key(r, policy.photo.source)
        photo = objects.read(key) if key else None
        line = Line(r.exam_seat["seat"], r.name, r.id_masked, str(r.exam_number), photo)
        rooms.setdefault(r.exam_seat["room"], []).append(line)
    return f"{name}.pdf", "application/pdf", rooms_pdf(f"{policy.name}　{found.name}", rooms)


# -- 准考证 made in bulk before the window opens (R10.3), queued, with progress --------
TICKETS = "tickets"  # the bulk runs' unit in the imports table
TICKET_CHUNK = 50


def start_tickets(who: Principal, season_id: str) -> ArrangementRun:
    """R10.3: every seated candidate's ticket made and kept, before the window opens."""
    who.require("operator")
    return ArrangementRun.model_validate(queued(season_id, TICKETS, PlanTickets, who.actor()))


def plan_tickets(season_id: str, run_id: str) -> str:
    policy = seasons.get_season(season_id).policy
    seated = [
        r.candidate_id
        for unit in policy.home_units()
        for r in candidates.of_unit(season_id, unit.code)
        if r.exam_number
    ]
    chunks = [seated[i : i + TICKET_CHUNK] for i in range(0, len(seated), TICKET_CHUNK)]
    if not imports.started(season_id, run_id, run_id, len(seated), len(chunks)):
        return "already_planned"
    messages = [
        MakeTickets(season_id=season_id, run_id=run_id, chunk=i, candidates=c)
        for i, c in enumerate(chunks)
    ]
    queues.send_all(settings().arrangement_queue_url, messages)
    return "planned"


def make_tickets(season_id: str, run_id: str, chunk: int, ids: list[str]) -> str:
    from .tickets import made

    season = seasons.get_season(season_id)
    for candidate_id in ids:
        made(candidates.get(candidate_id), season)  # kept ones are read, not made again
    imports.chunk_done(season_id, run_id, chunk, len(ids), {"added": len(ids)})
    return "made"
