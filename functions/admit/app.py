"""Operators' API: seasons (R1), the previous season's sitters (R5.2), the review backlog
(R6.3), complaints (R7.2); allocation follows (R13)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body, Query
from aws_lambda_powertools.utilities.typing import LambdaContext

from zhaokao.api import http
from zhaokao.api.operator_schemas import (
    AdmissionRun,
    AdmissionStartRequest,
    Admitted,
    AnnouncementRequest,
    ApprovalRequest,
    ArrangementRun,
    Backlog,
    CatalogueImported,
    CatalogueImportRequest,
    ClockRequest,
    ComplaintFull,
    CutoffLines,
    CutoffLinesRequest,
    ExtensionRequest,
    FailedRecheck,
    IntegrityView,
    Letter,
    LetterRequest,
    PublicationRequest,
    Recheck,
    RecheckRequest,
    Reconciliation,
    RejectionRequest,
    ResolutionRequest,
    ReviewOutcome,
    ReviewOutcomeRequest,
    SchoolExam,
    SchoolExamRequest,
    ScoresImported,
    ScoreStatistics,
    SeasonCreateRequest,
    Seating,
    SittersLoaded,
    SittersRequest,
    StaffCreateRequest,
    StaffResetRequest,
    StaffStatusRequest,
    StaffView,
    TimetableRequest,
    TimetableSet,
    ViolationRequest,
)
from zhaokao.api.views import AuditEntry, SeasonView
from zhaokao.domain.auth import Account
from zhaokao.domain.policy import SchoolExam as Exam
from zhaokao.domain.windows import WindowName
from zhaokao.service import (
    admission_operators,
    admission_schools,
    arrangement,
    auth,
    integrity,
    notices,
    payment_jobs,
    preferences,
    review,
    school_exams,
    scores,
    seasons,
)

logger = Logger(service="admit")
app = http.Api()
OPERATOR = http.allow("operator")
SCHOOL = http.allow("school_admissions", "operator")


@app.post(
    "/v1/seasons",
    summary="由预设创建新考试季（日期整体顺延）",
    openapi_extensions=OPERATOR,
    status_code=201,
)
def create_season(body: Annotated[SeasonCreateRequest, Body()]) -> SeasonView:
    who = http.principal(app)
    return seasons.create_from(body.from_season, body.season_id, body.years, who)


@app.put(
    "/v1/seasons/<season_id>/clock",
    summary="设置考试季时钟（仅本地环境）",
    openapi_extensions=OPERATOR,
)
def pin_clock(season_id: str, body: Annotated[ClockRequest, Body()]) -> SeasonView:
    return seasons.pin_clock(season_id, body.at, http.principal(app))


@app.post(
    "/v1/seasons/<season_id>/windows/<window>/extension",
    summary="延长时间段",
    openapi_extensions=OPERATOR,
)
def extend_window(
    season_id: str, window: WindowName, body: Annotated[ExtensionRequest, Body()]
) -> SeasonView:
    who = http.principal(app)
    return seasons.extend_window(season_id, window, body.end, body.reason, who)


@app.put(
    "/v1/seasons/<season_id>/windows/<window>",
    summary="公布另行通知的时间段",
    openapi_extensions=OPERATOR,
)
def announce_window(
    season_id: str, window: WindowName, body: Annotated[AnnouncementRequest, Body()]
) -> SeasonView:
    who = http.principal(app)
    return seasons.announce_window(season_id, window, body.start, body.end, body.reason, who)


@app.post(
    "/v1/seasons/<season_id>/candidates/<candidate_id>/violations",
    summary="记录考生违规处理（诚信）",
    status_code=201,
    openapi_extensions=OPERATOR,
)
def record_violation(
    season_id: str, candidate_id: str, body: Annotated[ViolationRequest, Body()]
) -> IntegrityView:
    who = http.principal(app)
    return integrity.record_violation(
        who,
        season_id,
        candidate_id,
        body.kind,
        body.decision_no,
        body.description,
        body.ban_until,
    )


@app.get("/v1/seasons/<season_id>/audit", summary="考试季变更记录", openapi_extensions=OPERATOR)
def season_audit(season_id: str) -> list[AuditEntry]:
    return seasons.history(season_id, http.principal(app))


@app.post(
    "/v1/seasons/<season_id>/previous-sitters",
    summary="导入上一考试季参考考生名单",
    openapi_extensions=OPERATOR,
)
def previous_sitters(season_id: str, body: Annotated[SittersRequest, Body()]) -> SittersLoaded:
    return seasons.load_previous_sitters(season_id, body.id_numbers, http.principal(app))


@app.get(
    "/v1/seasons/<season_id>/review/backlog",
    summary="各单位待审核数量与等待时长",
    openapi_extensions=OPERATOR,
)
def backlog(season_id: str) -> list[Backlog]:
    return review.backlog(http.principal(app), season_id)


@app.post(
    "/v1/seasons/<season_id>/exam-sites/<kind>",
    summary="导入考点（sites）或相邻县区（adjacency）",
    openapi_extensions=OPERATOR,
)
def import_exam_sites(
    season_id: str,
    kind: Literal["sites", "adjacency"],
    body: Annotated[CatalogueImportRequest, Body()],
) -> CatalogueImported:
    return arrangement.import_sites(http.principal(app), season_id, kind, body.csv)


@app.put(
    "/v1/seasons/<season_id>/timetable",
    summary="录入或更正考试时间表（考试时间变动的考生将收到短信）",
    openapi_extensions=OPERATOR,
)
def set_timetable(season_id: str, body: Annotated[TimetableRequest, Body()]) -> TimetableSet:
    sessions = [s.model_dump() for s in body.sessions]
    return arrangement.set_timetable(http.principal(app), season_id, sessions, body.reason)


@app.post(
    "/v1/seasons/<season_id>/arrangements",
    summary="考场编排（排队执行）",
    status_code=202,
    openapi_extensions=OPERATOR,
)
def start_arrangement(season_id: str) -> ArrangementRun:
    return arrangement.start(http.principal(app), season_id)


@app.get(
    "/v1/seasons/<season_id>/arrangements/<run_id>",
    summary="考场编排进度",
    openapi_extensions=OPERATOR,
)
def arrangement_progress(season_id: str, run_id: str) -> ArrangementRun:
    return arrangement.progress(http.principal(app), season_id, run_id)


ROOM_LISTS = http.file_answer("考场名单（下载）", "text/csv", "application/pdf")


@app.get(
    "/v1/seasons/<season_id>/seating/<county>/<site>/<kind>",
    summary="考点的考场名单（csv；pdf 含照片）",
    responses=ROOM_LISTS,
    openapi_extensions=OPERATOR,
)
def room_lists(season_id: str, county: str, site: str, kind: Literal["csv", "pdf"]):  # type: ignore[no-untyped-def]  # a file
    who = http.principal(app)
    name, content_type, body = arrangement.room_lists(who, season_id, county, site, kind)
    return Response(200, content_type, body, headers=http.attachment(name))


@app.post(
    "/v1/seasons/<season_id>/tickets/bulk",
    summary="批量生成准考证（排队执行，可在打印时间前进行）",
    status_code=202,
    openapi_extensions=OPERATOR,
)
def bulk_tickets(season_id: str) -> ArrangementRun:
    return arrangement.start_tickets(http.principal(app), season_id)


@app.get(
    "/v1/seasons/<season_id>/tickets/bulk/<run_id>",
    summary="批量生成准考证的进度",
    openapi_extensions=OPERATOR,
)
def bulk_tickets_progress(season_id: str, run_id: str) -> ArrangementRun:
    who = http.principal(app)
    return arrangement.progress(who, season_id, run_id, arrangement.TICKETS)


@app.get("/v1/seasons/<season_id>/seating", summary="各考点编排人数", openapi_extensions=OPERATOR)
def seating(season_id: str) -> Seating:
    return arrangement.counts(http.principal(app), season_id)


@app.put(
    "/v1/seasons/<season_id>/schools/<school>/exam",
    summary="招生学校录入或更正本校考试安排（科目、时间、考点、考场）",
    openapi_extensions=SCHOOL,
)
def set_school_exam(
    season_id: str, school: str, body: Annotated[SchoolExamRequest, Body()]
) -> SchoolExam:
    exam = Exam.model_validate(body.model_dump(exclude={"reason"}))
    who = http.principal(app)
    return SchoolExam.model_validate(
        school_exams.set_exam(who, season_id, school, exam, body.reason)
    )


@app.get(
    "/v1/seasons/<season_id>/schools/<school>/exam",
    summary="本校考试安排",
    openapi_extensions=SCHOOL,
)
def school_exam(season_id: str, school: str) -> SchoolExam:
    return SchoolExam.model_validate(school_exams.exam_of(http.principal(app), season_id, school))


@app.post(
    "/v1/seasons/<season_id>/schools/<school>/seating",
    summary="为本校已缴费、审核通过的考生安排考场与准考证号（排队执行）",
    status_code=202,
    openapi_extensions=SCHOOL,
)
def school_seating(season_id: str, school: str) -> ArrangementRun:
    return school_exams.start_seating(http.principal(app), season_id, school)


@app.get(
    "/v1/seasons/<season_id>/schools/<school>/seating/<run_id>",
    summary="本校考场安排进度",
    openapi_extensions=SCHOOL,
)
def school_seating_progress(season_id: str, school: str, run_id: str) -> ArrangementRun:
    return school_exams.seating_progress(http.principal(app), season_id, school, run_id)


@app.post(
    "/v1/seasons/<season_id>/scores",
    summary="导入成绩（CSV；由学校组织考试的考试季由各招生学校导入本校考生成绩）",
    openapi_extensions=SCHOOL,
)
def import_scores(
    season_id: str, body: Annotated[CatalogueImportRequest, Body()]
) -> ScoresImported:
    return scores.import_scores(http.principal(app), season_id, body.csv)


@app.get(
    "/v1/seasons/<season_id>/scores/statistics",
    summary="成绩统计（按层次与科类）",
    openapi_extensions=OPERATOR,
)
def score_statistics(season_id: str) -> list[ScoreStatistics]:
    return scores.statistics(http.principal(app), season_id)


@app.post(
    "/v1/seasons/<season_id>/candidates/<candidate_id>/score-reviews/<subject>",
    summary="记录成绩复核结果（成绩只经复核更正）",
    openapi_extensions=OPERATOR,
)
def decide_score_review(
    season_id: str, candidate_id: str, subject: str, body: Annotated[ReviewOutcomeRequest, Body()]
) -> ReviewOutcome:
    who = http.principal(app)
    return scores.decide_review(who, season_id, candidate_id, subject, body.score, body.note)


@app.get(
    "/v1/seasons/<season_id>/scores/chart",
    summary="成绩分布图（SVG）",
    responses=http.file_answer("SVG图", "image/svg+xml"),
    openapi_extensions=OPERATOR,
)
def score_chart(season_id: str):  # type: ignore[no-untyped-def]  # an image, not a model
    svg = scores.chart(http.principal(app), season_id).encode()
    nosniff = {"X-Content-Type-Options": "nosniff"}
    return Response(200, "image/svg+xml; charset=utf-8", svg, headers=nosniff)


# -- 录取 (R13-R15) -------------------------------------------------------------------------
@app.put(
    "/v1/seasons/<season_id>/admission/lines",
    summary="划定录取控制分数线",
    openapi_extensions=OPERATOR,
)
def set_cutoff_lines(season_id: str, body: Annotated[CutoffLinesRequest, Body()]) -> CutoffLines:
    rows = [line.model_dump() for line in body.lines]
    return admission_operators.set_lines(http.principal(app), season_id, rows)


@app.get(
    "/v1/seasons/<season_id>/admission/lines", summary="录取控制分数线", openapi_extensions=OPERATOR
)
def cutoff_lines(season_id: str) -> CutoffLines:
    return admission_operators.lines_view(http.principal(app), season_id)


@app.post(
    "/v1/seasons/<season_id>/admission/runs",
    summary="开始录取（或试算）",
    status_code=202,
    openapi_extensions=OPERATOR,
)
def start_admission(season_id: str, body: Annotated[AdmissionStartRequest, Body()]) -> AdmissionRun:
    return admission_operators.start(http.principal(app), season_id, body.what_if, body.stage)


@app.get("/v1/seasons/<season_id>/admission/runs", summary="录取批次", openapi_extensions=OPERATOR)
def admission_runs(season_id: str) -> list[AdmissionRun]:
    return admission_operators.runs(http.principal(app), season_id)


@app.get(
    "/v1/seasons/<season_id>/admission/runs/<run_id>",
    summary="录取批次的进度与结果",
    openapi_extensions=OPERATOR,
)
def admission_run(season_id: str, run_id: str) -> AdmissionRun:
    return admission_operators.show(http.principal(app), season_id, run_id)


@app.post(
    "/v1/seasons/<season_id>/admission/runs/<run_id>/approvals",
    summary="审核通过一所院校的录取名单（全部通过后发布）",
    openapi_extensions=OPERATOR,
)
def approve_school_list(
    season_id: str, run_id: str, body: Annotated[ApprovalRequest, Body()]
) -> AdmissionRun:
    who = http.principal(app)
    return admission_operators.approve(who, season_id, run_id, body.school)


@app.post(
    "/v1/seasons/<season_id>/admission/runs/<run_id>/publication",
    summary="确认发布没有院校名单的录取批次（须写明录取人数）",
    openapi_extensions=OPERATOR,
)
def confirm_admission_publication(
    season_id: str, run_id: str, body: Annotated[PublicationRequest, Body()]
) -> AdmissionRun:
    who = http.principal(app)
    return admission_operators.confirm_publication(who, season_id, run_id, body.admitted)


@app.post(
    "/v1/seasons/<season_id>/admission/runs/<run_id>/rejection",
    summary="退回录取批次（不发布）",
    openapi_extensions=OPERATOR,
)
def reject_admission_run(
    season_id: str, run_id: str, body: Annotated[RejectionRequest, Body()]
) -> AdmissionRun:
    who = http.principal(app)
    return admission_operators.reject(who, season_id, run_id, body.reason)


@app.get(
    "/v1/seasons/<season_id>/admission/rechecks",
    summary="新生复查不通过的考生",
    openapi_extensions=OPERATOR,
)
def failed_rechecks(season_id: str) -> list[FailedRecheck]:
    return admission_schools.failed_rechecks(http.principal(app), season_id)


@app.get(
    "/v1/seasons/<season_id>/schools/<school>/admitted",
    summary="院校录取名单（已发布；考试院可查看待审核批次）",
    openapi_extensions=SCHOOL,
)
def admitted_list(
    season_id: str,
    school: str,
    run_id: Annotated[str | None, Query(max_length=64)] = None,
) -> list[Admitted]:
    who = http.principal(app)
    return admission_schools.admitted(who, season_id, school, run_id)


@app.get(
    "/v1/seasons/<season_id>/schools/<school>/admitted/export",
    summary="导出院校录取名单（CSV）",
    responses=http.file_answer("录取名单", "text/csv"),
    openapi_extensions=SCHOOL,
)
def admitted_export(season_id: str, school: str):  # type: ignore[no-untyped-def]  # a file
    body = admission_schools.admitted_csv(http.principal(app), season_id, school)
    headers = http.attachment(f"录取名单-{school}.csv")
    return Response(200, "text/csv; charset=utf-8", body, headers=headers)


@app.put(
    "/v1/seasons/<season_id>/schools/<school>/admitted/<candidate_id>/letter",
    summary="登记录取通知书寄送",
    openapi_extensions=SCHOOL,
)
def admission_letter(
    season_id: str, school: str, candidate_id: str, body: Annotated[LetterRequest, Body()]
) -> Letter:
    who = http.principal(app)
    return admission_schools.record_letter(
        who, season_id, school, candidate_id, body.carrier, body.tracking_number
    )


@app.put(
    "/v1/seasons/<season_id>/schools/<school>/admitted/<candidate_id>/recheck",
    summary="登记新生复查结果",
    openapi_extensions=SCHOOL,
)
def admission_recheck(
    season_id: str, school: str, candidate_id: str, body: Annotated[RecheckRequest, Body()]
) -> Recheck:
    who = http.principal(app)
    return admission_schools.record_recheck(
        who, season_id, school, candidate_id, body.identity_ok, body.proofs_ok, body.note
    )


@app.get("/v1/seasons/<season_id>/complaints", summary="举报列表", openapi_extensions=OPERATOR)
def complaints(
    season_id: str, state: Annotated[str | None, Query(pattern="^(open|upheld|dismissed)$")] = None
) -> list[ComplaintFull]:
    return notices.complaints(http.principal(app), season_id, state)


@app.post(
    "/v1/seasons/<season_id>/complaints/<complaint_id>/resolution",
    summary="处理举报",
    openapi_extensions=OPERATOR,
)
def resolve_complaint(
    season_id: str, complaint_id: str, body: Annotated[ResolutionRequest, Body()]
) -> ComplaintFull:
    who = http.principal(app)
    return notices.resolve(who, season_id, complaint_id, body.upheld, body.resolution)


@app.post(
    "/v1/seasons/<season_id>/catalogue/<kind>",
    summary="导入招生计划（plans）或专业对应表（links）",
    openapi_extensions=OPERATOR,
)
def import_catalogue(
    season_id: str, kind: Literal["plans", "links"], body: Annotated[CatalogueImportRequest, Body()]
) -> CatalogueImported:
    return preferences.import_catalogue(http.principal(app), season_id, kind, body.csv)


@app.get(
    "/v1/payments/reconciliation/<day>",
    summary="对账报告：支付机构日账单与缴费记录的每一处差异",
    openapi_extensions=OPERATOR,
)
def reconciliation(day: str) -> Reconciliation:
    return payment_jobs.reconciliation(http.principal(app), day)


@app.post("/v1/staff", summary="新建工作人员账号", openapi_extensions=OPERATOR, status_code=201)
def create_staff(body: Annotated[StaffCreateRequest, Body()]) -> StaffView:
    account = Account(body.username, body.role, body.season, body.unit)
    return auth.create_staff(http.principal(app), account, body.password)


@app.post(
    "/v1/staff/<username>/password-reset",
    summary="重置工作人员密码（可同时解除身份验证器）",
    openapi_extensions=OPERATOR,
)
def reset_staff(username: str, body: Annotated[StaffResetRequest, Body()]) -> StaffView:
    who = http.principal(app)
    return auth.reset_staff(who, username, body.password, body.second_factor)


@app.put(
    "/v1/staff/<username>/status", summary="停用或启用工作人员账号", openapi_extensions=OPERATOR
)
def staff_status(username: str, body: Annotated[StaffStatusRequest, Body()]) -> StaffView:
    return auth.set_staff_disabled(http.principal(app), username, body.disabled)


@app.delete(
    "/v1/staff/<username>",
    summary="删除工作人员账号",
    openapi_extensions=OPERATOR,
    status_code=204,
    responses={204: {"description": "已删除"}},
)
def delete_staff(username: str) -> Response[None]:
    auth.delete_staff(http.principal(app), username)
    return Response(status_code=204)


@logger.inject_lambda_context(log_event=False)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
