"""R8 and R9.1–R9.2 as pure rules: every forbidden choice is refused with its reason."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from infra.local.demo import preset
from zhaokao.domain.errors import DomainError, InvalidField, RuleViolation
from zhaokao.domain.fees import amount_due
from zhaokao.domain.preferences import (
    Candidate,
    Catalogue,
    Link,
    Plan,
    check,
    explain,
    offered_plan_types,
)

HUNAN, NINGXIA = preset("hunan-zsb-2024"), preset("ningxia-adult-2023")

HN_PLANS = [
    Plan("10530", "湘潭大学", "080901", "计算机科学与技术", "ordinary", "zsb", 40, False),
    Plan("10530", "湘潭大学", "080901", "计算机科学与技术", "retired_soldier", "zsb", 5, False),
    Plan("10541", "湖南中医药大学", "100501K", "中医学", "ordinary", "zsb", 20, True),
    Plan("10541", "湖南中医药大学", "101101", "护理学", "ordinary", "zsb", 30, True),
    Plan("10542", "湖南师范大学", "040106", "学前教育", "ordinary", "zsb", 0, False),
]
HN_LINKS = [
    Link("510201", "080901", False),  # 计算机应用技术 → 计算机科学与技术: close
    Link("520201", "101101", True),  # 护理 → 护理学: the same
    Link("520410", "100501K", False),  # 中医骨伤 → 中医学: close only (the named exception)
    Link("520301", "100501K", False),  # 药学 → 中医学: close, but medical needs the same
    Link("570102", "040106", True),
]
HN_CATALOGUE = Catalogue.of(HN_PLANS, HN_LINKS)


def hunan(
    major: str = "510201", name: str = "计算机应用技术", medical: bool = False, **approvals: Any
) -> Candidate:
    return Candidate(
        "approved",
        {"category": approvals.get("category", "ordinary")},
        {"category": "ordinary", "exemption": False, "revoked": False, **approvals},
        major,
        name,
        medical,
    )


def hn_choice(school: str, major: str, plan_type: str = "ordinary") -> dict[str, Any]:
    return {"plan_type": plan_type, "schools": [{"school": school, "majors": [major]}]}


def refused(policy, catalogue, who, choice) -> DomainError:
    with pytest.raises(DomainError) as err:
        check(policy, catalogue, who, choice)
    return err.value


def test_hunan_accepts_one_close_major_of_an_offered_plan_type() -> None:
    assert check(HUNAN, HN_CATALOGUE, hunan(), hn_choice("10530", "080901")) == hn_choice(
        "10530", "080901"
    )


def test_hunan_offers_only_the_plan_types_review_approved() -> None:
    assert offered_plan_types(HUNAN, hunan()) == ["ordinary"]
    soldier = hunan(category="retired_soldier", exemption=True)
    assert offered_plan_types(HUNAN, soldier) == ["ordinary", "retired_soldier"]
    assert check(HUNAN, HN_CATALOGUE, soldier, hn_choice("10530", "080901", "retired_soldier"))
    err = refused(HUNAN, HN_CATALOGUE, hunan(), hn_choice("10530", "080901", "retired_soldier"))
    assert err.field == "plan_type" and "资格审核通过的计划类别" in err.message
    revoked = hunan(category="retired_soldier", exemption=True, revoked=True)
    assert offered_plan_types(HUNAN, revoked) == ["ordinary"]
    pending = hunan()._replace(status="under_review")
    assert (
        refused(HUNAN, HN_CATALOGUE, pending, hn_choice("10530", "080901")).code == "not_approved"
    )


def test_hunan_one_school_one_major() -> None:
    two = {"plan_type": "ordinary", "schools": [{"school": "10530", "majors": ["080901", "x"]}]}
    assert refused(HUNAN, HN_CATALOGUE, hunan(), two).code == "too_many_majors"
    schools = {"plan_type": "ordinary", "schools": [{"school": "10530", "majors": ["080901"]}] * 2}
    assert refused(HUNAN, HN_CATALOGUE, hunan(), schools).code == "too_many_schools"
    assert isinstance(
        refused(HUNAN, HN_CATALOGUE, hunan(), {"plan_type": "ordinary"}), InvalidField
    )


def test_hunan_major_must_be_the_same_or_close() -> None:
    err = refused(HUNAN, HN_CATALOGUE, hunan(), hn_choice("10541", "101101"))
    assert (
        err.code == "not_close"
        and "相同或相近" in err.message
        and err.field == "schools.0.majors.0"
    )


def test_hunan_medical_majors_correspond_exactly_except_zhonggu() -> None:
    nurse = hunan("520201", "护理", True)
    assert check(HUNAN, HN_CATALOGUE, nurse, hn_choice("10541", "101101"))
    bonesetter = hunan("520410", "中医骨伤", True)
    assert check(HUNAN, HN_CATALOGUE, bonesetter, hn_choice("10541", "100501K"))  # the exception
    pharmacist = hunan("520301", "药学", True)
    err = refused(HUNAN, HN_CATALOGUE, pharmacist, hn_choice("10541", "100501K"))
    assert err.code == "medical_exact" and "严格对应" in err.message


def test_a_plan_without_seats_or_outside_the_catalogue_is_refused() -> None:
    teacher = hunan("570102", "学前教育")
    assert refused(HUNAN, HN_CATALOGUE, teacher, hn_choice("10542", "040106")).code == "no_seats"
    assert (
        refused(HUNAN, HN_CATALOGUE, hunan(), hn_choice("99999", "080901")).code
        == "not_in_catalogue"
    )


NX_PLANS = [
    Plan("10749", "宁夏大学", "080901", "计算机科学与技术", "ligong", "zsb", 50, False),
    Plan("10749", "宁夏大学", "080902", "软件工程", "ligong", "zsb", 50, False),
    Plan("11407", "北方民族大学", "080703", "通信工程", "ligong", "zsb", 30, False),
    Plan("10752", "宁夏医科大学", "101101", "护理学", "yixue", "zsb", 60, True),
    Plan("10749", "宁夏大学", "120203K", "会计学", "", "gqb", 40, False),
]
NX_CATALOGUE = Catalogue.of(NX_PLANS)


def ningxia(level: str = "zsb", **profile: Any) -> Candidate:
    return Candidate("registered", {"level": level, **profile}, None)


def nx_choice(
    category: str | None, *schools: tuple[str, list[str]], level: str = "zsb"
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "level": level,
        "schools": [{"school": s, "majors": m} for s, m in schools],
    }
    if category is not None:
        out["subject_category"] = category
    return out


def test_ningxia_two_schools_two_majors_each() -> None:
    choice = nx_choice("ligong", ("10749", ["080901", "080902"]), ("11407", ["080703"]))
    assert check(NINGXIA, NX_CATALOGUE, ningxia(), choice)["schools"][0]["majors"] == [
        "080901",
        "080902",
    ]
    three = nx_choice("ligong", ("10749", ["080901"]), ("11407", ["080703"]), ("10752", ["101101"]))
    assert refused(NINGXIA, NX_CATALOGUE, ningxia(), three).code == "too_many_schools"
    again = nx_choice("ligong", ("10749", ["080901"]), ("10749", ["080902"]))
    assert refused(NINGXIA, NX_CATALOGUE, ningxia(), again).code == "repeated_school"
    twice = nx_choice("ligong", ("10749", ["080901", "080901"]))
    assert refused(NINGXIA, NX_CATALOGUE, ningxia(), twice).code == "repeated_major"


def test_ningxia_subject_category_rules() -> None:
    none = refused(NINGXIA, NX_CATALOGUE, ningxia(), nx_choice(None, ("10749", ["080901"])))
    assert none.field == "subject_category"
    other = refused(NINGXIA, NX_CATALOGUE, ningxia(), nx_choice("yixue", ("10749", ["080901"])))
    assert other.code == "not_medical_graduate" and "非医学类专科生" in other.message
    outside = refused(NINGXIA, NX_CATALOGUE, ningxia(), nx_choice("faxue", ("10749", ["080901"])))
    assert outside.code == "not_in_catalogue"  # a major outside the chosen category
    gqb = nx_choice(None, ("10749", ["120203K"]), level="gqb")
    assert check(NINGXIA, NX_CATALOGUE, ningxia("gqb"), gqb)["level"] == "gqb"
    mixed = nx_choice("ligong", ("10749", ["120203K"]), level="gqb")
    assert isinstance(refused(NINGXIA, NX_CATALOGUE, ningxia("gqb"), mixed), InvalidField)


def test_ningxia_level_and_medical_prerequisites() -> None:
    mismatch = refused(
        NINGXIA, NX_CATALOGUE, ningxia("gqz"), nx_choice("ligong", ("10749", ["080901"]))
    )
    assert mismatch.code == "level_mismatch"
    nurse = ningxia(medical_graduate=True)
    assert refused(
        NINGXIA, NX_CATALOGUE, nurse, nx_choice("yixue", ("10752", ["101101"]))
    ).code == ("medical_prerequisite")
    qualified = ningxia(medical_graduate=True, medical_major=True)
    assert check(NINGXIA, NX_CATALOGUE, qualified, nx_choice("yixue", ("10752", ["101101"])))


def test_fees_by_policy_and_state() -> None:
    assert amount_due(HUNAN, "ordinary", {"exemption": False}) == 130
    for special in ("retired_soldier", "competition", "xianghu_craftsman"):
        assert amount_due(HUNAN, special, {"exemption": True}) == 0  # set by the schools
    assert amount_due(NINGXIA, None, None) == 145
    assert amount_due(NINGXIA, None, {"exemption": True, "revoked": False}) == 50
    assert amount_due(NINGXIA, None, {"exemption": True, "revoked": True}) == 145
    assert amount_due(NINGXIA, None, {"exemption": False, "bonus_points": 20}) == 145


_codes = st.sampled_from(["10749", "11407", "10752", "99999"])
_majors = st.sampled_from(["080901", "080902", "080703", "101101", "120203K"])


@given(
    plans=st.lists(
        st.builds(
            Plan,
            _codes,
            st.just("某大学"),
            _majors,
            st.sampled_from(["ligong", "yixue", ""]),
            st.sampled_from(["zsb", "gqb"]),
            st.integers(0, 3),
            st.booleans(),
        ),
        max_size=12,
    ),
    slots=st.lists(st.tuples(_codes, st.lists(_majors, max_size=3)), max_size=3),
    category=st.sampled_from(["ligong", "yixue", None]),
    level=st.sampled_from(["zsb", "gqb"]),
    medical=st.booleans(),
)
def test_whatever_the_catalogue_an_accepted_choice_keeps_every_rule(
    plans, slots, category, level, medical
) -> None:
    catalogue = Catalogue.of(plans)
    who = ningxia(level, medical_graduate=medical, medical_major=medical)
    choice = nx_choice(category, *slots, level=level)
    try:
        saved = check(NINGXIA, catalogue, who, choice)
    except (InvalidField, RuleViolation) as err:
        assert err.field and err.message  # refused, naming the field, with a reason
        return
    assert 1 <= len(saved["schools"]) <= 2
    assert len({s["school"] for s in saved["schools"]}) == len(saved["schools"])
    for slot in saved["schools"]:
        assert 1 <= len(slot["majors"]) <= 2 and len(set(slot["majors"])) == len(slot["majors"])
        for major in slot["majors"]:
            plan = catalogue.plans[(slot["school"], major, category or "")]
            assert plan.level == level and plan.seats > 0
            assert medical or not plan.medical
    assert (category == "yixue") <= medical


def test_the_rules_are_explained_from_each_seasons_policy() -> None:
    hunan_rules, ningxia_rules = "\n".join(explain(HUNAN)), "\n".join(explain(NINGXIA))
    assert "普通计划含脱贫家庭毕业生计划" in hunan_rules and "相同或相近" in hunan_rules
    assert "专科中医骨伤专业可对应本科中医学专业" in hunan_rules
    assert "填报一所院校的一个专业" in hunan_rules and "学科门类" not in hunan_rules
    assert "最多填报2所院校，每所院校最多2个专业" in ningxia_rules
    assert "文史(中医)、艺术、理工、经济管理、法学、教育学、农学、医学" in ningxia_rules
    assert "非医学类专科生不得跨类" in ningxia_rules and "确认后不能再修改" in ningxia_rules
    assert "相同或相近" not in ningxia_rules
