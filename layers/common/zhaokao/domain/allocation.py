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
from itertools import chain, repeat
from operator import itemgetter
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
    return None if a.exempt else why_not(a.total, a.bonus, lines.get((a.level, a.category)))


def why_not(total: int | None, bonus: int, line: int | None) -> str | None:
    """R13.1 for one who is not exempt: None when total + bonus reaches the line of their
    level and category; else why not — absent, no line, or below it."""
    if total is None:
        return "缺考"
    if line is None:
        return "该层次科类未划定录取控制分数线"
    if total + bonus < line:
        return f"成绩{total + bonus}分（含照顾{bonus}分）低于录取控制分数线{line}分"
    return None


class Cohort(NamedTuple):
    """The candidates as columns, in id order: what the allocation reads.

    A million candidates are a dozen arrays here, not a million objects: in rank order,
    following each one's pointers to their choices costs more than the rules do (objects
    lie in memory in the order they were made). Schools and majors are indices into
    ``schools`` and ``majors``; a choice or a major not made is -1."""

    ids: list[str]
    groups: list[tuple[str, str, str]]  # level, category, plan type
    group: NDArray[np.intp]  # each candidate's, an index into ``groups``
    total: NDArray[np.float64]  # NaN: absent
    bonus: NDArray[np.int64]  # the highest approved (R12.1)
    subjects: NDArray[np.int64]  # (candidates, subjects) in the tie-break order
    exempt: NDArray[np.bool_]
    adjust_ok: NDArray[np.bool_]
    schools: list[str]
    majors: list[str]
    school: NDArray[np.intp]  # (candidates, choices)
    major: NDArray[np.intp]  # (candidates, choices, majors listed in a choice)

    @classmethod
    def of(cls, applicants: Iterable[Applicant] | Iterable[tuple[Any, ...]]) -> Cohort:
        """The columns of candidates given one by one: Applicants, or a loader's plain
        tuples of the same shape (a choice a (school, majors) pair). A subject not sat
        counts as 0.

        Made field by field, each in one C loop (``map`` over the rows, codes from dicts
        that number what they have not seen), the ragged ones (choices, majors listed,
        subjects) flattened and then padded by numpy."""
        import numpy as np  # here, not at the top: only the allocation pays its import

        people = sorted(applicants, key=_FIRST)  # linear when already in id order
        n = len(people)
        groups, schools, majors = _Codes(), _Codes(), _Codes()
        chosen = list(map(_CHOICES, people))
        picks = list(chain.from_iterable(chosen))  # every choice, candidate by candidate
        listed = list(map(_MAJORS, picks))
        subjects = list(map(_SUBJECTS, people))
        group = np.fromiter(map(groups.__getitem__, map(_GROUP, people)), np.intp, n)
        school = np.fromiter(map(schools.__getitem__, map(_FIRST, picks)), np.intp, len(picks))
        major = np.fromiter(map(majors.__getitem__, chain.from_iterable(listed)), np.intp)
        by_choice = _padded(_lengths(listed), major, -1)  # (choices, majors listed)
        choice = _padded(_lengths(chosen), np.arange(len(picks)), -1)  # (candidates, choices)
        return cls(
            ids=list(map(_FIRST, people)),
            groups=list(groups),  # once every candidate's group has its code
            group=group,
            total=np.array(list(map(_TOTAL, people)), float),  # None → NaN
            bonus=np.fromiter(map(_BONUS, people), np.int64, n),
            subjects=_padded(
                _lengths(subjects), np.fromiter(chain.from_iterable(subjects), np.int64), 0
            ),
            exempt=np.fromiter(map(_EXEMPT, people), bool, n),
            adjust_ok=np.fromiter(map(_ADJUST, people), bool, n),
            schools=list(schools),
            majors=list(majors),
            school=np.where(choice >= 0, school[choice], -1),
            major=np.where(choice[..., None] >= 0, by_choice[choice], -1),
        )


