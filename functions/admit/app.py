"""Operators' API: season clock, window extensions, new seasons (R1); allocation follows (R13)."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.utilities.typing import LambdaContext

from zhaokao.api import http
from zhaokao.api.operator_schemas import ClockRequest, ExtensionRequest, SeasonCreateRequest
from zhaokao.domain.windows import WindowName
from zhaokao.service import seasons

logger = Logger(service="admit")
app = APIGatewayHttpResolver(enable_validation=True)
http.setup(app)


@app.post("/v1/seasons", summary="由预设创建新考试季（日期整体顺延）")
def create_season(body: Annotated[SeasonCreateRequest, Body()]) -> tuple[dict[str, Any], int]:
    who = http.principal(app)
    return seasons.create_from(body.from_season, body.season_id, body.years, who), 201


@app.put("/v1/seasons/<season_id>/clock", summary="设置考试季时钟（仅本地环境）")
def pin_clock(season_id: str, body: Annotated[ClockRequest, Body()]) -> dict[str, Any]:
    return seasons.pin_clock(season_id, body.at, http.principal(app))


@app.post("/v1/seasons/<season_id>/windows/<window>/extension", summary="延长时间段")
def extend_window(
    season_id: str, window: WindowName, body: Annotated[ExtensionRequest, Body()]
) -> dict[str, Any]:
    who = http.principal(app)
    return seasons.extend_window(season_id, window, body.end, body.reason, who)


@app.get("/v1/seasons/<season_id>/audit", summary="考试季变更记录")
def season_audit(season_id: str) -> list[dict[str, Any]]:
    return seasons.history(season_id, http.principal(app))


@logger.inject_lambda_context(log_event=False)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
