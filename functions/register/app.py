"""Candidates' API: seasons, phone codes, registration, sign-in, my record (R1, R3)."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body, Query
from aws_lambda_powertools.utilities.typing import LambdaContext

from zhaokao.adapters import sms
from zhaokao.api import http
from zhaokao.api.schemas import (
    Activated,
    ActivationRequest,
    Captcha,
    CataloguePage,
    Done,
    DraftCheck,
    Enrolment,
    EnrolmentRequest,
    GatewayAnswer,
    Jwks,
    MarkedCatalogue,
    Me,
    MyAdmission,
    MyScores,
    OpenIdConfiguration,
    OtpRequest,
    OtpSent,
    PasswordChangeRequest,
    PasswordResetRequest,
    PaymentView,
    PhoneChangeRequest,
    PhoneCodesSent,
    Preferences,
    PreferencesPage,
    PreferencesRequest,
    ProfileRequest,
    ProviderAnswer,
    RefreshRequest,
    Registered,
    RegistrationRequest,
    RestoreRequest,
    ScoreReviewRequest,
    StaffTokenRequest,
    SubmitRequest,
    SupplementaryChoice,
    SupplementaryRequest,
    TokenRequest,
    Tokens,
    UploadForm,
    UploadRequest,
)
from zhaokao.api.views import AuditEntry, Labels, SeasonView
from zhaokao.domain import labels
from zhaokao.domain.errors import DomainError
from zhaokao.domain.registration import RegistrationForm
from zhaokao.service import (
    admission_candidates,
    auth,
    codes,
    documents,
    notify,
    payments,
    preferences,
    printing,
    registration,
    scores,
    seasons,
    submission,
    tickets,
)

logger = Logger(service="register")
app = http.Api()
CANDIDATE = http.allow("candidate")


@app.get("/v1/seasons", summary="考试季列表")
def list_seasons() -> list[SeasonView]:
    return seasons.summaries()


@app.get("/v1/labels", summary="状态、操作与结论的中文名称（网页显示用）")
def get_labels() -> Labels:
    return Labels(**labels.catalogue())


@app.get("/v1/seasons/<season_id>", summary="考试季：政策摘要、各时间段与当前阶段")
def get_season(season_id: str) -> SeasonView:
    return seasons.summary(season_id)


def _asker(body: OtpRequest) -> codes.Asker:
    return codes.Asker(http.client_address(app), body.captcha_id, body.captcha_answer)


@app.post("/v1/captcha", summary="获取图形验证码（获取短信验证码较频繁时须填写）", status_code=201)
def new_captcha() -> Captcha:
    return codes.new_challenge()


@app.post(
    "/v1/seasons/<season_id>/otp",
    summary="获取手机验证码",
    openapi_extensions=http.errors(403, 429),
)
def request_otp(season_id: str, body: Annotated[OtpRequest, Body()]) -> OtpSent:
    return registration.send_otp(season_id, body.phone, _asker(body))


@app.post(
    "/v1/seasons/<season_id>/registrations",
    summary="考生注册",
    status_code=201,
    openapi_extensions=http.errors(403, 409),
)
def register(season_id: str, body: Annotated[RegistrationRequest, Body()]) -> Registered:
    result = registration.register(season_id, RegistrationForm(**body.model_dump()))
    logger.info(
        "registered", extra={"season_id": season_id, "candidate_id": result["candidate_id"]}
    )
    return Registered(**result)


@app.post("/v1/auth/token", summary="考生登录", openapi_extensions=http.errors(401, 429))
def sign_in(body: Annotated[TokenRequest, Body()]) -> Tokens:
    client = http.client_address(app)
    return auth.candidate_sign_in(body.season_id, body.phone, body.password, client)


@app.post(
    "/v1/auth/staff-token",
    summary="工作人员登录（须身份验证器动态码）",
    openapi_extensions=http.errors(401, 429),
)
def staff_sign_in(body: Annotated[StaffTokenRequest, Body()]) -> Tokens:
    client = http.client_address(app)
    return auth.staff_sign_in(body.username, body.password, body.code, client)


@app.post(
    "/v1/auth/refresh",
    summary="刷新令牌（刷新令牌每次使用后更换）",
    openapi_extensions=http.errors(401),
)
def refresh(body: Annotated[RefreshRequest, Body()]) -> Tokens:
    return auth.refresh(body.refresh_token)


@app.post(
    "/v1/auth/sign-out", summary="退出登录（刷新令牌作废）", openapi_extensions=http.errors(401)
)
def sign_out(body: Annotated[RefreshRequest, Body()]) -> Done:
    auth.sign_out(body.refresh_token)
    return Done()


@app.post(
    "/v1/auth/totp/enrolment",
    summary="绑定身份验证器：获取密钥与二维码",
    openapi_extensions=http.errors(401, 409, 429),
)
def enrol(body: Annotated[EnrolmentRequest, Body()]) -> Enrolment:
    client = http.client_address(app)
    return auth.enrol_second_factor(body.username, body.password, client)


@app.post(
    "/v1/auth/totp/activation",
    summary="绑定身份验证器：验证首个动态码，获取恢复码",
    openapi_extensions=http.errors(401, 409, 429),
)
def activate(body: Annotated[ActivationRequest, Body()]) -> Activated:
    client = http.client_address(app)
    return auth.activate_second_factor(body.username, body.password, body.code, client)


@app.post(
    "/v1/seasons/<season_id>/password-reset/otp",
    summary="忘记密码：获取短信验证码",
    openapi_extensions=http.errors(429),
)
def reset_code(season_id: str, body: Annotated[OtpRequest, Body()]) -> OtpSent:
    return auth.send_reset_code(season_id, body.phone, _asker(body))


@app.post(
    "/v1/seasons/<season_id>/password-reset",
    summary="忘记密码：凭验证码设置新密码",
    openapi_extensions=http.errors(409),
)
def reset_password(season_id: str, body: Annotated[PasswordResetRequest, Body()]) -> Done:
    auth.reset_password(season_id, body.phone, body.otp, body.password)
    return Done()


@app.post(
    "/v1/me/password", summary="修改密码（其他设备的登录随之失效）", openapi_extensions=CANDIDATE
)
def change_password(body: Annotated[PasswordChangeRequest, Body()]) -> Tokens:
    who = http.principal(app)
    return auth.change_password(who, body.old_password, body.new_password)


@app.get("/.well-known/jwks.json", summary="令牌验证公钥（JWKS）")
def jwks() -> Jwks:
    return auth.jwks()


@app.get("/.well-known/openid-configuration", summary="令牌签发方信息")
def openid_configuration() -> OpenIdConfiguration:
    return auth.openid_configuration()


@app.post(
    "/v1/sms/receipts",
    summary="短信状态回执（短信网关回调）",
    responses=http.answers(GatewayAnswer, 200, 401),
)
def sms_receipts() -> Response[GatewayAnswer]:
    """R16.2: the gateway's delivery receipts, verified by their signature."""
    event = app.current_event
    try:
        body = (event.decoded_body or "").encode()
        reports = sms.verify_receipts(dict(event.headers), event.path, body)
    except DomainError as exc:
        logger.warning("SMS receipts refused", extra={"security_event": exc.code})
        refused = GatewayAnswer(code=1, msg=exc.message)
        return Response(status_code=401, content_type="application/json", body=refused)
    notify.receipts(reports)
    return Response(200, "application/json", GatewayAnswer(code=0, msg="成功"))


