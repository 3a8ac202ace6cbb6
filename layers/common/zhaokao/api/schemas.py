"""Request and response models of the HTTP API. Unknown fields are refused (422)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from ..domain.policy import SEASON_ID
from .base import Day, Request, Response, View


class OtpRequest(Request):
    phone: str = Field(min_length=1, max_length=20, description="手机号")
    captcha_id: str | None = Field(
        default=None, min_length=1, max_length=64, description="图形验证码编号（要求时必填）"
    )
    captcha_answer: str | None = Field(default=None, max_length=16, description="图形验证码")


class PhoneCodesSent(Response):
    sent_to: str = Field(description="新手机号（脱敏）")
    old_sent_to: str = Field(description="原手机号（脱敏）")
    resend_after: int


class PhoneChangeRequest(Request):
    phone: str = Field(min_length=1, max_length=20, description="新手机号")
    old_code: str = Field(min_length=1, max_length=12, description="原手机号收到的验证码")
    new_code: str = Field(min_length=1, max_length=12, description="新手机号收到的验证码")


class Captcha(Response):
    captcha_id: str
    image: str = Field(description="图片（PNG data URL）")
    expires_in: int = Field(description="有效期（秒）")


class OtpSent(Response):
    sent_to: str
    resend_after: int


class RegistrationRequest(Request):
    name: str = Field(min_length=1, max_length=30, description="姓名")
    id_number: str = Field(min_length=1, max_length=24, description="居民身份证号码")
    phone: str = Field(min_length=1, max_length=20, description="手机号")
    otp: str = Field(min_length=1, max_length=8, description="短信验证码")
    password: str = Field(min_length=1, max_length=64)
    county_code: str | None = Field(default=None, description="户籍或居住证所在县（宁夏）")
    residence_permit: bool = Field(default=False, description="凭居住证报名（宁夏）")
    pledge: bool = Field(description="已阅读并同意报考须知和诚信承诺书（须为 true）")


class Registered(Response):
    candidate_id: str
    status: str


class TokenRequest(Request):
    season_id: str = Field(pattern=SEASON_ID, max_length=64)
    phone: str = Field(min_length=1, max_length=20)
    password: str = Field(min_length=1, max_length=64)


class StaffTokenRequest(Request):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=64)
    code: str | None = Field(
        default=None, max_length=20, description="身份验证器的6位动态码，或一个恢复码"
    )


class Tokens(Response):
    access_token: str = Field(description="访问令牌（JWT，15分钟）")
    refresh_token: str | None = Field(default=None, description="刷新令牌（每次使用后更换）")
    expires_in: int
    token_type: str


class RefreshRequest(Request):
    refresh_token: str = Field(min_length=1, max_length=200)


class PasswordChangeRequest(Request):
    old_password: str = Field(min_length=1, max_length=64, description="原密码")
    new_password: str = Field(min_length=1, max_length=64, description="新密码")


class PasswordResetRequest(Request):
    phone: str = Field(min_length=1, max_length=20, description="手机号")
    otp: str = Field(min_length=1, max_length=8, description="短信验证码")
    password: str = Field(min_length=1, max_length=64, description="新密码")


class EnrolmentRequest(Request):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=64)


class Enrolment(Response):
    secret: str = Field(description="身份验证器密钥（无法扫码时手动输入）")
    otpauth_uri: str
    qr_svg: str = Field(description="二维码（SVG data URI）")


class ActivationRequest(EnrolmentRequest):
    code: str = Field(min_length=6, max_length=6, description="身份验证器上的6位动态码")


class Activated(Tokens):
    recovery_codes: list[str] = Field(description="恢复码（仅显示一次，每个只能使用一次）")


class Done(Response):
    done: bool = True


class Me(Response):
    candidate_id: str
    season_id: str
    name: str
    id_number: str = Field(description="脱敏后的身份证号")
    phone: str = Field(description="脱敏后的手机号")
    college_code: str | None
    major_code: str | None
    county_code: str | None
    status: str
    editable: bool = Field(description="报名信息可修改（提交前或退回修改后）")
    profile: dict[str, Any] | None = None
    documents: dict[str, Any] = Field(default_factory=dict, description="各项材料的检查结果")
    checks: list[dict[str, Any]] = Field(default_factory=list, description="资格自动校验结果")
    approvals: dict[str, Any] | None = Field(default=None, description="审核通过的免试/照顾资格")
    correct_until: str | None = Field(
        default=None, description="退回修改：须在此时间前修改并重新提交（北京时间）"
    )
    integrity: list[dict[str, Any]] = Field(
        default_factory=list, description="诚信：记录在案的违规处理（类别、决定文号、后果）"
    )
    on_site_steps: dict[str, Any] = Field(
        default_factory=dict, description="现场审核及免试审批各环节：谁、何时记录"
    )
    exam_number: str | None = Field(default=None, description="准考证号（考场编排后）")
    uploads_needed: list[dict[str, Any]] = Field(default_factory=list, description="须上传的材料")
    missing: list[str] = Field(default_factory=list, description="提交前尚缺的信息或材料")
    registered_at: str
    pledged_at: str | None = Field(description="同意报考须知和诚信承诺书的时间")
    version: int


class Address(Request):
    """录取通知书邮寄地址 (R4.1)."""

    recipient: str = Field(min_length=2, max_length=30)
    phone: str = Field(min_length=11, max_length=20)
    province: str = Field(min_length=2, max_length=20)
    city: str = Field(min_length=2, max_length=30)
    address: str = Field(min_length=4, max_length=120)
    postcode: str = Field(pattern=r"^\d{6}$")


class Competition(Request):
    """竞赛获奖信息 (R4.2, Hunan)."""

    event: str = Field(min_length=2, max_length=60, description="获奖赛事")
    item: str = Field(min_length=2, max_length=60, description="赛项")
    award_level: str = Field(min_length=2, max_length=20, description="获奖等级")
    award_date: Day = Field(description="获奖时间")


class ProfileRequest(Request):
    """信息完善 (R4.1, R4.2). ``version`` is the record version the candidate read."""

    version: int = Field(ge=1)
    native_place: str = Field(min_length=2, max_length=40, description="籍贯")
    mailing_address: Address
    category: str = Field(default="ordinary", description="报考类别")
    level: str | None = Field(default=None, description="报考层次（考试季分层次时）")
    education: str | None = Field(default=None, description="最高学历")
    # the fields below: only those the season declares (policy profile_fields)
    lost_diploma: bool = False
    medical_certificate: bool = False
    bonus_claims: list[str] = Field(default_factory=list, max_length=10)
    competition: Competition | None = None
    fresh_graduate: bool = Field(default=True, description="应届毕业生（否则须上传毕业证书）")
    merit_third_class: bool = Field(default=False, description="荣立三等功及以上（退役士兵）")
    medical_major: bool = Field(default=False, description="报考医学门类专业")
    medical_graduate: bool = Field(default=False, description="医学类专科毕业（专升本）")
    hmt_or_foreign: bool = Field(default=False, description="港澳台居民或外籍人员")
    ethnicity: str | None = Field(default=None, max_length=12, description="民族")
    current_student: bool = Field(default=False, description="国家承认学历的各类高、中等学校在校生")
    out_of_province_household: bool = Field(default=False, description="户籍不在本省（省外户籍）")
    accessible_room: bool = Field(default=False, description="需要无障碍考场")


class SubmitRequest(Request):
    """提交（宁夏：确认）报名信息. ``version`` is the record version the candidate read."""

    version: int = Field(ge=1)


class UploadRequest(Request):
    code: str = Field(min_length=1, max_length=40, description="材料代码（photo 为证件照）")
    content_type: str = Field(min_length=1, max_length=60, description="文件类型")


class UploadForm(Response):
    code: str
    key: str
    max_bytes: int
    url: str
    fields: dict[str, str]


class SchoolChoice(Request):
    school: str = Field(min_length=1, max_length=20, description="院校代码")
    majors: list[str] = Field(min_length=1, max_length=5, description="专业代码，按志愿顺序")


class PreferencesRequest(Request):
    """志愿 (R8). ``version`` is the record version the candidate read."""

    version: int = Field(ge=1)
    plan_type: str | None = Field(default=None, max_length=40, description="计划类别（湖南）")
    level: str | None = Field(default=None, max_length=10, description="报考层次（宁夏）")
    subject_category: str | None = Field(
        default=None, max_length=20, description="学科门类（宁夏专升本）"
    )
    schools: list[SchoolChoice] = Field(min_length=1, max_length=5, description="院校志愿，按顺序")
    adjust: bool = Field(default=False, description="服从专业调剂（宁夏，R13.4）")


class RestoreRequest(Request):
    no: int = Field(ge=1, description="要恢复的志愿版本号")
    version: int = Field(ge=1)


# -- what it answers ------------------------------------------------------------------
class Jwk(View):
    kty: str
    use: str
    alg: str
    kid: str
    n: str
    e: str


class Jwks(View):
    keys: list[Jwk]


class OpenIdConfiguration(View):
    issuer: str
    jwks_uri: str
    id_token_signing_alg_values_supported: list[str]
    response_types_supported: list[str]
    subject_types_supported: list[str]


class GatewayAnswer(View):
    """The answer an SMS gateway expects to a receipt callback."""

    code: int
    msg: str


class ProviderAnswer(View):
    """The answer a payment provider expects to a notification (SUCCESS or FAIL)."""

    code: str
    message: str


class PlanRow(View):
    school_code: str
    school_name: str
    major_code: str
    major_name: str
    plan_type: str | None
    level: str | None
    seats: int | None
    medical: bool


class CataloguePage(View):
    total: int
    items: list[PlanRow]


class MarkedPlan(PlanRow):
    not_allowed: str | None = Field(
        description="本人不能填报的原因（如非相同或相近专业）；可填报时为空"
    )


class MarkedCatalogue(View):
    total: int
    items: list[MarkedPlan]


class Preferences(View):
    """A candidate's current choice and what may be chosen (R8)."""

    choice: dict[str, Any] | None
    saved: int = Field(description="已保存的版本数")
    confirmed: bool
    offered_plan_types: list[str]
    fee: int | None = Field(description="应缴报名考试费（元）")
    version: int


