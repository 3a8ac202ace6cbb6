"""录取's files and checks (R13): the canonical inputs a run freezes, the results it writes,
what a merge must prove before anything is published, and the proposed cutoff lines.

The same formats serve `zhaokao allocate` on an operator's machine and the official run
(docs/allocation-files.md): a what-if and the run read identical bytes the same way.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict
from typing_extensions import TypedDict  # on 3.11 pydantic validates only this TypedDict

from .allocation import (
    Applicant,
    Choice,
    Cohort,
    Outcome,
    PlanKey,
    collection_paused,
    eligible,
)

if TYPE_CHECKING:
    from .policy import Policy
    from .preferences import Plan

Lines = dict[tuple[str, str], int]


class StoredOutcome(TypedDict, total=False):
    """An outcome as a run keeps it (R13): the allocation's, with the score it read, the
    plan it competed for and whether the candidate was eligible; ``cancelled`` once a
    re-check finds fraud (R14.1)."""

    id: str
    admitted: bool
    round: int | None
    school: str | None
    major: str | None
    adjusted: bool
    reason: str
    score: int | None
    level: str
    category: str
    plan_type: str
    eligible: bool
    cancelled: bool


class Run(BaseModel):
    """A 录取 run (R13): where it stands, the lines it read, what it produced, who approved
    each school's list. ``version`` is the one read: an approval is conditional on it."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    season_id: str
    run_id: str  # the state machine's execution name
    status: str  # running, awaiting_approval, published, superseded, failed, done
    what_if: bool = False  # a trial: never published
    stage: str = "main"  # or supplementary (征集志愿, R13.3)
    base_run: str | None = None  # a supplementary run's published main run
    lines: list[list[Any]] = []  # [[level, category, line], …] as the run read them
    digests: dict[str, str] = {}
    summary: dict[str, Any] = {}
    schools: dict[str, int] = {}  # school -> admitted count
    approvals: dict[str, dict[str, str]] = {}  # school -> who approved its list, and when
    task_token: str | None = None  # the approval step's callback
    error: str | None = None
    superseded_by: str | None = None  # a later publication replaced this one
    created_by: str | None = None
    created_at: datetime | None = None
    finished_at: datetime | None = None
    version: int


class Result(BaseModel):
    """One candidate's outcome in a run, and what the school recorded on it (R14)."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    run_id: str
    candidate_id: str
    outcome: StoredOutcome
    school_key: str | None = None  # "<run>#<school>" while admitted there
    letter: dict[str, Any] | None = None  # R14: the admission letter's mailing
    recheck: dict[str, Any] | None = None  # R14.1: the new student's re-check
    version: int | None = None  # None until the school first records something on it


PLAN_HEADER = ("school", "major", "level", "category", "plan_type", "seats")


# -- the formats ----------------------------------------------------------------------
def applicant_row(a: Applicant, subject_names: Iterable[str] = ()) -> dict[str, Any]:
    names = list(subject_names) or [f"s{i + 1}" for i in range(len(a.subjects))]
    return {
        "id": a.id,
        "level": a.level,
        "category": a.category,
        "plan_type": a.plan_type,
        "total": a.total,
        "bonus": a.bonus,
        "subjects": [[n, s] for n, s in zip(names, a.subjects, strict=True)],
        "exempt": a.exempt,
        "adjust_ok": a.adjust_ok,
        "choices": [{"school": c.school, "majors": list(c.majors)} for c in a.choices],
    }


def read_applicant(row: Mapping[str, Any]) -> Applicant:
    id_, level, category, plan_type, total, bonus, subjects, exempt, adjust_ok, choices = _fields(
        row
    )
    return Applicant(
        id_,
        level,
        category,
        plan_type,
        total,
        bonus,
        tuple(subjects),
        exempt,
        adjust_ok,
        tuple(Choice(school, tuple(majors)) for school, majors in choices),
    )


def _fields(row: Mapping[str, Any]) -> tuple[Any, ...]:
    """A candidates file's row as a plain tuple in an Applicant's shape (a choice a
    (school, majors) pair): what the allocation's columns are made from."""
    total = row.get("total")
    return (
        str(row["id"]),
        str(row["level"]),
        str(row.get("category") or ""),
        str(row.get("plan_type") or "ordinary"),
        None if total is None else int(total),
        int(row.get("bonus") or 0),
        [int(score) for _, score in row.get("subjects", ())],
        bool(row.get("exempt")),
        bool(row.get("adjust_ok")),
        [(str(c["school"]), list(map(str, c["majors"]))) for c in row.get("choices", ())],
    )


