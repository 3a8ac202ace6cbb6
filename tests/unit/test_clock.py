"""R1.3: the season's clock is real time in AWS; pinning is for the local cloud only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.unit.test_registration_rules import HUNAN
from zhaokao.domain.errors import Forbidden
from zhaokao.domain.season import Season
from zhaokao.settings import settings


def test_a_pinned_clock_runs_on_from_the_pin() -> None:
    real = datetime(2026, 11, 23, 12, tzinfo=UTC)
    pinned = Season(HUNAN.policy, clock_offset=-86400.0)
    assert pinned.now(real) == real - timedelta(days=1)
    assert Season(HUNAN.policy).now(real) == real


def test_pinning_is_refused_where_not_allowed(monkeypatch) -> None:
    from zhaokao.storage import seasons

    monkeypatch.delenv("ZHAOKAO_ALLOW_CLOCK_PINNING", raising=False)
    settings.cache_clear()
    try:
        with pytest.raises(Forbidden):
            seasons.pin_clock("hunan-zsb-2024", datetime.now(UTC), "test")
    finally:
        settings.cache_clear()
