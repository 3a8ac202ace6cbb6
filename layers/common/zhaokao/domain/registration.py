"""Registration (注册, R3): who may register, with which identity, once."""

from __future__ import annotations

import re
import unicodedata
import uuid
from datetime import datetime
from typing import NamedTuple, Protocol

from .credentials import check_password, hash_password
from .errors import InvalidField, RuleViolation
from .identity import normalise_id_number, normalise_name, normalise_phone
from .roster import RosterRow
from .season import Season
from .windows import WindowName


class RegistrationForm(NamedTuple):
    """What the candidate types (R3.1), before normalisation."""

    name: str
    id_number: str
    phone: str
    otp: str
    password: str
    county_code: str | None = None
    residence_permit: bool = False
    pledge: bool = False  # 报考须知 and 诚信承诺书 read and accepted


class NewCandidate(NamedTuple):
    candidate_id: str
    season_id: str
    name: str
    id_number: str
    phone: str
    unit: str  # the reviewing unit that owns the candidate: college or county
    registered_at: datetime
    college_code: str | None = None
    major_code: str | None = None
    county_code: str | None = None
    residence_permit: bool = False
    status: str = "registered"
    password_hash: str | None = None  # argon2id (credentials.py); none for a demo record
    pledged_at: datetime | None = None  # when 报考须知 and 诚信承诺书 were accepted


class RegistrationPorts(Protocol):
    def roster_row(self, season_id: str, id_number: str) -> RosterRow | None: ...
    def consume_otp(self, season_id: str, phone: str, code: str) -> None: ...
    def create_candidate(self, candidate: NewCandidate) -> None: ...


def register(
    season: Season, form: RegistrationForm, ports: RegistrationPorts, real_now: datetime
) -> NewCandidate:
    """R3: check the window, the identity and the code, then create the candidate once."""
    now = season.require_window(WindowName.registration, real_now)
    policy = season.policy
    name = normalise_name(form.name)
    id_number = normalise_id_number(form.id_number)
    phone = normalise_phone(form.phone)
    check_password(form.password)
    code = unicodedata.normalize("NFKC", form.otp or "").strip()
    if not re.fullmatch(r"[0-9]{6}", code):
        raise InvalidField("验证码应为6位数字", "otp")

    county = None
    if policy.registration_unit == "county":  # R3.4: household or residence-permit county
        county = form.county_code
        if not county or county not in {c.code for c in policy.reference.counties}:
            raise InvalidField("请选择户籍或居住证所在的县（市、区）", "county_code")
    elif form.county_code is not None or form.residence_permit:
        raise InvalidField("本考试季按院校报名，无需选择县（市、区）", "county_code")
    if not form.pledge:  # before the code is used: ticking the box must not cost a new SMS
        raise InvalidField("请阅读并同意报考须知和诚信承诺书", "pledge", code="pledge_required")

    # The code first: without it nobody learns whether a name and ID are on a roster.
    ports.consume_otp(policy.season_id, phone, code)

    row = None
    if policy.roster_required:  # R3.1: name and ID exactly as on the roster
        row = ports.roster_row(policy.season_id, id_number)
        if row is None or row.name != name:
            raise RuleViolation(
                "姓名和身份证号须与学信网学籍信息完全一致；未找到匹配的学籍，请联系所在院校",
                "id_number",
                code="not_in_roster",
            )

    candidate = NewCandidate(
        candidate_id=uuid.uuid4().hex,
        season_id=policy.season_id,
        name=name,
        id_number=id_number,
        phone=phone,
        unit=row.college_code if row else str(county),
        registered_at=now,
        college_code=row.college_code if row else None,
        major_code=row.major_code if row else None,
        county_code=county,
        residence_permit=form.residence_permit,
        password_hash=hash_password(form.password),  # the credential lives beside the candidate
        pledged_at=now,
    )
    # R3.2: one transaction writes the candidate with its credential and guards phone and
    # ID; no account service is called, so nothing can be left half-written (R17.3).
    ports.create_candidate(candidate)
    return candidate
