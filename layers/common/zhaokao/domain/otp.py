"""One-time codes (R3.3): how often, how many, how long."""

from __future__ import annotations

import secrets
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .policy import CodeLimits

RESEND_SECONDS = 60  # one code per phone per 60 s
DAILY_LIMIT = 10  # at most 10 a day
MAX_ATTEMPTS = 5  # 5 wrong tries lock the code
VALID_SECONDS = 300


def new_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


# R17.4: a 图形验证码 — four characters no one confuses (no 0/O, 1/I/L, 2/Z, 5/S, 8/B).
CHALLENGE_ALPHABET = "ACDEFHJKMNPRTUVWXY34679"
CHALLENGE_LENGTH = 4
CHALLENGE_SECONDS = 300
BUDGET_SHARDS = 20  # the season's hourly count in 20 items: no one item is written hot


def new_challenge() -> str:
    return "".join(secrets.choice(CHALLENGE_ALPHABET) for _ in range(CHALLENGE_LENGTH))


def challenge_answer(typed: str) -> str:
    """What a candidate types, as compared: case, full-width forms and spaces do not count."""
    return unicodedata.normalize("NFKC", typed).replace(" ", "").upper()


def client_gate(sent_this_hour: int, limits: CodeLimits, checked: bool) -> str | None:
    """R17.4: why a client's next code is held back (``None`` when it is not). Its first
    ``client_free`` codes an hour go freely, the next each after a human check, and none
    beyond ``client_max``."""
    if sent_this_hour > limits.client_max:
        return "client_limit"
    if sent_this_hour > limits.client_free and not checked:
        return "captcha_required"
    return None


def shard_budget(limits: CodeLimits) -> tuple[int, int]:
    """Each shard's share of the hourly budget, and the count at which it warns."""
    share = max(1, limits.hourly_budget // BUDGET_SHARDS)
    return share, max(1, int(share * limits.warn_share))
