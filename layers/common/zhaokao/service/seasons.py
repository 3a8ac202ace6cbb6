"""Seasons (R1): what anyone may read, what an operator may change."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..api.http import Principal
from ..domain.policy import WindowName
from ..storage import seasons


def summaries() -> list[dict[str, Any]]:
    return [s.summary() for s in seasons.list_seasons()]


def summary(season_id: str) -> dict[str, Any]:
    return seasons.get_season(season_id).summary()


def pin_clock(season_id: str, at: datetime | None, who: Principal) -> dict[str, Any]:
    who.require("operator")
    return seasons.pin_clock(season_id, at, who.actor()).summary()


def extend_window(
    season_id: str, window: WindowName, end: datetime, reason: str, who: Principal
) -> dict[str, Any]:
    who.require("operator")
    return seasons.extend_window(season_id, str(window), end, reason, who.actor()).summary()


def create_from(source: str, season_id: str, years: int, who: Principal) -> dict[str, Any]:
    who.require("operator")
    return seasons.create_from(source, season_id, years, who.actor()).summary()
