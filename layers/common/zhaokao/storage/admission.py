"""录取 runs, each candidate's outcome in a run, and the season's published run (R13-R15).

A run's results are written under its own key before anything is published; publishing
switches one pointer in the same transaction as the run's status, so candidates and
schools see a whole result or none. Every change is versioned and audited.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal

from pydantic import JsonValue
from pynamodb.exceptions import DoesNotExist, TransactWriteError
from pynamodb.transactions import TransactWrite

from ..domain.admission import Result, Run
from ..domain.errors import Conflict, NotFound
from .audit import audit_record
from .connection import connection
from .models import AdmissionRecord
from .outcomes import condition_failed, failed_conditions, updated

if TYPE_CHECKING:
    from ..domain.admission import StoredOutcome

Row = tuple[str, "StoredOutcome", str | None]  # candidate id, outcome, school (when admitted)


def _runs(season_id: str) -> str:
    return f"runs#{season_id}"


def _results(run_id: str) -> str:
    return f"result#{run_id}"


def _run(record: AdmissionRecord) -> Run:
    """A run as the domain reads it (the item's pk names its season, its sk the run)."""
    fields = {k: v for k, v in record.attribute_values.items() if k in RUN_FIELDS}
    return Run.model_validate(
        {**fields, "season_id": record.pk.split("#", 1)[1], "run_id": record.sk}
    )


RUN_FIELDS = set(Run.model_fields) - {"season_id", "run_id"}


def _result(record: AdmissionRecord) -> Result:
    return Result(
        run_id=record.pk.removeprefix("result#"),
        candidate_id=record.sk,
        outcome=record.outcome or {},
        school_key=record.school_key,
        letter=record.letter,
        recheck=record.recheck,
        version=record.version,
    )


def _keyed(pk: str, sk: str, version: int | None) -> AdmissionRecord:
    """The item to change: its key and the version read (the change's condition)."""
    item = AdmissionRecord(pk=pk, sk=sk)
    if version is not None:  # a result nobody has changed yet has none: it must still have none
        item.version = version
    return item


def create_run(
    season_id: str,
    run_id: str,
    what_if: bool,
    lines: list[list[Any]],
    actor: str,
    base_run: str | None = None,
) -> Run:
    """A run, once: its id is the execution's name, so a second start is refused. A
    supplementary run names the published run it completes."""
    record = AdmissionRecord(
        pk=_runs(season_id),
        sk=run_id,
        status="running",
        what_if=what_if,
        stage="supplementary" if base_run else "main",
        base_run=base_run,
        lines=lines,
        created_by=actor,
        created_at=datetime.now(UTC),
    )
    audit = audit_record(f"admission#{season_id}", actor, "admission_run", None, {"run": run_id})
    try:
        with TransactWrite(connection=connection()) as tx:
            tx.save(record, condition=AdmissionRecord.sk.does_not_exist())
            tx.save(audit)
    except TransactWriteError as exc:
        if condition_failed(exc):
            raise Conflict("该录取批次已存在", "run_id", code="run_exists") from None
        raise
    return _run(record)


def run(season_id: str, run_id: str) -> Run:
    try:
        return _run(AdmissionRecord.get(_runs(season_id), run_id, consistent_read=True))
    except DoesNotExist:
        raise NotFound("没有找到该录取批次", "run_id") from None


def runs(season_id: str) -> list[Run]:
    """A season's runs, the newest first."""
    found = [_run(r) for r in AdmissionRecord.query(_runs(season_id))]
    return sorted(
        found, key=lambda r: r.created_at or datetime.min.replace(tzinfo=UTC), reverse=True
    )


def _unread(season_id: str, run_id: str) -> AdmissionRecord:
    """A run to update without reading it first. Its version is given as 0, not left
    unset: PynamoDB counts a known version up, but sets an unknown one to 1 — which would
    put the version back, and a write on an older read would then pass its condition."""
    return AdmissionRecord(pk=_runs(season_id), sk=run_id, version=0)


def update_run(season_id: str, run_id: str, **values: Any) -> None:
    _unread(season_id, run_id).update(
        actions=[getattr(AdmissionRecord, k).set(v) for k, v in values.items()],
        condition=AdmissionRecord.sk.exists(),
        add_version_condition=False,  # a step's own fields; the status guards the rest
    )


def finish(season_id: str, run_id: str, status: str, **values: Any) -> bool:
    """A run's end (awaiting approval, done, failed), unless it has already ended: a task
    retried after its write, or a failure after publication, changes nothing."""
    return updated(
        _unread(season_id, run_id),
        [
            AdmissionRecord.status.set(status),
            AdmissionRecord.finished_at.set(datetime.now(UTC)),
            *(getattr(AdmissionRecord, k).set(v) for k, v in values.items()),
        ],
        AdmissionRecord.status.is_in("running", "awaiting_approval"),
        add_version_condition=False,
    )


def approve_school(record: Run, school: str, actor: str) -> Run:
    """One school's list approved by the authority (seed 004: 审核各校录取名单), audited;
    refused (stale_version) when the run changed since ``record`` was read. Written on the
    version read, the record returned says truly whether the approval step had kept its
    token by then."""
    approvals = {
        **record.approvals,
        school: {"by": actor, "at": datetime.now(UTC).isoformat(timespec="seconds")},
    }
    audit = audit_record(
        f"admission#{record.season_id}",
        actor,
        "admission_school_approved",
        None,
        {"run": record.run_id, "school": school},
    )
    try:
        with TransactWrite(connection=connection()) as tx:
            tx.update(  # on the version read: another approval, or the step's token, refuses it
                _keyed(_runs(record.season_id), record.run_id, record.version),
                actions=[AdmissionRecord.approvals.set(approvals)],
                condition=AdmissionRecord.status == "awaiting_approval",
            )
            tx.save(audit)
    except TransactWriteError as exc:
        failed_conditions(exc)  # anything but a failed condition is raised as it came
        raise Conflict("该录取批次已被他人修改，请重试", "run_id", code="stale_version") from None
    return record.model_copy(update={"approvals": approvals, "version": record.version + 1})


# -- results --------------------------------------------------------------------------
def write_results(run_id: str, rows: list[Row]) -> None:
    """A run's outcomes (idempotent: a retried merge writes the same items again)."""
    with AdmissionRecord.batch_write() as batch:
        for candidate_id, outcome, school in rows:
            batch.save(
                AdmissionRecord(
                    pk=_results(run_id),
                    sk=candidate_id,
                    outcome=outcome,
                    school_key=f"{run_id}#{school}" if school else None,
                )
            )


def results(run_id: str) -> list[Result]:
    """A run's every outcome (a batch step's read: a supplementary run's base)."""
    return [_result(r) for r in AdmissionRecord.query(_results(run_id))]


def result(run_id: str, candidate_id: str) -> Result | None:
    try:
        return _result(AdmissionRecord.get(_results(run_id), candidate_id))
    except DoesNotExist:
        return None


def school_list(run_id: str, school: str) -> list[Result]:
    return [_result(r) for r in AdmissionRecord.by_school.query(f"{run_id}#{school}")]


def note(
    record: Result, field: Literal["letter", "recheck"], value: dict[str, JsonValue], actor: str
) -> None:
    """A school's record on one admitted student (the letter's mailing, the re-check),
    versioned and audited."""
    before = getattr(record, field)
    subject = f"candidate#{record.candidate_id}"
    audit = audit_record(subject, actor, f"admission_{field}", before, value)
    item = _keyed(_results(record.run_id), record.candidate_id, record.version)
    with TransactWrite(connection=connection()) as tx:
        tx.update(item, actions=[getattr(AdmissionRecord, field).set(value)])
        tx.save(audit)


def cancel(run_id: str, candidate_id: str, reason: str, actor: str) -> bool:
    """诚信: fraud found after admission cancels it (R14.1); False when not admitted."""
    record = result(run_id, candidate_id)
    if record is None or not record.outcome.get("admitted"):
        return False
    outcome: StoredOutcome = {
        **record.outcome,
        "admitted": False,
        "cancelled": True,
        "reason": reason,
    }
    audit = audit_record(
        f"candidate#{candidate_id}", actor, "admission_cancelled", record.outcome, outcome
    )
    with TransactWrite(connection=connection()) as tx:
        tx.update(
            _keyed(_results(run_id), candidate_id, record.version),
            actions=[AdmissionRecord.outcome.set(outcome), AdmissionRecord.school_key.remove()],
        )
        tx.save(audit)
    return True


# -- sanctions (R16.1): a cancelled qualification wins at every step ------------------------
def _sanctions(season_id: str) -> str:
    return f"sanctions#{season_id}"


def sanction(season_id: str, candidate_id: str, reason: str) -> AdmissionRecord:
    """The entry on the season's list of cancelled qualifications, saved in the transaction
    that records the violation: every admission step reads the list (few items)."""
    return AdmissionRecord(pk=_sanctions(season_id), sk=candidate_id, reason=reason)


def sanctions(season_id: str) -> dict[str, str]:
    """Candidate id -> why their qualification was cancelled."""
    return {r.sk: str(r.reason) for r in AdmissionRecord.query(_sanctions(season_id))}


# -- the published run ------------------------------------------------------------------
def _single(pk: str) -> AdmissionRecord:
    """A season's one item of a kind (its pointer, its lines), or a new one to save."""
    return _single_at(pk, "-")


def published(season_id: str) -> str | None:
    return _single(f"published#{season_id}").run_id


def publish(season_id: str, run_id: str, actor: str) -> bool:
    """Switch the season's pointer to ``run_id`` with the run's status, all or nothing;
    False when it already points there (a retried publication)."""
    pointer = _single(f"published#{season_id}")
    if pointer.run_id == run_id:
        return False
    record, before = run(season_id, run_id), pointer.run_id
    pointer.run_id = run_id  # saved on the version read: two publications never interleave
    audit = audit_record(
        f"admission#{season_id}",
        actor,
        "admission_published",
        {"run": before} if before else None,
        {"run": run_id, "supersedes": before},
    )
    try:
        with TransactWrite(connection=connection()) as tx:
            tx.save(pointer)
            if before:  # exactly one run in force: the earlier one says what replaced it
                tx.update(
                    _unread(season_id, before),
                    actions=[
                        AdmissionRecord.status.set("superseded"),
                        AdmissionRecord.superseded_by.set(run_id),
                    ],
                    condition=AdmissionRecord.status == "published",
                    add_version_condition=False,  # the pointer's version orders publications
                )
            tx.update(
                _keyed(_runs(season_id), run_id, record.version),
                actions=[
                    AdmissionRecord.status.set("published"),
                    AdmissionRecord.finished_at.set(datetime.now(UTC)),
                ],
                condition=AdmissionRecord.status == "awaiting_approval",
            )
            tx.save(audit)
    except TransactWriteError as exc:
        if condition_failed(exc):
            raise Conflict("该录取批次不在待发布状态", "run_id", code="run_not_approved") from None
        raise
    return True


# -- the cutoff lines (R13.1) ------------------------------------------------------------
def lines(season_id: str) -> list[list[Any]]:
    return list(_single(f"lines#{season_id}").lines or [])


def set_lines(season_id: str, values: list[list[Any]], actor: str) -> None:
    record = _single(f"lines#{season_id}")
    audit = audit_record(
        f"admission#{season_id}",
        actor,
        "cutoff_lines",
        {"lines": record.lines} if record.lines else None,
        {"lines": values},
    )
    record.lines = values
    try:
        with TransactWrite(connection=connection()) as tx:
            tx.save(record)
            tx.save(audit)
    except TransactWriteError as exc:
        if condition_failed(exc):
            raise Conflict("分数线已被他人修改，请刷新后重试", "lines", code="stale") from None
        raise


# -- re-checks that found a problem (R14.1), for the operators ----------------------------------
def flag_recheck(
    season_id: str, candidate_id: str, school: str, recheck: dict[str, JsonValue]
) -> None:
    record = _single_at(f"rechecks#{season_id}", candidate_id)
    record.outcome = {"school": school, **recheck}
    record.save()


def failed_rechecks(season_id: str) -> list[dict[str, JsonValue]]:
    return [
        {"candidate_id": r.sk, **(r.outcome or {})}
        for r in AdmissionRecord.query(f"rechecks#{season_id}")
    ]


def _single_at(pk: str, sk: str) -> AdmissionRecord:
    try:
        return AdmissionRecord.get(pk, sk, consistent_read=True)
    except DoesNotExist:
        return AdmissionRecord(pk=pk, sk=sk)
