"""The rewrap job (R17.5): after a data-key rotation, every stored ID number and phone moves
to the current key — resumable, idempotent, as long as it takes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..storage import rewrap

SPARE_MS = 60_000  # stop with a minute left, and say where to resume


def run(resume: dict[str, Any] | None, time_left_ms: Callable[[], int]) -> dict[str, Any]:
    table, start = (resume or {}).get("table", 0), (resume or {}).get("key")
    total = 0
    while table < len(rewrap.TABLES):
        if time_left_ms() < SPARE_MS:
            return {"rewrapped": total, "done": False, "resume": {"table": table, "key": start}}
        found = rewrap.page(table, start)
        total += found.rewrapped
        table, start = (table, found.resume) if found.resume else (table + 1, None)
    return {"rewrapped": total, "done": True, "resume": None}
