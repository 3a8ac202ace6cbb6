"""R4.2: the policy, not the code, says which documents a candidate uploads."""

from __future__ import annotations

from infra.local.demo import preset
from zhaokao.domain.notice import approvals, listed, mask_name, phase
from zhaokao.domain.profile import documents_for, missing_for_submission

HUNAN, NINGXIA = preset("hunan-zsb-2024"), preset("ningxia-adult-2023")


def codes(policy, profile, residence_permit=False) -> list[str]:
    return [d.code for d in documents_for(policy, profile, residence_permit)]


def test_hunan_documents_by_category() -> None:
    assert codes(HUNAN, {"category": "ordinary"}) == []
    assert codes(HUNAN, {"category": "poverty_family"}) == ["poverty_proof"]
    assert codes(HUNAN, {"category": "retired_soldier", "fresh_graduate": False}) == [
        "diplomas",
        "discharge_certificate",
    ]
    merit = {"category": "retired_soldier", "merit_third_class": True}
    assert codes(HUNAN, merit) == ["discharge_certificate", "merit_certificate"]  # optional last


def test_ningxia_documents_by_level_permit_and_major() -> None:
    assert codes(NINGXIA, {"level": "gqz"}) == ["high_school_diploma"]
    assert codes(NINGXIA, {"level": "zsb", "medical_major": True}, residence_permit=True) == [
        "residence_permit",
        "xuexin_record",
        "medical_certificate",
    ]
    assert codes(NINGXIA, {"level": "zsb", "category": "exempt_veteran"}) == [
        "xuexin_record",
        "exemption_form",
        "discharge_certificate",
    ]


def test_what_stops_a_submission_is_named() -> None:
    assert missing_for_submission(NINGXIA, None, False, {}) == ["请先完善个人信息"]
    missing = missing_for_submission(
        NINGXIA, {"level": "zsb"}, False, {"photo": {"status": "rejected"}}
    )
    assert missing == [
        "标准证件照未通过检查，请重新上传",
        "请上传：学信网《教育部学历证书电子注册备案表》或《中国高等教育学历认证报告》",
    ]
    assert missing_for_submission(HUNAN, {"category": "ordinary"}, False, {}) == []  # photo: roster


def test_only_the_highest_bonus_counts_and_listing_follows_approval() -> None:
    got = approvals(
        NINGXIA,
        {"category": "ordinary", "bonus_claims": ["veteran", "first_class_athlete"]},
        "640104199003070018",
    )
    assert (got["bonus"], got["bonus_points"], got["exemption"]) == (
        "first_class_athlete",
        30,
        False,
    )
    assert listed(got)
    plain = approvals(HUNAN, {"category": "poverty_family"}, "430103200201010015")
    assert not listed(plain) and plain["bonus_points"] == 0
    assert listed(approvals(HUNAN, {"category": "competition"}, "430103200201010015"))


def test_names_are_masked_and_entries_leave_after_six_months() -> None:
    assert mask_name("王小明", "given_name") == "王**" and mask_name("王小明", "none") == "王小明"
    body = {"effective": "2024-02-10", "visible_until": "2024-08-05"}
    from datetime import date

    assert phase(body, False, date(2024, 2, 9)) == "on_notice"
    assert phase(body, False, date(2024, 2, 10)) == "effective"
    assert phase(body, True, date(2024, 2, 10)) == "revoked"
    assert phase(body, False, date(2024, 8, 6)) is None
