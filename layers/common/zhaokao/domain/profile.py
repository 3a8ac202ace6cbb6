"""Profile completion (信息完善, R4.1, R4.2): what a candidate fills in, checked by season."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from .candidate import PROFILE, Inspected, Profile
from .errors import InvalidField

if TYPE_CHECKING:
    from .policy import Document, Policy

EDUCATION = {
    "high_school": "高中/中职/技校毕业",
    "equivalent": "同等学力",
    "college": "专科",
    "bachelor": "本科及以上",
}


# GB/T 3304: the 56 民族, and the standard's two other entries
ETHNIC_GROUPS = (  # noqa: SIM905 - the list as the standard prints it
    "汉族 蒙古族 回族 藏族 维吾尔族 苗族 彝族 壮族 布依族 朝鲜族 满族 侗族 瑶族 白族 土家族 哈尼族 "
    "哈萨克族 傣族 黎族 傈僳族 佤族 畲族 高山族 拉祜族 水族 东乡族 纳西族 景颇族 柯尔克孜族 土族 "
    "达斡尔族 仫佬族 羌族 布朗族 撒拉族 毛南族 仡佬族 锡伯族 阿昌族 普米族 塔吉克族 怒族 "
    "乌孜别克族 俄罗斯族 鄂温克族 德昂族 保安族 裕固族 京族 塔塔尔族 独龙族 鄂伦春族 赫哲族 "
    "门巴族 珞巴族 基诺族 其他 外国血统中国籍人士"
).split()


# R4.1: each optional field and its value when the season does not ask for it
OPTIONAL_FIELDS: dict[str, object] = {
    "education": None,
    "fresh_graduate": True,
    "merit_third_class": False,
    "medical_major": False,
    "medical_graduate": False,
    "medical_certificate": False,
    "lost_diploma": False,
    "hmt_or_foreign": False,
    "ethnicity": None,
    "current_student": False,
    "out_of_province_household": False,
    "accessible_room": False,
}


def check_profile(profile: dict[str, Any], policy: Policy, today: date) -> Profile:
    """Season rules on top of the request model's shape: known codes, consistent choices,
    and only the fields the season asks for (``profile_fields``)."""
    for name, unasked in OPTIONAL_FIELDS.items():
        if name not in policy.profile_fields and profile.get(name, unasked) != unasked:
            raise InvalidField("本考试季无需填写该项", name)
    categories = {c.code: c for c in policy.categories}
    category = profile.get("category", "ordinary")
    if category not in categories:
        raise InvalidField(f"未知的报考类别 {category!r}", "category")
    level = profile.get("level")
    if policy.levels:
        if level not in {lv.code for lv in policy.levels}:
            names = "、".join(lv.name for lv in policy.levels)
            raise InvalidField(f"请选择报考层次（{names}）", "level")
    elif level is not None:
        raise InvalidField("本考试季不分报考层次", "level")
    allowed = categories[category].levels  # seed 004: 服务基层项目人员、退役军人 免试专升本
    if allowed and level not in allowed:
        names = "、".join(lv.name for lv in policy.levels if lv.code in allowed)
        raise InvalidField(f"{categories[category].name}只能报考{names}", "level")
    if profile.get("education") is not None and profile["education"] not in EDUCATION:
        raise InvalidField("学历选项不正确", "education")
    if profile.get("ethnicity") is not None and profile["ethnicity"] not in ETHNIC_GROUPS:
        raise InvalidField("请从列表中选择民族", "ethnicity")
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
    return PROFILE.validate_python(profile)


PHOTO = "photo"  # the standard photo's document code


def _applies(when: str | None, profile: Profile, residence_permit: bool) -> bool:
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


def documents_for(policy: Policy, profile: Profile, residence_permit: bool) -> list[Document]:
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
    profile: Profile,
    residence_permit: bool,
    uploads: Mapping[str, Inspected],
) -> list[str]:
    """What still stops a submission (R4): the profile, the photo, each required document."""
    if not profile:
        return ["请先完善个人信息"]
    missing = []
    needed = [  # what is uploaded after the look on site does not stop a submission
        d
        for d in documents_for(policy, profile, residence_permit)
        if d.required and not d.after_on_site
    ]
    wanted = [(PHOTO, "标准证件照")] if policy.photo.source == "candidate" else []
    for code, name in wanted + [(d.code, d.name) for d in needed]:
        state = uploads[code]["status"] if code in uploads else None
        if state != "accepted":
            missing.append(f"请上传：{name}" if state is None else f"{name}未通过检查，请重新上传")
    return missing
