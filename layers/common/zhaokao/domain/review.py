"""Qualification review (资格审核, R6): who reviews a file, and what a decision does.

A submitted file is reviewed by every unit that owns part of it (R6.1): the
candidate's college (Hunan) or county exam centre (Ningxia), and the provincial
unit for the categories the policy marks. Each unit decides its own work item;
the candidate's status follows from all of them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, NamedTuple

from pydantic import BaseModel, ConfigDict

from .candidate import Inspected, Profile, SentBack, StepDone
from .errors import Conflict, Forbidden, InvalidField, RuleViolation
from .windows import WindowName

if TYPE_CHECKING:
    from datetime import datetime

    from .policy import Policy

PROVINCE = "province"  # the provincial review unit (省级复核)

# R15: which unit kind a reviewer role works for
UNIT_ROLES = {"college": "college_reviewer", "county": "county_reviewer"}


class Decision(StrEnum):
    approve = "approve"  # 审核通过
    reject = "reject"  # 审核不通过
    send_back = "send_back"  # 退回修改
    call_on_site = "call_on_site"  # 通知现场审核
    refuse_category = "refuse_category"  # 报考类别资格审核不通过：按所保留的类别继续


DECISION_LABELS = {
    Decision.approve: "审核通过",
    Decision.reject: "审核不通过",
    Decision.send_back: "退回修改",
    Decision.call_on_site: "须现场审核",
    Decision.refuse_category: "报考类别资格审核不通过",
}


class ItemState(StrEnum):
    pending = "pending"  # 待审核
    approved = "approved"
    rejected = "rejected"
    returned = "returned"
    closed = "closed"  # another unit rejected or sent the file back
    category_refused = "category_refused"  # the file passes, its special category does not


DONE = frozenset({ItemState.approved, ItemState.category_refused})


class WorkItem(BaseModel):
    """One unit's review of one candidate's submission (R6.3), as the unit's queue shows it."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    candidate_id: str
    unit: str  # a college, a county, or "province"
    season_id: str
    unit_key: str
    queue_key: str | None = None  # set while pending: the queue's sparse index
    queued_at: str
    round: int  # the candidate's version when routed: a resubmission is a new round
    state: ItemState
    on_site: bool = False
    category: str
    name: str
    id_masked: str
    flags: list[str] = []  # why on site, or why a check failed, in Chinese
    candidate_version: int  # kept current by every decision: batch approval reads it
    decided_by: str | None = None
    decided_at: datetime | None = None
    reason: str | None = None


_DECIDED = {
    Decision.approve: ItemState.approved,
    Decision.reject: ItemState.rejected,
    Decision.send_back: ItemState.returned,
    Decision.refuse_category: ItemState.category_refused,
}


def review_units(
    policy: Policy, home_unit: str, category: str, profile: Profile | None = None
) -> list[str]:
    """R6.1: the home unit always; the provincial unit too for the marked categories, unless
    the profile says what keeps it out (seed 000: 省外户籍生源考生以院校审核确认名单为准)."""
    units = [home_unit]
    found = next((c for c in policy.categories if c.code == category), None)
    if found and found.provincial_review:
        unless = found.provincial_review_unless
        if not (unless and (profile or {}).get(unless)):
            units.append(PROVINCE)
    return units


def reviewer_unit(role_groups: frozenset[str], unit: str | None, policy: Policy) -> str:
    """The unit whose work a reviewer may see; Forbidden when the role does not fit the season."""
    if "provincial_reviewer" in role_groups:
        return PROVINCE
    if UNIT_ROLES[policy.registration_unit] in role_groups and unit:
        return unit
    raise Forbidden("无权审核本考试季的报名", code="forbidden_unit")


def decision_window(unit: str, on_site: bool) -> WindowName:
    """R1.3: when a unit decides. The provincial unit's review (Hunan: 免试生、脱贫家庭毕业生
    资格审核，2月23日前报省教育厅复核) and on-site review (Ningxia: 免试、照顾政策…现场审核)
    have a window of their own; everything else is the general review."""
    return WindowName.special_review if unit == PROVINCE or on_site else WindowName.review


def send_back_periods(
    policy: Policy, unit: str, states: dict[str, ItemState], at: datetime
) -> SentBack:
    """R6.2: what a send-back gives the candidate — until when to correct and resubmit, the
    unit until when to review it — and who passed the file already (not asked again)."""
    from datetime import timedelta

    correct_until = at + timedelta(hours=policy.send_back.correct_hours)
    review_until = correct_until + timedelta(hours=policy.send_back.review_hours)
    return {
        "by": unit,
        "at": at.isoformat(timespec="seconds"),
        "correct_until": correct_until.isoformat(timespec="seconds"),
        "review_until": review_until.isoformat(timespec="seconds"),
        "passed": ",".join(sorted(u for u, s in states.items() if s in DONE)),
    }


