"""Preferences (志愿, R8): what a candidate may choose from the season's plan catalogue.

Every rule reads the policy (``preferences``) and the catalogue; a refused choice
names the field and gives the rule's reason in Chinese.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from .candidate import Approvals, Choice, Profile, SchoolChoice
from .errors import InvalidField, RuleViolation

if TYPE_CHECKING:
    from .policy import Policy


class Plan(NamedTuple):
    """One row of the plan catalogue (招生计划)."""

    school_code: str
    school_name: str
    major_code: str
    major_name: str
    plan_type: str  # Hunan: the plan type (计划类别); Ningxia: the subject category or ""
    level: str  # zsb / gqb / gqz
    seats: int
    medical: bool


class Link(NamedTuple):
    """Hunan: a college major and a bachelor major that is the same or close (相同或相近)."""

    college_major: str  # college major code (专科)
    bachelor_major: str  # bachelor major code (本科)
    same: bool  # the same major (not only close): what medical majors need


class Catalogue(NamedTuple):
    plans: dict[tuple[str, str, str], Plan]  # (school, major, plan type) -> plan
    links: frozenset[tuple[str, str]]
    same: frozenset[tuple[str, str]]

    @classmethod
    def of(cls, plans: Iterable[Plan], links: Iterable[Link] = ()) -> Catalogue:
        links = list(links)
        return cls(
            {(p.school_code, p.major_code, p.plan_type): p for p in plans},
            frozenset((lk.college_major, lk.bachelor_major) for lk in links),
            frozenset((lk.college_major, lk.bachelor_major) for lk in links if lk.same),
        )

    def schools(self) -> dict[str, str]:
        """Each school of the catalogue and its name."""
        return {p.school_code: p.school_name for p in self.plans.values()}


class Candidate(NamedTuple):
    """What the rules read about the candidate."""

    status: str
    profile: Profile
    approvals: Approvals | None
    college_major: str | None = None  # Hunan: from the roster
    college_major_name: str | None = None
    college_major_medical: bool = False


def offered_plan_types(policy: Policy, who: Candidate) -> list[str]:
    """R8.1: the ordinary plan for an approved candidate, and the special plan type that
    review approved; a type the candidate did not qualify for is not offered."""
    if who.status != "approved":
        return []
    approved = who.approvals or {}
    rules = policy.preferences
    types = ["ordinary"] if "ordinary" in rules.plan_types else []
    category = approved.get("category")
    if category in rules.plan_types and category != "ordinary" and not approved.get("revoked"):
        types.append(category)
    return types


def check(
    policy: Policy, catalogue: Catalogue, who: Candidate, choice: Mapping[str, Any]
) -> Choice:
    """Validate one saved choice against R8 as the policy states it; return it normalised.
    The plan a choice names is keyed by the plan type (when candidates choose one), else
    the subject category (for the levels that choose one), at the level registered."""
    rules = policy.preferences
    out = Choice()
    level = rules.level
    if policy.levels:  # R8.2: the level as registered
        level = str(choice.get("level") or "")
        if level != who.profile.get("level"):
            raise RuleViolation("报考层次须与报名信息一致", "level", code="level_mismatch")
        out["level"] = level
    kind = ""
    if rules.plan_type_choice:  # R8.1
        kind = _plan_type(policy, who, choice.get("plan_type"))
        out["plan_type"] = kind
    elif rules.subject_category_levels:  # R8.2
        kind = _subject_category(policy, who, level, choice.get("subject_category"))
        if kind:
            out["subject_category"] = kind
    schools = _schools(choice, rules.schools, rules.majors_per_school)
    for i, (school, majors) in enumerate(schools):
        for j, major in enumerate(majors):
            field = f"schools.{i}.majors.{j}"
            plan = _plan(catalogue, school, major, kind, level, field)
            for rule in rules.major_rules:
                MAJOR_RULES[rule](policy, catalogue, who, plan, field)
    if policy.admission.asks_consent:  # R13.4: 服从调剂, asked with the choices
        out["adjust"] = bool(choice.get("adjust"))
    out["schools"] = [SchoolChoice(school=s, majors=m) for s, m in schools]
    return out


def _plan_type(policy: Policy, who: Candidate, plan_type: Any) -> str:
    offered = offered_plan_types(policy, who)
    if not offered:
        raise RuleViolation("资格审核通过后方可填报志愿", "plan_type", code="not_approved")
    if plan_type not in offered:
        names = "、".join(_category_name(policy, t) for t in offered)
        raise RuleViolation(f"只能填报资格审核通过的计划类别：{names}", "plan_type")
    return str(plan_type)


def _subject_category(policy: Policy, who: Candidate, level: str | None, category: Any) -> str:
    if level not in policy.preferences.subject_category_levels:
        if category:
            raise InvalidField("该报考层次不分学科门类", "subject_category")
        return ""
    if category not in {c.code for c in policy.subject_categories}:
        raise InvalidField("请选择一个学科门类", "subject_category")
    forbidden = policy.preferences.non_medical_forbidden_category
    if category == forbidden and not who.profile.get("medical_graduate"):
        raise RuleViolation(
            "非医学类专科生不得跨类填报医学类本科专业",
            "subject_category",
            code="not_medical_graduate",
        )
    return str(category)


def _same_or_close(
    policy: Policy, catalogue: Catalogue, who: Candidate, plan: Plan, field: str
) -> None:
    """R8.1: the bachelor major is the same as or close to the college major."""
    if (who.college_major or "", plan.major_code) not in catalogue.links:
        mine = who.college_major_name or who.college_major
        raise RuleViolation(
            f"所报专业“{plan.major_name}”与本人专科专业“{mine}”不属于相同或相近专业",
            field,
            code="not_close",
        )


def _medical_exact(
    policy: Policy, catalogue: Catalogue, who: Candidate, plan: Plan, field: str
) -> None:
    """R8.1: medical majors correspond exactly (中医骨伤 → 中医学 excepted)."""
    pair = (who.college_major or "", plan.major_code)
    if (plan.medical or who.college_major_medical) and pair not in catalogue.same:
        exception = (who.college_major_name, plan.major_name) in {
            tuple(e) for e in policy.preferences.medical_exceptions
        }
        if not exception:
            raise RuleViolation(
                "报考医学类相关专业的，本专科专业名称必须严格对应（专科中医骨伤专业可对应本科中医学专业）",
                field,
                code="medical_exact",
            )


def _medical_prerequisite(
    policy: Policy, catalogue: Catalogue, who: Candidate, plan: Plan, field: str
) -> None:
    """R8.2: a medical major needs the profile's 报考医学门类专业 (and its conditions, R5)."""
    if plan.medical and not who.profile.get("medical_major"):
        raise RuleViolation(
            "报考医学门类专业须在报名信息中选择“报考医学门类专业”并具备相应执业资格",
            field,
            code="medical_prerequisite",
        )


