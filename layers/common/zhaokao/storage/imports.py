"""Roster imports (R2.3): progress counters, advanced once per chunk."""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime

from pydantic import JsonValue
from pynamodb.exceptions import DoesNotExist, TransactWriteError
from pynamodb.transactions import TransactWrite

from ..domain.errors import NotFound
from ..domain.jobs import Job
from .connection import connection
from .models import ImportRecord, UniqueRecord
from .outcomes import failed_conditions, updated

CONFLICT_RETRIES = 8


def create(season_id: str, import_id: str, college_code: str, actor: str) -> Job:
    record = ImportRecord(
        season_id=season_id,
        import_id=import_id,
        college_code=college_code,
        status="awaiting_upload",
        created_by=actor,
        created_at=datetime.now(UTC),
    )
    record.save(condition=ImportRecord.import_id.does_not_exist())
    return Job.model_validate(record.attribute_values)


def get(season_id: str, import_id: str) -> Job:
    try:
        record = ImportRecord.get(season_id, import_id, consistent_read=True)
        return Job.model_validate(record.attribute_values)
    except DoesNotExist:
        raise NotFound("没有找到该导入批次", "import_id") from None


def started(
    season_id: str,
    import_id: str,
    digest: str,
    rows: int,
    chunks: int,
    notes: list[dict[str, JsonValue]] | None = None,
) -> bool:
    """Mark the import as processing; False when this file was already split (a redelivery)."""
    return updated(
        ImportRecord(season_id=season_id, import_id=import_id),
        [
            ImportRecord.status.set("processing" if chunks else "done"),
            ImportRecord.file_digest.set(digest),
            ImportRecord.total_rows.set(rows),
            ImportRecord.chunks_total.set(chunks),
            ImportRecord.notes.set(notes or []),
        ],
        ImportRecord.file_digest.does_not_exist(),
    )


def failed(season_id: str, import_id: str, reason: str) -> None:
    ImportRecord(season_id=season_id, import_id=import_id).update(
        actions=[
            ImportRecord.status.set("failed"),
            ImportRecord.error.set(reason),
            ImportRecord.finished_at.set(datetime.now(UTC)),
        ]
    )


def chunk_done(
    season_id: str, import_id: str, chunk: int, rows: int, counts: dict[str, int]
) -> Job:
    """Add one chunk's counts exactly once (a sentinel per chunk), then close when all are in."""
    sentinel = UniqueRecord(
        key=f"chunk#{import_id}#{chunk}", owner=import_id, created_at=datetime.now(UTC)
    )
    actions = [
        ImportRecord.chunks_done.add(1),
        ImportRecord.processed_rows.add(rows),
        *(getattr(ImportRecord, name).add(n) for name, n in counts.items()),
    ]
    for attempt in range(CONFLICT_RETRIES):
        try:
            with TransactWrite(connection=connection()) as tx:
                tx.save(sentinel, condition=UniqueRecord.key.does_not_exist())
                tx.update(ImportRecord(season_id=season_id, import_id=import_id), actions=actions)
            break
        except TransactWriteError as exc:
            codes = {r.code for r in exc.cancellation_reasons or [] if r}
            if codes != {"TransactionConflict"} or attempt == CONFLICT_RETRIES - 1:
                failed_conditions(exc)  # anything but the sentinel's condition is raised
                break  # a redelivered chunk: already counted
            # Chunks of one import finish together and contend for its record.
            time.sleep(random.uniform(0.01, 0.05) * 2**attempt)
    job = get(season_id, import_id)
    if job.status == "processing" and job.chunks_done >= job.chunks_total:
        now = datetime.now(UTC)
        if updated(
            ImportRecord(season_id=season_id, import_id=import_id),
            [ImportRecord.status.set("done"), ImportRecord.finished_at.set(now)],
            ImportRecord.status == "processing",
        ):
            job = job.model_copy(update={"status": "done", "finished_at": now})
    return job


def view(record: Job) -> dict[str, object]:
    return {
        "import_id": record.import_id,
        "season_id": record.season_id,
        "college_code": record.college_code,
        "status": record.status,
        "total_rows": record.total_rows,
        "processed_rows": record.processed_rows,
        "progress": record.progress,
        "added": record.added,
        "updated": record.updated,
        "unchanged": record.unchanged,
        "failed": record.failed,
        "error": record.error,
        "created_at": record.created_at.isoformat(),
        "finished_at": record.finished_at.isoformat() if record.finished_at else None,
    }
