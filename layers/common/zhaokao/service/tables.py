"""A season's reference tables imported as CSV (plans, links, exam sites, adjacency): every
bad row reported, nothing replaced while one is, and an import never empties a table."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..domain.errors import InvalidField
from ..storage import audit


def replace_table(
    season_id: str,
    actor: str,
    kind: str,
    good: int,
    problems: list[dict[str, object]],
    replace: Callable[[], dict[str, int]],
) -> dict[str, Any]:
    result: dict[str, Any] = {"kind": kind, "rows": good + len({p["row"] for p in problems})}
    if not result["rows"]:
        raise InvalidField("文件中没有任何数据行", "csv", code="empty_file")
    if problems:
        return {**result, "imported": 0, "removed": 0, "problems": problems}
    written = replace()
    audit.audit_record(f"season#{season_id}", actor, f"table:{kind}", after=written).save()
    return {**result, "imported": written["written"], "removed": written["removed"], "problems": []}