MajorCheck = Callable[["Policy", Catalogue, Candidate, Plan, str], None]
MAJOR_RULES: dict[str, MajorCheck] = {  # policy.MajorRule: every kind implemented once
    "same_or_close": _same_or_close,
    "medical_exact": _medical_exact,
    "medical_prerequisite": _medical_prerequisite,
}


def verdict(policy: Policy, catalogue: Catalogue, who: Candidate, plan: Plan) -> str | None:
    """Why this candidate may not choose ``plan`` (the season's major rules), or None: the
    catalogue marks it before anything is saved."""
    for rule in policy.preferences.major_rules:
        try:
            MAJOR_RULES[rule](policy, catalogue, who, plan, "major")
        except RuleViolation as refused:
            return refused.message
    return None


def _schools(
    choice: Mapping[str, Any], max_schools: int, max_majors: int
) -> list[tuple[str, list[str]]]:
    """The school and major slots: at least one of each, at most the policy's, no repeats."""
    raw = choice.get("schools") or []
    if not raw:
        raise InvalidField("请至少填报一所院校和一个专业", "schools")
    if len(raw) > max_schools:
        raise RuleViolation(f"最多填报{max_schools}所院校", "schools", code="too_many_schools")
    out: list[tuple[str, list[str]]] = []
    for i, slot in enumerate(raw):
        school, majors = str(slot.get("school") or ""), [str(m) for m in slot.get("majors") or []]
        if not school:
            raise InvalidField("请选择院校", f"schools.{i}.school")
        if not majors:
            raise InvalidField("每所院校至少填报一个专业", f"schools.{i}.majors")
        if len(majors) > max_majors:
            raise RuleViolation(
                f"每所院校最多填报{max_majors}个专业", f"schools.{i}.majors", code="too_many_majors"
            )
        if school in (s for s, _ in out):
            raise RuleViolation(
                "同一院校不能重复填报", f"schools.{i}.school", code="repeated_school"
            )
        if len(set(majors)) != len(majors):
            raise RuleViolation(
                "同一院校的专业不能重复", f"schools.{i}.majors", code="repeated_major"
            )
        out.append((school, majors))
    return out


