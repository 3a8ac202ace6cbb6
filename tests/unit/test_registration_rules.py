"""R3 as pure rules, with in-memory ports: window, identity, county, roster, credential."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from importlib import resources

import pytest

from zhaokao.domain.errors import DomainError, Duplicate, InvalidField, RuleViolation, WindowClosed
from zhaokao.domain.policy import load_policy
from zhaokao.domain.registration import NewCandidate, RegistrationForm, register
from zhaokao.domain.roster import RosterRow
from zhaokao.domain.season import Season
from zhaokao.domain.windows import CST


def season(name: str) -> Season:
    text = resources.files("zhaokao").joinpath(f"policies/{name}.json").read_text("utf-8")
    return Season(load_policy(json.loads(text)))


HUNAN, NINGXIA = season("hunan-zsb-2024"), season("ningxia-adult-2023")
IN_HUNAN = datetime(2024, 1, 29, 10, tzinfo=CST)
IN_NINGXIA = datetime(2023, 9, 5, 10, tzinfo=CST)
ID = "11010519491231002X"
ROW = RosterRow("王芳", ID, "43001", "510201", date(2024, 6, 30), True, (), "a.jpg")


@dataclass
class Ports:
    rows: dict[str, RosterRow] = field(default_factory=lambda: {ID: ROW})
    created: list[NewCandidate] = field(default_factory=list)
    codes_used: list[str] = field(default_factory=list)

    def roster_row(self, season_id: str, id_number: str) -> RosterRow | None:
        return self.rows.get(id_number)

    def consume_otp(self, season_id: str, phone: str, code: str) -> None:
        if code != "123456":
            raise InvalidField("验证码错误", "otp")
        self.codes_used.append(phone)

    def create_candidate(self, candidate: NewCandidate) -> None:
        if any(c.phone == candidate.phone for c in self.created):
            raise Duplicate("该手机号已注册", "phone")
        self.created.append(candidate)


def form(**changes: object) -> RegistrationForm:
    base = dict(
        name="王芳",
        id_number=ID.lower(),
        phone="13800138000",
        otp="123456",
        password="abc12345",
        pledge=True,
    )
    return RegistrationForm(**{**base, **changes})  # type: ignore[arg-type]


def test_a_listed_graduate_registers_under_their_college() -> None:
    ports = Ports()
    c = register(HUNAN, form(), ports, IN_HUNAN)
    assert (c.unit, c.college_code, c.major_code, c.id_number) == ("43001", "43001", "510201", ID)
    assert ports.created == [c] and c.pledged_at is not None  # 诚信承诺书 accepted, when


def test_registration_needs_the_pledge_before_the_code_is_used() -> None:
    ports = Ports()
    with pytest.raises(InvalidField) as refused:
        register(HUNAN, form(pledge=False), ports, IN_HUNAN)
    assert refused.value.field == "pledge" and ports.codes_used == [] and ports.created == []


def test_outside_the_window() -> None:
    with pytest.raises(WindowClosed) as err:
        register(HUNAN, form(), Ports(), datetime(2024, 2, 2, 17, tzinfo=CST))
    assert "注册报名" in err.value.message


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "王"}, "name"),
        ({"id_number": "110105194912310021"}, "id_number"),
        ({"phone": "1380013800"}, "phone"),
        ({"password": "short1"}, "password"),
        ({"password": "onlyletters"}, "password"),
        ({"otp": "12ab56"}, "otp"),
        ({"otp": "654321"}, "otp"),
        ({"county_code": "640104"}, "county_code"),
    ],
)
def test_bad_input_names_the_field(changes: dict, field: str) -> None:
    ports = Ports()
    with pytest.raises(DomainError) as err:
        register(HUNAN, form(**changes), ports, IN_HUNAN)
    assert err.value.field == field
    assert not ports.created


def test_name_and_id_must_match_the_roster() -> None:
    for changes in ({"name": "王芳芳"}, {"id_number": "110105194912310038"}):
        with pytest.raises(RuleViolation) as err:
            register(HUNAN, form(**changes), Ports(), IN_HUNAN)
        assert err.value.code == "not_in_roster"


def test_ningxia_needs_a_county_and_no_roster() -> None:
    with pytest.raises(InvalidField) as err:
        register(NINGXIA, form(), Ports(rows={}), IN_NINGXIA)
    assert err.value.field == "county_code"
    c = register(
        NINGXIA, form(county_code="640104", residence_permit=True), Ports(rows={}), IN_NINGXIA
    )
    assert (c.unit, c.county_code, c.residence_permit, c.college_code) == (
        "640104",
        "640104",
        True,
        None,
    )


def test_the_credential_is_written_with_the_candidate_as_an_argon2id_hash() -> None:
    """ADR 8: no account service; the password hash travels in the one transaction."""
    from zhaokao.domain.credentials import verify_password

    ports = Ports()
    c = register(HUNAN, form(), ports, IN_HUNAN)
    assert ports.created == [c]
    assert c.password_hash and c.password_hash.startswith("$argon2id$")
    assert "abc12345" not in c.password_hash
    assert verify_password(c.password_hash, "abc12345")
    assert not verify_password(c.password_hash, "abc12346")
