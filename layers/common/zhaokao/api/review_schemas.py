"""Request models of the reviewers' routes (R6)."""

from __future__ import annotations

from pydantic import Field

from ..domain.review import Decision
from .schemas import Request


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
