"""Seasons (R1): what anyone may read, what an operator may change."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..api.http import Principal
from ..domain.windows import CST, WindowName
from ..storage import audit, seasons


def summaries() -> list[dict[str, Any]]:
    return [s.summary() for s in seasons.list_seasons()]


def summary(season_id: str) -> dict[str, Any]:
    return seasons.get_season(season_id).summary()


def pin_clock(season_id: str, at: datetime | None, who: Principal) -> dict[str, Any]:
    who.require("operator")
    return seasons.pin_clock(season_id, _beijing(at), who.actor()).summary()


def extend_window(
    season_id: str, window: WindowName, end: datetime, reason: str, who: Principal
) -> dict[str, Any]:
    who.require("operator")
    return seasons.extend_window(
        season_id, str(window), _beijing(end), reason, who.actor()
    ).summary()


def create_from(source: str, season_id: str, years: int, who: Principal) -> dict[str, Any]:
    who.require("operator")
    return seasons.create_from(source, season_id, years, who.actor()).summary()


def history(season_id: str, who: Principal) -> list[dict[str, Any]]:
    """R16.1: every change of the season, newest first."""
    who.require("operator")
    seasons.get_season(season_id)
    return audit.history(f"season#{season_id}")


def _beijing(value: Any) -> Any:
    """Times without a zone are Beijing time (all times of a season are Asia/Shanghai)."""
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=CST)
    return value
