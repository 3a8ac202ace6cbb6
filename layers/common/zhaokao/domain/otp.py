"""One-time codes (R3.3): how often, how many, how long."""

from __future__ import annotations

import secrets

RESEND_SECONDS = 60  # one code per phone per 60 s
DAILY_LIMIT = 10  # at most 10 a day
MAX_ATTEMPTS = 5  # 5 wrong tries lock the code
VALID_SECONDS = 300


def new_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


def sms_text(season_name: str, code: str) -> str:
    return f"【招考】您正在注册{season_name}，验证码{code}，5分钟内有效。请勿告诉他人。"
