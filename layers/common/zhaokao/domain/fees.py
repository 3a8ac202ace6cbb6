"""Fees (R9.1, R9.2): what a candidate pays, from the policy and the candidate's state."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .candidate import Approvals, Profile
from .windows import WindowName

if TYPE_CHECKING:
    from .policy import Policy


def amount_due(policy: Policy, plan_type: str | None, approvals: Approvals | None) -> int:
    """Yuan to pay. Hunan (R9.1): 130 for the ordinary plan, special plans' fees are set by
    the schools and not collected here. Ningxia (R9.2): 145; 50 for an approved exemption
    applicant, 145 again when that exemption was rejected or revoked."""
    fees = policy.fees
    if plan_type is not None and plan_type in fees.not_collected_for:
        return 0
    applied = bool(approvals and approvals.get("exemption"))  # review approved an exemption
    revoked = bool(approvals and approvals.get("revoked"))  # … and a complaint revoked it (R7.2)
    if applied and not revoked and fees.exemption_approved is not None:
        return fees.exemption_approved
    if applied and revoked and fees.exemption_rejected is not None:
        return fees.exemption_rejected
    return fees.standard


def payment_window(policy: Policy, profile: Profile) -> WindowName:
    """R9.2: when the candidate pays. Seed 004: 申请免试的考生 … 缴费时间另行通知 — an
    exemption applicant (approved or refused) pays in a window of its own."""
    code = profile.get("category", "ordinary")
    applied = any(c.code == code and c.exemption for c in policy.categories)
    if applied and policy.fees.exemption_paid_apart:
        return WindowName.exemption_payment
    return WindowName.payment
