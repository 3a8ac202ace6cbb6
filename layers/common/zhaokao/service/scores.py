"""成绩 (R11, R12.1): operators import them; candidates read them from the release time."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from ..domain import scores as rules
from ..domain.auth import Principal
from ..domain.errors import InvalidField, RuleViolation
from ..domain.windows import WindowName
from ..storage import candidates, seasons
from ..storage import scores as store

MAX_ROWS = 20_000  # a file read in one request; a province's sends one per county and subject


def import_scores(who: Principal, season_id: str, text: str) -> dict[str, Any]:
    """Every bad row reported and nothing imported while one is: a range, an unknown 准考证号,
    a duplicate; else each candidate's subjects written once, audited."""
    who.require("operator")
    policy = seasons.get_season(season_id).policy
    rows, problems = rules.score_rows(text, policy)
    if len(rows) + len(problems) > MAX_ROWS:
        raise InvalidField(
            f"一个文件最多{MAX_ROWS}行，请按县区或科目分开导入", "csv", code="too_many_rows"
        )
    if not rows and not problems:
        raise InvalidField("文件中没有任何数据行", "csv", code="empty_file")
    known = store.holders(season_id, sorted({r.exam_number for r in rows}))
    problems += [
        {"row": r.line, "field": "exam_number", "message": "准考证号不存在"}
        for r in rows
        if r.exam_number not in known
    ]
    result = {"rows": len(rows) + len({p["row"] for p in problems}), "problems": problems}
    if problems:
        return {**result, "imported": 0, "candidates": 0}
    by_candidate: dict[str, dict[str, int | None]] = defaultdict(dict)
    for r in rows:
        by_candidate[known[r.exam_number]][r.subject] = r.score
    for candidate_id, scores in by_candidate.items():
        store.record(candidates.get(candidate_id), scores, who.actor())
    return {**result, "imported": len(rows), "candidates": len(by_candidate)}


def mine(who: Principal) -> dict[str, Any]:
    """R11: from the release time, not a second earlier (the window named when refused)."""
    who.require("candidate")
    record = candidates.get(who.username)
    season = seasons.get_season(record.season_id)
    season.require_window(WindowName.score_release)
    if not record.scores:
        raise RuleViolation("没有查询到本人的考试成绩", "scores", code="no_scores")
    report = rules.report(season.policy, record.scores, record.approvals, record.integrity)
    return {"exam_number": record.exam_number, **report, "reviews": record.score_reviews or {}}


def request_review(who: Principal, subject: str) -> dict[str, Any]:
    """成绩复核, where the policy offers it: inside its window, one request a subject."""
    who.require("candidate")
    record = candidates.get(who.username)
    season = seasons.get_season(record.season_id)
    season.require_window(WindowName.score_review)
    at = season.now().isoformat(timespec="seconds")
    reviews = rules.review_request(
        season.policy, record.scores or {}, record.score_reviews or {}, subject, at
    )
    record = store.reviewed(record, reviews, None, who.actor(), f"score_review:request:{subject}")
    return mine(who)


def decide_review(
    who: Principal, season_id: str, candidate_id: str, subject: str, score: int | None, note: str
) -> dict[str, Any]:
    """The operator's outcome: the score changes only through it (audited)."""
    who.require("operator")
    season = seasons.get_season(season_id)
    record = candidates.get(candidate_id)
    if record.season_id != season_id:
        raise RuleViolation("没有找到该考生", "candidate_id", code="not_found")
    at = season.now().isoformat(timespec="seconds")
    reviews = rules.review_outcome(
        season.policy, record.score_reviews or {}, subject, score, note, who.actor(), at
    )
    scores = {**(record.scores or {}), subject: score}
    store.reviewed(record, reviews, scores, who.actor(), f"score_review:decide:{subject}")
    return {"candidate_id": candidate_id, "subject": subject, **reviews[subject]}


def statistics(who: Principal, season_id: str) -> list[dict[str, Any]]:
    """Per level and subject group: count, mean, quartiles, a histogram (R13.1's input)."""
    who.require("operator")
    policy = seasons.get_season(season_id).policy
    totals: dict[str, list[int]] = defaultdict(list)
    for unit in policy.home_units():
        for record in candidates.of_unit(season_id, unit.code):
            if not record.scores or not record.exam_seat:
                continue
            report = rules.report(policy, record.scores, None, record.integrity)
            if report["total"] is not None:
                totals[record.exam_seat["group"]].append(report["total"])
    names = _group_names(policy)
    return [
        {"group": g, "name": names(g), **rules.statistics_of(values)}
        for g, values in sorted(totals.items())
    ]


def _group_names(policy: Any) -> Any:
    """A group's name in words: 专升本·理工 for ``zsb-ligong``."""
    levels = {lv.code: lv.name for lv in policy.levels}
    categories = {c.code: c.name for c in policy.subject_categories}

    def name(group: str) -> str:
        level, _, category = group.partition("-")
        subject = f"·{categories.get(category, category)}" if category else ""
        return levels.get(level, level) + subject

    return name


def chart(who: Principal, season_id: str) -> str:
    """The distribution of each group's totals as an SVG (the statistics' picture)."""
    groups = statistics(who, season_id)
    return rules.chart_svg(groups, {g["group"]: g["name"] for g in groups})