def canonical(row: Mapping[str, Any]) -> str:
    """One JSON line: keys sorted, no spaces — the same data, the same bytes."""
    return json.dumps(row, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def write_candidates(rows: Iterable[Mapping[str, Any]]) -> str:
    """Canonical JSON lines: sorted by id, keys sorted, no spaces — the same data, the same
    bytes, so its digest names the input."""
    return "".join(canonical(r) for r in sorted(rows, key=lambda r: str(r["id"])))


def read_candidates(text: str) -> list[Applicant]:
    with collection_paused():
        return [read_applicant(json.loads(line)) for line in text.splitlines() if line.strip()]


def read_cohort(text: str) -> Cohort:
    """A candidates file as the allocation reads it: straight into columns, no Applicant
    made (a million of them would cost more than the allocation)."""
    with collection_paused():
        return Cohort.of(_fields(json.loads(line)) for line in text.splitlines() if line.strip())


def write_plans(seats: Mapping[PlanKey, int]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(PLAN_HEADER)
    writer.writerows((*key, seats[key]) for key in sorted(seats))
    return out.getvalue()


def read_plans(text: str) -> dict[PlanKey, int]:
    return {
        (
            r["school"],
            r["major"],
            r["level"],
            r["category"] or "",
            r["plan_type"] or "ordinary",
        ): int(r["seats"])
        for r in csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    }


def write_lines(lines: Mapping[tuple[str, str], int]) -> str:
    return "level,category,line\n" + "".join(
        f"{level},{category},{lines[(level, category)]}\n" for level, category in sorted(lines)
    )


def read_lines(text: str) -> Lines:
    return {
        (r["level"], r["category"] or ""): int(r["line"])
        for r in csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    }


def write_results(outcomes: Iterable[Outcome]) -> str:
    return "".join(canonical(o._asdict()) for o in sorted(outcomes, key=lambda o: o.id))


def read_results(text: str) -> list[Outcome]:
    with collection_paused():
        return [Outcome(**json.loads(line)) for line in text.splitlines() if line.strip()]


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


# -- a season's data as the allocation's input -------------------------------------------
def seats_of(policy: Policy, plans: Iterable[Plan]) -> dict[PlanKey, int]:
    """The catalogue's plans as allocation keys. A season whose candidates choose a plan type
    (Hunan) keys its plans by it; one whose candidates choose a subject category (Ningxia's
    专升本) keys them by the category, every plan of it ordinary."""
    by_type = policy.preferences.plan_type_choice
    return {
        (
            p.school_code,
            p.major_code,
            p.level,
            "" if by_type else p.plan_type,
            (p.plan_type or "ordinary") if by_type else "ordinary",
        ): p.seats
        for p in plans
    }


def applicant_of(
    policy: Policy,
    candidate_id: str,
    profile: Mapping[str, Any],
    preferences: Mapping[str, Any],
    report: Mapping[str, Any],
    exempt: bool,
) -> Applicant:
    """One approved candidate as the allocation reads them: their level and category, the
    total (None when absent: 缺考), the bonus (R12.1), the subjects in the season's tie-break
    order, 免试, consent to 调剂 (R13.4) and the choices in order (R13.2)."""
    scores = {s["subject"]: s["score"] for s in report.get("subjects", [])}
    return Applicant(
        id=candidate_id,
        level=str(profile.get("level") or policy.preferences.level or ""),
        category=str(preferences.get("subject_category") or ""),
        plan_type=str(preferences.get("plan_type") or "ordinary"),
        total=None if report.get("absent", True) else report.get("total"),
        bonus=int(report.get("bonus") or 0),
        subjects=tuple(int(scores.get(c) or 0) for c in policy.admission.tie_breaks),
        exempt=exempt,
        adjust_ok=_consents(policy, preferences),
        choices=tuple(
            Choice(str(s["school"]), tuple(s["majors"])) for s in preferences.get("schools", [])
        ),
    )


def _consents(policy: Policy, preferences: Mapping[str, Any]) -> bool:
    """R13.4: 调剂 for who ticked it; where no consent is asked, for everyone of a season that
    adjusts at all (one major per choice adjusts nobody)."""
    if policy.admission.adjustment_requires_consent:
        return bool(preferences.get("adjust"))
    return policy.admission.mode == "sequential_preferences"


# -- what a merge proves -------------------------------------------------------------------
def violations(
    people: Iterable[Applicant],
    outcomes: Iterable[Outcome],
    seats: Mapping[PlanKey, int],
    lines: Mapping[tuple[str, str], int],
) -> list[str]:
    """Nobody admitted twice or missing, no plan over its seats, every admitted candidate
    eligible and placed in a plan of their level, category and plan type."""
    found: list[str] = []
    by_id = {a.id: a for a in people}
    seen = Counter(o.id for o in outcomes)
    found += [f"{cid}: {n} outcomes" for cid, n in seen.items() if n > 1]
    found += [f"{cid}: no outcome" for cid in by_id.keys() - seen.keys()]
    taken: Counter[PlanKey] = Counter()
    for o in outcomes:
        a = by_id.get(o.id)
        if a is None:
            found.append(f"{o.id}: not an input candidate")
        elif o.admitted:
            key = (str(o.school), str(o.major), a.level, a.category, a.plan_type)
            taken[key] += 1
            if key not in seats:
                found.append(f"{o.id}: admitted to {key}, which is no plan of theirs")
            if eligible(a, lines) is not None:
                found.append(f"{o.id}: admitted but not eligible")
    found += [
        f"{key}: {n} admitted, {seats.get(key, 0)} seats"
        for key, n in taken.items()
        if n > seats.get(key, 0)
    ]
    return found


def summary(
    outcomes: Iterable[Outcome], people: Iterable[Applicant], seats: Mapping[PlanKey, int]
) -> dict[str, Any]:
    """Admitted per round and by adjustment, and the seats left per plan type."""
    by_id = {a.id: a for a in people}
    per_round: Counter[int] = Counter()
    adjusted = admitted = 0
    taken: Counter[PlanKey] = Counter()
    for o in outcomes:
        if o.admitted:
            admitted += 1
            per_round[int(o.round or 0)] += 1
            adjusted += o.adjusted
            a = by_id[o.id]
            taken[(str(o.school), str(o.major), a.level, a.category, a.plan_type)] += 1
    left: dict[str, int] = defaultdict(int)
    for key, n in seats.items():
        left[key[4]] += n - taken[key]
    return {
        "candidates": len(by_id),
        "admitted": admitted,
        "per_round": {str(r): per_round[r] for r in sorted(per_round)},
        "adjusted": adjusted,
        "seats_left": dict(sorted(left.items())),
    }


# -- R13.3: the supplementary round (征集志愿) ----------------------------------------------
def seats_left(seats: Mapping[PlanKey, int], admitted: Iterable[PlanKey]) -> dict[PlanKey, int]:
    """The special plans' seats a run left: what a supplementary round offers."""
    taken = Counter(admitted)
    return {
        key: n - taken[key] for key, n in seats.items() if key[4] != "ordinary" and n > taken[key]
    }


def after_supplementary(
    base: Mapping[str, StoredOutcome], extra: Iterable[Outcome], round_no: int
) -> dict[str, StoredOutcome]:
    """Every candidate's outcome once the supplementary round is done: who it admitted, in
    round ``round_no``; the others keep their outcome, with why the new choice failed."""
    merged = dict(base)
    for o in extra:
        before = base[o.id]
        if o.admitted:
            merged[o.id] = {
                **before,
                "admitted": True,
                "school": o.school,
                "major": o.major,
                "adjusted": o.adjusted,
                "round": round_no,
                "reason": "征集志愿录取",
            }
        else:
            merged[o.id] = {**before, "reason": f"{before['reason']}；征集志愿：{o.reason}"}
    return merged


# -- R13.1: the proposal ----------------------------------------------------------------------
def propose_lines(
    people: Iterable[Applicant], seats: Mapping[PlanKey, int], ratio: float
) -> list[dict[str, Any]]:
    """For each level and category with seats: the score at which the candidates who reach
    it (exemptions counted first) number ``ratio`` times the seats — or the lowest score
    sat, when fewer sat. A suggestion: operators set the lines."""
    wanted: Counter[tuple[str, str]] = Counter()
    for (_, _, level, category, _), n in seats.items():
        wanted[(level, category)] += n
    scores: dict[tuple[str, str], list[int]] = defaultdict(list)
    exempt: Counter[tuple[str, str]] = Counter()
    for a in people:
        group = (a.level, a.category)
        if a.exempt:
            exempt[group] += 1
        elif a.total is not None:
            scores[group].append(a.total + a.bonus)
    proposals = []
    for group in sorted(wanted):
        ranked = sorted(scores[group], reverse=True)
        need = max(math.ceil(wanted[group] * ratio) - exempt[group], 0)
        line = ranked[min(need, len(ranked)) - 1] if ranked and need else None
        reach = sum(1 for s in ranked if line is not None and s >= line)
        proposals.append(
            {
                "level": group[0],
                "category": group[1],
                "seats": wanted[group],
                "sat": len(ranked),
                "exempt": exempt[group],
                "line": line,
                "reaching": reach + exempt[group],
            }
        )
    return proposals