@app.get("/v1/me", summary="我的报名信息", openapi_extensions=CANDIDATE)
def me() -> Me:
    return registration.me(http.principal(app))


@app.post(
    "/v1/me/phone/otp",
    summary="更换手机号：向原号码和新号码各发送验证码",
    openapi_extensions=http.errors(429, roles=CANDIDATE),
)
def phone_codes(body: Annotated[OtpRequest, Body()]) -> PhoneCodesSent:
    who = http.principal(app)
    return registration.send_phone_codes(who, body.phone, _asker(body))


@app.put("/v1/me/phone", summary="更换手机号（凭两个验证码）", openapi_extensions=CANDIDATE)
def change_phone(body: Annotated[PhoneChangeRequest, Body()]) -> Me:
    who = http.principal(app)
    return registration.change_phone(who, body.phone, body.old_code, body.new_code)


PDF = http.file_answer("PDF文件（下载）", "application/pdf")


@app.get(
    "/v1/me/registration-form",
    summary="打印报名信息表（提交后）",
    responses=PDF,
    openapi_extensions=http.errors(422, roles=CANDIDATE),
)
def registration_form():  # type: ignore[no-untyped-def]  # PDF bytes: no model to validate
    name, pdf = printing.registration_form(http.principal(app))
    return Response(200, "application/pdf", pdf, headers=http.attachment(name))


