"""Profile completion (信息完善, R4.1, R4.2): what a candidate fills in, checked by season."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from .errors import InvalidField

if TYPE_CHECKING:
    from .policy import Policy

EDUCATION = {
    "high_school": "高中/中职/技校毕业",
    "equivalent": "同等学力",
    "college": "专科",
    "bachelor": "本科及以上",
}


def check_profile(profile: dict[str, Any], policy: Policy, today: date) -> dict[str, Any]:
    """Season rules on top of the request model's shape: known codes, consistent choices."""
    categories = {c.code: c for c in policy.categories}
    category = profile.get("category", "ordinary")
    if category not in categories:
        raise InvalidField(f"未知的报考类别 {category!r}", "category")
    level = profile.get("level")
    if policy.levels:
        if level not in {lv.code for lv in policy.levels}:
            raise InvalidField("请选择报考层次（高起本、高起专、专升本）", "level")
    elif level is not None:
        raise InvalidField("本考试季不分报考层次", "level")
    if profile.get("education") is not None and profile["education"] not in EDUCATION:
        raise InvalidField("学历选项不正确", "education")
    bonus = {b.code for b in policy.bonus.items}
    for claim in profile.get("bonus_claims", []):
        if claim not in bonus:
            raise InvalidField(f"未知的照顾政策 {claim!r}", "bonus_claims")
    award = profile.get("competition")
    if category == "competition":  # R4.2 (Hunan): event, item, award level, award date
        if not award:
            raise InvalidField(
                "竞赛获奖考生须填写获奖赛事、赛项、获奖等级和获奖时间", "competition"
            )
        if date.fromisoformat(str(award["award_date"])) > today:
            raise InvalidField("获奖时间不能晚于今天", "competition.award_date")
    elif award:
        raise InvalidField("只有竞赛获奖考生填写获奖信息", "competition")
    return profile
