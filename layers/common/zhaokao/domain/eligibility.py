"""Automatic eligibility checks (资格自动校验, R5) over the season policy.

The policy lists the rules a season applies (id, requirement, params, the
outcome when a rule is not met); this module implements each rule kind once.
Every check records its outcome and a reason the candidate can read (R5.4).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, NamedTuple

from .candidate import Profile
from .identity import birth_date

if TYPE_CHECKING:
    from .policy import Bonus, EligibilityRule, Policy, RuleKind
    from .roster import RosterRow


class Outcome(StrEnum):
    passed = "pass"
    failed = "fail"
    on_site = "on_site"  # needs on-site review (现场审核)


class Applicant(NamedTuple):
    """What the checks read about a candidate; filled from the profile and the roster."""

    id_number: str
    category: str = "ordinary"
    roster: RosterRow | None = None
    sat_previous_season: bool = False
    level: str | None = None  # Ningxia: gqb / gqz / zsb
    education: str | None = None  # high_school, equivalent, college, bachelor
    medical_major: bool = False
    medical_certificate: bool = False
    lost_diploma: bool = False
    bonus_claims: tuple[str, ...] = ()
    ethnicity: str | None = None  # 民族
    current_student: bool = False  # 在校生
    banned_until: date | None = None  # an exam ban still running (诚信, recorded by person)


class Check(NamedTuple):
    rule: str
    requirement: str
    outcome: Outcome
    reason: str


_COLLEGE_OR_ABOVE = {"college", "bachelor"}
_HIGH_SCHOOL_OR_ABOVE = {"high_school", "equivalent", *_COLLEGE_OR_ABOVE}
_FLAG_REASONS = {
    "discipline_sanction": "在校及入伍期间受到记过及以上纪律处分且尚未解除，不得报名",
    "criminal_measure": "已被采取刑事强制措施或正在服刑，不得报名",
    "exam_ban": "处于暂停参加高校招生考试处罚期内，不得报名",
    "eligibility_cancelled": "已被取消本次考试资格，不得报名",
}

Verdict = tuple[bool, str]  # (met, reason)


def _fresh_graduate(rule: EligibilityRule, a: Applicant, policy: Policy) -> Verdict:
    if a.category in rule.params.get("alternative_categories", []):
        return True, "退役士兵考生，按退役士兵报考条件审核"
    row = a.roster
    if row is None:
        return False, "未找到本人学籍信息"
    graduate_by = date.fromisoformat(rule.params["graduate_by"])
    if row.graduation_date > graduate_by:
        return False, f"预计毕业日期{row.graduation_date}晚于{graduate_by}，不符合应届毕业生条件"
    if rule.params.get("requires_xuexin") and not row.xuexin_registered:
        return False, "未在学信网进行学历证书电子注册"
    return True, f"应届专科毕业生，{graduate_by}前毕业，学信网已注册"


def _roster_flag(rule: EligibilityRule, a: Applicant, policy: Policy) -> Verdict:
    flag = rule.params["flag"]
    if a.roster is not None and flag in a.roster.flags:
        return False, _FLAG_REASONS[flag]
    return True, "无此情形"


def _exam_ban(rule: EligibilityRule, a: Applicant, policy: Policy) -> Verdict:
    """R5.1: 暂停参加高校招生考试处罚且在处罚期内 — on the roster, or recorded here."""
    if a.banned_until is not None:
        return False, f"处于暂停参加高校招生考试处罚期内（至{a.banned_until}），不得报名"
    return _roster_flag(rule, a, policy)


def _previous_season(rule: EligibilityRule, a: Applicant, policy: Policy) -> Verdict:
    if a.sat_previous_season:
        return False, "上年已参加专升本考试，取消报考资格"
    return True, "上年未参加专升本考试"


def _level_education(rule: EligibilityRule, a: Applicant, policy: Policy) -> Verdict:
    level = next((lv for lv in policy.levels if lv.code == a.level), None)
    if level is None:
        return False, "请选择报考层次"
    enough = _COLLEGE_OR_ABOVE if level.code == "zsb" else _HIGH_SCHOOL_OR_ABOVE
    if a.education in enough or (a.lost_diploma and level.code != "zsb"):
        return True, f"学历符合{level.name}报考要求"
    return False, f"报考{level.name}须{level.requires}"


def _medical(rule: EligibilityRule, a: Applicant, policy: Policy) -> Verdict:
    if not a.medical_major:
        return True, "未报考医学门类专业"
    if a.medical_certificate:
        return True, "已提供医学门类专业报考所需证书"
    return False, "报考医学门类专业须具备相应的执业资格证书或从业条件"


def _min_age(rule: EligibilityRule, a: Applicant, policy: Policy) -> Verdict:
    on = date.fromisoformat(rule.params["on"])
    born = birth_date(a.id_number)
    age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    if age < int(rule.params["min_age"]):
        return False, f"截至{on}未满{rule.params['min_age']}周岁，须携带身份证和毕业证书现场审核"
    return True, "已满18周岁"


def _lost_diploma(rule: EligibilityRule, a: Applicant, policy: Policy) -> Verdict:
    if a.lost_diploma and a.level in ("gqb", "gqz"):
        return False, "毕业证遗失，须携带身份证和学历证明现场审核"
    return True, "无此情形"


def _exemption(rule: EligibilityRule, a: Applicant, policy: Policy) -> Verdict:
    category = next((c for c in policy.categories if c.code == a.category), None)
    if category is not None and category.exemption:
        return False, f"申请免试（{category.name}），须携带相关材料现场审核"
    return True, "未申请免试"


def _bonus(rule: EligibilityRule, a: Applicant, policy: Policy) -> Verdict:
    automatic = set(rule.params.get("automatic", []))
    claimed = [
        b for b in policy.bonus.items if b.code in a.bonus_claims and b.code not in automatic
    ]
    if claimed:
        names = "、".join(b.name[:12] for b in claimed)
        return False, f"申请录取照顾政策（{names}），须携带证件原件现场审核"
    return True, "无须现场审核的照顾政策申请"


def _claims_hold(rule: EligibilityRule, a: Applicant, policy: Policy) -> Verdict:
    refuted = [
        f"{b.name[:12]}（{why}）"
        for b in policy.bonus.items
        if b.code in a.bonus_claims and (why := refutation(b, a.id_number, a.ethnicity))
    ]
    if refuted:
        return False, "照顾政策与报名信息不符：" + "；".join(refuted) + "，须现场审核"
    return True, "照顾政策与报名信息相符"


def _not_current_student(rule: EligibilityRule, a: Applicant, policy: Policy) -> Verdict:
    if a.current_student:
        return False, "在校生不能报名（报名对象为在校生以外的从业人员和社会其他人员）"
    return True, "非在校生"


def refutation(bonus: Bonus, id_number: str, ethnicity: str | None) -> str | None:
    """Why the record refutes a claim of ``bonus`` (None: it holds, or cannot be derived)."""
    rule = bonus.holds_if
    if rule is None:
        return None
    born = birth_date(id_number)
    if rule.born_by is not None and born > rule.born_by:
        return f"身份证号码显示出生于{born}，晚于{rule.born_by}"
    if rule.ethnic_minority and (ethnicity is None or ethnicity == HAN):
        return f"报名信息中的民族为{ethnicity or '未填写'}"
    return None


HAN = "汉族"

# R5: each kind of rule, implemented once; a policy names the kinds it applies
RULES: dict[RuleKind, Callable[[EligibilityRule, Applicant, Policy], Verdict]] = {
    "fresh_graduate": _fresh_graduate,
    "roster_flag": _roster_flag,
    "exam_ban": _exam_ban,
    "previous_season": _previous_season,
    "level_education": _level_education,
    "medical": _medical,
    "min_age": _min_age,
    "lost_diploma": _lost_diploma,
    "exemption_on_site": _exemption,
    "bonus_on_site": _bonus,
    "claims_hold": _claims_hold,
    "not_current_student": _not_current_student,
}


def check(policy: Policy, applicant: Applicant) -> list[Check]:
    """Run every rule the season lists, in its order (R5.4: each with its reason)."""
    checks = []
    for rule in policy.eligibility:
        met, reason = RULES[rule.kind](rule, applicant, policy)
        outcome = Outcome.passed if met else Outcome(rule.outcome_on_fail)
        checks.append(Check(rule.id, rule.requirement, outcome, reason))
    return checks


def overall(checks: list[Check]) -> Outcome:
    """Any failure fails; otherwise any on-site flag calls the candidate on site."""
    outcomes = {c.outcome for c in checks}
    if Outcome.failed in outcomes:
        return Outcome.failed
    return Outcome.on_site if Outcome.on_site in outcomes else Outcome.passed


def previous_season(policy: Policy) -> str | None:
    """R5.2: the season whose sat-the-exam list this season checks against, if any."""
    rule = next((r for r in policy.eligibility if "previous_season" in r.params), None)
    return str(rule.params["previous_season"]) if rule else None


def applicant(
    id_number: str,
    profile: Profile,
    roster: RosterRow | None,
    sat_previous_season: bool,
    banned_until: date | None = None,
) -> Applicant:
    """What the checks read, from a submitted profile (R4) and the roster (R2)."""
    return Applicant(
        id_number=id_number,
        category=profile.get("category", "ordinary"),
        roster=roster,
        sat_previous_season=sat_previous_season,
        level=profile.get("level"),
        education=profile.get("education"),
        medical_major=bool(profile.get("medical_major")),
        medical_certificate=bool(profile.get("medical_certificate")),
        lost_diploma=bool(profile.get("lost_diploma")),
        bonus_claims=tuple(profile.get("bonus_claims", ())),
        ethnicity=profile.get("ethnicity"),
        current_student=bool(profile.get("current_student")),
        banned_until=banned_until,
    )
