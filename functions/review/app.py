"""Reviewers' and colleges' API: roster imports (R2), qualification review (R6), and the
public notice with its complaints (R7)."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body, Query
from aws_lambda_powertools.utilities.typing import LambdaContext

from zhaokao.api import http
from zhaokao.api.review_schemas import (
    BatchApprovalRequest,
    BatchResults,
    ComplaintRequest,
    Decided,
    DecisionRequest,
    ImportReport,
    ImportStarted,
    ImportStatus,
    PublicNotice,
    ReviewFile,
    StepRequest,
    StepsView,
    TicketCheck,
    WorkCounts,
    WorkFound,
    WorkPage,
)
from zhaokao.api.views import ComplaintView
from zhaokao.service import notices, review, roster_import, tickets

logger = Logger(service="review")
app = http.Api()
COLLEGE = http.allow("college_reviewer")
REVIEWERS = http.allow(*http.REVIEWERS)


@app.post(
    "/v1/seasons/<season_id>/roster-imports",
    summary="新建学籍导入（返回上传表单）",
    openapi_extensions=COLLEGE,
    status_code=201,
)
def start_import(season_id: str) -> ImportStarted:
    return roster_import.start(season_id, http.principal(app))


@app.get(
    "/v1/seasons/<season_id>/roster-imports/<import_id>",
    summary="学籍导入进度",
    openapi_extensions=COLLEGE,
)
def import_status(season_id: str, import_id: str) -> ImportStatus:
    return roster_import.status(season_id, import_id, http.principal(app))


@app.get(
    "/v1/seasons/<season_id>/roster-imports/<import_id>/report",
    summary="学籍导入逐行报告",
    openapi_extensions=COLLEGE,
)
def import_report(
    season_id: str,
    import_id: str,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> ImportReport:
    return roster_import.report(season_id, import_id, http.principal(app), offset, limit)


@app.get(
    "/v1/seasons/<season_id>/review/items",
    summary="本单位审核任务（按提交时间先后）",
    openapi_extensions=REVIEWERS,
)
def work(
    season_id: str,
    state: Annotated[
        str, Query(description="pending/approved/rejected/returned/closed")
    ] = "pending",
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    page: Annotated[str | None, Query(max_length=2000)] = None,
    category: Annotated[str | None, Query(max_length=40)] = None,
    on_site: Annotated[bool | None, Query()] = None,
) -> WorkPage:
    who = http.principal(app)
    return review.work(who, season_id, state, limit, page, category, on_site)


@app.get(
    "/v1/seasons/<season_id>/review/counts",
    summary="本单位各状态的审核任务数",
    openapi_extensions=REVIEWERS,
)
def work_counts(season_id: str) -> WorkCounts:
    return review.counts(http.principal(app), season_id)


@app.get(
    "/v1/seasons/<season_id>/review/search",
    summary="按姓名、身份证号或准考证号查找本单位考生",
    openapi_extensions=REVIEWERS,
)
def work_search(
    season_id: str,
    q: Annotated[str, Query(min_length=1, max_length=30, description="姓名、身份证号或准考证号")],
) -> WorkFound:
    return review.search(http.principal(app), season_id, q)


@app.get(
    "/v1/seasons/<season_id>/review/export",
    summary="导出本单位审核名单（CSV）",
    responses=http.file_answer("审核名单", "text/csv"),
    openapi_extensions=REVIEWERS,
)
def work_export(season_id: str):  # type: ignore[no-untyped-def]  # a file
    body = review.export(http.principal(app), season_id)
    return Response(200, "text/csv; charset=utf-8", body, headers=http.attachment("审核名单.csv"))


@app.get(
    "/v1/seasons/<season_id>/review/candidates/<candidate_id>",
    summary="查看考生材料",
    openapi_extensions=REVIEWERS,
)
def open_file(season_id: str, candidate_id: str) -> ReviewFile:
    return review.open_file(http.principal(app), season_id, candidate_id)


@app.post(
    "/v1/seasons/<season_id>/review/candidates/<candidate_id>/decision",
    summary="审核决定：通过、不通过、退回修改、现场审核",
    openapi_extensions=REVIEWERS,
)
def decide(season_id: str, candidate_id: str, body: Annotated[DecisionRequest, Body()]) -> Decided:
    who = http.principal(app)
    return review.decide_file(
        who, season_id, candidate_id, body.decision, body.reason, body.version
    )


@app.post(
    "/v1/seasons/<season_id>/review/candidates/<candidate_id>/steps",
    summary="记录现场审核及免试审批环节（谁、何时）",
    openapi_extensions=REVIEWERS,
)
def record_step(
    season_id: str, candidate_id: str, body: Annotated[StepRequest, Body()]
) -> StepsView:
    who = http.principal(app)
    return review.record_step(who, season_id, candidate_id, body.step, body.version)


@app.post(
    "/v1/seasons/<season_id>/review/batch-approval",
    summary="批量审核通过",
    openapi_extensions=REVIEWERS,
)
def batch_approve(season_id: str, body: Annotated[BatchApprovalRequest, Body()]) -> BatchResults:
    entries = [(i.candidate_id, i.version) for i in body.items]
    return review.batch_approve(http.principal(app), season_id, entries)


TOKEN = Query(min_length=10, max_length=400, description="准考证二维码的内容")
UNIT = Query(max_length=20, description="单位代码：该单位自行公示的审核名单")


@app.get(
    "/v1/seasons/<season_id>/tickets/verify",
    summary="核验准考证（监考人员扫码）",
    openapi_extensions=http.errors(roles=http.allow("operator", "county_reviewer")),
)
def verify_ticket(season_id: str, token: Annotated[str, TOKEN]) -> TicketCheck:
    return TicketCheck(**tickets.verify(http.principal(app), season_id, token))


@app.get("/v1/seasons/<season_id>/notices", summary="资格公示（免试、录取照顾；或单位的审核名单）")
def public_notice(season_id: str, unit: Annotated[str | None, UNIT] = None) -> PublicNotice:
    return notices.public_list(season_id, unit)


@app.post(
    "/v1/seasons/<season_id>/notices/<entry_id>/complaints",
    summary="举报公示考生",
    status_code=201,
)
def complain(
    season_id: str, entry_id: str, body: Annotated[ComplaintRequest, Body()]
) -> ComplaintView:
    return notices.file_complaint(season_id, entry_id, body.model_dump())


@app.get("/v1/seasons/<season_id>/complaints/<complaint_id>", summary="举报处理进度")
def complaint_status(season_id: str, complaint_id: str) -> ComplaintView:
    return notices.complaint_status(season_id, complaint_id)


@logger.inject_lambda_context(log_event=False)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