class _Codes(dict[Any, int]):
    """Each key's code: how many were seen before it."""

    def __missing__(self, key: Any) -> int:
        code = self[key] = len(self)
        return code


def _lengths(rows: list[Any]) -> NDArray[np.intp]:
    import numpy as np

    return np.fromiter(map(len, rows), np.intp, len(rows))


def _padded(lengths: NDArray[np.intp], values: NDArray[Any], fill: int) -> NDArray[Any]:
    """Ragged rows, given as their lengths and their values end to end, as one array
    padded with ``fill``."""
    import numpy as np

    width = lengths.max(initial=0)
    if lengths.min(initial=width) == width:  # as often, none ragged: the values as they are
        return values.reshape(len(lengths), width)
    out = np.full((len(lengths), width), fill, values.dtype)
    starts = np.repeat(np.cumsum(lengths) - lengths, lengths)
    out[np.repeat(np.arange(len(lengths)), lengths), np.arange(len(values)) - starts] = values
    return out


# an Applicant's fields by place: a loader's plain tuples of its shape read the same
_FIRST, _TOTAL, _BONUS, _SUBJECTS = itemgetter(0), itemgetter(4), itemgetter(5), itemgetter(6)
_EXEMPT, _ADJUST, _CHOICES = itemgetter(7), itemgetter(8), itemgetter(9)
_GROUP, _MAJORS = itemgetter(1, 2, 3), itemgetter(1)


def allocate(
    applicants: Cohort | Iterable[Applicant],
    seats: Mapping[PlanKey, int],
    lines: Mapping[tuple[str, str], int],
    rounds: int,
) -> list[Outcome]:
    """Every applicant's outcome, in id order: the same inputs, the same outputs."""
    with collection_paused():
        cohort = applicants if isinstance(applicants, Cohort) else Cohort.of(applicants)
        return _Allocation(cohort, seats, lines).run(rounds)


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


