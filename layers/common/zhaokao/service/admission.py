"""录取 (R13-R15) as a Step Functions run: the operators' side (lines, runs, approval), the
run's Task steps, the schools' side, and the candidate's result with its explanation.

The run (infra/statemachines/admission.asl.json): snapshot → one allocation per level and
category (candidates compete only within one) → merge and check → each school's list
approved by the operators → publish. Files between steps live in S3 under the run's own
prefix, in the formats of `zhaokao allocate`; a step is safe to run twice.
"""

from __future__ import annotations

import secrets
from collections import Counter
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypedDict, cast

from ..adapters import objects, workflows
from ..domain import admission as files
from ..domain import scores as score_rules
from ..domain.admission import StoredOutcome
from ..domain.allocation import Applicant, Choice, Outcome, allocate, eligible
from ..domain.auth import Principal
from ..domain.errors import Conflict, InvalidField, NotFound, RuleViolation
from ..domain.spreadsheet import csv_text
from ..domain.windows import CST, WindowName
from ..settings import settings
from ..storage import admission as store
from ..storage import candidates, catalogue, seasons
from ..storage.models import AdmissionRecord, CandidateRecord

if TYPE_CHECKING:
    from ..domain.policy import Policy


class AllocationInvalid(Exception):
    """A merged result broke a rule (a seat over its plan, someone twice): never retried,
    never published — the run fails with the list of what broke."""


def _prefix(season_id: str, run_id: str) -> str:
    return f"admission/{season_id}/{run_id}/"


def _text(key: str) -> str:
    body = objects.read(key)
    if body is None:
        raise FileNotFoundError(key)
    return body.decode()


def _put(key: str, text: str, kind: str = "text/plain; charset=utf-8") -> None:
    objects.write(key, text.encode(), kind)


# -- the operators: lines, runs, approval ----------------------------------------------------
def _groups(policy: Policy) -> set[tuple[str, str]]:
    """The levels and categories a line can be set for (R13.1)."""
    levels = [lv.code for lv in policy.levels] or [policy.preferences.level or ""]
    categories = [c.code for c in policy.subject_categories]
    split = set(policy.preferences.subject_category_levels)
    return {(lv, c) for lv in levels for c in (categories if lv in split else [""])}


