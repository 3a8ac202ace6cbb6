"""The public notice and its complaints (R7)."""

from __future__ import annotations

from typing import Any

from ..api.operator_schemas import ComplaintFull
from ..api.review_schemas import PublicNotice
from ..api.views import ComplaintView
from ..domain.auth import Principal
from ..domain.errors import RuleViolation
from ..domain.identity import mask_phone, normalise_phone
from ..domain.notice import PHASE_LABELS, Notice, phase
from ..storage import candidates, notices, pii, seasons


def public_list(season_id: str, unit: str | None = None) -> PublicNotice:
    """R7.1: what is on notice or took effect in the last six months — public, masked. The
    authority's list, or with ``unit`` that unit's own (seed 000: 院校对审核名单进行公示)."""
    season = seasons.get_season(season_id)
    today = season.now().date()
    rows = []
    for entry in notices.entries(season_id):
        if entry.body.get("unit") != unit:
            continue
        where = phase(entry.body, entry.state == "revoked", today)
        if where is not None:
            rows.append(
                {
                    "entry_id": entry.key.removeprefix("entry#"),
                    **entry.body,
                    "phase": where,
                    "phase_name": PHASE_LABELS[where],
                }
            )
    rows.sort(key=lambda r: (r["published"], r["entry_id"]), reverse=True)
    rule = season.policy.public_notice
    title = f"{season.policy.name}免试及录取照顾资格公示"
    if unit is not None:
        named = rows[0]["unit_name"] if rows else unit
        title = f"{season.policy.name}{named}资格审核名单公示"
    return PublicNotice(
        season_id=season_id,
        title=title,
        complaint_unit=rule.complaint_unit,
        complaint_note=rule.complaint_note,
        entries=rows,
    )


def file_complaint(season_id: str, entry_id: str, form: dict[str, Any]) -> ComplaintView:
    """R7.2: anyone may complain about an entry while it is public; tracked by its number."""
    season = seasons.get_season(season_id)
    entry = notices.get(season_id, f"entry#{entry_id}")
    if phase(entry.body, entry.state == "revoked", season.now().date()) is None:
        raise RuleViolation("该公示已结束，不再受理举报", "entry_id", code="notice_closed")
    phone = normalise_phone(form["phone"])
    body = {
        "name": form["name"],
        "phone_masked": mask_phone(phone),
        "phone_cipher": pii.encrypt(phone),
        "content": form["content"],
        "filed_at": season.now().isoformat(timespec="seconds"),
    }
    complaint = notices.file_complaint(season_id, entry, body)
    return _complaint_view(complaint)


def complaint_status(season_id: str, complaint_id: str) -> ComplaintView:
    return _complaint_view(notices.get(season_id, f"complaint#{complaint_id}"))


_STATES = {"open": "受理中", "upheld": "举报属实，已撤销资格", "dismissed": "经核查不属实"}


def _complaint_view(c: Notice) -> ComplaintView:
    return ComplaintView(
        complaint_id=c.key.removeprefix("complaint#"),
        entry_id=c.body["entry"],
        state=c.state,
        state_name=_STATES[c.state],
        filed_at=c.body["filed_at"],
        resolution=c.body.get("resolution"),
        version=c.version,
    )


def _complaint_full(c: Notice) -> ComplaintFull:
    """Operators see who complained and what they wrote, the phone masked."""
    return ComplaintFull(
        **_complaint_view(c).model_dump(),
        name=c.body["name"],
        phone=c.body["phone_masked"],
        content=c.body["content"],
    )


def complaints(who: Principal, season_id: str, state: str | None) -> list[ComplaintFull]:
    who.require("operator")
    seasons.get_season(season_id)
    return [_complaint_full(c) for c in notices.complaints(season_id, state)]


def resolve(
    who: Principal, season_id: str, complaint_id: str, upheld: bool, resolution: str
) -> ComplaintFull:
    """An operator closes a complaint; upheld, the candidate's exemption or bonus is revoked."""
    who.require("operator")
    complaint = notices.get(season_id, f"complaint#{complaint_id}")
    if complaint.state != "open":
        raise RuleViolation("该举报已处理", "complaint_id", code="already_resolved")
    entry = notices.get(season_id, f"entry#{complaint.body['entry']}") if upheld else None
    candidate = candidates.get(complaint.candidate_id) if upheld else None
    done = notices.resolve(complaint, upheld, resolution, who.actor(), candidate, entry)
    return _complaint_full(done)
