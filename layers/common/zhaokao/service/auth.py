"""Sign-in (R15.1, R17.4): the platform's own tokens, refresh families, second factors,
password change and reset, and the operators' staff accounts (ADR 8)."""

from __future__ import annotations

from datetime import UTC, datetime
from secrets import token_hex
from typing import Any

from aws_lambda_powertools import Logger

from ..adapters import keys
from ..api.operator_schemas import StaffView
from ..api.schemas import Activated, Enrolment, Jwks, OpenIdConfiguration, OtpSent, Tokens
from ..domain import auth, credentials
from ..domain.auth import Account, Principal
from ..domain.errors import Duplicate, Forbidden, InvalidField, NotFound, Unauthenticated
from ..domain.identity import ascii_digits, normalise_phone
from ..domain.sms import Message
from ..domain.windows import CST
from ..settings import settings
from ..storage import accounts, candidates, lifecycle, otp, pii, seasons
from . import codes, notify

logger = Logger(service="zhaokao-service")

_BAD_CREDENTIALS = "账号或密码错误"
RECOVERY_CODES = 10


def _now() -> datetime:
    return datetime.now(UTC)  # tokens live in real time, whatever a season's clock says


def _millis() -> int:
    """Revocation marks and sign-ins in milliseconds: a sign-in and the reset that revokes
    it may well fall in one second."""
    return int(_now().timestamp() * 1000)


def _issue(account: Account, family: str | None = None) -> Tokens:
    """An access token, and (on a new sign-in) a refresh token opening a session."""
    now = _now()
    access = keys.sign(auth.access_claims(account, settings().public_api_url, now))
    tokens = Tokens(access_token=access, expires_in=auth.ACCESS_SECONDS, token_type="Bearer")
    if family is None:
        refresh = auth.new_refresh()
        lifetime = auth.REFRESH_LIFETIME[account.kind]
        accounts.open_session(refresh, account.subject, account.kind, lifetime, now)
        tokens.refresh_token = str(refresh)
    return tokens


def _attempt(identity: str, client: str) -> tuple[str, str]:
    """R17.4: refuse an attempt the backoff holds back; the keys to count a failure on."""
    throttle = accounts.throttle_keys(identity, client)
    account, by_client = accounts.failures(throttle, _now())
    auth.require_attempt(account, by_client, _now())
    return throttle


def _failed(
    throttle: tuple[str, str],
    message: str = _BAD_CREDENTIALS,
    field: str = "password",
    code: str = "bad_credentials",
) -> Unauthenticated:
    accounts.record_failure(throttle, _now())
    return Unauthenticated(message, field, code=code)


# -- candidates ---------------------------------------------------------------------------
def candidate_sign_in(season_id: str, raw_phone: str, password: str, client: str) -> Tokens:
    """By season, phone and password. An unknown phone costs and answers exactly what a
    wrong password does (R17.4: sign-in never tells whether a phone is registered)."""
    seasons.get_season(season_id)
    phone = normalise_phone(raw_phone)
    throttle = _attempt(f"{season_id}:{phone}", client)
    owner = candidates.owner_of_phone(season_id, phone)
    record = candidates.find(owner) if owner else None
    stored = record.password_hash if record else None
    if not credentials.verify_password(stored, password) or record is None:
        raise _failed(throttle)
    accounts.clear_failures(throttle[0])
    return _issue(Account(record.candidate_id, "candidate", record.season_id))


def change_password(who: Principal, old: str, new: str) -> Tokens:
    """修改密码: every other sign-in is revoked; this device gets fresh tokens."""
    who.require("candidate")
    credentials.check_password(new, "new_password")
    record = candidates.get(who.username)
    if not credentials.verify_password(record.password_hash, old):
        raise Unauthenticated("原密码错误", "old_password", code="bad_credentials")
    _set_candidate_password(record, new, who.actor(), "password:change")
    return _issue(Account(record.candidate_id, "candidate", record.season_id))


def _set_candidate_password(record: Any, password: str, actor: str, action: str) -> None:
    now = _millis()
    lifecycle.change_password(record, credentials.hash_password(password), now, actor, action)
    notify.candidate(record, "password_changed", name=record.name)


def send_reset_code(season_id: str, raw_phone: str, asker: codes.Asker) -> OtpSent:
    """忘记密码, step 1: a code by SMS, limited as registration codes are. The answer is the
    same whether the phone is registered or not; an unregistered phone's SMS says so."""
    season = seasons.get_season(season_id)
    phone = normalise_phone(raw_phone)
    registered = candidates.owner_of_phone(season_id, phone) is not None

    def message(code: str) -> Message:
        if registered:
            return season.policy.message("password_reset", code=code)
        return season.policy.message("not_registered")

    return codes.send(season, phone, "reset", asker, message)


