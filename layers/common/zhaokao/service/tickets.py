"""准考证 (R10.3): printed inside the policy's window, made on first request and kept, and
verified by invigilators from its QR code."""

from __future__ import annotations

import hashlib
from typing import Any

from ..adapters import objects
from ..domain.auth import Principal
from ..domain.errors import InvalidField, NotFound, RuleViolation
from ..domain.season import Season
from ..domain.tickets import papers, qr_text, read_token, token
from ..domain.windows import WindowName
from ..settings import settings
from ..storage import arrangement, candidates, lifecycle, pii, seasons
from ..storage.models import CandidateRecord
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
    if not record.exam_number:
        raise RuleViolation("尚未安排考场，暂无准考证", "ticket", code="no_seat")
    return "准考证.pdf", made(record, season)


def made(record: CandidateRecord, season: Season) -> bytes:
    """The seat's ticket as kept (a new seat is a new ticket), made now when it is not."""
    from ..render.tickets import Ticket, ticket_pdf

    seat = arrangement.seat_of(record)
    assert seat is not None and record.exam_number
    sat = papers(season.policy, seat.group)
    # a new seat or a moved paper is a new ticket (R10.5): both name the one kept
    edition = hashlib.sha256(repr(sat).encode()).hexdigest()[:12]
    key = f"tickets/{record.season_id}/{record.candidate_id}/{record.exam_number}-{edition}.pdf"
    kept = objects.read(key)
    if kept is not None:
        return kept
    policy = season.policy
    where = (seat.county, seat.site)
    site = next(
        (s for s in arrangement.sites(record.season_id) if (s.county, s.code) == where), None
    )
    rows = [
        ("姓名", record.name),
        ("身份证号", record.id_masked),
        ("准考证号", str(record.exam_number)),
        ("考点", site.name if site else seat.site),
        ("考点地址", site.address if site else ""),
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


def verify(who: Principal, season_id: str, text: str) -> dict[str, Any]:
    """What an invigilator sees from a ticket's QR code: the photo, name and seat."""
    who.require(*VERIFIERS)
    if who.season not in (None, season_id):
        raise NotFound("没有找到该考试季")
    season = seasons.get_season(season_id)
    claims = read_token(text, season_id, _sign)
    record = candidates.find(claims["candidate_id"])
    if record is None or record.season_id != season_id:
        raise InvalidField("该准考证对应的考生不存在", "token", code="bad_token")
    if record.exam_number != claims["exam_number"]:
        raise InvalidField(
            "该准考证已作废（考场已调整），请核对新准考证", "token", code="stale_ticket"
        )
    seat = arrangement.seat_of(record)
    assert seat is not None
    lifecycle.record_access(record.candidate_id, who.actor(), "ticket:verify")
    key = photo_key(record, season.policy.photo.source)
    photo = objects.download_url(key, "image/jpeg", "photo.jpg") if key else None
    return {
        "name": record.name,
        "id_last4": record.id_masked[-4:],  # to compare with the ID card shown
        "exam_number": str(record.exam_number),
        "county": seat.county,
        "site": seat.site,
        "room": seat.room,
        "seat": seat.seat,
        "status": record.status,
        "photo_url": photo,
    }
