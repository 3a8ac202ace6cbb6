"""R7.1: five working days by the statutory calendar, visible six months."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhaokao.domain.errors import RuleViolation
from zhaokao.domain.notice import notice_period, statutory_workday


def test_national_day_and_adjusted_weekend_2023() -> None:
    # Sep 29 – Oct 6 off; Saturday Oct 7 and Sunday Oct 8 are working days
    period = notice_period(date(2023, 9, 28), 5, 6)
    assert period.last_day == date(2023, 10, 10) and period.effective == date(2023, 10, 11)
    assert period.visible_until == date(2024, 3, 28)


def test_spring_festival_2024() -> None:
    # Feb 10 – 17 off; Sunday Feb 18 is a working day
    period = notice_period(date(2024, 2, 8), 5, 6)
    assert period.last_day == date(2024, 2, 20)


def test_published_on_a_holiday_starts_counting_on_the_next_working_day() -> None:
    assert notice_period(date(2024, 10, 1), 5, 6).last_day == date(2024, 10, 12)  # Sat 10-12 works


def test_six_months_at_a_month_end() -> None:
    assert notice_period(date(2024, 8, 31), 1, 6, lambda d: True).visible_until == date(2025, 2, 28)


def test_a_year_without_data_is_named() -> None:
    with pytest.raises(RuleViolation) as err:
        statutory_workday(date(2031, 1, 2))
    assert "2031" in err.value.message


@given(st.dates(min_value=date(2010, 1, 1), max_value=date(2026, 11, 30)), st.integers(1, 10))
def test_exactly_n_working_days_are_on_notice(published: date, n: int) -> None:
    period = notice_period(published, n, 6)
    days = [published + timedelta(days=i) for i in range((period.last_day - published).days + 1)]
    assert sum(map(statutory_workday, days)) == n and statutory_workday(period.last_day)
