"""Exams the schools set (R10.4, seed 000 L86 "按照报考学校要求"): each school enters its own
papers, place and rooms; the platform seats its paid, approved applicants and gives each a
准考证号; the tickets print in the season's window (R10.3) with the school's times and place.
A school sees and seats only its own applicants; operators see every school."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

from ..adapters import queues
from ..api.operator_schemas import ArrangementRun
from ..domain import arrangement as rules
from ..domain.auth import Principal
from ..domain.candidate import Candidate
from ..domain.errors import NotFound, RuleViolation
from ..domain.tickets import changed_papers, when
from ..messages import PapersMoved, PlanSchoolSeats
from ..settings import settings
from ..storage import arrangement as store
from ..storage import candidates, catalogue, seasons
from .arrangement import queue_seats, queued, release_departed, sitting, unit_progress

if TYPE_CHECKING:
    from ..domain.policy import Policy, SchoolExam

SEATING = "seating"  # the runs' unit in the imports table: ``seating#<school>``


def by_schools(season_id: str) -> Policy:
    policy = seasons.get_season(season_id).policy
    if not policy.exam.set_by_schools:
        raise RuleViolation("本考试季的考场由考试院统一编排", code="not_set_by_schools")
    return policy


def own_school(who: Principal, season_id: str, school: str) -> None:
    """R15: a school's admissions staff reach their own school only (another's reads as
    missing); operators reach every school of the season's catalogue."""
    who.require("school_admissions", "operator")
    mine = "operator" in who.groups or who.unit == school
    if not mine or school not in catalogue.load(season_id).schools():
        raise NotFound("没有找到该院校", "school")


def set_exam(
    who: Principal, season_id: str, school: str, exam: SchoolExam, reason: str
) -> ExamView:
    """The school's exam entered or corrected, audited. Who is seated and sits a paper
    whose time moved is told by SMS (R10.5), a job of the arrangement worker."""
    by_schools(season_id)
    own_school(who, season_id, school)
    replaced, season = seasons.set_school_exam(season_id, school, exam, reason, who.actor())
    moved = changed_papers(list(replaced.papers) if replaced else [], list(exam.papers))
    if moved:
        told = PapersMoved(season_id=season_id, run_id="", moved=moved, school=school)
        queues.send_all(settings().arrangement_queue_url, [told])
    return {**exam_view(season.policy, school), "moved": sorted(moved)}


class PaperView(TypedDict):
    subject: str
    name: str
    start: str
    end: str
    full_marks: int
    when: str


class ExamView(TypedDict, total=False):
    """A school's exam as the API shows it (api SchoolExam); ``moved`` after a change."""

    school: str
    place: str
    address: str
    rooms: list[int]
    seats: int
    papers: list[PaperView]
    moved: list[str]


def exam_of(who: Principal, season_id: str, school: str) -> ExamView:
    policy = by_schools(season_id)
    own_school(who, season_id, school)
    if school not in policy.exam.schools:
        raise NotFound("本校尚未录入考试安排", "school")
    return exam_view(policy, school)


def exam_view(policy: Policy, school: str) -> ExamView:
    exam = policy.exam.schools[school]
    return {
        "school": school,
        "place": exam.place,
        "address": exam.address,
        "rooms": list(exam.rooms),
        "seats": sum(exam.rooms),
        "papers": [
            {
                "subject": p.subject,
                "name": p.name,
                "start": p.start.isoformat(),
                "end": p.end.isoformat(),
                "full_marks": p.full_marks,
                "when": when(p),
            }
            for p in sorted(exam.papers, key=lambda p: p.start)
        ],
    }


def start_seating(who: Principal, season_id: str, school: str) -> ArrangementRun:
    """The school's applicants seated, queued; a rerun keeps every seat it can."""
    policy = by_schools(season_id)
    own_school(who, season_id, school)
    if school not in policy.exam.schools:
        raise RuleViolation(
            "请先录入本校考试安排（科目、时间、地点与考场）", "school", code="no_school_exam"
        )
    return ArrangementRun.model_validate(
        queued(season_id, f"{SEATING}#{school}", PlanSchoolSeats, who.actor(), school=school)
    )


def seating_progress(who: Principal, season_id: str, school: str, run_id: str) -> ArrangementRun:
    own_school(who, season_id, school)
    return ArrangementRun.model_validate(unit_progress(season_id, run_id, f"{SEATING}#{school}"))


def applicants(policy: Policy, season_id: str, school: str) -> list[Candidate]:
    """The school's applicants: those whose preference names it (R8: Hunan, one school)."""
    return [
        r
        for unit in policy.home_units()
        for r in candidates.of_unit(season_id, unit.code)
        if any(s.get("school") == school for s in r.preferences.get("schools") or [])
    ]


def plan_seats(season_id: str, run_id: str, school: str) -> str:
    """Read who sits the school's exam, seat them (pure), queue the seats in chunks."""
    policy = by_schools(season_id)
    exam = policy.exam.schools[school]
    records = applicants(policy, season_id, school)
    seated = sitting(policy, records)
    release_departed(records, seated)
    previous = {r.candidate_id: seat for r in seated if (seat := store.seat_of(r))}
    level = policy.preferences.level or ""
    seats, unplaced = rules.seat_school(
        school, list(exam.rooms), level, [r.candidate_id for r in seated], previous
    )
    notes = []
    if unplaced:  # said on the run, never silently dropped
        reason = f"本校考场共{sum(exam.rooms)}个座位，不足以安排全部考生，请增加考场后重新编排"
        notes.append(rules.CountyNote(school, unplaced, None, reason)._asdict())
    seats.sort(key=lambda s: (s.room, s.seat))
    return queue_seats(policy, season_id, run_id, seats, notes)
