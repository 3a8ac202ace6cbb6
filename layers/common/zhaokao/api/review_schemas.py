"""Request models of the reviewers' routes (R6)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from ..domain.review import Decision
from .base import Request, View
from .views import AuditEntry


class DecisionRequest(Request):
    decision: Decision = Field(
        description="approve 通过 / reject 不通过 / send_back 退回修改 / call_on_site 现场审核"
    )
    reason: str | None = Field(default=None, max_length=300, description="原因（除通过外必填）")
    version: int = Field(ge=1, description="打开材料时读到的记录版本")


class BatchItem(Request):
    candidate_id: str = Field(min_length=1, max_length=64)
    version: int = Field(ge=1)


class BatchApprovalRequest(Request):
    items: list[BatchItem] = Field(min_length=1, max_length=100)


class ComplaintRequest(Request):
    """对公示名单的举报 (R7.2)."""

    name: str = Field(min_length=1, max_length=30, description="举报人姓名")
    phone: str = Field(min_length=1, max_length=20, description="联系电话")
    content: str = Field(min_length=5, max_length=1000, description="举报内容")


# -- what it answers ------------------------------------------------------------------
class UploadPost(View):
    url: str
    fields: dict[str, str]


class ImportUploads(View):
    photos: UploadPost
    roster: UploadPost


class ImportStarted(View):
    import_id: str
    status: str
    uploads: ImportUploads
    how: str


class ImportStatus(View):
    import_id: str
    season_id: str
    college_code: str
    status: str
    total_rows: int
    processed_rows: int
    progress: float
    added: int
    updated: int
    unchanged: int
    failed: int
    error: str | None
    created_at: str
    finished_at: str | None


class LineProblem(View):
    line: int
    field: str | None
    message: str


class ImportReport(ImportStatus):
    problems: list[LineProblem]
    problems_total: int
    offset: int
    limit: int


class WorkItem(View):
    candidate_id: str
    name: str
    id_number: str = Field(description="脱敏后的身份证号")
    category: str
    category_name: str
    unit: str
    state: str
    on_site: bool
    flags: list[str]
    queued_at: str
    candidate_version: int
    decided_by: str | None
    reason: str | None


class WorkPage(View):
    unit: str
    items: list[WorkItem]
    next_page: str | None = Field(description="下一页的令牌（没有下一页时为空）")


class WorkFound(View):
    unit: str
    items: list[WorkItem]


class WorkCounts(View):
    unit: str
    counts: dict[str, int] = Field(description="各状态的审核任务数")


class CandidateFile(View):
    candidate_id: str
    season_id: str
    name: str
    id_number: str
    phone: str
    college_code: str | None
    major_code: str | None
    county_code: str | None
    status: str
    editable: bool = Field(description="考生可修改报名信息（提交前或退回修改后）")
    profile: dict[str, Any] | None
    documents: dict[str, Any]
    checks: list[dict[str, Any]]
    approvals: dict[str, Any] | None
    correct_until: str | None = Field(description="退回修改的截止时间")
    integrity: list[dict[str, Any]] = Field(description="诚信：记录在案的违规处理")
    on_site_steps: dict[str, Any] = Field(description="现场审核及免试审批各环节")
    registered_at: str
    pledged_at: str | None = Field(description="同意报考须知和诚信承诺书的时间")
    version: int


class StepRequest(Request):
    """One step of the file's on-site chain (domain/review.chain), on the version read."""

    step: str = Field(min_length=1, max_length=40, description="环节代码，如 seen、school_signed")
    version: int = Field(ge=1)


class StepsView(View):
    candidate_id: str
    on_site_steps: dict[str, Any]
    version: int


class ReviewFile(View):
    candidate: CandidateFile
    checks: list[dict[str, Any]]
    work_item: WorkItem | None
    units: dict[str, str]
    history: list[AuditEntry]
    chain: dict[str, str] = Field(description="现场审核及免试审批须记录的环节（代码：名称）")


class Decided(View):
    candidate_id: str
    status: str
    version: int


class BatchError(View):
    code: str
    message: str


class BatchResult(View):
    candidate_id: str
    ok: bool
    status: str | None = None
    version: int | None = None
    error: BatchError | None = None


class BatchResults(View):
    results: list[BatchResult]


class NoticeEntry(View):
    entry_id: str
    name: str
    category: str
    qualification: str
    intended_major: str
    bonus_points: int
    unit: str | None = Field(default=None, description="公示单位代码（院校自行公示的名单）")
    unit_name: str | None = None
    published: str
    last_day: str
    effective: str
    visible_until: str
    phase: str
    phase_name: str


class PublicNotice(View):
    season_id: str
    title: str
    complaint_unit: str
    complaint_note: str | None
    entries: list[NoticeEntry]


class TicketCheck(View):
    """准考证核验 (R10.3): who the ticket's holder must be, and where they sit."""

    name: str
    id_last4: str = Field(description="身份证号后4位（与考生身份证核对）")
    exam_number: str
    place: str = Field(description="考点")
    room: int | None = Field(description="考场（准考证作废时无）")
    seat: int | None = Field(description="座位号（准考证作废时无）")
    status: str
    photo_url: str | None = Field(description="考生照片（5分钟内有效的链接）")
