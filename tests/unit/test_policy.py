"""R1: season policies load, validate, answer window questions, shift a year."""

from __future__ import annotations

import json
from datetime import datetime
from importlib import resources

import pytest

from zhaokao.domain.errors import WindowClosed
from zhaokao.domain.policy import PolicyError, load_policy
from zhaokao.domain.windows import CST, WindowName


def preset(name: str) -> dict:
    text = resources.files("zhaokao").joinpath(f"policies/{name}.json").read_text("utf-8")
    return json.loads(text)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=CST)


@pytest.mark.parametrize("name", ["hunan-zsb-2024", "ningxia-adult-2023"])
def test_presets_load(name: str) -> None:
    policy = load_policy(preset(name))
    assert policy.season_id == name


def test_hunan_figures_from_the_seed() -> None:
    p = load_policy(preset("hunan-zsb-2024"))
    reg = p.windows[WindowName.registration]
    assert (reg.start, reg.end) == (at("2024-01-29T08:00"), at("2024-02-02T17:00"))
    pref = p.windows[WindowName.preferences]
    assert (pref.start, pref.end) == (at("2024-03-22T08:00"), at("2024-03-25T17:00"))
    assert p.windows[WindowName.ticket_printing].contains(at("2024-04-20T23:59"))
    assert not p.windows[WindowName.ticket_printing].contains(at("2024-04-21T00:00"))
    assert p.fees.standard == 130
    assert set(p.fees.not_collected_for) == {"retired_soldier", "competition", "xianghu_craftsman"}
    assert p.preferences.medical_exceptions == [("中医骨伤", "中医学")]
    assert p.roster_required and p.registration_unit == "college"
    assert p.eligibility[0].params["graduate_by"] == "2024-07-31"


def test_ningxia_figures_from_the_seed() -> None:
    p = load_policy(preset("ningxia-adult-2023"))
    assert p.fees.standard == 145 and p.fees.exemption_approved == 50
    assert p.fees.exemption_rejected == 145 and not p.fees.refundable
    assert p.windows[WindowName.payment].end == at("2023-09-10T18:00")
    assert p.windows[WindowName.review].end == at("2023-09-08T18:00")
    assert len(p.subject_categories) == 8
    assert p.exam.full_marks == 150
    assert p.exam.minutes_by_level == {"gqb": 120, "gqz": 120, "zsb": 150}
    assert p.exam_sites is not None and p.exam_sites.min_registrants_per_county == 200
    assert p.exam_sites.room_seats == 30
    assert sorted({b.points for b in p.bonus.items}) == [10, 20, 30, 50]
    assert p.bonus.combine == "max"
    assert p.preferences.schools == 2 and p.preferences.majors_per_school == 2
    medical = next(g for g in p.exam.groups if g.category == "yixue")
    assert medical.subjects == ["zhengzhi", "yingyu", "yixue_zonghe"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d["fees"].update(standard=-1), "fees.standard"),
        (
            lambda d: d["windows"]["registration"].update(end="2024-01-01T00:00:00"),
            "windows.registration",
        ),
        (lambda d: d["windows"].update(lunch={"start": "2024-01-01T00:00:00"}), "windows.lunch"),
        (lambda d: d.update(surprise=1), "surprise"),
        (lambda d: d["preferences"].pop("schools"), "preferences.schools"),
        (lambda d: d["fees"].update(not_collected_for=["nobody"]), "fees.not_collected_for"),
    ],
)
def test_a_malformed_policy_names_the_field(change, field: str) -> None:
    data = preset("hunan-zsb-2024")
    change(data)
    with pytest.raises(PolicyError) as err:
        load_policy(data)
    assert field in str(err.value)


def test_windows_name_themselves_when_closed() -> None:
    p = load_policy(preset("hunan-zsb-2024"))
    p.require_window(WindowName.registration, at("2024-01-29T08:00"))
    with pytest.raises(WindowClosed) as err:
        p.require_window(WindowName.registration, at("2024-02-02T17:00"))
    assert "注册报名" in err.value.message and "2024年2月2日17:00" in err.value.message
    with pytest.raises(WindowClosed) as err:
        p.require_window(WindowName.score_release, at("2024-02-01T00:00"))
    assert "成绩查询" in err.value.message


def test_phase_lists_the_open_windows() -> None:
    p = load_policy(preset("ningxia-adult-2023"))
    assert set(p.phase(at("2023-09-08T13:00"))) == {
        WindowName.review,
        WindowName.special_review,
        WindowName.payment,
    }


def test_next_year_shifts_every_date() -> None:
    p = load_policy(preset("hunan-zsb-2024")).shifted("hunan-zsb-2025", 1)
    assert p.year == 2025 and p.name.startswith("湖南省2025年")
    assert p.windows[WindowName.registration].start == at("2025-01-29T08:00")
    first = p.eligibility[0].params
    assert first["graduate_by"] == "2025-07-31"
    previous = next(r for r in p.eligibility if r.id == "hn.previous_season")
    assert previous.params["previous_season"] == "hunan-zsb-2024"  # R5.2


def test_ningxia_exemptions_for_zsb_only_refuse_another_level() -> None:
    """Seed 004: 服务基层项目人员、退役军人 … 可申请免试就读 … 成人高校专升本."""
    from datetime import date

    from zhaokao.domain.errors import InvalidField
    from zhaokao.domain.profile import check_profile

    policy = load_policy(preset("ningxia-adult-2023"))
    base = {"native_place": "宁夏", "education": "college"}
    for category in ("exempt_veteran", "exempt_grassroots"):
        with pytest.raises(InvalidField) as refused:
            check_profile({**base, "category": category, "level": "gqz"}, policy, date(2023, 9, 5))
        assert refused.value.field == "level" and "专升本" in refused.value.message
        check_profile({**base, "category": category, "level": "zsb"}, policy, date(2023, 9, 5))
    check_profile(
        {**base, "category": "exempt_model_worker", "level": "gqz"}, policy, date(2023, 9, 5)
    )
