"""R5: automatic eligibility checks, each with an outcome and a reason."""

from __future__ import annotations

from datetime import date

import pytest
from stdnum.cn import ric

from tests.unit.test_registration_rules import HUNAN, NINGXIA
from zhaokao.domain.eligibility import RULES, Applicant, Outcome, check, overall
from zhaokao.domain.roster import RosterRow

ID = "11010519491231002X"


def id_born(born: str) -> str:
    body = f"640104{born.replace('-', '')}123"
    return body + ric.calc_check_digit(body + "0")


def row(**changes: object) -> RosterRow:
    base = RosterRow("王芳", ID, "43001", "510201", date(2024, 6, 30), True, (), "a.jpg")
    return base._replace(**changes)


def outcomes(policy, applicant: Applicant) -> dict[str, Outcome]:
    return {c.rule: c.outcome for c in check(policy.policy, applicant)}


def test_every_rule_of_every_preset_is_implemented() -> None:
    for season in (HUNAN, NINGXIA):
        assert {r.kind for r in season.policy.eligibility} <= set(RULES)


def test_a_fresh_hunan_graduate_passes_every_check() -> None:
    checks = check(HUNAN.policy, Applicant(ID, roster=row()))
    assert overall(checks) is Outcome.passed
    assert all(c.reason for c in checks) and {c.requirement for c in checks} == {"R5.1", "R5.2"}


@pytest.mark.parametrize(
    ("applicant", "rule", "words"),
    [
        (Applicant(ID, roster=row(graduation_date=date(2024, 8, 1))), "hn.fresh_graduate", "晚于"),
        (Applicant(ID, roster=row(xuexin_registered=False)), "hn.fresh_graduate", "学信网"),
        (Applicant(ID, roster=None), "hn.fresh_graduate", "学籍"),
        (Applicant(ID, roster=row(flags=("discipline_sanction",))), "hn.discipline", "记过"),
        (Applicant(ID, roster=row(flags=("criminal_measure",))), "hn.criminal", "刑事"),
        (Applicant(ID, roster=row(flags=("exam_ban",))), "hn.exam_ban", "处罚期"),
        (Applicant(ID, roster=row(flags=("eligibility_cancelled",))), "hn.cancelled", "取消"),
        (Applicant(ID, roster=row(), sat_previous_season=True), "hn.previous_season", "上年"),
    ],
)
def test_hunan_exclusions_fail_with_their_reason(
    applicant: Applicant, rule: str, words: str
) -> None:
    checks = {c.rule: c for c in check(HUNAN.policy, applicant)}
    assert checks[rule].outcome is Outcome.failed and words in checks[rule].reason
    assert overall(list(checks.values())) is Outcome.failed


def test_a_retired_soldier_is_not_held_to_the_fresh_graduate_rule() -> None:
    soldier = Applicant(
        ID, category="retired_soldier", roster=row(graduation_date=date(2020, 6, 30))
    )
    assert outcomes(HUNAN, soldier)["hn.fresh_graduate"] is Outcome.passed


def ningxia(**changes: object) -> Applicant:
    base = Applicant(id_born("1990-05-01"), level="zsb", education="college")
    return base._replace(**changes)


def test_an_ordinary_ningxia_candidate_passes() -> None:
    assert overall(check(NINGXIA.policy, ningxia())) is Outcome.passed


@pytest.mark.parametrize(
    ("applicant", "rule", "outcome"),
    [
        (ningxia(education="high_school"), "nx.level_education", Outcome.failed),
        (ningxia(level="gqz", education=None), "nx.level_education", Outcome.failed),
        (ningxia(medical_major=True), "nx.medical", Outcome.failed),
        (ningxia(id_number=id_born("2006-09-05")), "nx.under_18", Outcome.on_site),
        (
            ningxia(level="gqb", education=None, lost_diploma=True),
            "nx.lost_diploma",
            Outcome.on_site,
        ),
        (ningxia(category="exempt_veteran"), "nx.exemption", Outcome.on_site),
        (ningxia(bonus_claims=("first_class_athlete",)), "nx.bonus", Outcome.on_site),
    ],
)
def test_ningxia_rules(applicant: Applicant, rule: str, outcome: Outcome) -> None:
    assert outcomes(NINGXIA, applicant)[rule] is outcome


def test_ningxia_edges() -> None:
    assert (
        outcomes(NINGXIA, ningxia(id_number=id_born("2005-09-04")))["nx.under_18"] is Outcome.passed
    )
    ok = ningxia(medical_major=True, medical_certificate=True)
    assert outcomes(NINGXIA, ok)["nx.medical"] is Outcome.passed
    automatic = ningxia(bonus_claims=("ethnic_minority", "age_25"))  # no on-site review for these
    assert outcomes(NINGXIA, automatic)["nx.bonus"] is Outcome.passed
    lost = ningxia(level="gqb", education=None, lost_diploma=True)
    assert overall(check(NINGXIA.policy, lost)) is Outcome.on_site  # on site, not failed


def test_ningxia_claims_the_record_can_confirm_are_checked_not_trusted() -> None:
    """Seed 004: 年满25周岁以上人员（1998年12月31日前出生）; 少数民族考生 — from the ID number's
    birth date and the profile's 民族. A refuted claim is looked at on site and not approved."""
    from zhaokao.domain.notice import approvals

    young = ningxia(id_number=id_born("1999-01-01"), bonus_claims=("age_25",))
    assert outcomes(NINGXIA, young)["nx.claims"] is Outcome.on_site
    reason = next(c.reason for c in check(NINGXIA.policy, young) if c.rule == "nx.claims")
    assert "1999-01-01" in reason and "1998-12-31" in reason
    born_in_time = ningxia(id_number=id_born("1998-12-31"), bonus_claims=("age_25",))
    assert outcomes(NINGXIA, born_in_time)["nx.claims"] is Outcome.passed
    han = ningxia(bonus_claims=("ethnic_minority",), ethnicity="汉族")
    assert outcomes(NINGXIA, han)["nx.claims"] is Outcome.on_site
    hui = ningxia(bonus_claims=("ethnic_minority",), ethnicity="回族")
    assert outcomes(NINGXIA, hui)["nx.claims"] is Outcome.passed
    claims = {"category": "ordinary", "bonus_claims": ["age_25", "veteran"], "ethnicity": "汉族"}
    assert approvals(NINGXIA.policy, claims, id_born("1999-01-01"))["bonus"] == "veteran"
    assert approvals(NINGXIA.policy, claims, id_born("1980-01-01"))["bonus"] == "age_25"


def test_ningxia_current_students_cannot_register() -> None:
    """Seed 004: 国家承认学历的各类高、中等学校在校生以外的从业人员和社会其他人员."""
    assert outcomes(NINGXIA, ningxia(current_student=True))["nx.not_student"] is Outcome.failed
    assert overall(check(NINGXIA.policy, ningxia(current_student=True))) is Outcome.failed
