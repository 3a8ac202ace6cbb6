"""Profile completion (信息完善, R4.1, R4.2): what a candidate fills in, checked by season."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from .errors import InvalidField

if TYPE_CHECKING:
    from .policy import Document, Policy

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


PHOTO = "photo"  # the standard photo's document code


def _applies(when: str | None, profile: dict[str, Any], residence_permit: bool) -> bool:
    """A document's ``when`` condition (policy data) against the candidate's profile."""
    if when is None:
        return True
    if when.startswith("level:"):
        return profile.get("level") in when.removeprefix("level:").split(",")
    facts = {
        "registered_by_residence_permit": residence_permit,
        "non_fresh_graduate": profile.get("fresh_graduate") is False,
        "merit_third_class_or_above": bool(profile.get("merit_third_class")),
        "medical_major": bool(profile.get("medical_major")),
        "hmt_or_foreign": bool(profile.get("hmt_or_foreign")),
    }
    if when not in facts:
        raise ValueError(f"unknown document condition {when!r}")
    return facts[when]


def documents_for(
    policy: Policy, profile: dict[str, Any], residence_permit: bool
) -> list[Document]:
    """R4.2: the documents this candidate must (or may) upload, from the policy alone."""
    category = next(
        (c for c in policy.categories if c.code == profile.get("category", "ordinary")), None
    )
    listed = [*policy.common_documents, *(category.documents if category else [])]
    return [d for d in listed if d.required and _applies(d.when, profile, residence_permit)] + [
        d for d in listed if not d.required and _applies(d.when, profile, residence_permit)
    ]


def missing_for_submission(
    policy: Policy,
    profile: dict[str, Any] | None,
    residence_permit: bool,
    uploads: dict[str, Any],
) -> list[str]:
    """What still stops a submission (R4): the profile, the photo, each required document."""
    if not profile:
        return ["请先完善个人信息"]
    missing = []
    needed = [d for d in documents_for(policy, profile, residence_permit) if d.required]
    wanted = [(PHOTO, "标准证件照")] if policy.photo.source == "candidate" else []
    for code, name in wanted + [(d.code, d.name) for d in needed]:
        state = uploads.get(code, {}).get("status")
        if state != "accepted":
            missing.append(f"请上传：{name}" if state is None else f"{name}未通过检查，请重新上传")
    return missing
