"""One-time codes (R3.3): stored as hashes, limited by conditional updates."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from pynamodb.exceptions import DoesNotExist, UpdateError
from pynamodb.expressions.update import Action

from ..domain import otp as rules
from ..domain.credentials import same_secret
from ..domain.errors import InvalidField, TooManyRequests
from . import pii
from .models import ChallengeRecord, CounterRecord, OtpRecord
from .outcomes import condition_failed, updated

if TYPE_CHECKING:
    from ..domain.policy import CodeLimits


def _key(season_id: str, phone: str, purpose: str) -> str:
    # A registration code and a password-reset code of one phone are apart: neither
    # can be used for the other, and each keeps its own limits.
    prefix = "" if purpose == "register" else f"{purpose}#"
    return f"{prefix}{season_id}#{pii.key_hash('phone', phone)}"


def _hash(season_id: str, phone: str, code: str, purpose: str) -> str:
    return pii.key_hash("otp", f"{purpose}:{season_id}:{phone}:{code}")


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
        # DynamoDB's TTL drops stale codes
        OtpRecord.expires.set(datetime.now(UTC) + timedelta(days=2)),
    ]
    rested = OtpRecord.sent_at <= ts - rules.RESEND_SECONDS
    # A phone's first code of the day first: at the registration peak nearly every request
    # is a new phone's, and it then costs one write.
    new_day = OtpRecord.key.does_not_exist() | (rested & (OtpRecord.day != day))
    if updated(record, [*fresh, OtpRecord.day.set(day), OtpRecord.day_count.set(1)], new_day):
        return
    same_day = (OtpRecord.day == day) & (OtpRecord.day_count < rules.DAILY_LIMIT)
    if updated(record, [*fresh, OtpRecord.day_count.add(1)], rested & same_day):
        return
    current = OtpRecord.get(record.key, consistent_read=True)
    wait = int(current.sent_at) + rules.RESEND_SECONDS - ts
    if wait > 0:
        raise TooManyRequests(f"验证码已发送，请{wait}秒后再试", "phone", code="otp_too_soon")
    raise TooManyRequests("该手机号今日获取验证码次数已达上限", "phone", code="otp_daily_limit")


def consume(
    season_id: str,
    phone: str,
    code: str,
    now: datetime,
    purpose: str = "register",
    field: str = "otp",
) -> None:
    """Use the code once; a wrong one counts, and the fifth wrong one locks it. An error
    names ``field``, the request's field that carried the code."""
    ts, given = int(now.timestamp()), _hash(season_id, phone, code, purpose)
    record = OtpRecord(key=_key(season_id, phone, purpose))
    valid = (
        (OtpRecord.code_hash == given)
        & (OtpRecord.attempts < rules.MAX_ATTEMPTS)
        & (OtpRecord.expires_at >= ts)
        & (OtpRecord.consumed == False)  # noqa: E712 - a PynamoDB condition, not a comparison
    )
    if updated(record, [OtpRecord.consumed.set(True)], valid):
        return
    wrong = (
        OtpRecord.key.exists()
        & (OtpRecord.code_hash != given)
        & (OtpRecord.consumed == False)  # noqa: E712
        & (OtpRecord.attempts < rules.MAX_ATTEMPTS)
    )
    updated(record, [OtpRecord.attempts.add(1)], wrong)
    try:
        current = OtpRecord.get(record.key, consistent_read=True)
    except DoesNotExist:
        raise InvalidField("请先获取验证码", field, code="otp_missing") from None
    if current.consumed:
        raise InvalidField("验证码已使用，请重新获取", field, code="otp_used")
    if current.attempts >= rules.MAX_ATTEMPTS:
        raise InvalidField("验证码错误次数过多，已失效，请重新获取", field, code="otp_locked")
    if current.code_hash == given:
        raise InvalidField("验证码已过期，请重新获取", field, code="otp_expired")
    left = rules.MAX_ATTEMPTS - int(current.attempts)
    raise InvalidField(f"验证码错误，还可尝试{left}次", field, code="otp_wrong")


# -- R17.4: beyond one phone ---------------------------------------------------------------
def _hour(now: datetime) -> str:
    return now.strftime("%Y%m%d%H")


def count_client(season_id: str, client: str, now: datetime) -> int:
    """One more code asked from this client address this hour; how many that makes."""
    key = f"client#{season_id}#{_hour(now)}#{pii.key_hash('client', client)}"
    record = CounterRecord(key=key)
    record.update(
        actions=[
            CounterRecord.sent.add(1),
            CounterRecord.expires.set(datetime.now(UTC) + timedelta(hours=2)),
        ]
    )
    return int(record.sent)


def spend_budget(season_id: str, limits: CodeLimits, now: datetime) -> tuple[str, bool] | None:
    """Take one code of the season's hourly budget from a random shard: the shard (to give
    it back if the phone's own limits refuse the code) and whether this code reached the
    warning mark; ``None`` when that shard's share is spent."""
    share, warn_at = rules.shard_budget(limits)
    shard = f"budget#{season_id}#{_hour(now)}#{secrets.randbelow(rules.BUDGET_SHARDS):02d}"
    record = CounterRecord(key=shard)
    below = CounterRecord.sent.does_not_exist() | (CounterRecord.sent < share)
    actions: list[Action] = [
        CounterRecord.sent.add(1),
        CounterRecord.expires.set(datetime.now(UTC) + timedelta(hours=2)),
    ]
    try:
        record.update(actions=actions, condition=below)
    except UpdateError as exc:
        if condition_failed(exc):
            return None
        raise
    return shard, int(record.sent) == warn_at


def give_back(shard: str) -> None:
    CounterRecord(key=shard).update(actions=[CounterRecord.sent.add(-1)])


def save_challenge(answer: str, now: datetime) -> str:
    """Keep a new 图形验证码's answer (hashed) for five minutes; its id."""
    challenge_id = secrets.token_urlsafe(16)
    ChallengeRecord(
        key=f"challenge#{challenge_id}",
        answer_hash=pii.key_hash("challenge", f"{challenge_id}:{answer}"),
        expires_at=int(now.timestamp()) + rules.CHALLENGE_SECONDS,
        expires=timedelta(hours=1),
    ).save()
    return challenge_id


def pass_challenge(challenge_id: str, answer: str, now: datetime) -> None:
    """Use a 图形验证码 once, right or wrong: a wrong answer asks for a new picture."""
    record = ChallengeRecord(key=f"challenge#{challenge_id}")
    unused = ChallengeRecord.key.exists() & ChallengeRecord.used.does_not_exist()
    expired = InvalidField("图形验证码已失效，请刷新后重新输入", "captcha", code="captcha_expired")
    if not updated(record, [ChallengeRecord.used.set(True)], unused):
        raise expired
    given = pii.key_hash("challenge", f"{challenge_id}:{answer}")
    if record.expires_at < int(now.timestamp()):
        raise expired
    if not same_secret(given, record.answer_hash):
        raise InvalidField("图形验证码错误，请刷新后重新输入", "captcha", code="captcha_wrong")
