"""Request models of the operators' routes (kept apart: candidates' cold starts skip them)."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from .schemas import Request


class ClockRequest(Request):
    at: datetime | None = Field(description="考试季时钟设为该时刻（北京时间）；null 恢复真实时间")


class ExtensionRequest(Request):
    end: datetime
    reason: str = Field(min_length=2, max_length=200)


class SeasonCreateRequest(Request):
    season_id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    from_season: str
    years: int = Field(default=1, ge=1, le=5)
