"""R16.2: each candidate is told once when their ticket can be printed, when scores are out
and when the admission result is published — a scheduled job, a sentinel per candidate and
message so a rerun tells nobody twice."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..domain.candidate import Candidate
from ..domain.windows import WindowName
from ..storage import admission, candidates, messages, seasons
from . import notify

Wanted = Callable[[Candidate], bool]
# the window that opens, the message, and who it is for
NEWS: tuple[tuple[WindowName, str, Wanted], ...] = (
    (WindowName.ticket_printing, "ticket_ready", lambda r: bool(r.exam_number)),
    (WindowName.score_release, "scores_released", lambda r: bool(r.scores)),
)


def announce(season_id: str) -> dict[str, int]:
    season = seasons.get_season(season_id)
    open_now = set(season.policy.phase(season.now()))
    sent = {kind: 0 for _, kind, _ in NEWS} | {"admission_published": 0}
    news: list[tuple[str, Wanted]] = [(k, wanted) for w, k, wanted in NEWS if w in open_now]
    if admission.published(season_id):  # everyone the run read has a result to query
        news.append(("admission_published", lambda r: r.status == "approved"))
    if not news:
        return sent
    for unit in season.policy.home_units():
        for record in candidates.of_unit(season_id, unit.code):
            for kind, wanted in news:
                if wanted(record) and messages.first_time(season_id, kind, record.candidate_id):
                    notify.candidate(record, kind, name=record.name)
                    sent[kind] += 1
    return sent


def run() -> dict[str, Any]:
    """What the schedule calls: every season."""
    return {s.season_id: announce(s.season_id) for s in seasons.list_seasons()}
