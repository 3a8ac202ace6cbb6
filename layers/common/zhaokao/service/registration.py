"""Registration, sign-in and the candidate's own record (R3)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..adapters import metrics
from ..api.schemas import Me, OtpSent, PhoneCodesSent
from ..api.views import AuditEntry
from ..domain import registration
from ..domain.auth import Principal
from ..domain.candidate import CheckResult
from ..domain.errors import InvalidField
from ..domain.identity import mask_phone, normalise_phone
from ..domain.profile import check_profile
from ..domain.registration import RegistrationForm
from ..domain.sms import Message
from ..domain.windows import CST, WindowName
from ..storage import candidates, lifecycle, otp, pii, roster, seasons
from . import codes, documents


def send_otp(season_id: str, raw_phone: str, asker: codes.Asker) -> OtpSent:
    """R3.3: a code by SMS, limited per phone, client and season (R17.4). The answer is the
    same whether the phone is registered or not; a registered phone's SMS says so."""
    season = seasons.get_season(season_id)
    season.require_window(WindowName.registration)
    phone = normalise_phone(raw_phone)
    registered = candidates.owner_of_phone(season_id, phone) is not None

    def message(code: str) -> Message:
        if registered:
            return season.policy.message("already_registered")
        return season.policy.message("otp", code=code)

    return codes.send(season, phone, "register", asker, message)


class _Ports:
    """The storage ports of the registration rule."""

    roster_row = staticmethod(roster.find)
    create_candidate = staticmethod(candidates.create)

    @staticmethod
    def consume_otp(season_id: str, phone: str, code: str) -> None:
        otp.consume(season_id, phone, code, datetime.now(CST))


def register(season_id: str, form: RegistrationForm) -> dict[str, Any]:
    season = seasons.get_season(season_id)
    candidate = registration.register(season, form, _Ports(), datetime.now(CST))
    metrics.count("Registrations", season_id)
    return {"candidate_id": candidate.candidate_id, "status": candidate.status}


def me(who: Principal) -> Me:
    who.require("candidate")
    record = candidates.get(who.username)
    return documents.candidate_view(record, seasons.get_season(record.season_id).policy)


def save_profile(who: Principal, profile: dict[str, Any], version: int) -> Me:
    """R4.1: inside the profile window, while editable (R4.4); versioned and audited."""
    who.require("candidate")
    record = candidates.get(who.username)
    season = seasons.get_season(record.season_id)
    now = season.require_editing(record.status, record.returned)
    checked = check_profile(profile, season.policy, now.date())
    record = lifecycle.update_profile(record, checked, who.actor(), version)
    return documents.candidate_view(record, season.policy)


def check_draft(who: Principal, profile: dict[str, Any]) -> list[CheckResult]:
    """The automatic checks on a profile before it is saved: nothing is written."""
    from .review import preview_checks  # the checks' inputs, as the routing worker reads them

    who.require("candidate")
    record = candidates.get(who.username)
    season = seasons.get_season(record.season_id)
    checked = check_profile(profile, season.policy, season.now().date())
    return preview_checks(record, season, checked)


def timeline(who: Principal) -> list[AuditEntry]:
    """R4 (timeline): every change of my record, oldest first, with reasons."""
    who.require("candidate")
    return [AuditEntry.model_validate(v) for v in lifecycle.timeline(who.username)]


# -- 更换手机号 (seed 000: 保持手机畅通) --------------------------------------------------
def send_phone_codes(who: Principal, raw_phone: str, asker: codes.Asker) -> PhoneCodesSent:
    """A code to the old phone and one to the new, each limited as registration codes are.
    A new phone already registered this season is told so by its SMS, as at registration."""
    who.require("candidate")
    record = candidates.get(who.username)
    season = seasons.get_season(record.season_id)
    new, old = normalise_phone(raw_phone), pii.decrypt(record.phone_cipher)
    if new == old:
        raise InvalidField("新手机号与原手机号相同", "phone")
    taken = candidates.owner_of_phone(record.season_id, new) is not None

    def to_new(code: str) -> Message:
        if taken:
            return season.policy.message("already_registered")
        return season.policy.message("phone_change", code=code)

    def to_old(code: str) -> Message:
        return season.policy.message("phone_change", code=code)

    codes.send(season, old, "phone_old", asker, to_old)
    sent = codes.send(season, new, "phone_new", asker, to_new)
    return PhoneCodesSent(**sent.model_dump(), old_sent_to=mask_phone(old))


def change_phone(who: Principal, raw_phone: str, old_code: str, new_code: str) -> Me:
    """Both codes prove both phones; the new one is unique per season (R3.2)."""
    who.require("candidate")
    record = candidates.get(who.username)
    season = seasons.get_season(record.season_id)
    new, now = normalise_phone(raw_phone), datetime.now(CST)
    old = pii.decrypt(record.phone_cipher)
    otp.consume(record.season_id, old, old_code, now, purpose="phone_old", field="old_code")
    otp.consume(record.season_id, new, new_code, now, purpose="phone_new", field="new_code")
    record = lifecycle.change_phone(record, new, who.actor())
    return documents.candidate_view(record, season.policy)
