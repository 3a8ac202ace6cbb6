"""Submission (R4.4): a complete file is submitted (Ningxia: confirmed) and locked, and
its routing message queued for the automatic checks and the reviewers."""

from __future__ import annotations

from ..adapters import metrics, queues
from ..api.schemas import Me
from ..domain.auth import Principal
from ..domain.errors import Conflict, RuleViolation
from ..domain.lifecycle import Status
from ..domain.profile import missing_for_submission
from ..messages import RouteSubmission
from ..settings import settings
from ..storage import candidates, lifecycle, seasons
from . import documents


def submit(who: Principal, version: int) -> Me:
    """R4.4: submit (Ningxia: confirm) — complete profile and documents, then locked."""
    who.require("candidate")
    record = candidates.get(who.username)
    season = seasons.get_season(record.season_id)
    season.require_editing(record.status, record.returned)
    if record.status != Status.submitted:  # submitted already: only the message is sent again
        missing = missing_for_submission(
            season.policy, record.profile, bool(record.residence_permit), record.documents
        )
        if missing:
            raise RuleViolation("；".join(missing), "documents", code="incomplete")
        if int(record.version) != version:
            raise Conflict("记录已被他人修改，请刷新后重试", "version", code="stale_version")
        record = lifecycle.change(record, "submit", who.actor())
        metrics.count("Submissions", record.season_id)
    routing = RouteSubmission(candidate_id=record.candidate_id, round=int(record.version))
    queues.send_all(settings().routing_queue_url, [routing])
    return documents.candidate_view(record, season.policy)
