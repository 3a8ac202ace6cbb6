"""Printable documents a candidate downloads (R4: the submitted registration)."""

from __future__ import annotations

from ..adapters import objects
from ..domain.auth import Principal
from ..domain.candidate import Candidate
from ..domain.errors import RuleViolation
from ..domain.lifecycle import EDITABLE, Status
from ..domain.printing import registration_rows
from ..storage import candidates, pii, roster, seasons
from .documents import own_file

SIGNATURES = [
    "考生签名：____________________    日期：____________",
    "审核人签字：__________________    审核单位（盖章）：",
]


def registration_form(who: Principal) -> tuple[str, bytes]:
    """The submitted registration as a PDF to print and bring to the on-site review (seed
    004: 携带…到现场审核): its file name and bytes."""
    from ..render.forms import form_pdf

    who.require("candidate")
    record = candidates.get(who.username)
    if Status(record.status) in EDITABLE:
        raise RuleViolation("提交报名后可打印", "status", code="not_submitted")
    season = seasons.get_season(record.season_id)
    policy = season.policy
    rows = registration_rows(policy, own_file(record).model_dump())
    pdf = form_pdf(
        f"{policy.name}{policy.registration_form}",
        f"报名号：{record.candidate_id}",
        rows,
        photo_of(record, policy.photo.source),
        SIGNATURES,
        season.now(),
    )
    return f"{policy.registration_form}.pdf", pdf


def photo_key(record: Candidate, source: str) -> str | None:
    """Where the standard photo is, as inspected: the candidate's upload, or the college's."""
    if source == "roster":
        row = roster.find(record.season_id, pii.decrypt(record.id_cipher))
        return row.photo if row else None
    photo = record.documents.get("photo")
    return photo.get("key") if photo and photo["status"] == "accepted" else None


def photo_of(record: Candidate, source: str) -> bytes | None:
    key = photo_key(record, source)
    return objects.read(key) if key else None
