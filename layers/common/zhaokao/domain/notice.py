"""Public notice (公示, R7.1): how long an entry is on notice, when it takes effect,
how long it stays visible.

Working days follow China's statutory calendar — holidays and the adjusted
working weekends (调休) — from ``chinesecalendar``, a maintained data package.
The publication day counts when it is a working day (公示期含发布当日).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, NamedTuple

from pydantic import BaseModel, ConfigDict

from . import identity
from .candidate import Approvals, Profile
from .errors import RuleViolation

if TYPE_CHECKING:
    from .policy import Policy

WorkdayTest = Callable[[date], bool]


class Notice(BaseModel):
    """An entry of the public notice (``entry#…``) or a complaint against one (``complaint#…``).
    ``version`` is the one read: a resolution is conditional on it (R7.2)."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    season_id: str
    key: str
    candidate_id: str
    body: dict[str, Any]  # what the public sees (an entry) or what was filed (a complaint)
    state: str  # an entry: listed, revoked; a complaint: open, upheld, dismissed
    created_at: datetime
    version: int


class NoticePeriod(NamedTuple):
    published: date
    last_day: date  # the last working day on notice
    effective: date  # the status takes effect at the start of this day
    visible_until: date  # kept public until this day (R7.1: six months)


def statutory_workday(day: date) -> bool:
    # 18 ms of data: loaded when a notice is computed, not at cold start
    import chinese_calendar  # type: ignore[import-untyped]

    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        raise RuleViolation(
            f"{day.year}年的法定节假日安排尚未收录，无法计算公示期", code="calendar_missing"
        ) from None


def notice_period(
    published: date,
    working_days: int,
    keep_months: int,
    is_workday: WorkdayTest = statutory_workday,
) -> NoticePeriod:
    day, counted = published, 0
    while True:
        if is_workday(day):
            counted += 1
            if counted == working_days:
                break
        day += timedelta(days=1)
    return NoticePeriod(
        published, day, day + timedelta(days=1), _add_months(published, keep_months)
    )


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def mask_name(name: str, rule: str) -> str:
    """The authority's masking rule (policy ``public_notice.name_masking``)."""
    return name if rule == "none" else identity.mask_name(name)


def approvals(policy: Policy, profile: Profile, id_number: str) -> Approvals:
    """What review approved that the public notice lists (R7.1) and admission uses (R12):
    the category (an exemption or not) and the bonus, of which only the highest counts. A
    claim the record refutes (R5.3: a birth date, the 民族) is not approved."""
    from .eligibility import refutation

    code = profile.get("category", "ordinary")
    category = next(c for c in policy.categories if c.code == code)
    ethnicity = profile.get("ethnicity")
    claims = [
        b
        for b in policy.bonus.items
        if b.code in profile.get("bonus_claims", []) and refutation(b, id_number, ethnicity) is None
    ]
    best = max(claims, key=lambda b: b.points, default=None)  # R12.1: only the highest
    return {
        "category": code,
        "category_name": category.name,
        "exemption": category.exemption,
        "bonus": best.code if best else None,
        "bonus_name": best.name if best else None,
        "bonus_points": best.points if best else 0,
        "revoked": False,
    }


def listed(approved: Approvals) -> bool:
    """R7.1: exemption and bonus candidates are published."""
    return bool(approved["exemption"] or approved["bonus_points"])


def entry(policy: Policy, name: str, approved: Approvals, period: NoticePeriod) -> dict[str, Any]:
    """A public notice entry: name (masked), category, qualification, intended major, bonus."""
    qualification = approved["category_name"] if approved["exemption"] else approved["bonus_name"]
    return {
        "name": mask_name(name, policy.public_notice.name_masking),
        "category": "免试" if approved["exemption"] else "录取照顾",
        "qualification": qualification,
        "intended_major": "以录取专业为准",
        "bonus_points": approved["bonus_points"],
        "published": period.published.isoformat(),
        "last_day": period.last_day.isoformat(),
        "effective": period.effective.isoformat(),
        "visible_until": period.visible_until.isoformat(),
    }


def unit_entry(
    policy: Policy, name: str, category: str, unit: str, unit_name: str, period: NoticePeriod
) -> dict[str, Any]:
    """An entry of a unit's own list (seed 000: 各高职（专科）院校…对审核名单进行公示)."""
    found = next(c for c in policy.categories if c.code == category)
    return {
        "name": mask_name(name, policy.public_notice.name_masking),
        "category": found.name,
        "qualification": f"{unit_name}审核通过",
        "intended_major": "以录取专业为准",
        "bonus_points": 0,
        "unit": unit,
        "unit_name": unit_name,
        "published": period.published.isoformat(),
        "last_day": period.last_day.isoformat(),
        "effective": period.effective.isoformat(),
        "visible_until": period.visible_until.isoformat(),
    }


def phase(body: dict[str, Any], revoked: bool, today: date) -> str | None:
    """Where an entry stands today; None once it is no longer public."""
    if today > date.fromisoformat(body["visible_until"]):
        return None
    if revoked:
        return "revoked"
    return "on_notice" if today < date.fromisoformat(body["effective"]) else "effective"


PHASE_LABELS = {"on_notice": "公示中", "effective": "已生效", "revoked": "经核查已撤销"}
