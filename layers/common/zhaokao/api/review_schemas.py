"""Request models of the reviewers' routes (R6)."""

from __future__ import annotations

from pydantic import Field

from ..domain.review import Decision
from .base import Request


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
