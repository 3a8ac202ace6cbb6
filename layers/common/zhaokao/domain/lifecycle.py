"""A candidate's states and the transitions between them (R4.4, R6, R16.1).

Every state change goes through ``next_status``: an action allowed only from
the states listed here. Storage applies it with the version read and writes
the audit record in the same transaction.
"""

from __future__ import annotations

from enum import StrEnum

from .errors import Conflict


class Status(StrEnum):
    registered = "registered"  # 已注册
    submitted = "submitted"  # 已提交（宁夏：已确认，锁定）
    under_review = "under_review"  # 审核中
    returned = "returned"  # 退回修改
    on_site = "on_site"  # 须现场审核
    approved = "approved"  # 审核通过
    rejected = "rejected"  # 审核未通过
    withdrawn = "withdrawn"  # 视为放弃（如未按时缴费）
    cancelled = "cancelled"  # 取消资格（弄虚作假，任何阶段）


STATUS_LABELS = {
    Status.registered: "已注册",
    Status.submitted: "已提交",
    Status.under_review: "审核中",
    Status.returned: "退回修改",
    Status.on_site: "须现场审核",
    Status.approved: "审核通过",
    Status.rejected: "审核未通过",
    Status.withdrawn: "视为放弃",
    Status.cancelled: "已取消资格",
}

# action -> (allowed from, to)
TRANSITIONS: dict[str, tuple[frozenset[Status], Status]] = {
    "submit": (frozenset({Status.registered, Status.returned}), Status.submitted),
    "route": (frozenset({Status.submitted}), Status.under_review),  # R6.3: work items made
    "route_on_site": (frozenset({Status.submitted}), Status.on_site),  # R5.3: flagged
    "disqualify": (frozenset({Status.submitted}), Status.rejected),  # R5: a check failed
    "approve": (frozenset({Status.under_review, Status.on_site}), Status.approved),
    "reject": (frozenset({Status.under_review, Status.on_site}), Status.rejected),
    "send_back": (frozenset({Status.under_review, Status.on_site}), Status.returned),
    "call_on_site": (frozenset({Status.under_review}), Status.on_site),
    "withdraw": (frozenset(set(Status) - {Status.withdrawn, Status.cancelled}), Status.withdrawn),
    # 诚信: fraud cancels the qualification at any stage (domain/integrity)
    "cancel": (frozenset(set(Status) - {Status.cancelled}), Status.cancelled),
}

# R4.4: once confirmed (Ningxia) the registration is locked unless review sends it back.
EDITABLE = frozenset({Status.registered, Status.returned})


def next_status(current: str, action: str) -> Status:
    """The state ``action`` leads to from ``current``; Conflict when not allowed."""
    if action not in TRANSITIONS:
        raise ValueError(f"unknown action {action!r}")
    allowed, target = TRANSITIONS[action]
    status = Status(current)
    if status not in allowed:
        raise Conflict(
            f"当前状态为“{STATUS_LABELS[status]}”，不能进行该操作", "status", code="bad_transition"
        )
    return target


def require_editable(current: str) -> None:
    """R4.4: profile and documents change only before submission or after a send-back."""
    status = Status(current)
    if status not in EDITABLE:
        raise Conflict(
            f"报名信息已提交（{STATUS_LABELS[status]}），不能修改；如需修改请等待审核退回",
            "status",
            code="locked",
        )
