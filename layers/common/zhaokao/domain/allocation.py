"""录取 (R12, R13): the batched admission allocation as pure, deterministic rules.

Eligible: an approved exemption (免试), or a total (not absent) whose total + bonus reaches
the line of the candidate's level and category (no line: nobody of it). Rank: exemptions
first by id; then total + bonus, the raw total, each subject in the season's tie-break
order (higher first), then id. Rounds (R13.2): in round r every eligible candidate not yet
admitted applies to the school of their r-th choice, taken in rank order, placed in the
first major listed whose plan (school, major, plan type, level, category) has a seat left;
failing that, one who consented to 调剂 (R13.4) goes to that school's major of the same
level, category and plan type with the most seats left (ties: the lowest major code).
Every candidate gets the reason of their outcome.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

PlanKey = tuple[str, str, str, str, str]  # school, major, level, category, plan type


class Choice(NamedTuple):
    school: str
    majors: tuple[str, ...]


class Applicant(NamedTuple):
    id: str
    level: str
    category: str
    plan_type: str = "ordinary"
    total: int | None = None  # None: absent
    bonus: int = 0  # the highest approved (R12.1)
    subjects: tuple[int, ...] = ()  # the scores in the tie-break order
    exempt: bool = False
    adjust_ok: bool = False
    choices: tuple[Choice, ...] = ()

    def rank_key(self) -> tuple[Any, ...]:
        if self.exempt:
            return (0, self.id)
        total = self.total or 0
        return (1, -(total + self.bonus), -total, *(-s for s in self.subjects), self.id)


class Outcome(NamedTuple):
    id: str
    admitted: bool
    round: int | None
    school: str | None
    major: str | None
    adjusted: bool
    reason: str


def eligible(a: Applicant, lines: Mapping[tuple[str, str], int]) -> str | None:
    """None when eligible; else why not, in words."""
    if a.exempt:
        return None
    if a.total is None:
        return "缺考"
    line = lines.get((a.level, a.category))
    if line is None:
        return "该层次科类未划定录取控制分数线"
    if a.total + a.bonus < line:
        return f"成绩{a.total + a.bonus}分（含照顾{a.bonus}分）低于录取控制分数线{line}分"
    return None


def allocate(
    applicants: Iterable[Applicant],
    seats: Mapping[PlanKey, int],
    lines: Mapping[tuple[str, str], int],
    rounds: int,
) -> list[Outcome]:
    """Every applicant's outcome, in id order: the same inputs, the same outputs."""
    left = dict(seats)
    by_school: dict[tuple[str, str, str, str], list[str]] = {}
    for school, major, level, category, plan_type in sorted(seats):
        by_school.setdefault((school, level, category, plan_type), []).append(major)
    last_admitted: dict[PlanKey, int] = {}
    outcomes: dict[str, Outcome] = {}
    waiting: list[Applicant] = []
    for a in applicants:
        why = eligible(a, lines)
        if why is None:
            waiting.append(a)
        else:
            outcomes[a.id] = Outcome(a.id, False, None, None, None, False, why)
    waiting.sort(key=Applicant.rank_key)
    tried: dict[str, list[str]] = {}
    for r in range(rounds):
        still = []
        for a in waiting:
            if r >= len(a.choices):
                still.append(a)
                continue
            placed = _place(a, a.choices[r], left, by_school)
            if placed is None:
                tried.setdefault(a.id, []).append(_full(a, a.choices[r], last_admitted))
                still.append(a)
                continue
            key, adjusted = placed
            left[key] -= 1
            last_admitted[key] = (a.total or 0) + a.bonus
            why = f"第{r + 1}轮录取" + ("（服从调剂）" if adjusted else "")
            outcomes[a.id] = Outcome(a.id, True, r + 1, key[0], key[1], adjusted, why)
        waiting = still
    for a in waiting:
        reasons = tried.get(a.id) or ["未填报志愿"]
        outcomes[a.id] = Outcome(a.id, False, None, None, None, False, "；".join(reasons))
    return [outcomes[k] for k in sorted(outcomes)]


def _place(
    a: Applicant,
    choice: Choice,
    left: dict[PlanKey, int],
    by_school: Mapping[tuple[str, str, str, str], list[str]],
) -> tuple[PlanKey, bool] | None:
    for major in choice.majors:
        key = (choice.school, major, a.level, a.category, a.plan_type)
        if left.get(key, 0) > 0:
            return key, False
    if not a.adjust_ok:
        return None
    majors = by_school.get((choice.school, a.level, a.category, a.plan_type), [])
    best = max(
        majors,
        key=lambda m: (left[(choice.school, m, a.level, a.category, a.plan_type)], _low(m)),
        default=None,
    )
    if best is None:
        return None
    key = (choice.school, best, a.level, a.category, a.plan_type)
    return (key, True) if left[key] > 0 else None


def _low(major: str) -> tuple[int, ...]:
    """Ties go to the lowest major code: a key that prefers it under max()."""
    return tuple(-ord(c) for c in major)


def _full(a: Applicant, choice: Choice, last: Mapping[PlanKey, int]) -> str:
    scores = [
        f"{m}（已满，最低录取{last[k]}分）"
        if (k := (choice.school, m, a.level, a.category, a.plan_type)) in last
        else f"{m}（已满）"
        for m in choice.majors
    ]
    tail = "，调剂专业亦无余额" if a.adjust_ok else "，未服从调剂"
    return f"{choice.school}：" + "、".join(scores) + tail
