"""成绩 (R11, R12.1): imported per subject with a report, shown to the candidate with the
bonus apart (only the highest counts), void when a cheating record says so (诚信).

A subject sat has a score from 0 to the policy's full marks; one missed is 缺考, kept apart
from a zero. The total adds the subjects sat; a candidate who missed every subject has no
total (absent), which admission reads as not eligible."""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, NamedTuple

from .candidate import Approvals, Integrity, ScoreReview, Scores
from .identity import ascii_digits

if TYPE_CHECKING:
    from .policy import Policy

COLUMNS = {"exam_number": "准考证号", "subject": "科目代码", "score": "成绩", "absent": "缺考"}
Problem = dict[str, object]


class ScoreRow(NamedTuple):
    line: int
    exam_number: str
    subject: str
    score: int | None  # None: 缺考


def full_marks(policy: Policy, school: str | None = None) -> dict[str, int]:
    """Each paper's full marks: the season's subjects, or (R10.4) those of ``school``'s exam."""
    if school in policy.exam.schools:
        return {p.subject: p.full_marks for p in policy.exam.schools[school].papers}
    return {s.code: policy.exam.full_marks or 100 for s in policy.exam.subjects}


def score_rows(text: str, subjects: dict[str, int]) -> tuple[list[ScoreRow], list[Problem]]:
    """Every valid row, and a problem for each field of each invalid row (``subjects``: the
    papers that may be named, with their full marks)."""
    from .roster import read_rows

    out: list[ScoreRow] = []
    problems: list[Problem] = []
    seen: dict[tuple[str, str], int] = {}
    for line, row in read_rows(text, COLUMNS):
        found = []
        number, subject = row.get("exam_number", ""), row.get("subject", "")
        if not (ascii_digits(number) and len(number) == 15):
            found.append(("exam_number", "准考证号应为15位数字"))
        if subject not in subjects:
            found.append(("subject", "科目代码不是本考试的科目"))
        full = subjects.get(subject, 0)
        absent = row.get("absent", "") in ("是", "1", "Y", "y")
        raw = row.get("score", "")
        score = None
        if absent and raw:
            found.append(("score", "缺考的科目不能有成绩"))
        elif not absent:
            if not ascii_digits(raw) or (full and not 0 <= int(raw) <= full):
                found.append(("score", f"成绩应为0至{full}的整数" if full else "成绩应为整数"))
            else:
                score = int(raw)
        if (number, subject) in seen:
            found.append(("subject", f"与第{seen[(number, subject)]}行重复"))
        if found:
            problems += [{"row": line, "field": f, "message": m} for f, m in found]
            continue
        seen[(number, subject)] = line
        out.append(ScoreRow(line, number, subject, score))
    return out, problems


def report(
    policy: Policy,
    scores: dict[str, int | None],
    approvals: Approvals | None,
    integrity: Integrity | None,
    school: str | None = None,
) -> dict[str, Any]:
    """What the candidate reads: each subject (缺考 apart), the raw total, the bonus apart
    (R12.1: the highest approved only), the total with it — or that the scores are void.
    ``school``: the school whose own exam was sat (R10.4), which names its papers."""
    names = {s.code: s.name for s in policy.exam.subjects}
    if school in policy.exam.schools:
        names = {p.subject: p.name for p in policy.exam.schools[school].papers}
    sat = [v for v in scores.values() if v is not None]
    total = sum(sat) if sat else None
    bonus = approvals.get("bonus_points", 0) if approvals else 0
    if approvals and approvals.get("revoked"):
        bonus = 0
    void = bool(integrity and integrity["scores_void"])
    return {
        "subjects": [
            {
                "subject": code,
                "name": names.get(code, code),
                "score": value,
                "absent": value is None,
            }
            for code, value in scores.items()
        ],
        "total": None if void else total,
        "bonus": 0 if void else bonus,
        "total_with_bonus": None if void or total is None else total + bonus,
        "absent": total is None,
        "void": void,
        "note": "因考试作弊，本次考试各科成绩无效" if void else None,
    }


def statistics_of(totals: Iterable[int]) -> dict[str, Any]:
    """Count, mean, quartiles and a 10-point histogram: the input to cutoff lines (R13.1)."""
    values = sorted(totals)
    if not values:
        return {"count": 0, "mean": None, "quartiles": [], "histogram": []}
    quartiles = statistics.quantiles(values, n=4) if len(values) > 1 else [values[0]] * 3
    histogram: dict[int, int] = {}
    for value in values:
        histogram[value // 10 * 10] = histogram.get(value // 10 * 10, 0) + 1
    return {
        "count": len(values),
        "mean": round(statistics.fmean(values), 1),
        "min": values[0],
        "max": values[-1],
        "quartiles": [round(q, 1) for q in quartiles],
        "histogram": [{"from": k, "to": k + 9, "count": n} for k, n in sorted(histogram.items())],
    }


def chart_svg(groups: list[dict[str, Any]], names: dict[str, str]) -> str:
    """The score distribution of each group as bars (10-point buckets), one row a group: an
    SVG operators open in any browser, made here with no chart library."""
    from html import escape

    width, row, left = 720, 120, 150
    height = row * max(len(groups), 1) + 30
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        'font-family="sans-serif" font-size="12">'
    ]
    for i, group in enumerate(groups):
        top = i * row + 10
        bars = group["histogram"]
        tallest = max((b["count"] for b in bars), default=1)
        name = names.get(group["group"], group["group"])
        label = f"{name}（{group['count']}人，均分{group['mean']}）"
        parts.append(f'<text x="4" y="{top + 14}">{escape(label)}</text>')
        span = (width - left - 10) / max(len(bars), 1)
        for j, bar in enumerate(bars):
            tall = (row - 40) * bar["count"] / tallest
            x, y = left + j * span, top + row - 24 - tall
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{span * 0.8:.1f}" height="{tall:.1f}" '
                f'fill="#b3202a"><title>{bar["from"]}–{bar["to"]}分：{bar["count"]}人</title></rect>'
            )
            parts.append(
                f'<text x="{x:.1f}" y="{top + row - 10}" font-size="9">{bar["from"]}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def review_request(
    policy: Policy, scores: Scores, reviews: dict[str, ScoreReview], subject: str, at: str
) -> dict[str, ScoreReview]:
    """成绩复核: one request a subject sat, while none is open or decided for it."""
    from .errors import Conflict, InvalidField

    if subject not in scores:
        raise InvalidField("该科目没有成绩，无法申请复核", "subject")
    if subject in reviews:
        raise Conflict("该科目已申请过复核", "subject", code="already_requested")
    return {
        **reviews,
        subject: {"state": "open", "requested_at": at, "score_before": scores[subject]},
    }


def review_outcome(
    full: int,
    reviews: dict[str, ScoreReview],
    subject: str,
    score: int | None,
    note: str,
    actor: str,
    at: str,
) -> dict[str, ScoreReview]:
    """The outcome of an open request: the score after review (the same, or corrected)."""
    from .errors import Conflict, InvalidField

    request = reviews.get(subject)
    if request is None or request["state"] != "open":
        raise Conflict("该科目没有待处理的复核申请", "subject", code="no_open_review")
    if score is not None and not 0 <= score <= full:
        raise InvalidField(f"成绩应为0至{full}的整数", "score")
    changed = score != request["score_before"]
    done: ScoreReview = {
        **request,
        "state": "changed" if changed else "unchanged",
        "score_after": score,
        "note": note,
        "decided_by": actor,
        "decided_at": at,
    }
    return {**reviews, subject: done}
