"""A job that runs in chunks — a roster import (R2.3), an arrangement (R10), a bulk of
tickets — and what it has done so far: each chunk's counts are added once."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict


class Job(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    season_id: str
    import_id: str  # the job's id (a roster import's, a run's)
    college_code: str  # whose job: a college's import, or the run's kind
    status: str  # awaiting_upload, processing, done, failed
    created_by: str
    created_at: datetime
    finished_at: datetime | None = None
    file_digest: str | None = None  # the file split (a redelivery splits nothing twice)
    total_rows: int = 0
    chunks_total: int = 0
    chunks_done: int = 0
    processed_rows: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    error: str | None = None
    notes: list[dict[str, Any]] | None = None  # an arrangement's word per county (CountyNote)

    @property
    def progress(self) -> float:
        return round(self.processed_rows / self.total_rows, 4) if self.total_rows else 0