class _Allocation:
    """One run over a cohort: the plans as slots with seats left, each candidate's choice
    as slots, the rounds, and each outcome with its reason."""

    def __init__(
        self, cohort: Cohort, seats: Mapping[PlanKey, int], lines: Mapping[tuple[str, str], int]
    ) -> None:
        import numpy as np

        self.cohort, self.lines = cohort, lines
        self.plans = sorted(seats)
        self.none = len(self.plans)  # the slot of a major with no plan: never a seat left
        self.left = [seats[k] for k in self.plans] + [0]
        self.last = np.full(len(self.left), -1, np.intp)  # each plan's last admitted, or -1
        groups = {g: i for i, g in enumerate(cohort.groups)}
        schools = {s: i for i, s in enumerate(cohort.schools)}
        majors = {m: i for i, m in enumerate(cohort.majors)}
        self.n_schools, self.n_majors = len(schools) + 1, len(majors) + 1
        keys, slots = [], []  # a plan's key: (group, school, major) as one integer
        self.offered: dict[int, list[int]] = {}  # (group, school) → its slots by major code
        for slot, (school, major, level, category, plan_type) in enumerate(self.plans):
            g, s = groups.get((level, category, plan_type)), schools.get(school)
            if g is None or s is None:
                continue  # nobody of this group chose this school: nobody is placed here
            self.offered.setdefault(g * self.n_schools + s, []).append(slot)
            if (m := majors.get(major)) is not None:
                keys.append((g * self.n_schools + s) * self.n_majors + m)
                slots.append(slot)
        order = np.argsort(np.array(keys, np.int64))
        self.known = np.array(keys, np.int64)[order]
        self.slot_of = np.array(slots, np.intp)[order]

    def _choice(self, who: NDArray[np.intp], r: int) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
        """These candidates' (r + 1)-th choice: its school's key (group and school; -1 for
        no choice), and the slot of each major listed (``none``: not listed, or no plan)."""
        import numpy as np

        c = self.cohort
        school, major = c.school[who, r], c.major[who, r]
        key = np.where(school >= 0, c.group[who] * self.n_schools + school, -1)
        if not len(self.known):
            return key, np.full(major.shape, self.none, np.intp)
        wanted = key[:, None] * self.n_majors + major
        at = np.minimum(np.searchsorted(self.known, wanted), len(self.known) - 1)
        hit = (major >= 0) & (key[:, None] >= 0) & (self.known[at] == wanted)
        return key, np.where(hit, self.slot_of[at], self.none)

    def run(self, rounds: int) -> list[Outcome]:
        """Every candidate's outcome with its reason, in id order."""
        import numpy as np

        c = self.cohort
        n = len(c.ids)
        ranked, ineligible = _ranked(c, self.lines)
        self.slot = np.full(n, self.none, np.intp)
        self.round = np.zeros(n, np.intp)
        self.adjusted = np.zeros(n, bool)
        waiting = ranked
        rounds = min(rounds, c.school.shape[1])
        for r in range(rounds):
            waiting = self._round(r, waiting)
        # the reason: by round and adjustment for the admitted; else why not, in words
        code = self.round * 2 + self.adjusted
        placed = [
            f"第{k // 2}轮录取" + ("（服从调剂）" if k % 2 else "")
            for k in range(2, 2 * rounds + 2)
        ]
        reason = np.array([None, None, *placed], object)[code]
        waiting = np.sort(waiting)  # in id order: the rows they are read from
        reason[waiting] = self._full(waiting, rounds)
        reason[ineligible] = self._ineligible(ineligible)
        school = np.array([p[0] for p in self.plans] + [None], object)[self.slot]
        major = np.array([p[1] for p in self.plans] + [None], object)[self.slot]
        columns = zip(
            c.ids,
            (self.slot != self.none).tolist(),
            np.array([None, *range(1, rounds + 1)], object)[self.round].tolist(),
            school.tolist(),
            major.tolist(),
            self.adjusted.tolist(),
            reason.tolist(),
            strict=True,
        )
        # what a NamedTuple's constructor calls, here in C: a Python-level __new__ a
        # million times would be a tenth of the run
        return list(map(tuple.__new__, repeat(Outcome), columns))

    def _round(self, r: int, waiting: NDArray[np.intp]) -> NDArray[np.intp]:
        """Round r + 1 (R13.2): each candidate still waiting, best rank first, applies to
        the school of their (r + 1)-th choice: the first major listed with a seat left, or
        for one who consented to 调剂 (R13.4) the school's major with the most seats left.
        Returns who is still waiting, in rank order.

        One loop in rank order is every school taking its applicants in rank order at once:
        a school's seats are touched by its own applicants only. Hot: a million iterations,
        over plain lists made from the columns in rank order, writing nothing but the seats
        left and one list; the rest is done on arrays."""
        import numpy as np

        left, offered, adjusted = self.left, self.offered, len(self.left)
        schools, wanted = self._choice(waiting, r)
        rows = zip(
            wanted.tolist(), schools.tolist(), self.cohort.adjust_ok[waiting].tolist(), strict=True
        )
        took: list[int] = []  # each one's slot; + ``adjusted`` when by adjustment; -1: none
        for slots, school, may_adjust in rows:
            for s in slots:
                if left[s]:
                    left[s] -= 1
                    took.append(s)
                    break
            else:
                s = _most_seats_left(offered.get(school, ()), left) if may_adjust else -1
                if s >= 0:
                    left[s] -= 1
                    s += adjusted
                took.append(s)
        slot = np.array(took, np.intp)
        placed = slot >= 0
        who, slot = waiting[placed], slot[placed]
        self.adjusted[who] = slot >= adjusted
        self.slot[who], self.round[who] = slot % adjusted, r + 1
        # each plan's last admitted so far: the last of this round's in rank order, if any
        plans, first_from_end = np.unique(self.slot[who][::-1], return_index=True)
        self.last[plans] = who[len(who) - 1 - first_from_end]
        return waiting[~placed]

    def _ineligible(self, who: NDArray[np.intp]) -> list[str | None]:
        """Why each of these is not eligible (R13.1): absent, no line, or below the line;
        each distinct reason worded once."""
        c = self.cohort
        lines = [self.lines.get((level, category)) for level, category, _ in c.groups]
        said: dict[tuple[float, int, int], str | None] = {}
        reasons = []
        rows = zip(c.total[who].tolist(), c.bonus[who].tolist(), c.group[who].tolist(), strict=True)
        for total, bonus, group in rows:
            key = (total, bonus, group)
            if key not in said:
                absent = total != total  # NaN
                said[key] = why_not(None if absent else int(total), bonus, lines[group])
            reason = said[key]
            reasons.append(reason)
        return reasons

    def _full(self, who: NDArray[np.intp], rounds: int) -> list[str]:
        """Why each of these eligible was not admitted: every choice tried, each full (with
        its major's last admitted score), and no seat for an adjustment; each choice's
        words made once."""
        c = self.cohort
        plan = [  # each plan's words: its major, full, and its last admitted score
            f"{major}（已满）" if i < 0 else f"{major}（已满，最低录取{self._score(i)}分）"
            for (_, major, *_), i in zip(self.plans, self.last.tolist(), strict=False)
        ]
        unplanned = [f"{m}（已满）" for m in c.majors]  # a major the school offers no plan of
        tails = ("，未服从调剂", "，调剂专业亦无余额")
        words: dict[tuple[int, ...], str] = {}
        said: list[list[str]] = [[] for _ in range(len(who))]
        for r in range(rounds):
            _, wanted = self._choice(who, r)
            rows = zip(
                c.school[who, r].tolist(),
                c.major[who, r].tolist(),
                wanted.tolist(),
                c.adjust_ok[who].tolist(),
                said,
                strict=True,
            )
            for school, listed, slots, adjust_ok, out in rows:
                if school < 0:
                    continue
                key = (school, adjust_ok, *listed, *slots)
                if (choice := words.get(key)) is None:
                    choice = words[key] = (
                        c.schools[school]
                        + "："
                        + "、".join(
                            unplanned[m] if s == self.none else plan[s]
                            for m, s in zip(listed, slots, strict=True)
                            if m >= 0
                        )
                        + tails[adjust_ok]
                    )
                out.append(choice)
        return ["；".join(s) or "未填报志愿" for s in said]

    def _score(self, i: int) -> int:
        total = float(self.cohort.total[i])
        return int(self.cohort.bonus[i]) + (0 if total != total else int(total))  # NaN: absent