def set_lines(who: Principal, season_id: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """R13.1: operators set the cutoff lines (最低录取控制分数线), audited."""
    who.require("operator")
    policy = seasons.get_season(season_id).policy
    known = _groups(policy)
    values = []
    for i, row in enumerate(rows):
        group = (str(row["level"]), str(row.get("category") or ""))
        if group not in known:
            raise InvalidField("没有该层次或科类", f"lines.{i}.level", code="unknown_group")
        values.append([*group, int(row["line"])])
    if len({(lv, c) for lv, c, _ in values}) < len(values):
        raise InvalidField("同一层次科类只能设一条分数线", "lines", code="duplicate_line")
    store.set_lines(season_id, sorted(values), who.actor())
    return lines_view(who, season_id)


def lines_view(who: Principal, season_id: str) -> dict[str, Any]:
    who.require("operator")
    policy = seasons.get_season(season_id).policy
    names = {c.code: c.name for c in policy.subject_categories}
    levels = {lv.code: lv.name for lv in policy.levels}
    return {
        "lines": [
            {
                "level": lv,
                "category": c,
                "line": line,
                "label": levels.get(lv, lv) + (f"·{names.get(c, c)}" if c else ""),
            }
            for lv, c, line in store.lines(season_id)
        ]
    }


def start(who: Principal, season_id: str, what_if: bool, stage: str = "main") -> dict[str, Any]:
    """A run: official (approved, then published) or a trial on the season's own data
    (never published). One official run at a time, and only with lines set. A
    supplementary run (征集志愿, R13.3) completes the published run with the lines it read."""
    who.require("operator")
    policy = seasons.get_season(season_id).policy
    lines, base = store.lines(season_id), None
    if stage == "supplementary":
        if not policy.admission.supplementary_round:
            raise RuleViolation("本考试季没有征集志愿", "stage", code="no_supplementary")
        base = _published(season_id)
        lines = store.run(season_id, base).lines or []
    if not lines and not what_if:  # a trial without lines still proposes them
        raise RuleViolation("请先划定录取控制分数线", "lines", code="no_lines")
    if not what_if and any(
        r.status in ("running", "awaiting_approval") and not r.what_if
        for r in store.runs(season_id)
    ):
        raise Conflict("已有一个录取批次在进行中", "run_id", code="run_in_progress")
    run_id = (
        f"{'trial' if what_if else 'run'}-{datetime.now(CST):%Y%m%d%H%M%S}-{secrets.token_hex(3)}"
    )
    record = store.create_run(season_id, run_id, what_if, lines, who.actor(), base)
    workflows.start(
        settings().admission_state_machine, run_id, {"season_id": season_id, "run_id": run_id}
    )
    return run_view(record)


def runs(who: Principal, season_id: str) -> list[dict[str, Any]]:
    who.require("operator")
    names = _school_names(season_id)
    return [run_view(r, names) for r in store.runs(season_id)]


def show(who: Principal, season_id: str, run_id: str) -> dict[str, Any]:
    who.require("operator")
    return run_view(store.run(season_id, run_id), _school_names(season_id))


def _school_names(season_id: str) -> dict[str, str]:
    return catalogue.load(season_id).schools()


def run_view(record: AdmissionRecord, names: dict[str, str] | None = None) -> dict[str, Any]:
    approvals = record.approvals or {}
    names = names or {}
    return {
        "run_id": record.sk,
        "status": record.status,
        "what_if": bool(record.what_if),
        "stage": record.stage or "main",
        "base_run": record.base_run,
        "lines": [{"level": lv, "category": c, "line": n} for lv, c, n in record.lines or []],
        "digests": record.digests or {},
        "summary": record.summary or {},
        "schools": [
            {
                "school": s,
                "name": names.get(s, s),
                "admitted": n,
                "approved": s in approvals,
                **approvals.get(s, {}),
            }
            for s, n in sorted((record.schools or {}).items())
        ],
        "in_force": record.status == "published",  # the pointer's run: superseded ones say so
        "superseded_by": record.superseded_by,
        "error": record.error,
        "created_by": record.created_by,
        "created_at": record.created_at.isoformat(timespec="seconds")
        if record.created_at
        else None,
        "finished_at": record.finished_at.isoformat(timespec="seconds")
        if record.finished_at
        else None,
    }


def approve(who: Principal, season_id: str, run_id: str, school: str) -> dict[str, Any]:
    """The authority approves one school's list (seed 004: 审核各校录取名单); the last
    approval lets the run publish."""
    who.require("operator")
    for attempt in range(1, 4):
        record = store.run(season_id, run_id)
        if record.status != "awaiting_approval":
            raise Conflict("该录取批次不在待审核状态", "run_id", code="run_not_awaiting")
        if school not in (record.schools or {}):
            raise NotFound("该批次没有这所院校的录取名单", "school")
        try:
            record = store.approve_school(record, school, who.actor())
            break
        except Conflict as exc:  # another approval, or the step keeping its token, came first
            if exc.code != "stale_version" or attempt == 3:
                raise
    if _all_approved(record) and record.task_token:
        workflows.resume(record.task_token, {"approved_by": who.actor()})
    return run_view(record, _school_names(season_id))


def _all_approved(record: AdmissionRecord) -> bool:
    """Every school's list approved, and there is at least one: a run that admitted nobody
    is published only when the operators confirm it (confirm_publication)."""
    return bool(record.schools) and set(record.approvals or {}) >= set(record.schools or {})


def confirm_publication(
    who: Principal, season_id: str, run_id: str, admitted: int
) -> dict[str, Any]:
    """The operators publish a run that has no school's list to approve — it admitted
    nobody — by naming the count they publish: never silently (issue 23). A run with lists
    publishes on its last approval, which the page asks to confirm with the counts."""
    who.require("operator")
    record = store.run(season_id, run_id)
    if record.status != "awaiting_approval" or not record.task_token:
        raise Conflict("该录取批次不在待发布状态", "run_id", code="run_not_awaiting")
    if record.schools:
        raise RuleViolation(
            "本批次须逐校审核名单，最后一所通过后发布", "run_id", code="lists_to_approve"
        )
    count = sum((record.schools or {}).values())
    if admitted != count:
        raise RuleViolation(
            f"确认的录取人数与本批次不符：本批次录取{count}人", "admitted", code="count_mismatch"
        )
    workflows.resume(record.task_token, {"approved_by": who.actor(), "admitted": count})
    return run_view(record, _school_names(season_id))


def reject(who: Principal, season_id: str, run_id: str, reason: str) -> dict[str, Any]:
    """The operators stop a run before publication: it fails, nothing is published."""
    who.require("operator")
    record = store.run(season_id, run_id)
    if record.status != "awaiting_approval" or not record.task_token:
        raise Conflict("该录取批次不在待审核状态", "run_id", code="run_not_awaiting")
    workflows.stop(record.task_token, "Rejected", f"{who.actor()}：{reason}")
    return run_view(record)


# -- the run's steps (AdmissionFunction) ------------------------------------------------------
# What each step hands the state machine (infra/statemachines/admission.asl.json reads them)
class Shards(TypedDict):
    shards: list[str]  # the candidates files, one per level and category: the Map's items


class ShardDone(TypedDict):
    shard: str
    admitted: int


class Merged(TypedDict):
    what_if: bool  # a trial ends here
    admitted: int


class Published(TypedDict):
    published: str
    switched: bool


def snapshot(season_id: str, run_id: str) -> Shards:
    """Freeze the inputs: every approved candidate (the withdrawn, cancelled and those whose
    scores are void are not in it), the plans and the lines — one candidates file per level
    and category. Digests name them; the proposed lines are computed from them. A
    supplementary run reads the special plans' seats its base run left, and the
    unadmitted eligible candidates who filed a 征集志愿."""
    policy = seasons.get_season(season_id).policy
    run = store.run(season_id, run_id)
    seats = files.seats_of(policy, catalogue.load(season_id).plans.values())
    lines = {(lv, c): int(n) for lv, c, n in run.lines or []}
    base = _base_outcomes(run)
    if base is not None:
        admitted = [_plan_key(o) for o in base.values() if o.get("admitted")]
        seats = files.seats_left(seats, admitted)
    shards: dict[tuple[str, str], list[dict[str, Any]]] = {}
    people: list[Applicant] = []
    for unit in policy.home_units():
        for record in candidates.of_unit(season_id, unit.code):
            a = applicant(policy, record)
            if a is not None and base is not None:
                a = _supplementary(a, record, base)
            if a is not None:
                people.append(a)
                shards.setdefault((a.level, a.category), []).append(
                    files.applicant_row(a, policy.admission.tie_breaks[: len(a.subjects)])
                )
    prefix = _prefix(season_id, run_id)
    digests = {}
    for name, text in (("plans", files.write_plans(seats)), ("lines", files.write_lines(lines))):
        _put(f"{prefix}{name}.csv", text, "text/csv; charset=utf-8")
        digests[name] = files.digest(text)
    keys = []
    for (level, category), rows in sorted(shards.items()):
        key = f"{prefix}candidates/{level}.{category or '-'}.jsonl"
        text = files.write_candidates(rows)
        _put(key, text)
        digests[key.removeprefix(prefix)] = files.digest(text)
        keys.append(key)
    proposed = files.propose_lines(people, seats, policy.admission.line_ratio)
    store.update_run(season_id, run_id, digests=digests, summary={"proposed_lines": proposed})
    return {"shards": keys}


def _base_outcomes(run: AdmissionRecord) -> dict[str, StoredOutcome] | None:
    if not run.base_run:
        return None
    return {r.sk: cast(StoredOutcome, dict(r.outcome or {})) for r in store.results(run.base_run)}


def _plan_key(o: StoredOutcome) -> tuple[str, str, str, str, str]:
    return (str(o["school"]), str(o["major"]), o["level"], o["category"], o["plan_type"])


def _supplementary(
    a: Applicant, record: CandidateRecord, base: dict[str, StoredOutcome]
) -> Applicant | None:
    """R13.3: in the supplementary round, an eligible candidate the run did not admit, with
    the one choice they filed in its window; nobody else."""
    filed = (record.preferences or {}).get("supplementary")
    before = base.get(a.id, StoredOutcome())
    if not filed or before.get("admitted") or not before.get("eligible"):
        return None
    choice = Choice(str(filed["school"]), (str(filed["major"]),))
    return a._replace(plan_type=filed["plan_type"], choices=(choice,), adjust_ok=False)


def applicant(policy: Policy, record: CandidateRecord) -> Applicant | None:
    """One candidate as the allocation reads them, or None when not in it."""
    integrity = record.integrity or {}
    if record.status != "approved" or integrity.get("scores_void"):
        return None
    approvals = record.approvals or {}
    report = score_rules.report(policy, record.scores or {}, approvals, integrity)
    exempt = bool(approvals.get("exemption")) and not approvals.get("revoked")
    return files.applicant_of(
        policy,
        record.candidate_id,
        record.profile or {},
        record.preferences or {},
        report,
        exempt,
    )


def allocate_shard(season_id: str, run_id: str, shard: str) -> ShardDone:
    """R13 on one level and category: the pure allocation on the frozen files."""
    policy = seasons.get_season(season_id).policy
    prefix = _prefix(season_id, run_id)
    cohort = files.read_cohort(_text(shard))
    seats = files.read_plans(_text(f"{prefix}plans.csv"))
    lines = files.read_lines(_text(f"{prefix}lines.csv"))
    outcomes = allocate(cohort, seats, lines, policy.admission.rounds)
    key = shard.replace("/candidates/", "/results/")
    _put(key, files.write_results(outcomes))
    return {"shard": key, "admitted": sum(o.admitted for o in outcomes)}


def merge(season_id: str, run_id: str) -> Merged:
    """Check the whole result (nobody twice, no plan over its seats, every admitted
    candidate eligible), write it, and await approval — or, for a trial, end. A
    supplementary run's result is its base run's with the new round applied."""
    policy = seasons.get_season(season_id).policy
    prefix = _prefix(season_id, run_id)
    seats = files.read_plans(_text(f"{prefix}plans.csv"))
    lines = files.read_lines(_text(f"{prefix}lines.csv"))
    people: list[Applicant] = []
    outcomes = []
    for key in objects.keys(f"{prefix}candidates/"):
        people += files.read_candidates(_text(key))
        outcomes += files.read_results(_text(key.replace("/candidates/", "/results/")))
    broken = files.violations(people, outcomes, seats, lines)
    if broken:
        raise AllocationInvalid("；".join(broken[:20]))
    run = store.run(season_id, run_id)
    by_id = {a.id: a for a in people}
    stored = {o.id: _stored(o, by_id[o.id], lines) for o in outcomes}
    base = _base_outcomes(run)
    if base is not None:
        stored = files.after_supplementary(base, outcomes, policy.admission.rounds + 1)
    sanctioned = store.sanctions(season_id)
    for cid in sanctioned.keys() & stored.keys():  # R16.1: cancelled after the snapshot
        reason = _cancelled(sanctioned[cid])
        stored[cid] = {**stored[cid], "admitted": False, "cancelled": True, "reason": reason}
    results = files.write_results(outcomes)  # what `zhaokao allocate` writes from the same files
    _put(f"{prefix}results.jsonl", results)
    digests = {**(run.digests or {}), "results": files.digest(results)}
    summary = {**(run.summary or {}), **files.summary(outcomes, people, seats)}
    store.write_results(
        run_id,
        [(cid, o, o["school"] if o.get("admitted") else None) for cid, o in stored.items()],
    )
    schools = Counter(str(o["school"]) for o in stored.values() if o.get("admitted"))
    status = "done" if run.what_if else "awaiting_approval"
    store.update_run(
        season_id, run_id, status=status, digests=digests, summary=summary, schools=dict(schools)
    )
    _apply_sanctions(season_id, run_id)  # and any recorded while these results were written
    return {"what_if": bool(run.what_if), "admitted": summary["admitted"]}


def _stored(o: Outcome, a: Applicant, lines: dict[tuple[str, str], int]) -> StoredOutcome:
    """An outcome as kept: with the score it read and the plan it competed for."""
    return StoredOutcome(
        id=o.id,
        admitted=o.admitted,
        round=o.round,
        school=o.school,
        major=o.major,
        adjusted=o.adjusted,
        reason=o.reason,
        score=_score(a),
        level=a.level,
        category=a.category,
        plan_type=a.plan_type,
        eligible=eligible(a, lines) is None,
    )


def _score(a: Applicant) -> int | None:
    return None if a.exempt or a.total is None else a.total + a.bonus


def await_approval(season_id: str, run_id: str, token: str) -> dict[str, bool]:
    """Keep the approval step's callback on the run, then go on at once if its lists were
    all approved while this step was starting (the merge shows the run awaiting approval
    before the token exists). A run with no list waits for confirm_publication. Each side
    writes, then reads what the other wrote: whichever comes second resumes the run, and
    both may (a token already used is refused harmlessly)."""
    store.update_run(season_id, run_id, task_token=token)
    record = store.run(season_id, run_id)
    if _all_approved(record):
        workflows.resume(token, {"approved_by": "approved before this step"})
    return {"awaiting": True}


def publish(season_id: str, run_id: str) -> Published:
    """Results visible to candidates and schools at once: one pointer switched. The
    candidates are told by the announcements job (R16.2), once each."""
    _apply_sanctions(season_id, run_id)
    switched = store.publish(season_id, run_id, "admission-run")
    return {"published": run_id, "switched": switched}


def _apply_sanctions(season_id: str, run_id: str) -> None:
    """R16.1: a qualification cancelled at any step is cancelled in this run's results. A
    violation recorded later cancels it in every run itself (cancel_admission): the
    sanction is listed before either side looks, so one of them always sees the other."""
    for candidate_id, reason in store.sanctions(season_id).items():
        store.cancel(run_id, candidate_id, _cancelled(reason), "admission-run")


def _cancelled(reason: str) -> str:
    return f"录取已取消：{reason}"


def failed(season_id: str, run_id: str, error: dict[str, str] | None) -> dict[str, str]:
    """A step failed for good (or the operators stopped the run): the run is marked failed
    and nothing is published."""
    cause = (error or {}).get("Cause") or (error or {}).get("Error") or "未知错误"
    store.finish(season_id, run_id, "failed", error=str(cause)[:2000])
    return {"failed": run_id}


STEPS = {
    "snapshot": lambda e: snapshot(e["season_id"], e["run_id"]),
    "allocate": lambda e: allocate_shard(e["season_id"], e["run_id"], e["shard"]),
    "merge": lambda e: merge(e["season_id"], e["run_id"]),
    "await_approval": lambda e: await_approval(e["season_id"], e["run_id"], e["token"]),
    "publish": lambda e: publish(e["season_id"], e["run_id"]),
    "failed": lambda e: failed(e["season_id"], e["run_id"], e.get("error")),
}


# -- the schools (R13.6, R14, R15) -----------------------------------------------------------
def _published(season_id: str) -> str:
    run_id = store.published(season_id)
    if run_id is None:
        raise RuleViolation("录取结果尚未发布", "run_id", code="not_published")
    return run_id


def _own_school(who: Principal, school: str) -> None:
    """R15.1: a school sees its own lists; another's does not exist for it (404)."""
    if who.groups & {"operator"}:
        return
    who.require("school_admissions")
    if who.unit != school:
        raise NotFound("没有找到该院校的录取名单", "school")


def admitted(
    who: Principal, season_id: str, school: str, run_id: str | None = None
) -> list[dict[str, Any]]:
    """A school's admitted list: the published one, or a run's awaiting approval (the
    school checks its list while the authority reviews it); operators read any run's."""
    _own_school(who, school)
    if run_id is None:
        run_id = _published(season_id)
    elif not who.groups & {"operator"}:
        run = store.run(season_id, run_id)
        if run.what_if or run.status not in ("awaiting_approval", "published"):
            raise NotFound("没有找到该录取批次", "run_id")
    rows = store.school_list(run_id, school)
    people = {r.candidate_id: r for r in candidates.many([r.sk for r in rows])}
    plans = catalogue.load(season_id).plans
    return [_admitted_view(r, people.get(r.sk), plans) for r in sorted(rows, key=_by_major)]


def _by_major(r: AdmissionRecord) -> tuple[str, int, str]:
    o = r.outcome or {}
    return (str(o.get("major")), -int(o.get("score") or 10**6), r.sk)


def _admitted_view(
    r: AdmissionRecord, person: CandidateRecord | None, plans: dict[tuple[str, str, str], Any]
) -> dict[str, Any]:
    o = r.outcome or {}
    major_name = next(
        (
            p.major_name
            for (s, m, _), p in plans.items()
            if s == o.get("school") and m == o.get("major")
        ),
        o.get("major"),
    )
    return {
        "candidate_id": r.sk,
        "name": person.name if person else "",
        "id_masked": person.id_masked if person else "",
        "exam_number": person.exam_number if person else None,
        "major": o.get("major"),
        "major_name": major_name,
        "round": o.get("round"),
        "adjusted": bool(o.get("adjusted")),
        "score": o.get("score"),
        "letter": r.letter,
        "recheck": r.recheck,
    }


def admitted_csv(who: Principal, season_id: str, school: str) -> str:
    header = ["考生号", "姓名", "身份证号", "准考证号", "专业代码", "专业名称"]
    header += ["录取轮次", "调剂", "成绩", "录取通知书快递单号"]
    return csv_text(
        header,
        (
            [
                row["candidate_id"],
                row["name"],
                row["id_masked"],
                row["exam_number"],
                row["major"],
                row["major_name"],
                row["round"],
                "是" if row["adjusted"] else "否",
                row["score"],
                (row["letter"] or {}).get("tracking_number"),
            ]
            for row in admitted(who, season_id, school)
        ),
    )


def _own_admitted(
    who: Principal, season_id: str, school: str, candidate_id: str
) -> AdmissionRecord:
    _own_school(who, school)
    record = store.result(_published(season_id), candidate_id)
    if record is None or record.school_key is None or not record.school_key.endswith(f"#{school}"):
        raise NotFound("该考生不在本校录取名单中", "candidate_id")
    return record


def record_letter(
    who: Principal, season_id: str, school: str, candidate_id: str, carrier: str, tracking: str
) -> dict[str, Any]:
    """R14: the admission letter's mailing, by the school."""
    record = _own_admitted(who, season_id, school, candidate_id)
    at = seasons.get_season(season_id).now().isoformat(timespec="seconds")
    letter = {"carrier": carrier, "tracking_number": tracking, "by": who.actor(), "at": at}
    store.note(record, "letter", letter, who.actor())
    return letter


def record_recheck(
    who: Principal,
    season_id: str,
    school: str,
    candidate_id: str,
    identity_ok: bool,
    proofs_ok: bool,
    note: str,
) -> dict[str, Any]:
    """R14.1: the new student's re-check (identity; the bonus and exemption proofs against
    the admission record). A failed one goes to the operators, whose fraud record cancels
    the admission (service/integrity)."""
    record = _own_admitted(who, season_id, school, candidate_id)
    at = seasons.get_season(season_id).now().isoformat(timespec="seconds")
    passed = identity_ok and proofs_ok
    if not passed and not note.strip():
        raise InvalidField("复查不通过时请写明情况", "note")
    recheck = {
        "identity_ok": identity_ok,
        "proofs_ok": proofs_ok,
        "passed": passed,
        "note": note,
        "by": who.actor(),
        "at": at,
    }
    store.note(record, "recheck", recheck, who.actor())
    if not passed:
        store.flag_recheck(season_id, candidate_id, school, recheck)
    return recheck


def failed_rechecks(who: Principal, season_id: str) -> list[dict[str, Any]]:
    """What schools' re-checks found, for the operators' integrity record."""
    who.require("operator")
    return store.failed_rechecks(season_id)


def cancel_admission(season_id: str, candidate_id: str, reason: str, actor: str) -> int:
    """诚信: fraud cancels the admission in the published run and in every run still to be
    approved or kept (R14.1, R16.1); how many results it cancelled."""
    live = [r.sk for r in store.runs(season_id) if r.status != "failed"]
    return sum(store.cancel(run_id, candidate_id, _cancelled(reason), actor) for run_id in live)


# -- the candidate (R13, R16.2) ---------------------------------------------------------------
def mine(who: Principal) -> dict[str, Any]:
    """The result with its explanation, from the admission-query window."""
    who.require("candidate")
    record = candidates.get(who.username)
    season = seasons.get_season(record.season_id)
    season.require_window(WindowName.admission_query)
    run_id = _published(record.season_id)
    result = store.result(run_id, record.candidate_id)
    if result is None:
        raise RuleViolation(
            "您未参加本次录取（资格审核未通过、已退出或成绩无效）", "run_id", code="not_in_run"
        )
    o = result.outcome or {}
    plans = catalogue.load(record.season_id).plans
    school = next((p.school_name for (s, _, _), p in plans.items() if s == o.get("school")), None)
    major = next(
        (
            p.major_name
            for (s, m, _), p in plans.items()
            if s == o.get("school") and m == o.get("major")
        ),
        None,
    )
    return {
        "admitted": bool(o.get("admitted")),
        "cancelled": bool(o.get("cancelled")),
        "school": o.get("school"),
        "school_name": school,
        "major": o.get("major"),
        "major_name": major,
        "round": o.get("round"),
        "adjusted": bool(o.get("adjusted")),
        "score": o.get("score"),
        "reason": o.get("reason"),
        "letter": result.letter and {k: result.letter[k] for k in ("carrier", "tracking_number")},
    }


def file_supplementary(who: Principal, school: str, major: str, plan_type: str) -> dict[str, Any]:
    """R13.3: 征集志愿 — inside its window, an eligible candidate the published run did not
    admit files one choice in a special plan of their approved type with seats left."""
    from ..domain import preferences as choice_rules
    from ..storage import lifecycle
    from .preferences import candidate_of

    who.require("candidate")
    record = candidates.get(who.username)
    season = seasons.get_season(record.season_id)
    season.require_window(WindowName.supplementary)
    run_id = _published(record.season_id)
    mine = store.result(run_id, record.candidate_id)
    outcome = (mine.outcome or {}) if mine else {}
    if not outcome.get("eligible") or outcome.get("admitted"):
        raise RuleViolation("只有达到录取控制分数线且未被录取的考生可以填报征集志愿", "plan_type")
    offered = choice_rules.offered_plan_types(season.policy, candidate_of(record, season.policy))
    if plan_type == "ordinary" or plan_type not in offered:
        raise RuleViolation("只能填报本人资格审核通过的专项计划", "plan_type")
    plan = catalogue.load(record.season_id).plans.get((school, major, plan_type))
    if plan is None:
        raise InvalidField("没有该院校专业的招生计划", "major")
    taken = sum(
        1
        for r in store.school_list(run_id, school)
        if (r.outcome or {}).get("major") == major
        and (r.outcome or {}).get("plan_type") == plan_type
    )
    if taken >= plan.seats:
        raise RuleViolation("该专业计划已录满，没有征集名额", "major", code="no_seats_left")
    filed = {
        "school": school,
        "major": major,
        "plan_type": plan_type,
        "filed_at": season.now().isoformat(timespec="seconds"),
    }
    preferences = {**(record.preferences or {}), "supplementary": filed}
    lifecycle.change(
        record,
        None,
        who.actor(),
        audit_action="supplementary_filed",
        sets={"preferences": preferences},
    )
    return filed
