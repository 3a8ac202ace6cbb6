"""录取 (R13.6, R14, R15): the schools' side — a school's admitted list and its export,
letters and re-checks, and what the re-checks found; 诚信 cancelling an admission."""

from __future__ import annotations

from typing import Any

from ..api.operator_schemas import Admitted, FailedRecheck, Letter, Recheck
from ..domain.admission import Result
from ..domain.auth import Principal
from ..domain.candidate import Candidate
from ..domain.errors import InvalidField, NotFound
from ..domain.spreadsheet import csv_text
from ..storage import admission as store
from ..storage import candidates, catalogue, seasons
from .admission_operators import cancelled, published_run


def _own_school(who: Principal, school: str) -> None:
    """R15.1: a school sees its own lists; another's does not exist for it (404)."""
    if who.groups & {"operator"}:
        return
    who.require("school_admissions")
    if who.unit != school:
        raise NotFound("没有找到该院校的录取名单", "school")


def admitted(
    who: Principal, season_id: str, school: str, run_id: str | None = None
) -> list[Admitted]:
    """A school's admitted list: the published one, or a run's awaiting approval (the
    school checks its list while the authority reviews it); operators read any run's."""
    _own_school(who, school)
    if run_id is None:
        run_id = published_run(season_id)
    elif not who.groups & {"operator"}:
        run = store.run(season_id, run_id)
        if run.what_if or run.status not in ("awaiting_approval", "published"):
            raise NotFound("没有找到该录取批次", "run_id")
    rows = store.school_list(run_id, school)
    people = {r.candidate_id: r for r in candidates.many([r.candidate_id for r in rows])}
    plans = catalogue.load(season_id).plans
    return [
        Admitted.model_validate(v)
        for v in [
            _admitted_view(r, people.get(r.candidate_id), plans)
            for r in sorted(rows, key=_by_major)
        ]
    ]


def _by_major(r: Result) -> tuple[str, int, str]:
    o = r.outcome
    return (str(o.get("major")), -int(o.get("score") or 10**6), r.candidate_id)


def _admitted_view(
    r: Result, person: Candidate | None, plans: dict[tuple[str, str, str], Any]
) -> Admitted:
    o = r.outcome
    major_name = next(
        (
            p.major_name
            for (s, m, _), p in plans.items()
            if s == o.get("school") and m == o.get("major")
        ),
        o.get("major"),
    )
    return Admitted(
        candidate_id=r.candidate_id,
        name=person.name if person else "",
        id_masked=person.id_masked if person else "",
        exam_number=person.exam_number if person else None,
        major=o.get("major"),
        major_name=major_name,
        round=o.get("round"),
        adjusted=bool(o.get("adjusted")),
        score=o.get("score"),
        letter=r.letter,
        recheck=r.recheck,
    )


def admitted_csv(who: Principal, season_id: str, school: str) -> str:
    header = ["考生号", "姓名", "身份证号", "准考证号", "专业代码", "专业名称"]
    header += ["录取轮次", "调剂", "成绩", "录取通知书快递单号"]
    return csv_text(
        header,
        (
            [
                row.candidate_id,
                row.name,
                row.id_masked,
                row.exam_number,
                row.major,
                row.major_name,
                row.round,
                "是" if row.adjusted else "否",
                row.score,
                row.letter.tracking_number if row.letter else None,
            ]
            for row in admitted(who, season_id, school)
        ),
    )


def _own_admitted(who: Principal, season_id: str, school: str, candidate_id: str) -> Result:
    _own_school(who, school)
    record = store.result(published_run(season_id), candidate_id)
    if record is None or record.school_key is None or not record.school_key.endswith(f"#{school}"):
        raise NotFound("该考生不在本校录取名单中", "candidate_id")
    return record


def record_letter(
    who: Principal, season_id: str, school: str, candidate_id: str, carrier: str, tracking: str
) -> Letter:
    """R14: the admission letter's mailing, by the school."""
    record = _own_admitted(who, season_id, school, candidate_id)
    at = seasons.get_season(season_id).now().isoformat(timespec="seconds")
    letter = Letter(carrier=carrier, tracking_number=tracking, by=who.actor(), at=at)
    store.note(record, "letter", letter.model_dump(), who.actor())
    return letter


def record_recheck(
    who: Principal,
    season_id: str,
    school: str,
    candidate_id: str,
    identity_ok: bool,
    proofs_ok: bool,
    note: str,
) -> Recheck:
    """R14.1: the new student's re-check (identity; the bonus and exemption proofs against
    the admission record). A failed one goes to the operators, whose fraud record cancels
    the admission (service/integrity)."""
    record = _own_admitted(who, season_id, school, candidate_id)
    at = seasons.get_season(season_id).now().isoformat(timespec="seconds")
    passed = identity_ok and proofs_ok
    if not passed and not note.strip():
        raise InvalidField("复查不通过时请写明情况", "note")
    recheck = Recheck(
        identity_ok=identity_ok,
        proofs_ok=proofs_ok,
        passed=passed,
        note=note,
        by=who.actor(),
        at=at,
    )
    store.note(record, "recheck", recheck.model_dump(), who.actor())
    if not passed:
        store.flag_recheck(season_id, candidate_id, school, recheck.model_dump())
    return recheck


def failed_rechecks(who: Principal, season_id: str) -> list[FailedRecheck]:
    """What schools' re-checks found, for the operators' integrity record."""
    who.require("operator")
    return [FailedRecheck.model_validate(v) for v in store.failed_rechecks(season_id)]


def cancel_admission(season_id: str, candidate_id: str, reason: str, actor: str) -> int:
    """诚信: fraud cancels the admission in the published run and in every run still to be
    approved or kept (R14.1, R16.1); how many results it cancelled."""
    live = [r.run_id for r in store.runs(season_id) if r.status != "failed"]
    return sum(store.cancel(run_id, candidate_id, cancelled(reason), actor) for run_id in live)
