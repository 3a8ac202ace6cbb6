"""One-time codes (R3.3): stored as hashes, limited by conditional updates."""

from __future__ import annotations

from datetime import datetime, timedelta

from pynamodb.exceptions import DoesNotExist, UpdateError
from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action

from ..domain import otp as rules
from ..domain.errors import InvalidField, TooManyRequests
from . import pii
from .models import OtpRecord
from .outcomes import condition_failed


def _key(season_id: str, phone: str, purpose: str) -> str:
    # A registration code and a password-reset code of one phone are apart: neither
    # can be used for the other, and each keeps its own limits.
    prefix = "" if purpose == "register" else f"{purpose}#"
    return f"{prefix}{season_id}#{pii.key_hash('phone', phone)}"


def _hash(season_id: str, phone: str, code: str, purpose: str) -> str:
    return pii.key_hash("otp", f"{purpose}:{season_id}:{phone}:{code}")


def _conditional(record: OtpRecord, actions: list[Action], condition: Condition) -> bool:
    try:
        record.update(actions=actions, condition=condition)
        return True
    except UpdateError as exc:
        if condition_failed(exc):
            return False
        raise


def issue(season_id: str, phone: str, code: str, now: datetime, purpose: str = "register") -> None:
    """Store a new code unless the phone had one in the last minute or ten today."""
    ts, day = int(now.timestamp()), now.date().isoformat()
    record = OtpRecord(key=_key(season_id, phone, purpose))
    fresh = [
        OtpRecord.code_hash.set(_hash(season_id, phone, code, purpose)),
        OtpRecord.sent_at.set(ts),
        OtpRecord.expires_at.set(ts + rules.VALID_SECONDS),
        OtpRecord.attempts.set(0),
        OtpRecord.consumed.set(False),
        OtpRecord.expires.set(timedelta(days=2)),  # DynamoDB's TTL drops stale codes
    ]
    rested = OtpRecord.sent_at <= ts - rules.RESEND_SECONDS
    # A phone's first code of the day first: at the registration peak nearly every request
    # is a new phone's, and it then costs one write.
    new_day = OtpRecord.key.does_not_exist() | (rested & (OtpRecord.day != day))
    if _conditional(record, [*fresh, OtpRecord.day.set(day), OtpRecord.day_count.set(1)], new_day):
        return
    same_day = (OtpRecord.day == day) & (OtpRecord.day_count < rules.DAILY_LIMIT)
    if _conditional(record, [*fresh, OtpRecord.day_count.add(1)], rested & same_day):
        return
    current = OtpRecord.get(record.key, consistent_read=True)
    wait = int(current.sent_at) + rules.RESEND_SECONDS - ts
    if wait > 0:
        raise TooManyRequests(f"验证码已发送，请{wait}秒后再试", "phone", code="otp_too_soon")
    raise TooManyRequests("该手机号今日获取验证码次数已达上限", "phone", code="otp_daily_limit")


def consume(
    season_id: str, phone: str, code: str, now: datetime, purpose: str = "register"
) -> None:
    """Use the code once; a wrong one counts, and the fifth wrong one locks it."""
    ts, given = int(now.timestamp()), _hash(season_id, phone, code, purpose)
    record = OtpRecord(key=_key(season_id, phone, purpose))
    valid = (
        (OtpRecord.code_hash == given)
        & (OtpRecord.attempts < rules.MAX_ATTEMPTS)
        & (OtpRecord.expires_at >= ts)
        & (OtpRecord.consumed == False)  # noqa: E712 - a PynamoDB condition, not a comparison
    )
    if _conditional(record, [OtpRecord.consumed.set(True)], valid):
        return
    wrong = (
        OtpRecord.key.exists()
        & (OtpRecord.code_hash != given)
        & (OtpRecord.consumed == False)  # noqa: E712
        & (OtpRecord.attempts < rules.MAX_ATTEMPTS)
    )
    _conditional(record, [OtpRecord.attempts.add(1)], wrong)
    try:
        current = OtpRecord.get(record.key, consistent_read=True)
    except DoesNotExist:
        raise InvalidField("请先获取验证码", "otp", code="otp_missing") from None
    if current.consumed:
        raise InvalidField("验证码已使用，请重新获取", "otp", code="otp_used")
    if current.attempts >= rules.MAX_ATTEMPTS:
        raise InvalidField("验证码错误次数过多，已失效，请重新获取", "otp", code="otp_locked")
    if current.code_hash == given:
        raise InvalidField("验证码已过期，请重新获取", "otp", code="otp_expired")
    left = rules.MAX_ATTEMPTS - int(current.attempts)
    raise InvalidField(f"验证码错误，还可尝试{left}次", "otp", code="otp_wrong")
