"""Scores on the candidate's record (R11), found by 准考证号 through the seat it names."""

from __future__ import annotations

from ..domain.candidate import Candidate, Changes, ScoreReview, Scores
from .lifecycle import change
from .models import UniqueRecord


def holders(season_id: str, numbers: list[str]) -> dict[str, str]:
    """Each exam number's candidate (BatchGet of the seats, 100 keys a call)."""
    keys = [f"seat#{season_id}#{n}" for n in numbers]
    return {r.key.rsplit("#", 1)[1]: str(r.owner) for r in UniqueRecord.batch_get(keys)}


def record(candidate: Candidate, scores: Scores, actor: str) -> Candidate:
    """The candidate's scores, merged with those imported before; versioned and audited."""
    merged = {**candidate.scores, **scores}
    return change(candidate, None, actor, audit_action="scores:import", sets={"scores": merged})


def reviewed(
    candidate: Candidate,
    reviews: dict[str, ScoreReview],
    scores: Scores | None,
    actor: str,
    action: str,
) -> Candidate:
    """A review requested or decided (and the score it changes), versioned and audited."""
    sets = Changes(score_reviews=reviews)
    if scores is not None:
        sets["scores"] = scores
    return change(candidate, None, actor, audit_action=action, sets=sets)
