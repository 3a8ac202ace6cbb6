"""Verification codes by SMS (R3.3), bounded beyond one phone (R17.4): per client address
(a 图形验证码 past its free share), and per season and hour in total."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import NamedTuple

from ..adapters import metrics
from ..api.schemas import Captcha, OtpSent
from ..domain import otp as rules
from ..domain.errors import TooManyRequests
from ..domain.identity import mask_phone
from ..domain.season import Season
from ..domain.sms import Message
from ..domain.windows import CST
from ..storage import otp
from . import notify


class Asker(NamedTuple):
    """Who asks for a code: the client address the gateway saw, and the 图形验证码 they
    answered, if any."""

    client: str
    captcha_id: str | None = None
    captcha_answer: str | None = None


def new_challenge() -> Captcha:
    """A fresh 图形验证码: its id and picture (the answer stays with us, hashed)."""
    from ..adapters import captcha  # the drawing library loads only here

    answer = rules.new_challenge()
    challenge_id = otp.save_challenge(answer, datetime.now(CST))
    return Captcha(
        captcha_id=challenge_id, image=captcha.picture(answer), expires_in=rules.CHALLENGE_SECONDS
    )


def send(
    season: Season, phone: str, purpose: str, asker: Asker, message: Callable[[str], Message]
) -> OtpSent:
    """Store a new code for ``phone`` and send ``message(code)``, when every limit allows."""
    now, season_id = datetime.now(CST), season.season_id
    _let_client_ask(season, asker, now)
    spent = otp.spend_budget(season_id, season.policy.sms.limits, now)
    if spent is None:
        metrics.count("CodeBudgetSpent", season_id)
        raise TooManyRequests("短信发送繁忙，请稍后再试", "phone", code="sms_busy")
    shard, warn = spent
    code = rules.new_code()
    try:
        otp.issue(season_id, phone, code, now, purpose=purpose)
    except TooManyRequests:  # the phone's own limits: this code was never sent
        otp.give_back(shard)
        raise
    if warn:  # the operators' alarm, before the budget is spent
        metrics.count("CodeBudgetWarning", season_id)
    notify.send(season_id, phone, message(code))
    metrics.count("CodesSent", season_id)
    return OtpSent(sent_to=mask_phone(phone), resend_after=rules.RESEND_SECONDS)


def _let_client_ask(season: Season, asker: Asker, now: datetime) -> None:
    checked = bool(asker.captcha_id)
    if asker.captcha_id:
        answer = rules.challenge_answer(asker.captcha_answer or "")
        otp.pass_challenge(asker.captcha_id, answer, now)
    asked = otp.count_client(season.season_id, asker.client, now)
    held = rules.client_gate(asked, season.policy.sms.limits, checked)
    if held == "captcha_required":
        raise TooManyRequests("获取验证码较频繁，请先输入图形验证码", "captcha", code=held)
    if held == "client_limit":
        raise TooManyRequests("当前网络获取验证码次数过多，请一小时后再试", "phone", code=held)