def units_to_ask(units: list[str], returned: SentBack | None) -> list[str]:
    """R6.2: a resubmission goes to the unit that sent it back and any that had not passed
    it; a unit that passed the file is not asked again."""
    passed = set(returned["passed"].split(",")) if returned else set()
    return [u for u in units if u not in passed] or units


def kept_category(policy: Policy, category: str) -> str:
    """R6.1: the category a candidate keeps when review refuses theirs alone — seed 000:
    未通过资格审核的考生不得填报该类计划，可填报普通计划; seed 004: 免试资格审核未通过的
    考生按145元/人缴费 (and sits the exam). A category without one is refused only with
    the whole file."""
    kept = next((c.refused_keeps for c in policy.categories if c.code == category), None)
    if kept is None:
        raise InvalidField("该报考类别不能单独审核不通过，请选择“审核不通过”", "decision")
    return kept


def require_reason(decision: Decision, reason: str | None) -> str | None:
    """R6.3: a decision other than approval says why (the candidate reads it)."""
    if decision != Decision.approve and not (reason and reason.strip()):
        raise InvalidField(f"“{DECISION_LABELS[decision]}”须填写原因", "reason")
    return reason.strip() if reason else None


class Outcome(NamedTuple):
    """The work items' new states and the candidate's action (None: the status stays)."""

    items: dict[str, ItemState]
    action: str | None


def decide(states: dict[str, ItemState], unit: str, decision: Decision, status: str) -> Outcome:
    """Apply one unit's decision to the work items of the current round.

    Approval approves the candidate once every unit approved. Rejection and
    send-back end the round for every unit (the others' pending items close).
    A call on site keeps the item pending until the on-site decision.
    """
    if states.get(unit) != ItemState.pending:
        raise InvalidField("该考生的材料已审核，无需重复处理", "decision")
    after = dict(states)
    if decision == Decision.call_on_site:
        return Outcome(after, None if status == "on_site" else "call_on_site")
    after[unit] = _DECIDED[decision]
    if after[unit] in DONE:  # the file itself passed this unit
        done = all(s in DONE for s in after.values())
        return Outcome(after, "approve" if done else None)
    for other, state in after.items():
        if other != unit and state == ItemState.pending:
            after[other] = ItemState.closed
    return Outcome(after, str(decision))


# -- on site (现场审核) and a category's chain of steps --------------------------------------
SEEN = "seen"  # the unit looked at the originals on site: later uploads open (seed 004)


def chain(policy: Policy, category: str) -> dict[str, str]:
    """The steps a unit records for a file called on site: the look at the originals, then
    the category's own (signatures, filing), in order."""
    found = next((c for c in policy.categories if c.code == category), None)
    return {
        SEEN: "现场审核（已核验原件）",
        **{s.code: s.name for s in (found.steps if found else [])},
    }


def step_name(
    policy: Policy, category: str, status: str, done: Mapping[str, StepDone], step: str
) -> str:
    """The step's name when it may be recorded now; otherwise why not, naming ``step``."""
    steps = chain(policy, category)
    if step not in steps:
        raise InvalidField("该考生没有这一审核环节", "step")
    if step in done:
        raise Conflict(f"“{steps[step]}”已记录", "step", code="step_recorded")
    if step == SEEN and status != "on_site":
        raise RuleViolation("只有须现场审核的考生记录现场审核", "step", code="not_on_site")
    if step != SEEN and SEEN not in done:
        raise RuleViolation("请先记录现场审核（已核验原件）", "step", code="not_seen")
    return steps[step]


def unfinished(
    policy: Policy, category: str, done: Mapping[str, StepDone], documents: Mapping[str, Inspected]
) -> list[str]:
    """What still stops a unit approving an on-site file: the category's steps due before the
    decision, and the documents uploaded after the look on site (seed 004: 现场审核通过后
    …上传…原件照片)."""
    found = next((c for c in policy.categories if c.code == category), None)
    if found is None:
        return []
    steps = [s.name for s in found.steps if s.before_decision and s.code not in done]
    uploads = [
        d.name
        for d in found.documents
        if d.after_on_site
        and d.required
        and (d.code not in documents or documents[d.code]["status"] != "accepted")
    ]
    return steps + [f"上传{name}" for name in uploads]
