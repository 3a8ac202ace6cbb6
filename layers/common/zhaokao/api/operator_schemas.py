"""Request models of the operators' routes (kept apart: candidates' cold starts skip them)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from ..domain.integrity import Violation
from ..domain.policy import SEASON_ID
from .base import Day, Moment, Request, Response, View
from .views import ComplaintView


class ClockRequest(Request):
    at: Moment | None = Field(description="考试季时钟设为该时刻（北京时间）；null 恢复真实时间")


class ExtensionRequest(Request):
    end: Moment
    reason: str = Field(min_length=2, max_length=200)


class AnnouncementRequest(Request):
    """A window the policy leaves to a later notice (另行通知), announced once."""

    start: Moment
    end: Moment
    reason: str = Field(min_length=2, max_length=200, description="通知文号或说明")


class ViolationRequest(Request):
    """诚信: a violation the authority decided, with its decision document's number."""

    kind: Violation = Field(description="cheating 考试作弊（成绩无效）/ fraud 弄虚作假（取消资格）")
    decision_no: str = Field(min_length=2, max_length=60, description="处理决定文号")
    description: str = Field(min_length=2, max_length=300, description="违规事实")
    ban_until: Day | None = Field(default=None, description="暂停参加考试至（含）")


class IntegrityView(View):
    candidate_id: str
    status: str
    violations: list[dict[str, Any]]
    scores_void: bool
    cancelled: bool


class SeasonCreateRequest(Request):
    season_id: str = Field(pattern=SEASON_ID, max_length=64)
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


class StaffCreateRequest(Request):
    """A staff account (R15.1): its role and the scope the role needs."""

    username: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]{2,63}$", description="用户名")
    role: Literal[
        "college_reviewer",
        "county_reviewer",
        "provincial_reviewer",
        "school_admissions",
        "operator",
    ]
    unit: str | None = Field(default=None, max_length=20, description="院校、县或招生学校代码")
    season: str | None = Field(default=None, max_length=60, description="考试季")
    password: str = Field(min_length=1, max_length=64, description="初始密码")


class StaffResetRequest(Request):
    password: str = Field(min_length=1, max_length=64, description="临时密码")
    second_factor: bool = Field(default=False, description="同时解除身份验证器绑定")


class StaffStatusRequest(Request):
    disabled: bool


class StaffView(Response):
    username: str
    role: str
    unit: str | None
    season: str | None
    second_factor: bool
    disabled: bool


# -- what it answers ------------------------------------------------------------------
class SittersLoaded(View):
    season_id: str
    previous_season: str
    loaded: int


class Backlog(View):
    unit: str
    name: str
    pending: int
    oldest_hours: float | None


class RowProblem(View):
    row: int
    field: str | None
    message: str


class CatalogueImported(View):
    kind: str
    rows: int
    imported: int
    removed: int
    problems: list[RowProblem]


class Difference(View):
    kind: str
    out_trade_no: str
    transaction_id: str | None = None
    amount: int | None = None


class Reconciliation(View):
    day: str
    statement: int
    ledger: int
    differences: list[Difference]
    differences_total: int
    reconciled_at: str


class ComplaintFull(ComplaintView):
    """What operators see: who complained and what they wrote (the phone masked)."""

    name: str
    phone: str
    content: str


class PaperTime(Request):
    subject: str = Field(min_length=1, max_length=40, description="科目代码")
    start: Moment = Field(description="开始时间（北京时间）")
    end: Moment = Field(description="结束时间（北京时间）")


class TimetableRequest(Request):
    """考试时间表 (R10.5): every paper of the season with its time, replacing the last."""

    sessions: list[PaperTime] = Field(min_length=1, max_length=60)
    reason: str = Field(min_length=2, max_length=200, description="录入或更正的依据")


class SchoolPaper(PaperTime):
    subject: str = Field(pattern=r"^[A-Za-z0-9_]{1,20}$", description="科目代码（成绩文件用）")
    name: str = Field(min_length=1, max_length=30, description="科目名称")
    full_marks: int = Field(gt=0, le=1000, description="满分")


class SchoolExamRequest(Request):
    """R10.4: a school's own exam — its papers, its place and its rooms (seats per room)."""

    place: str = Field(min_length=1, max_length=60, description="考点名称")
    address: str = Field(min_length=1, max_length=100, description="考点地址")
    rooms: list[Annotated[int, Field(gt=0, le=100)]] = Field(
        min_length=1, max_length=500, description="各考场的座位数"
    )
    papers: list[SchoolPaper] = Field(min_length=1, max_length=10)
    reason: str = Field(min_length=2, max_length=200, description="录入或更正的依据")


class SchoolPaperView(View):
    subject: str
    name: str
    start: str
    end: str
    full_marks: int
    when: str = Field(description="考试时间（准考证上的写法）")


class SchoolExam(View):
    school: str
    place: str
    address: str
    rooms: list[int]
    seats: int = Field(description="座位总数")
    papers: list[SchoolPaperView]
    moved: list[str] | None = Field(
        default=None, description="时间变动的科目（已安排考场的考生将收到短信）"
    )


class PaperTimeView(View):
    subject: str
    name: str
    start: str
    end: str


class TimetableSet(View):
    timetable: list[PaperTimeView]
    moved: list[str] = Field(description="时间变动的科目（相关考生将收到短信）")


class CountyNote(View):
    county: str = Field(description="考生报名的县（市、区）")
    sitters: int
    host: str | None = Field(description="考试所在县（市、区）；空：无法安排")
    reason: str


