"""Views more than one function answers (seasons, audit records, complaints). Each view,
like every response model, names exactly the fields the service returns (``View``)."""

from __future__ import annotations

from typing import Any

from pydantic import Field, computed_field

from .base import View


class Named(View):
    code: str
    name: str


class WindowView(View):
    name: str
    label: str
    start: str | None
    end: str | None
    text: str
    note: str | None
    open: bool


class CategoryView(Named):
    exemption: bool


class BonusView(Named):
    points: int


class Contact(View):
    name: str
    value: str


class Guide(View):
    terms: list[str] = Field(description="报考须知")
    pledge: list[str] = Field(description="诚信承诺书")
    contacts: list[Contact]


class SeasonView(View):
    """A season: the policy in brief, its windows and the phase now (R1)."""

    season_id: str
    name: str
    province: str
    year: int
    roster_required: bool
    registration_unit: str
    registration_form: str = Field(description="报名信息表的名称（打印）")
    now: str = Field(description="考试季当前时间（北京时间）")
    clock_pinned: bool
    open_windows: list[str]
    windows: list[WindowView]
    categories: list[CategoryView]
    bonus: list[BonusView]
    photo: dict[str, Any]
    levels: list[Named]
    fees: dict[str, Any]
    texts: dict[str, str] = Field(
        description="本考试季规则的页面用语（报名提示、提交或确认、退费）"
    )
    subject_categories: list[Named]
    preferences: dict[str, Any]
    colleges: list[Named]
    majors: list[Named]
    counties: list[Named]
    ethnic_groups: list[str] = Field(description="民族（GB/T 3304）")
    profile_fields: list[str] = Field(description="本考试季报名信息须填写的可选项")
    guide: Guide = Field(description="报考须知、诚信承诺书与咨询方式")


class AuditEntry(View):
    """One change of a record (R16.1): who, when, what before and after, and why."""

    at: str
    actor: str
    action: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    reason: str | None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def label(self) -> str:
        """What happened, in words (资格审核（县区）：退回修改)."""
        from ..domain import labels  # when an entry is shown, not at every cold start

        return labels.action_label(self.action)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def actor_name(self) -> str:
        """Who did it, in words: 考生本人, 系统, or the staff member's username."""
        from ..domain import labels

        return labels.actor_label(self.actor)


class ComplaintView(View):
    complaint_id: str
    entry_id: str
    state: str
    state_name: str
    filed_at: str
    resolution: str | None
    version: int


class Labels(View):
    """The words for the platform's codes, for the web client (no page keeps a copy)."""

    status: dict[str, str] = Field(description="报名状态")
    decisions: dict[str, str] = Field(description="资格审核结论")
    review_states: dict[str, str] = Field(description="审核任务状态")
    check_outcomes: dict[str, str] = Field(description="资格自动校验结果")
    run_status: dict[str, str] = Field(description="录取执行状态")
    units: dict[str, str] = Field(description="审核单位")
    actors: dict[str, str] = Field(description="操作人（按类别；工作人员显示用户名）")
    steps: list[str] = Field(description="报名进程的各步")