def reset_password(season_id: str, raw_phone: str, code: str, password: str) -> None:
    """忘记密码, step 2: the code proves the phone; every earlier sign-in is revoked."""
    seasons.get_season(season_id)
    phone = normalise_phone(raw_phone)
    credentials.check_password(password)
    otp.consume(season_id, phone, code, datetime.now(CST), purpose="reset")
    owner = candidates.owner_of_phone(season_id, phone)
    if owner is None:  # no code was sent to an unregistered phone: as a wrong code
        raise InvalidField("验证码错误", "otp", code="otp_wrong")
    record = candidates.get(owner)
    _set_candidate_password(record, password, f"candidate:{owner}", "password:reset")


# -- staff -------------------------------------------------------------------------------
def staff_sign_in(username: str, password: str, code: str | None, client: str) -> Tokens:
    """R15.1/R17.2: staff of a role that sees personal data also give a code of their
    authenticator (or a recovery code); without it no token."""
    throttle = _attempt(f"staff:{username}", client)
    staff = _password_checked(username, password, throttle)
    if staff.role in auth.SECOND_FACTOR_ROLES:
        if not staff.enrolled:
            raise Unauthenticated("首次登录须先绑定身份验证器", "code", code="enrolment_required")
        if not code:
            raise Unauthenticated("请输入身份验证器上的6位动态码", "code", code="code_required")
        if not _second_factor(username, code):
            raise _failed(throttle, "动态码错误或已使用", "code", "bad_code")
    accounts.clear_failures(throttle[0])
    return _issue(staff.account)


def _password_checked(username: str, password: str, throttle: tuple[str, str]) -> accounts.Staff:
    staff = accounts.get_staff(username)
    stored = staff.password_hash if staff else None
    if not credentials.verify_password(stored, password) or staff is None or staff.disabled:
        raise _failed(throttle)
    return staff


def _second_factor(username: str, code: str) -> bool:
    code = code.strip().replace(" ", "")
    if len(code) == 6 and ascii_digits(code):
        secret = accounts.totp_secret(username)
        step = _matching_step(secret, code) if secret else None
        return step is not None and accounts.take_totp_step(username, step)
    return accounts.take_recovery_code(username, code)


def _matching_step(secret: str, code: str) -> int | None:
    """The time step whose code ``code`` is, allowing one step of clock drift either way."""
    import pyotp

    totp, now = pyotp.TOTP(secret), int(_now().timestamp()) // 30
    return next((s for s in (now, now - 1, now + 1) if totp.at(s * 30) == code), None)


def enrol_second_factor(username: str, password: str, client: str) -> Enrolment:
    """Step 1 of binding an authenticator: a new secret, as a QR code and as text."""
    import pyotp
    import segno

    staff = _password_checked(username, password, _attempt(f"staff:{username}", client))
    if staff.enrolled:
        raise Duplicate(
            "已绑定身份验证器；如需更换请联系考试院重置", "username", code="already_enrolled"
        )
    secret = pyotp.random_base32()
    accounts.update_staff(
        username, f"staff:{username}", "second_factor:offer", totp_pending=pii.encrypt(secret)
    )
    uri = pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name="招考")
    return Enrolment(secret=secret, otpauth_uri=uri, qr_svg=segno.make(uri).svg_data_uri(scale=5))


def activate_second_factor(username: str, password: str, code: str, client: str) -> Activated:
    """Step 2: the first code proves the authenticator; recovery codes are shown once."""
    import pyotp

    throttle = _attempt(f"staff:{username}", client)
    staff = _password_checked(username, password, throttle)
    secret = accounts.totp_secret(username, pending=True)
    step = _matching_step(secret, code) if secret and not staff.enrolled else None
    if step is None or secret is None:
        raise _failed(throttle, "动态码错误，请核对身份验证器", "code", "bad_code")
    codes = [f"{token_hex(2)}-{token_hex(2)}" for _ in range(RECOVERY_CODES)]
    accounts.update_staff(
        username,
        f"staff:{username}",
        "second_factor:enrol",
        totp_cipher=pii.encrypt(pyotp.TOTP(secret).secret),
        totp_pending=None,
        totp_step=step,
        recovery={accounts.recovery_hash(c) for c in codes},
    )
    return Activated(**_issue(staff.account).model_dump(), recovery_codes=codes)


