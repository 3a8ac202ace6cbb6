"""诚信 (R16.1): operators record a violation; the candidate sees it."""

from __future__ import annotations

from datetime import date

from ..api.operator_schemas import IntegrityView
from ..domain.auth import Principal
from ..domain.errors import NotFound
from ..domain.integrity import Violation, integrity_after, recorded
from ..storage import candidates, integrity, seasons
from . import admission_schools, notify


def record_violation(
    who: Principal,
    season_id: str,
    candidate_id: str,
    kind: Violation,
    decision_no: str,
    description: str,
    ban_until: date | None,
) -> IntegrityView:
    """Fraud cancels the qualification at any stage; cheating voids the season's scores;
    a ban keeps the person out of later seasons' registration until it ends (R5.1)."""
    who.require("operator")
    season = seasons.get_season(season_id)
    try:
        record = candidates.get(candidate_id)
    except NotFound:
        raise NotFound("没有找到该考生", "candidate_id") from None
    if record.season_id != season_id:
        raise NotFound("没有找到该考生", "candidate_id")
    violation = recorded(kind, decision_no, description, ban_until, who.actor(), season.now())
    after = integrity_after(record.integrity, violation)
    reason = f"{violation['label']}（{decision_no}）"
    record = integrity.record(
        record, after, violation["cancels_qualification"], ban_until, who.actor(), reason
    )
    if violation["cancels_qualification"]:  # R14.1: fraud found after admission cancels it
        admission_schools.cancel_admission(season_id, candidate_id, reason, who.actor())
    notify.candidate(record, "integrity", name=record.name, decision=reason)
    return IntegrityView.model_validate(
        {"candidate_id": candidate_id, "status": record.status, **after}
    )
