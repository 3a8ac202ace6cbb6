"""Public notice (公示, R7.1): how long an entry is on notice, when it takes effect,
how long it stays visible.

Working days follow China's statutory calendar — holidays and the adjusted
working weekends (调休) — from ``chinesecalendar``, a maintained data package.
The publication day counts when it is a working day (公示期含发布当日).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import NamedTuple

from .errors import RuleViolation

WorkdayTest = Callable[[date], bool]


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