@app.get(
    "/v1/me/ticket",
    summary="打印准考证（准考证打印时间内）",
    responses=PDF,
    openapi_extensions=http.errors(403, 422, roles=CANDIDATE),
)
def admission_ticket():  # type: ignore[no-untyped-def]  # PDF bytes: no model to validate
    name, pdf = tickets.ticket(http.principal(app))
    return Response(200, "application/pdf", pdf, headers=http.attachment(name))


@app.get(
    "/v1/me/scores",
    summary="成绩查询（成绩发布后）",
    openapi_extensions=http.errors(403, 422, roles=CANDIDATE),
)
def my_scores() -> MyScores:
    return scores.mine(http.principal(app))


@app.get(
    "/v1/me/admission",
    summary="录取查询（录取查询时间内）",
    openapi_extensions=http.errors(403, 422, roles=CANDIDATE),
)
def my_admission() -> MyAdmission:
    return admission_candidates.mine(http.principal(app))


@app.post(
    "/v1/me/supplementary-choice",
    summary="填报征集志愿（征集志愿填报时间内）",
    openapi_extensions=http.errors(403, 422, roles=CANDIDATE),
)
def file_supplementary(body: Annotated[SupplementaryRequest, Body()]) -> SupplementaryChoice:
    who = http.principal(app)
    filed = admission_candidates.file_supplementary(who, body.school, body.major, body.plan_type)
    return SupplementaryChoice(**filed)


@app.post(
    "/v1/me/score-reviews",
    summary="申请成绩复核（复核申请时间内）",
    status_code=201,
    openapi_extensions=http.errors(403, 409, 422, roles=CANDIDATE),
)
def request_score_review(body: Annotated[ScoreReviewRequest, Body()]) -> MyScores:
    return scores.request_review(http.principal(app), body.subject)


@app.put("/v1/me/profile", summary="信息完善（提交前或退回后可修改）", openapi_extensions=CANDIDATE)
def save_profile(body: Annotated[ProfileRequest, Body()]) -> Me:
    profile = body.model_dump(mode="json", exclude={"version"})
    return registration.save_profile(http.principal(app), profile, body.version)


@app.post(
    "/v1/me/profile/check",
    summary="保存前预先校验报名信息（不保存）：会导致资格自动校验不通过或须现场审核的项目",
    openapi_extensions=CANDIDATE,
)
def check_profile(body: Annotated[ProfileRequest, Body()]) -> list[DraftCheck]:
    profile = body.model_dump(mode="json", exclude={"version"})
    return [DraftCheck(**c) for c in registration.check_draft(http.principal(app), profile)]


@app.get("/v1/me/timeline", summary="我的报名进程", openapi_extensions=CANDIDATE)
def timeline() -> list[AuditEntry]:
    return registration.timeline(http.principal(app))


@app.post(
    "/v1/me/uploads",
    summary="上传材料（返回签名上传表单）",
    openapi_extensions=CANDIDATE,
    status_code=201,
)
def upload(body: Annotated[UploadRequest, Body()]) -> UploadForm:
    return documents.upload_form(http.principal(app), body.code, body.content_type)


