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

import gc
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
    collecting = gc.isenabled()
    gc.disable()  # a million objects made and none in a cycle: a collection would only cost
    try:
        return _allocate(applicants, seats, lines, rounds)
    finally:
        if collecting:
            gc.enable()


def _allocate(
    applicants: Iterable[Applicant],
    seats: Mapping[PlanKey, int],
    lines: Mapping[tuple[str, str], int],
    rounds: int,
) -> list[Outcome]:
    plans = sorted(seats)
    left = [seats[k] for k in plans]
    last: list[int | None] = [None] * len(plans)  # the last admitted score of each plan
    slots: dict[tuple[str, str, str], dict[str, dict[str, int]]] = {}  # group→school→major
    for i, (school, major, level, category, plan_type) in enumerate(plans):
        slots.setdefault((level, category, plan_type), {}).setdefault(school, {})[major] = i
    people = sorted(applicants, key=_id)  # linear when the input is in id order already
    outcomes: list[Outcome | None] = [None] * len(people)
    ranked = _ranked(people, lines, outcomes)
    groups = [slots.get((a.level, a.category, a.plan_type), {}) for a in people]
    waiting = ranked
    for r in range(rounds):
        still = []
        why = {False: f"第{r + 1}轮录取", True: f"第{r + 1}轮录取（服从调剂）"}
        for i in waiting:
            a = people[i]
            if r >= len(a.choices):
                still.append(i)
                continue
            choice = a.choices[r]
            majors = groups[i].get(choice.school)
            placed = _place(majors, choice.majors, left, a.adjust_ok) if majors else None
            if placed is None:
                still.append(i)
                continue
            slot, adjusted = placed
            left[slot] -= 1
            last[slot] = (a.total or 0) + a.bonus
            major = plans[slot][1]
            outcomes[i] = Outcome(a.id, True, r + 1, choice.school, major, adjusted, why[adjusted])
        waiting = still
    for i in waiting:  # every choice up to the last round was tried, and each was full
        a = people[i]
        reasons = [_full(a, c, groups[i], last) for c in a.choices[:rounds]] or ["未填报志愿"]
        outcomes[i] = Outcome(a.id, False, None, None, None, False, "；".join(reasons))
    return outcomes  # type: ignore[return-value]  # every place filled above


def _id(a: Applicant) -> str:
    return a.id


def _ranked(
    people: list[Applicant], lines: Mapping[tuple[str, str], int], outcomes: list[Outcome | None]
) -> list[int]:
    """The eligible, as indices into ``people`` (in id order), best rank first.

    The rank is packed into one integer per candidate: sorting a million integers is a
    fraction of sorting a million tuples. From the highest bits: not exempt; then for the
    others total + bonus, the raw total and each subject, each inverted so higher sorts first;
    the index (the id's place) last, so equal scores go by id."""
    eligible_ = []
    for i, a in enumerate(people):
        if a.exempt:
            eligible_.append(i)
            continue
        if a.total is not None:  # the common case first, without a call (R13.1)
            line = lines.get((a.level, a.category))
            if line is not None and a.total + a.bonus >= line:
                eligible_.append(i)
                continue
        outcomes[i] = Outcome(a.id, False, None, None, None, False, eligible(a, lines) or "")
    scored = [people[i] for i in eligible_ if not people[i].exempt]
    top = max((a.total + a.bonus for a in scored if a.total is not None), default=0)
    width = max(top, *(max(a.subjects, default=0) for a in scored), 1).bit_length()
    depth = max((len(a.subjects) for a in scored), default=0)
    ceiling, index_bits = (1 << width) - 1, max(len(people), 1).bit_length()
    keys = []
    for i in eligible_:
        a = people[i]
        if a.exempt:  # 0 in every rank bit: first, by id
            keys.append(i)
            continue
        total = a.total or 0
        key = ((1 << width | (ceiling - total - a.bonus)) << width) | (ceiling - total)
        for v in a.subjects:
            key = (key << width) | (ceiling - v)
        for _ in range(depth - len(a.subjects)):  # a subject not sat counts as 0
            key = (key << width) | ceiling
        keys.append((key << index_bits) | i)
    keys.sort()
    mask = (1 << index_bits) - 1
    return [k & mask for k in keys]


def _place(
    majors: Mapping[str, int], listed: tuple[str, ...], left: list[int], adjust_ok: bool
) -> tuple[int, bool] | None:
    """The first listed major with a seat left; else, for one who consented to 调剂 (R13.4),
    the school's major with the most seats left (ties: the lowest major code)."""
    for major in listed:
        slot = majors.get(major)
        if slot is not None and left[slot] > 0:
            return slot, False
    if not adjust_ok:
        return None
    best, most = None, 0
    for slot in majors.values():  # in major-code order (the plans were sorted): ties go low
        if left[slot] > most:
            best, most = slot, left[slot]
    return None if best is None else (best, True)


def _full(
    a: Applicant, choice: Choice, group: Mapping[str, Mapping[str, int]], last: list[int | None]
) -> str:
    majors = group.get(choice.school, {})
    scores = [
        f"{m}（已满，最低录取{last[slot]}分）"
        if (slot := majors.get(m)) is not None and last[slot] is not None
        else f"{m}（已满）"
        for m in choice.majors
    ]
    tail = "，调剂专业亦无余额" if a.adjust_ok else "，未服从调剂"
    return f"{choice.school}：" + "、".join(scores) + tail