class PreferenceVersion(View):
    no: int
    choice: dict[str, Any] | None
    saved_at: str
    by: str
    restored_from: int | None


class PreferencesPage(Preferences):
    rules: list[str]
    history: list[PreferenceVersion]
    labels: dict[str, str] = Field(description="院校与专业代码的名称")


class PaymentView(View):
    status: str = Field(description="NONE / PENDING / PAID / CLOSED")
    out_trade_no: str | None = None
    amount_yuan: float | None = None
    transaction_id: str | None = None
    paid_at: str | None = None
    blocked: str | None = Field(default=None, description="现在不能缴费的原因")
    pay_url: str | None = Field(default=None, description="支付页面（新建订单时）")


class SubjectScore(View):
    subject: str
    name: str
    score: int | None = Field(description="成绩；缺考时为空")
    absent: bool


class MyScores(View):
    """成绩查询 (R11, R12.1): the bonus apart from the raw total."""

    exam_number: str | None
    subjects: list[SubjectScore]
    total: int | None = Field(description="各科合计（不含照顾分）；成绩无效或全部缺考时为空")
    bonus: int = Field(description="录取照顾分（只取最高一项）")
    total_with_bonus: int | None
    absent: bool
    void: bool
    note: str | None
    reviews: dict[str, Any] = Field(description="成绩复核：科目 → 申请与结果")