@app.post(
    "/v1/me/submission",
    summary="提交报名信息（宁夏：确认，确认后锁定）",
    openapi_extensions=CANDIDATE,
)
def submit(body: Annotated[SubmitRequest, Body()]) -> Me:
    return submission.submit(http.principal(app), body.version)


@app.get("/v1/seasons/<season_id>/catalogue", summary="招生计划查询")
def browse_catalogue(
    season_id: str,
    plan_type: Annotated[str | None, Query(max_length=40, description="计划类别或学科门类")] = None,
    level: Annotated[str | None, Query(max_length=10)] = None,
    q: Annotated[str | None, Query(max_length=40, description="院校或专业名称")] = None,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> CataloguePage:
    return preferences.browse(season_id, plan_type, level, q, offset, limit)


@app.get(
    "/v1/me/catalogue",
    summary="招生计划查询（标明本人能否填报，如是否相同或相近专业）",
    openapi_extensions=CANDIDATE,
)
def my_catalogue(
    plan_type: Annotated[str | None, Query(max_length=40, description="计划类别或学科门类")] = None,
    level: Annotated[str | None, Query(max_length=10)] = None,
    q: Annotated[str | None, Query(max_length=40, description="院校或专业名称")] = None,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> MarkedCatalogue:
    who = http.principal(app)
    return preferences.browse_for(who, plan_type, level, q, offset, limit)


@app.get("/v1/me/preferences", summary="我的志愿（含历史版本）", openapi_extensions=CANDIDATE)
def my_preferences() -> PreferencesPage:
    return preferences.show(http.principal(app))


@app.put("/v1/me/preferences", summary="填报或修改志愿", openapi_extensions=CANDIDATE)
def save_preferences(body: Annotated[PreferencesRequest, Body()]) -> Preferences:
    choice = body.model_dump(exclude={"version"}, exclude_none=True)
    return preferences.save(http.principal(app), choice, body.version)


@app.post("/v1/me/preferences/restore", summary="恢复为历史志愿版本", openapi_extensions=CANDIDATE)
def restore_preferences(body: Annotated[RestoreRequest, Body()]) -> Preferences:
    return preferences.restore(http.principal(app), body.no, body.version)


@app.post(
    "/v1/me/preferences/confirmation",
    summary="确认志愿（宁夏，确认后不能修改）",
    openapi_extensions=CANDIDATE,
)
def confirm_preferences(body: Annotated[SubmitRequest, Body()]) -> Preferences:
    return preferences.confirm(http.principal(app), body.version)


@app.post(
    "/v1/me/payment",
    summary="缴费：创建支付订单（返回支付页面）",
    openapi_extensions=CANDIDATE,
    status_code=201,
)
def start_payment() -> PaymentView:
    return payments.start(http.principal(app))


@app.get("/v1/me/payment", summary="缴费状态与凭证", openapi_extensions=CANDIDATE)
def payment_status() -> PaymentView:
    return payments.status(http.principal(app))


@app.post(
    "/v1/payments/notify",
    summary="支付结果通知（支付机构回调）",
    responses=http.answers(ProviderAnswer, 200, 401),
)
def payment_notify() -> Response[ProviderAnswer]:
    """R9.3: answered SUCCESS once verified and queued; anything else is FAIL, and logged
    as a security event (never with the body: it may carry personal data)."""
    event = app.current_event
    try:
        payments.notify(dict(event.headers), event.decoded_body or "")
    except DomainError as exc:
        logger.warning("payment notification refused", extra={"security_event": exc.code})
        return _provider_answer(401, "FAIL", exc.message)
    return _provider_answer(200, "SUCCESS", "成功")


def _provider_answer(status: int, code: str, message: str) -> Response[ProviderAnswer]:
    body = ProviderAnswer(code=code, message=message)
    return Response(status_code=status, content_type="application/json", body=body)


@app.get("/v1/openapi.json", summary="OpenAPI 文档", include_in_schema=False)
def openapi() -> dict[str, Any]:
    return http.openapi_document()


@logger.inject_lambda_context(log_event=False)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