def _plan(
    catalogue: Catalogue, school: str, major: str, plan_type: str, level: str | None, field: str
) -> Plan:
    plan = catalogue.plans.get((school, major, plan_type))
    if plan is None or (level is not None and plan.level != level):
        raise RuleViolation("所选院校专业不在本类别的招生计划中", field, code="not_in_catalogue")
    if plan.seats <= 0:
        raise RuleViolation(
            f"{plan.school_name}{plan.major_name}没有招生计划", field, code="no_seats"
        )
    return plan


def _category_name(policy: Policy, code: str) -> str:
    return next((c.name for c in policy.categories if c.code == code), code)


def explain(policy: Policy) -> list[str]:
    """The season's preference rules in the candidate's words, from the policy (R8)."""
    rules = policy.preferences
    lines = []
    if rules.plan_type_choice:  # R8.1
        types = "、".join(_category_name(policy, t) for t in rules.plan_types)
        included = "、".join(  # the seed's words: 普通计划（含脱贫家庭毕业生计划）
            _category_name(policy, t).split("（")[0].removesuffix("计划") + "计划"
            for t in rules.ordinary_plan_includes
        )
        lines.append(
            f"在{types}中选择一类报考"
            + (f"（普通计划含{included}）" if included else "")
            + "；资格审核未通过的计划类别不能填报。"
        )
    if policy.subject_categories:  # R8.2
        names = "、".join(c.name for c in policy.subject_categories)
        lines.append(f"专升本考生按学科门类选择一类：{names}，并在该类别中填报专业。")
    if rules.non_medical_forbidden_category:
        lines.append("非医学类专科生不得跨类填报医学类本科专业。")
    if "medical_prerequisite" in rules.major_rules:
        lines.append("报考医学门类专业，须在报名信息中选择“报考医学门类专业”并具备相应条件。")
    if rules.schools == 1 and rules.majors_per_school == 1:
        lines.append("填报一所院校的一个专业。")
    else:
        lines.append(
            f"最多填报{rules.schools}所院校，每所院校最多{rules.majors_per_school}个专业，"
            "均须在本季招生计划中，且不能重复。"
        )
    if "same_or_close" in rules.major_rules:
        lines.append("所报本科专业须与本人专科专业相同或相近。")
    if "medical_exact" in rules.major_rules:
        exceptions = "、".join(f"专科{a}专业可对应本科{b}专业" for a, b in rules.medical_exceptions)
        lines.append(
            "报考医学类相关专业的，本专科专业名称须严格对应"
            + (f"（{exceptions}）" if exceptions else "")
            + "。"
        )
    if policy.admission.asks_consent:
        lines.append(
            "可选择“服从专业调剂”：所报专业均已录满时，可被调剂到该院校同层次同科类的其他专业。"
        )
    if rules.confirm_locks:
        lines.append("志愿确认后不能再修改；确认前每次保存都会留存版本，可恢复。")
    elif rules.changes_until_deadline:
        lines.append("截止前可随时修改或恢复历史版本，以截止时最后保存的志愿为准。")
    return lines
