"""Reviewers' and colleges' API: roster imports (R2); review work follows (R6)."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.utilities.typing import LambdaContext

from zhaokao.api import http
from zhaokao.service import roster_import

logger = Logger(service="review")
app = APIGatewayHttpResolver(enable_validation=True)
http.setup(app)


@app.post("/v1/seasons/<season_id>/roster-imports", summary="新建学籍导入（返回上传表单）")
def start_import(season_id: str) -> tuple[dict[str, Any], int]:
    return roster_import.start(season_id, http.principal(app)), 201


@app.get("/v1/seasons/<season_id>/roster-imports/<import_id>", summary="学籍导入进度")
def import_status(season_id: str, import_id: str) -> dict[str, Any]:
    return roster_import.status(season_id, import_id, http.principal(app))


@app.get("/v1/seasons/<season_id>/roster-imports/<import_id>/report", summary="学籍导入逐行报告")
def import_report(
    season_id: str,
    import_id: str,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> dict[str, Any]:
    return roster_import.report(season_id, import_id, http.principal(app), offset, limit)


@logger.inject_lambda_context(log_event=False)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