# -- sessions ------------------------------------------------------------------------------
def refresh(token_text: str) -> Tokens:
    """A new access token and a new refresh secret; a secret used twice revokes its family
    (someone else holds a copy), and a revoked or disabled account refreshes nothing."""
    token = auth.parse_refresh(token_text)
    found = accounts.session(token, _now())
    expired = Unauthenticated("登录已失效，请重新登录", "refresh_token", code="session_ended")
    if found is None or not found.usable:
        raise expired
    if not found.current:
        accounts.revoke_session(token.family)
        logger.warning("refresh token reused: family revoked", extra={"security_event": "reuse"})
        raise expired
    account = _current_account(found)
    if account is None:
        accounts.revoke_session(token.family)
        raise expired
    fresh = auth.new_refresh(token.family)
    if not accounts.rotate_session(token, fresh):  # a concurrent use of the same secret
        accounts.revoke_session(token.family)
        raise expired
    return _issue(account, family=token.family).model_copy(update={"refresh_token": str(fresh)})


def _current_account(found: accounts.Session) -> Account | None:
    """The session's account as it is now, or None when it was disabled, deleted or its
    sign-ins revoked since this session began."""
    if found.kind == "candidate":
        record = candidates.find(found.subject)
        if record is None or found.issued_at < int(record.not_before or 0):
            return None
        return Account(record.candidate_id, "candidate", record.season_id)
    staff = accounts.get_staff(found.subject)
    if staff is None or staff.disabled or found.issued_at < staff.not_before:
        return None
    return staff.account


def sign_out(token_text: str) -> None:
    token = auth.parse_refresh(token_text)
    found = accounts.session(token, _now())
    if found is not None and found.current:
        accounts.revoke_session(token.family)


def jwks() -> Jwks:
    return Jwks.model_validate(keys.jwks())


def openid_configuration() -> OpenIdConfiguration:
    issuer = settings().public_api_url
    return OpenIdConfiguration(
        issuer=issuer,
        jwks_uri=f"{issuer}/.well-known/jwks.json",
        id_token_signing_alg_values_supported=[auth.ALGORITHM],
        response_types_supported=["token"],
        subject_types_supported=["public"],
    )


# -- operators: staff accounts ----------------------------------------------------------------
def create_staff(who: Principal, account: Account, password: str) -> StaffView:
    who.require("operator")
    if account.role not in auth.STAFF_ROLES:
        raise InvalidField("角色无效", "role")
    for claim in ("season", "unit"):  # R15.1: exactly the scope the role's token carries
        scoped = claim in auth.SCOPE_CLAIMS[account.role]
        if scoped and not getattr(account, claim):
            raise InvalidField("该角色须指定其范围", claim)
        if not scoped and getattr(account, claim):
            label = "考试季" if claim == "season" else "单位"
            raise InvalidField(f"该角色不按{label}划分范围，请勿填写", claim)
    credentials.check_password(password)
    staff = accounts.create_staff(account, credentials.hash_password(password), who.actor())
    return staff_view(staff)


def reset_staff(who: Principal, username: str, password: str, second_factor: bool) -> StaffView:
    """An operator sets a temporary password (and, if asked, unbinds the authenticator);
    every sign-in of the account ends."""
    who.require("operator")
    credentials.check_password(password)
    values: dict[str, object] = {
        "password_hash": credentials.hash_password(password),
        "not_before": _millis(),
    }
    if second_factor:
        values.update(totp_cipher=None, totp_pending=None, recovery=None)
    accounts.update_staff(username, who.actor(), "staff:reset", **values)
    return _staff_or_404(username)


def set_staff_disabled(who: Principal, username: str, disabled: bool) -> StaffView:
    who.require("operator")
    if username == who.username:
        raise Forbidden("不能停用自己的账号", "username")
    values: dict[str, object] = {"disabled": disabled}
    if disabled:
        values["not_before"] = _millis()
    accounts.update_staff(
        username, who.actor(), "staff:disable" if disabled else "staff:enable", **values
    )
    return _staff_or_404(username)


def delete_staff(who: Principal, username: str) -> None:
    who.require("operator")
    if username == who.username:
        raise Forbidden("不能删除自己的账号", "username")
    _staff_or_404(username)
    accounts.delete_staff(username, who.actor())


def _staff_or_404(username: str) -> StaffView:
    staff = accounts.get_staff(username)
    if staff is None:
        raise NotFound("没有该工作人员账号", "username")
    return staff_view(staff)


def staff_view(staff: accounts.Staff) -> StaffView:
    return StaffView(
        username=staff.username,
        role=staff.role,
        unit=staff.unit,
        season=staff.season,
        second_factor=staff.enrolled,
        disabled=staff.disabled,
    )
