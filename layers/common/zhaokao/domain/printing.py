"""What a printed 报名信息表 says (R4, R16): the submitted registration in words, with the
ID number and phones masked as everywhere else (R17.2)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .lifecycle import STATUS_LABELS, Status
from .profile import EDUCATION

if TYPE_CHECKING:
    from .policy import Policy


def _named(items: list[Any], code: str | None, with_code: bool = True) -> str:
    """A unit or major with its official code; a level by its name alone."""
    if not code:
        return ""
    found = next((i for i in items if i.code == code), None)
    if found is None:
        return code
    return f"{found.name}（{found.code}）" if with_code else str(found.name)


def registration_rows(policy: Policy, view: dict[str, Any]) -> list[tuple[str, str]]:
    """The rows of the form, in the order an on-site reviewer reads them."""
    p = view.get("profile") or {}
    address = p.get("mailing_address") or {}
    category = next((c.name for c in policy.categories if c.code == p.get("category")), "")
    bonus = [b.name for b in policy.bonus.items if b.code in p.get("bonus_claims", [])]
    rows = [
        ("姓名", view["name"]),
        ("身份证号", view["id_number"]),
        ("手机号", view["phone"]),
        ("民族", p.get("ethnicity") or ""),
        ("籍贯", p.get("native_place") or ""),
        (
            "报名单位",
            _named(policy.home_units(), view.get("college_code") or view.get("county_code")),
        ),
        (
            "所学专业",
            _named(policy.reference.majors, view.get("major_code"))
            if view.get("major_code")
            else "",
        ),
        ("报考类别", category),
        ("报考层次", _named(policy.levels, p.get("level")) if p.get("level") else ""),
        ("最高学历", EDUCATION.get(p.get("education") or "", "")),
        ("录取照顾政策", "、".join(bonus)),
        (
            "录取通知书邮寄地址",
            f"{address.get('province', '')}{address.get('city', '')}{address.get('address', '')}"
            f"（{address.get('postcode', '')}）收件人：{address.get('recipient', '')} "
            f"{address.get('phone', '')}",
        ),
        ("报名状态", STATUS_LABELS[Status(view["status"])]),
        ("注册时间", view["registered_at"].replace("T", " ")[:16]),
    ]
    return [(label, value) for label, value in rows if value]
