"""Request models of the operators' routes (kept apart: candidates' cold starts skip them)."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from .base import Request


class ClockRequest(Request):
    at: datetime | None = Field(description="考试季时钟设为该时刻（北京时间）；null 恢复真实时间")


class ExtensionRequest(Request):
    end: datetime
    reason: str = Field(min_length=2, max_length=200)


class SeasonCreateRequest(Request):
    season_id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    from_season: str
    years: int = Field(default=1, ge=1, le=5)


class ResolutionRequest(Request):
    """处理举报 (R7.2): upheld revokes the candidate's exemption or bonus."""

    upheld: bool
    resolution: str = Field(min_length=2, max_length=500, description="处理意见")


class SittersRequest(Request):
    """上一考试季参考考生名单 (R5.2): ID numbers, at most 5,000 a call."""

    id_numbers: list[str] = Field(min_length=1, max_length=5000)


class CatalogueImportRequest(Request):
    """招生计划或专业对应表 (CSV text, UTF-8; the columns are in the README)."""

    csv: str = Field(min_length=1, max_length=5_000_000)
