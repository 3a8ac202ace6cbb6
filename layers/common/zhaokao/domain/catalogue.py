"""The plan catalogue (招生计划) and Hunan's same-or-close major links, imported row by row."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .identity import ascii_digits
from .preferences import Link, Plan
from .roster import read_rows

if TYPE_CHECKING:
    from .policy import Policy

PLAN_COLUMNS = {
    "school_code": "院校代码",
    "school_name": "院校名称",
    "major_code": "专业代码",
    "major_name": "专业名称",
    "plan_type": "计划类别",
    "level": "层次",
    "seats": "计划数",
    "medical": "医学类",
}
LINK_COLUMNS = {
    "college_major": "专科专业代码",
    "bachelor_major": "本科专业代码",
    "same": "相同专业",
}
_YES, _NO = {"是", "Y", "y", "1"}, {"否", "N", "n", "0", ""}

Problem = dict[str, object]  # {"row", "field", "message"}


def _yes_no(value: str) -> bool | None:
    return True if value in _YES else False if value in _NO else None


def plans(text: str, policy: Policy) -> tuple[list[Plan], list[Problem]]:
    """Every valid plan row, and a problem for each field of each invalid row."""
    levels = {lv.code for lv in policy.levels} or {policy.preferences.level or ""}
    if policy.preferences.plan_type_choice:
        types = set(policy.preferences.plan_types)
    else:
        types = {c.code for c in policy.subject_categories} | {""}
    out, problems = [], []
    for line, row in read_rows(text, PLAN_COLUMNS):
        found = []
        for key in ("school_code", "school_name", "major_code", "major_name"):
            if not row.get(key):
                found.append((key, f"{PLAN_COLUMNS[key]}不能为空"))
        if row.get("plan_type", "") not in types:
            found.append(("plan_type", f"计划类别应为：{'、'.join(sorted(t for t in types if t))}"))
        if row.get("level") not in levels:
            found.append(("level", f"层次应为：{'、'.join(sorted(levels))}"))
        seats = row.get("seats", "")
        if not ascii_digits(seats):
            found.append(("seats", "计划数应为非负整数"))
        medical = _yes_no(row.get("medical", ""))
        if medical is None:
            found.append(("medical", "医学类应填“是”或“否”"))
        if found:
            problems += [{"row": line, "field": f, "message": m} for f, m in found]
            continue
        out.append(
            Plan(
                row["school_code"],
                row["school_name"],
                row["major_code"],
                row["major_name"],
                row.get("plan_type", ""),
                row["level"],
                int(seats),
                bool(medical),
            )
        )
    return out, problems


def links(text: str) -> tuple[list[Link], list[Problem]]:
    out, problems = [], []
    for line, row in read_rows(text, LINK_COLUMNS):
        same = _yes_no(row.get("same", ""))
        found = [
            (k, f"{LINK_COLUMNS[k]}不能为空")
            for k in ("college_major", "bachelor_major")
            if not row.get(k)
        ]
        if same is None:
            found.append(("same", "相同专业应填“是”或“否”"))
        if found:
            problems += [{"row": line, "field": f, "message": m} for f, m in found]
            continue
        out.append(Link(row["college_major"], row["bachelor_major"], bool(same)))
    return out, problems
