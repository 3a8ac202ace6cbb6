"""One-time codes (R3.3): how often, how many, how long."""

from __future__ import annotations

import secrets

RESEND_SECONDS = 60  # one code per phone per 60 s
DAILY_LIMIT = 10  # at most 10 a day
MAX_ATTEMPTS = 5  # 5 wrong tries lock the code
VALID_SECONDS = 300


def new_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"