def _most_seats_left(slots: Iterable[int], left: list[int]) -> int:
    """The slot with the most seats left (ties: the first, the lowest major code), or -1."""
    best, most = -1, 0
    for slot in slots:
        if left[slot] > most:
            best, most = slot, left[slot]
    return best


def _ranked(
    cohort: Cohort, lines: Mapping[tuple[str, str], int]
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """The eligible as indices (in id order), best rank first; and the ineligible.

    The rank columns (exempt first; then total + bonus, the raw total and each subject,
    each inverted so higher sorts first) are packed into as few 63-bit words as they fit;
    a stable sort keeps equal ranks in id order."""
    import numpy as np

    c = cohort
    per_group = [lines.get((level, category), np.nan) for level, category, _ in c.groups]
    line = np.array(per_group, float)[c.group] if c.groups else np.zeros(0)
    ok = c.exempt | (c.total + c.bonus >= line)  # R13.1; NaN (absent, no line) is below
    chosen = np.flatnonzero(ok)
    scored = ~c.exempt[chosen]  # an exemption ranks on nothing but its id: zeros below
    total = np.where(scored, c.total[chosen], 0).astype(np.int64)
    columns = [scored.astype(np.int64), total + c.bonus[chosen] * scored, total]
    columns += [np.where(scored, s, 0) for s in c.subjects[chosen].T]
    order = _stable_order([col.max(initial=0) - col if k else col for k, col in enumerate(columns)])
    return chosen[order], np.flatnonzero(~ok)


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
