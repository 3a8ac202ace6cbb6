"""成绩 (R11, R12.1): operators import them; candidates read them from the release time."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from ..api.operator_schemas import ReviewOutcome, ScoresImported, ScoreStatistics
from ..api.schemas import MyScores
from ..domain import scores as rules
from ..domain.auth import Principal
from ..domain.candidate import Candidate
from ..domain.errors import InvalidField, RuleViolation
from ..domain.windows import WindowName
from ..storage import candidates, catalogue, seasons
from ..storage import scores as store

if TYPE_CHECKING:
    from ..domain.policy import Policy

MAX_ROWS = 20_000  # a file read in one request; a province's sends one per county and subject


def import_scores(who: Principal, season_id: str, text: str) -> ScoresImported:
    """Every bad row reported and nothing imported while one is: a range, an unknown 准考证号,
    a duplicate, (R11.1) another school's candidate; else each candidate's subjects written
    once, audited. Where the schools set the exams, each school imports its own."""
    policy = seasons.get_season(season_id).policy
    school = _importer(who, policy)
    rows, problems = rules.score_rows(text, rules.full_marks(policy, school))
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
    if school is not None:  # R11.1: a school's own applicants only
        sitting = {r.candidate_id: r for r in candidates.many(sorted(set(known.values())))}
        problems += [
            {"row": r.line, "field": "exam_number", "message": "不是本校考生的准考证号"}
            for r in rows
            if r.exam_number in known and _school_of(sitting.get(known[r.exam_number])) != school
        ]
    problems.sort(key=lambda p: int(str(p["row"])))  # in the file's order
    result = {"rows": len(rows) + len({p["row"] for p in problems}), "problems": problems}
    if problems:
        return ScoresImported.model_validate({**result, "imported": 0, "candidates": 0})
    by_candidate: dict[str, dict[str, int | None]] = defaultdict(dict)
    for r in rows:
        by_candidate[known[r.exam_number]][r.subject] = r.score
    for candidate_id, scores in by_candidate.items():
        store.record(candidates.get(candidate_id), scores, who.actor())
    return ScoresImported.model_validate(
        {**result, "imported": len(rows), "candidates": len(by_candidate)}
    )


def _importer(who: Principal, policy: Policy) -> str | None:
    """Who imports: operators, or (R11.1, schools set the exams) each school its own —
    returned, as the school whose papers and applicants the file may name."""
    if not policy.exam.set_by_schools:
        who.require("operator")
        return None
    who.require("school_admissions")
    if not who.unit or who.unit not in policy.exam.schools:
        raise RuleViolation("本校尚未录入考试安排，无法导入成绩", "school", code="no_school_exam")
    return who.unit


def _school_of(record: Candidate | None) -> str | None:
    return record.exam_seat["county"] if record and record.exam_seat else None


def mine(who: Principal) -> MyScores:
    """R11: from the release time, not a second earlier (the window named when refused)."""
    who.require("candidate")
    record = candidates.get(who.username)
    season = seasons.get_season(record.season_id)
    season.require_window(WindowName.score_release)
    if not record.scores:
        raise RuleViolation("没有查询到本人的考试成绩", "scores", code="no_scores")
    report = rules.report(
        season.policy, record.scores, record.approvals, record.integrity, _school_of(record)
    )
    return MyScores.model_validate(
        {"exam_number": record.exam_number, **report, "reviews": record.score_reviews}
    )


def request_review(who: Principal, subject: str) -> MyScores:
    """成绩复核, where the policy offers it: inside its window, one request a subject."""
    who.require("candidate")
    record = candidates.get(who.username)
    season = seasons.get_season(record.season_id)
    season.require_window(WindowName.score_review)
    at = season.now().isoformat(timespec="seconds")
    reviews = rules.review_request(season.policy, record.scores, record.score_reviews, subject, at)
    record = store.reviewed(record, reviews, None, who.actor(), f"score_review:request:{subject}")
    return MyScores.model_validate(mine(who))


def decide_review(
    who: Principal, season_id: str, candidate_id: str, subject: str, score: int | None, note: str
) -> ReviewOutcome:
    """The operator's outcome: the score changes only through it (audited)."""
    who.require("operator")
    season = seasons.get_season(season_id)
    record = candidates.get(candidate_id)
    if record.season_id != season_id:
        raise RuleViolation("没有找到该考生", "candidate_id", code="not_found")
    at = season.now().isoformat(timespec="seconds")
    full = rules.full_marks(season.policy, _school_of(record)).get(subject, 100)
    reviews = rules.review_outcome(
        full, record.score_reviews, subject, score, note, who.actor(), at
    )
    scores = {**record.scores, subject: score}
    store.reviewed(record, reviews, scores, who.actor(), f"score_review:decide:{subject}")
    return ReviewOutcome.model_validate(
        {"candidate_id": candidate_id, "subject": subject, **reviews[subject]}
    )


def statistics(who: Principal, season_id: str) -> list[ScoreStatistics]:
    """Per level and subject group: count, mean, quartiles, a histogram (R13.1's input)."""
    who.require("operator")
    policy = seasons.get_season(season_id).policy
    totals: dict[str, list[int]] = defaultdict(list)
    by_school = policy.exam.set_by_schools  # R10.4: each school's exam is its own scale
    for unit in policy.home_units():
        for record in candidates.of_unit(season_id, unit.code):
            if not record.scores or not record.exam_seat:
                continue
            school = _school_of(record)
            report = rules.report(policy, record.scores, None, record.integrity, school)
            if report["total"] is not None:
                totals[str(school) if by_school else record.exam_seat["group"]].append(
                    report["total"]
                )
    names = _group_names(policy, catalogue.load(season_id).schools() if by_school else {})
    return [
        ScoreStatistics.model_validate(v)
        for v in [
            {"group": g, "name": names(g), **rules.statistics_of(values)}
            for g, values in sorted(totals.items())
        ]
    ]


def _group_names(policy: Any, schools: dict[str, str]) -> Any:
    """A group's name in words: 专升本·理工 for ``zsb-ligong``; a school's for its code."""
    levels = {lv.code: lv.name for lv in policy.levels}
    categories = {c.code: c.name for c in policy.subject_categories}

    def name(group: str) -> str:
        if group in schools:
            return str(schools[group])
        level, _, category = group.partition("-")
        subject = f"·{categories.get(category, category)}" if category else ""
        return str(levels.get(level, level)) + subject

    return name


def chart(who: Principal, season_id: str) -> str:
    """The distribution of each group's totals as an SVG (the statistics' picture)."""
    groups = [g.model_dump() for g in statistics(who, season_id)]
    return rules.chart_svg(groups, {g["group"]: g["name"] for g in groups})