class DraftCheck(View):
    """One automatic check (R5.4) a profile not yet saved would not pass."""

    rule: str
    requirement: str
    outcome: str = Field(description="fail（资格自动校验不通过）或 on_site（须现场审核）")
    reason: str
    description: str


class LetterMailed(View):
    carrier: str
    tracking_number: str


class MyAdmission(View):
    """录取查询 (R13): the outcome with its explanation in words."""

    admitted: bool
    cancelled: bool = Field(description="录取后因弄虚作假被取消")
    school: str | None
    school_name: str | None
    major: str | None
    major_name: str | None
    round: int | None = Field(description="第几轮（志愿）录取")
    adjusted: bool = Field(description="服从调剂录取")
    score: int | None = Field(description="录取时的成绩（含照顾分）；免试为空")
    reason: str | None = Field(description="录取或未录取的说明")
    letter: LetterMailed | None = Field(description="录取通知书寄送")


class SupplementaryRequest(Request):
    """征集志愿 (R13.3): one school and major of a special plan with seats left."""

    school: str = Field(min_length=1, max_length=20, description="院校代码")
    major: str = Field(min_length=1, max_length=20, description="专业代码")
    plan_type: str = Field(min_length=1, max_length=40, description="专项计划类别")


class SupplementaryChoice(View):
    school: str
    major: str
    plan_type: str
    filed_at: str


class ScoreReviewRequest(Request):
    subject: str = Field(min_length=1, max_length=40, description="申请复核的科目代码")