class ArrangementRun(View):
    """考场编排 (R10.1): a run's progress — seats written of all, new, moved, kept."""

    run_id: str
    season_id: str
    status: str = Field(description="awaiting_upload（排队中）、processing、done、failed")
    seats: int
    written: int
    progress: float
    new: int
    moved: int
    kept: int
    unplaced: int = Field(description="无法安排考场的考生人数（见各县区说明）")
    notes: list[CountyNote] = Field(
        description="各县区的安排说明：到相邻县区考试，或无法安排及原因"
    )
    error: str | None
    created_at: str
    finished_at: str | None


class SiteCount(View):
    county: str
    site: str
    name: str
    seated: int


class Seating(View):
    season_id: str
    seated: int
    sites: list[SiteCount]


class ScoresImported(View):
    """成绩导入 (R11): every bad row reported; nothing imported while one is."""

    rows: int
    imported: int
    candidates: int
    problems: list[RowProblem]


class ScoreStatistics(View):
    """A level and subject group's totals (R13.1: what cutoff lines are set from)."""

    group: str
    name: str = Field(description="层次·科类")
    count: int
    mean: float | None
    min: int | None = None
    max: int | None = None
    quartiles: list[float]
    histogram: list[dict[str, int]]


class ReviewOutcomeRequest(Request):
    """成绩复核的结果: the score after review (null: 缺考), and what was found."""

    score: int | None = Field(ge=0, le=1000)
    note: str = Field(min_length=2, max_length=200, description="复核说明")


class ReviewOutcome(View):
    candidate_id: str
    subject: str
    state: str = Field(description="changed（成绩更正）或 unchanged（维持原成绩）")
    requested_at: str
    score_before: int | None
    score_after: int | None
    note: str
    decided_by: str
    decided_at: str


# -- 录取 (R13-R15) ----------------------------------------------------------------------
class CutoffLine(Request):
    level: str = Field(min_length=1, max_length=10, description="层次")
    category: str = Field(default="", max_length=20, description="科类（不分科类时为空）")
    line: int = Field(ge=0, le=2000, description="录取控制分数线（含照顾加分比较）")


class CutoffLinesRequest(Request):
    lines: list[CutoffLine] = Field(min_length=1, max_length=100)


class CutoffLineView(View):
    level: str
    category: str
    line: int
    label: str


class CutoffLines(View):
    lines: list[CutoffLineView]


class AdmissionStartRequest(Request):
    what_if: bool = Field(default=False, description="试算：用本季数据演算，不审核、不发布")
    stage: Literal["main", "supplementary"] = Field(
        default="main", description="main 正式录取；supplementary 征集志愿（在已发布结果上补录）"
    )


class RunLine(View):
    level: str
    category: str
    line: int


class SchoolApproval(View):
    school: str
    name: str
    admitted: int
    approved: bool
    by: str | None = None
    at: str | None = None


class AdmissionRun(View):
    """A run of the admission allocation: its state, the inputs' digests, what it admitted,
    and each school's list as approved."""

    run_id: str
    status: str = Field(
        description="running 执行中、awaiting_approval 待审核、published 已发布（现行）、"
        "superseded 已被新发布的批次取代、done 试算完成、failed 失败"
    )
    what_if: bool
    stage: str = Field(description="main 正式录取；supplementary 征集志愿")
    base_run: str | None = Field(description="征集志愿所补录的已发布批次")
    lines: list[RunLine]
    digests: dict[str, str]
    summary: dict[str, Any] = Field(description="录取人数（按轮次、调剂）、剩余计划、建议分数线")
    schools: list[SchoolApproval]
    in_force: bool = Field(description="现行有效的录取结果（每个考试季至多一个）")
    superseded_by: str | None = Field(description="取代本批次的发布批次")
    error: str | None
    created_by: str | None
    created_at: str | None
    finished_at: str | None


class ApprovalRequest(Request):
    school: str = Field(min_length=1, max_length=20, description="院校代码")


class PublicationRequest(Request):
    admitted: int = Field(ge=0, le=10_000_000, description="确认发布的录取人数（须与本批次一致）")


class RejectionRequest(Request):
    reason: str = Field(min_length=2, max_length=300)


class FailedRecheck(View):
    candidate_id: str
    school: str
    identity_ok: bool
    proofs_ok: bool
    passed: bool
    note: str
    by: str
    at: str


class Letter(View):
    carrier: str
    tracking_number: str
    by: str | None = None
    at: str | None = None


class Recheck(View):
    identity_ok: bool
    proofs_ok: bool
    passed: bool
    note: str
    by: str
    at: str


class Admitted(View):
    candidate_id: str
    name: str
    id_masked: str
    exam_number: str | None
    major: str | None
    major_name: str | None
    round: int | None
    adjusted: bool
    score: int | None
    letter: Letter | None
    recheck: Recheck | None


class LetterRequest(Request):
    carrier: str = Field(min_length=2, max_length=20, description="寄递单位，如 中国邮政EMS")
    tracking_number: str = Field(pattern=r"^[A-Za-z0-9]{6,30}$", description="快递单号")


class RecheckRequest(Request):
    identity_ok: bool = Field(description="身份核验（本人、身份证件）一致")
    proofs_ok: bool = Field(description="照顾加分、免试材料与录取依据一致")
    note: str = Field(default="", max_length=300, description="不通过时写明情况")
