"""诚信 (integrity, R16.1): a violation an operator records against a candidate, and what it
does. Seed 000 (R5.1): 因违反国家教育考试规定被给予暂停参加高校招生考试处罚且在处罚期内者
不得报名; seed 004: 携带手机进入考场将认定为考试作弊，各科考试成绩无效."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from .candidate import Integrity, ViolationRecord
from .errors import InvalidField


class Violation(StrEnum):
    cheating = "cheating"  # 考试作弊: the season's scores are void
    fraud = "fraud"  # 弄虚作假: the qualification is cancelled, at any stage


VIOLATION_LABELS = {Violation.cheating: "考试作弊", Violation.fraud: "弄虚作假"}


def recorded(
    kind: Violation,
    decision_no: str,
    description: str,
    ban_until: date | None,
    actor: str,
    at: datetime,
) -> ViolationRecord:
    """The violation as the record keeps it and the candidate reads it."""
    if ban_until is not None and ban_until <= at.date():
        raise InvalidField("暂停参加考试的截止日期须晚于今天", "ban_until")
    return {
        "kind": str(kind),
        "label": VIOLATION_LABELS[kind],
        "decision_no": decision_no,
        "description": description,
        "ban_until": ban_until.isoformat() if ban_until else None,
        "cancels_qualification": kind == Violation.fraud,
        "voids_scores": kind == Violation.cheating,
        "recorded_at": at.isoformat(timespec="seconds"),
        "recorded_by": actor,
    }


def integrity_after(before: Integrity | None, violation: ViolationRecord) -> Integrity:
    """The candidate's integrity record with one more violation: the scores issue reads
    ``scores_void`` (R11), admission leaves a cancelled candidate out (R12)."""
    violations = [*(before["violations"] if before else []), violation]
    return {
        "violations": violations,
        "scores_void": any(v["voids_scores"] for v in violations),
        "cancelled": any(v["cancels_qualification"] for v in violations),
    }
