"""准考证 (R10.3): printed inside the policy's window, made on first request and kept, and
verified by invigilators from its QR code."""

from __future__ import annotations

import hashlib
from typing import TypedDict

from ..adapters import objects
from ..domain.arrangement import Seat, Site
from ..domain.auth import Principal
from ..domain.candidate import Candidate
from ..domain.errors import InvalidField, NotFound, RuleViolation
from ..domain.lifecycle import STATUS_LABELS, Status
from ..domain.season import Season
from ..domain.tickets import papers, qr_text, read_token, token, when
from ..domain.windows import WindowName
from ..settings import settings
from ..storage import arrangement, candidates, catalogue, lifecycle, pii, seasons
from .printing import photo_key, photo_of

VERIFIERS = ("operator", "county_reviewer")  # invigilators sign in as their county's staff


def _sign(body: str) -> str:
    return pii.key_hash("ticket", body)


def ticket(who: Principal) -> tuple[str, bytes]:
    """The candidate's ticket: inside ``ticket_printing`` (the window named when refused)."""
    who.require("candidate")
    record = candidates.get(who.username)
    season = seasons.get_season(record.season_id)
    season.require_window(WindowName.ticket_printing)
    if record.status != Status.approved:  # R16.1: a cancelled or withdrawn seat admits nobody
        raise RuleViolation(
            f"准考证已作废（{STATUS_LABELS[Status(record.status)]}）", "ticket", code="void_ticket"
        )
    if not record.exam_number:
        raise RuleViolation("尚未安排考场，暂无准考证", "ticket", code="no_seat")
    return "准考证.pdf", made(record, season)


def made(record: Candidate, season: Season) -> bytes:
    """The seat's ticket as kept (a new seat is a new ticket), made now when it is not."""
    from ..render.tickets import Ticket, ticket_pdf

    seat = arrangement.seat_of(record)
    assert seat is not None and record.exam_number
    policy = season.policy
    sat, where = _papers_and_place(season, seat)
    # a new seat, place or paper time is a new ticket (R10.5): each names the one kept
    edition = hashlib.sha256(repr((sat, where)).encode()).hexdigest()[:12]
    key = f"tickets/{record.season_id}/{record.candidate_id}/{record.exam_number}-{edition}.pdf"
    kept = objects.read(key)
    if kept is not None:
        return kept
    rows = [
        ("姓名", record.name),
        ("身份证号", record.id_masked),
        ("准考证号", str(record.exam_number)),
        *where,
        ("考场", f"第{seat.room}考场"),
        ("座位号", f"{seat.seat:02d}"),
    ]
    pdf = ticket_pdf(
        Ticket(
            f"{policy.name}准考证",
            rows,
            sat,
            policy.exam.instructions,
            photo_of(record, policy.photo.source),
            qr_text(
                token(record.season_id, str(record.exam_number), record.candidate_id, _sign),
                settings().web_url,
            ),
            season.now(),
        )
    )
    objects.write(key, pdf, "application/pdf")
    return pdf


def _papers_and_place(
    season: Season, seat: Seat
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """What a ticket says is sat and when, and where: the season's timetable at a site of
    the arrangement, or (R10.4) the exam the candidate's school entered, at its place."""
    policy = season.policy
    if policy.exam.set_by_schools:
        exam = policy.exam.schools[seat.county]
        school = catalogue.load(season.season_id).schools().get(seat.county, "")
        sat = [(p.name, when(p)) for p in sorted(exam.papers, key=lambda p: p.start)]
        return sat, [("报考学校", school), ("考点", exam.place), ("考点地址", exam.address)]
    site = _site(season.season_id, seat)
    return papers(policy, seat.group), [
        ("考点", site.name if site else seat.site),
        ("考点地址", site.address if site else ""),
    ]


def _site(season_id: str, seat: Seat) -> Site | None:
    where = (seat.county, seat.site)
    return next((s for s in arrangement.sites(season_id) if (s.county, s.code) == where), None)


def _place(season: Season, seat: Seat) -> str:
    """The exam's place in words, as the invigilator's answer names it."""
    if season.policy.exam.set_by_schools:
        return season.policy.exam.schools[seat.county].place
    site = _site(season.season_id, seat)
    return site.name if site else ""


class Holder(TypedDict):
    """What the invigilator's answer says (api TicketCheck)."""

    name: str
    id_last4: str
    exam_number: str
    place: str
    room: int | None
    seat: int | None
    status: str
    photo_url: str | None


def verify(who: Principal, season_id: str, text: str) -> Holder:
    """What an invigilator sees from a ticket's QR code: the photo, name and seat."""
    who.require(*VERIFIERS)
    if who.season not in (None, season_id):
        raise NotFound("没有找到该考试季")
    season = seasons.get_season(season_id)
    claims = read_token(text, season_id, _sign)
    record = candidates.find(claims["candidate_id"])
    if record is None or record.season_id != season_id:
        raise InvalidField("该准考证对应的考生不存在", "token", code="bad_token")
    if record.status != Status.approved:  # R16.1: void, whatever became of the seat
        return _holder(record, season, claims["exam_number"], None, who)
    if record.exam_number != claims["exam_number"]:
        raise InvalidField(
            "该准考证已作废（考场已调整），请核对新准考证", "token", code="stale_ticket"
        )
    return _holder(record, season, str(record.exam_number), arrangement.seat_of(record), who)


def _holder(
    record: Candidate, season: Season, number: str, seat: Seat | None, who: Principal
) -> Holder:
    """Who must hold the ticket, and where they sit (nowhere once it is void)."""
    lifecycle.record_access(record.candidate_id, who.actor(), "ticket:verify")
    key = photo_key(record, season.policy.photo.source)
    photo = objects.download_url(key, "image/jpeg", "photo.jpg") if key else None
    return {
        "name": record.name,
        "id_last4": record.id_masked[-4:],  # to compare with the ID card shown
        "exam_number": number,
        "place": _place(season, seat) if seat else "",
        "room": seat.room if seat else None,
        "seat": seat.seat if seat else None,
        "status": record.status,
        "photo_url": photo,
    }
