"""Windows (R1.3) and Beijing time: cheap to import, used everywhere."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from enum import StrEnum

CST = timezone(timedelta(hours=8), "Asia/Shanghai")  # China keeps no daylight saving time


class WindowName(StrEnum):
    """R1.3: every action belongs to one window."""

    roster_import = "roster_import"
    registration = "registration"
    profile = "profile"
    review = "review"
    special_review = "special_review"
    preferences = "preferences"
    payment = "payment"
    exemption_payment = "exemption_payment"
    ticket_printing = "ticket_printing"
    score_release = "score_release"
    score_review = "score_review"
    admission_query = "admission_query"
    supplementary = "supplementary"


WINDOW_LABELS: dict[WindowName, str] = {
    WindowName.roster_import: "学籍导入",
    WindowName.registration: "注册报名",
    WindowName.profile: "信息完善",
    WindowName.review: "资格审核",
    WindowName.special_review: "专项资格审核",
    WindowName.preferences: "志愿填报",
    WindowName.payment: "网上缴费",
    WindowName.exemption_payment: "免试考生缴费",
    WindowName.ticket_printing: "准考证打印",
    WindowName.score_release: "成绩查询",
    WindowName.score_review: "成绩复核申请",
    WindowName.admission_query: "录取查询",
    WindowName.supplementary: "征集志愿填报",
}


def as_cst(value: datetime) -> datetime:
    return value.replace(tzinfo=CST) if value.tzinfo is None else value.astimezone(CST)
