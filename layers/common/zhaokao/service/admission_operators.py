"""录取 (R13): the operators' side of a run — the lines, starting a run (or a trial), the
runs and their views, each school's list approved, publication confirmed, a run sent back.
The run itself is Step Functions' (admission_steps)."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..adapters import workflows
from ..api.operator_schemas import AdmissionRun, CutoffLines
from ..domain.admission import Run
from ..domain.auth import Principal
from ..domain.errors import Conflict, InvalidField, NotFound, RuleViolation
from ..domain.windows import CST
from ..settings import settings
from ..storage import admission as store
from ..storage import catalogue, seasons

if TYPE_CHECKING:
    from ..domain.policy import Policy


def _groups(policy: Policy) -> set[tuple[str, str]]:
    """The levels and categories a line can be set for (R13.1)."""
    levels = [lv.code for lv in policy.levels] or [policy.preferences.level or ""]
    categories = [c.code for c in policy.subject_categories]
    split = set(policy.preferences.subject_category_levels)
    return {(lv, c) for lv in levels for c in (categories if lv in split else [""])}


def set_lines(who: Principal, season_id: str, rows: list[dict[str, Any]]) -> CutoffLines:
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
    return CutoffLines.model_validate(lines_view(who, season_id))


def lines_view(who: Principal, season_id: str) -> CutoffLines:
    who.require("operator")
    policy = seasons.get_season(season_id).policy
    names = {c.code: c.name for c in policy.subject_categories}
    levels = {lv.code: lv.name for lv in policy.levels}
    return CutoffLines(
        lines=[
            {
                "level": lv,
                "category": c,
                "line": line,
                "label": levels.get(lv, lv) + (f"·{names.get(c, c)}" if c else ""),
            }
            for lv, c, line in store.lines(season_id)
        ]
    )


def start(who: Principal, season_id: str, what_if: bool, stage: str = "main") -> AdmissionRun:
    """A run: official (approved, then published) or a trial on the season's own data
    (never published). One official run at a time, and only with lines set. A
    supplementary run (征集志愿, R13.3) completes the published run with the lines it read."""
    who.require("operator")
    policy = seasons.get_season(season_id).policy
    lines, base = store.lines(season_id), None
    if stage == "supplementary":
        if not policy.admission.supplementary_round:
            raise RuleViolation("本考试季没有征集志愿", "stage", code="no_supplementary")
        base = published_run(season_id)
        lines = store.run(season_id, base).lines
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


def runs(who: Principal, season_id: str) -> list[AdmissionRun]:
    who.require("operator")
    names = _school_names(season_id)
    return [
        AdmissionRun.model_validate(v) for v in [run_view(r, names) for r in store.runs(season_id)]
    ]


def show(who: Principal, season_id: str, run_id: str) -> AdmissionRun:
    who.require("operator")
    return run_view(store.run(season_id, run_id), _school_names(season_id))


def _school_names(season_id: str) -> dict[str, str]:
    return catalogue.load(season_id).schools()


def run_view(record: Run, names: dict[str, str] | None = None) -> AdmissionRun:
    approvals = record.approvals
    names = names or {}
    return AdmissionRun(
        run_id=record.run_id,
        status=record.status,
        what_if=bool(record.what_if),
        stage=record.stage or "main",
        base_run=record.base_run,
        lines=[{"level": lv, "category": c, "line": n} for lv, c, n in record.lines],
        digests=record.digests,
        summary=record.summary,
        schools=[
            {
                "school": s,
                "name": names.get(s, s),
                "admitted": n,
                "approved": s in approvals,
                **approvals.get(s, {}),
            }
            for s, n in sorted(record.schools.items())
        ],
        in_force=record.status == "published",
        superseded_by=record.superseded_by,
        error=record.error,
        created_by=record.created_by,
        created_at=record.created_at.isoformat(timespec="seconds") if record.created_at else None,
        finished_at=record.finished_at.isoformat(timespec="seconds")
        if record.finished_at
        else None,
    )


def approve(who: Principal, season_id: str, run_id: str, school: str) -> AdmissionRun:
    """The authority approves one school's list (seed 004: 审核各校录取名单); the last
    approval lets the run publish."""
    who.require("operator")
    for attempt in range(1, 4):
        record = store.run(season_id, run_id)
        if record.status != "awaiting_approval":
            raise Conflict("该录取批次不在待审核状态", "run_id", code="run_not_awaiting")
        if school not in record.schools:
            raise NotFound("该批次没有这所院校的录取名单", "school")
        try:
            record = store.approve_school(record, school, who.actor())
            break
        except Conflict as exc:  # another approval, or the step keeping its token, came first
            if exc.code != "stale_version" or attempt == 3:
                raise
    if all_approved(record) and record.task_token:
        workflows.resume(record.task_token, {"approved_by": who.actor()})
    return run_view(record, _school_names(season_id))


def published_run(season_id: str) -> str:
    """The run in force (published), or why there is none."""
    run_id = store.published(season_id)
    if run_id is None:
        raise RuleViolation("录取结果尚未发布", "run_id", code="not_published")
    return run_id


def cancelled(reason: str) -> str:
    """A result cancelled by a sanction (诚信, R18.1), as the candidate reads it."""
    return f"录取已取消：{reason}"


def all_approved(record: Run) -> bool:
    """Every school's list approved, and there is at least one: a run that admitted nobody
    is published only when the operators confirm it (confirm_publication)."""
    return bool(record.schools) and set(record.approvals) >= set(record.schools)


def confirm_publication(who: Principal, season_id: str, run_id: str, admitted: int) -> AdmissionRun:
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
    count = sum(record.schools.values())
    if admitted != count:
        raise RuleViolation(
            f"确认的录取人数与本批次不符：本批次录取{count}人", "admitted", code="count_mismatch"
        )
    workflows.resume(record.task_token, {"approved_by": who.actor(), "admitted": count})
    return run_view(record, _school_names(season_id))


def reject(who: Principal, season_id: str, run_id: str, reason: str) -> AdmissionRun:
    """The operators stop a run before publication: it fails, nothing is published."""
    who.require("operator")
    record = store.run(season_id, run_id)
    if record.status != "awaiting_approval" or not record.task_token:
        raise Conflict("该录取批次不在待审核状态", "run_id", code="run_not_awaiting")
    workflows.stop(record.task_token, "Rejected", f"{who.actor()}：{reason}")
    return run_view(record)
