"""录取 (R13) as a Step Functions run: the run's Task steps (AdmissionFunction).

The run (infra/statemachines/admission.asl.json): snapshot → one allocation per level and
category (candidates compete only within one) → merge and check → each school's list
approved by the operators → publish. Files between steps live in S3 under the run's own
prefix, in the formats of `zhaokao allocate`; a step is safe to run twice.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypedDict

from ..adapters import objects, workflows
from ..domain import admission as files
from ..domain import scores as score_rules
from ..domain.admission import Run, StoredOutcome
from ..domain.allocation import Applicant, Choice, Outcome, allocate, eligible
from ..domain.candidate import Approvals, Candidate
from ..storage import admission as store
from ..storage import candidates, catalogue, seasons
from .admission_operators import all_approved, cancelled

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


def _base_outcomes(run: Run) -> dict[str, StoredOutcome] | None:
    if not run.base_run:
        return None
    return {r.candidate_id: r.outcome for r in store.results(run.base_run)}


def _plan_key(o: StoredOutcome) -> tuple[str, str, str, str, str]:
    return (str(o["school"]), str(o["major"]), o["level"], o["category"], o["plan_type"])


def _supplementary(
    a: Applicant, record: Candidate, base: dict[str, StoredOutcome]
) -> Applicant | None:
    """R13.3: in the supplementary round, an eligible candidate the run did not admit, with
    the one choice they filed in its window; nobody else."""
    filed = record.preferences.get("supplementary")
    before = base.get(a.id, StoredOutcome())
    if not filed or before.get("admitted") or not before.get("eligible"):
        return None
    choice = Choice(str(filed["school"]), (str(filed["major"]),))
    return a._replace(plan_type=filed["plan_type"], choices=(choice,), adjust_ok=False)


def applicant(policy: Policy, record: Candidate) -> Applicant | None:
    """One candidate as the allocation reads them, or None when not in it."""
    if record.status != "approved" or (record.integrity and record.integrity["scores_void"]):
        return None
    approvals = record.approvals or Approvals()
    report = score_rules.report(policy, record.scores, approvals, record.integrity)
    exempt = approvals.get("exemption", False) and not approvals.get("revoked")
    return files.applicant_of(
        policy,
        record.candidate_id,
        record.profile,
        record.preferences,
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
        reason = cancelled(sanctioned[cid])
        stored[cid] = {**stored[cid], "admitted": False, "cancelled": True, "reason": reason}
    results = files.write_results(outcomes)  # what `zhaokao allocate` writes from the same files
    _put(f"{prefix}results.jsonl", results)
    digests = {**run.digests, "results": files.digest(results)}
    summary = {**run.summary, **files.summary(outcomes, people, seats)}
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
    if all_approved(record):
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
        store.cancel(run_id, candidate_id, cancelled(reason), "admission-run")


def failed(season_id: str, run_id: str, error: dict[str, str] | None) -> dict[str, str]:
    """A step failed for good (or the operators stopped the run): the run is marked failed
    and nothing is published."""
    cause = (error or {}).get("Cause") or (error or {}).get("Error") or "未知错误"
    store.finish(season_id, run_id, "failed", error=str(cause)[:2000])
    return {"failed": run_id}


Step = Callable[[dict[str, Any]], Mapping[str, Any]]
STEPS: dict[str, Step] = {
    "snapshot": lambda e: snapshot(e["season_id"], e["run_id"]),
    "allocate": lambda e: allocate_shard(e["season_id"], e["run_id"], e["shard"]),
    "merge": lambda e: merge(e["season_id"], e["run_id"]),
    "await_approval": lambda e: await_approval(e["season_id"], e["run_id"], e["token"]),
    "publish": lambda e: publish(e["season_id"], e["run_id"]),
    "failed": lambda e: failed(e["season_id"], e["run_id"], e.get("error")),
}
