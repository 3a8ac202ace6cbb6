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
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from itertools import chain
from operator import attrgetter
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

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
    with collection_paused():
        return _allocate(applicants, seats, lines, rounds)


@contextmanager
def collection_paused() -> Iterator[None]:
    """The garbage collector paused while a million objects are made, none in a cycle: a
    collection would only cost (a candidates file takes nearly twice as long to read with it)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
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
    last: list[int | None] = [None] * len(plans)  # the last admitted to each plan (index)
    slots: dict[tuple[str, str, str], dict[str, dict[str, int]]] = {}  # group→school→major
    for i, (school, major, level, category, plan_type) in enumerate(plans):
        slots.setdefault((level, category, plan_type), {}).setdefault(school, {})[major] = i
    people = sorted(applicants, key=_ID)  # linear when the input is in id order already
    ranked, ineligible = _ranked(people, lines)
    outcomes: list[Outcome | None] = [None] * len(people)
    waiting = ranked
    for r in range(rounds):
        waiting = _round(r, waiting, people, slots, plans, left, last, outcomes)
    last_score = [None if i is None else (people[i].total or 0) + people[i].bonus for i in last]
    for i in waiting:  # every choice up to the last round was tried, and each was full
        a = people[i]
        group = slots.get(_GROUP(a), {})
        reasons = [_full(a, c, group, last_score) for c in a.choices[:rounds]] or ["未填报志愿"]
        outcomes[i] = _new(Outcome, (a.id, False, None, None, None, False, "；".join(reasons)))
    for i in ineligible:
        a = people[i]
        outcomes[i] = _new(Outcome, (a.id, False, None, None, None, False, eligible(a, lines)))
    return outcomes  # type: ignore[return-value]  # every place filled above


def _round(
    r: int,
    waiting: list[int],
    people: list[Applicant],
    slots: Mapping[tuple[str, str, str], Mapping[str, Mapping[str, int]]],
    plans: list[PlanKey],
    left: list[int],
    last: list[int | None],
    outcomes: list[Outcome | None],
) -> list[int]:
    """Round r + 1 (R13.2): each candidate still waiting, best rank first, applies to the
    school of their (r + 1)-th choice; those not placed wait for the next round.

    One loop in rank order is every school taking its applicants in rank order at once:
    a school's seats are touched by its own applicants only. Hot: a million iterations."""
    still: list[int] = []
    why = (f"第{r + 1}轮录取", f"第{r + 1}轮录取（服从调剂）")
    for i in waiting:
        a = people[i]
        choices = a.choices
        if r < len(choices):
            school, listed = choices[r]
            majors = slots.get(_GROUP(a), _NONE).get(school)
            if majors:
                slot, adjusted = -1, False
                for major in listed:
                    s = majors.get(major)
                    if s is not None and left[s]:
                        slot = s
                        break
                else:
                    if a.adjust_ok:  # R13.4
                        slot, adjusted = _most_seats_left(majors, left), True
                if slot >= 0:
                    left[slot] -= 1
                    last[slot] = i  # not the score: reading it here would cost a cache miss
                    placed = (a.id, True, r + 1, school, plans[slot][1], adjusted, why[adjusted])
                    outcomes[i] = _new(Outcome, placed)
                    continue
        still.append(i)
    return still


_ID, _GROUP = attrgetter("id"), attrgetter("level", "category", "plan_type")
# What a NamedTuple's constructor calls, called here directly: a Python-level __new__ a
# million times is a tenth of the run
_new = tuple.__new__
_NONE: Mapping[str, Mapping[str, int]] = {}


def _most_seats_left(majors: Mapping[str, int], left: list[int]) -> int:
    """The school's major with the most seats left (ties: the lowest major code), or -1."""
    best, most = -1, 0
    for slot in majors.values():  # in major-code order (the plans were sorted): ties go low
        if left[slot] > most:
            best, most = slot, left[slot]
    return best


def _ranked(
    people: list[Applicant], lines: Mapping[tuple[str, str], int]
) -> tuple[list[int], list[int]]:
    """The eligible as indices into ``people`` (in id order), best rank first; and the
    ineligible.

    Column by column in numpy: a million candidates are a few arrays, each made in one C
    loop. The rank columns (exempt first; then total + bonus, the raw total and each
    subject, each inverted so higher sorts first) are packed into as few 63-bit words as
    they fit; a stable sort keeps equal ranks in id order."""
    import numpy as np  # here, not at the top: only the allocation pays its import

    n = len(people)
    exempt = np.fromiter(map(_EXEMPT, people), bool, n)
    total = np.array(list(map(_TOTAL, people)), float)  # absent (None) → NaN: below any line
    bonus = np.fromiter(map(_BONUS, people), float, n)
    line = np.array(list(map(lines.get, map(_LEVEL_CATEGORY, people))), float)  # R13.1
    ok = exempt | (total + bonus >= line)
    chosen = np.flatnonzero(ok)
    subjects = _subject_columns(people, chosen)
    scored = ~exempt[chosen]  # an exemption ranks on nothing but its id: zeros below
    total = np.where(scored, total[chosen], 0).astype(np.int64)
    columns = [scored.astype(np.int64), total + bonus[chosen].astype(np.int64) * scored, total]
    columns += [np.where(scored, s, 0) for s in subjects]
    order = _stable_order([c.max(initial=0) - c if k else c for k, c in enumerate(columns)])
    return chosen[order].tolist(), np.flatnonzero(~ok).tolist()


def _subject_columns(people: list[Applicant], chosen: NDArray[np.intp]) -> list[NDArray[Any]]:
    """The chosen candidates' subject scores, one column per tie-break subject (a subject
    not sat counts as 0)."""
    import numpy as np

    subjects = list(map(_SUBJECTS, people))
    depth = max(map(len, subjects), default=0)
    if len(set(map(len, subjects))) > 1:
        subjects = [s + (0,) * (depth - len(s)) for s in subjects]
    flat = np.fromiter(chain.from_iterable(subjects), np.int64, len(subjects) * depth)
    return list(flat.reshape(len(subjects), depth)[chosen].T)


def _stable_order(columns: list[NDArray[np.int64]]) -> NDArray[np.intp]:
    """The order that sorts rows by the columns (the first most significant; each
    non-negative), equal rows in their given order. The columns are packed into 63-bit
    words; when one word holds them and the row index too, one plain sort of integers
    does it (a few milliseconds for a million), else a stable lexsort of the words."""
    import numpy as np

    n = len(columns[0])
    words: list[NDArray[np.int64]] = []
    word: NDArray[np.int64] = np.zeros(n, np.int64)
    used = 0
    for column in columns:
        width = max(int(column.max(initial=0)), 1).bit_length()
        if used + width > 63:
            words.append(word)
            word, used = np.zeros(n, np.int64), 0
        word, used = (word << width) | column, used + width
    index_bits = max(n - 1, 1).bit_length()
    if not words and used + index_bits <= 63:
        packed = (word << index_bits) | np.arange(n, dtype=np.int64)
        packed.sort()
        return packed & ((1 << index_bits) - 1)
    words.append(word)
    order: NDArray[np.intp] = np.lexsort(words[::-1])  # its last key is its first: reversed
    return order


_EXEMPT, _TOTAL, _BONUS = attrgetter("exempt"), attrgetter("total"), attrgetter("bonus")
_LEVEL_CATEGORY, _SUBJECTS = attrgetter("level", "category"), attrgetter("subjects")


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
