"""Passwords (R17.4): stored only as argon2id hashes, their cost set here and nowhere else.

argon2id with 46 MiB and one pass is the first of OWASP's recommended settings; one hash
costs about 42 ms of one core here (bench/auth.py), under the 100 ms budget, and 46 MiB
per guess makes a GPU farm's guessing slow. scrypt at OWASP's minimum (N=2^17) costs
~280 ms here. The parameters travel inside each hash, so raising them later rehashes a
password at its next sign-in.
"""

from __future__ import annotations

import hmac
import re
from functools import cache
from typing import TYPE_CHECKING

from .errors import InvalidField

if TYPE_CHECKING:
    from argon2 import PasswordHasher

MEMORY_KIB = 46 * 1024
PASSES = 1
LANES = 1

_password = cache(lambda: re.compile(r"(?=.*[A-Za-z])(?=.*\d)[\x21-\x7e]{8,64}"))


@cache
def _hasher() -> PasswordHasher:
    # Imported on first use (~28 ms): only routes that hash pay for it.
    from argon2 import PasswordHasher, Type

    return PasswordHasher(time_cost=PASSES, memory_cost=MEMORY_KIB, parallelism=LANES, type=Type.ID)


def check_password(password: str, field: str = "password") -> str:
    """8–64 visible ASCII characters with at least one letter and one digit."""
    if not _password().fullmatch(password or ""):
        raise InvalidField("密码须为8-64位，且同时包含字母和数字", field)
    return password


def hash_password(password: str) -> str:
    return str(_hasher().hash(password))


@cache
def _decoy() -> str:
    return hash_password("decoy-password-1")


def verify_password(stored: str | None, password: str) -> bool:
    """Whether ``password`` matches; with nothing stored a decoy hash is checked, so an
    unknown account costs the same time as a known one (sign-in reveals nothing)."""
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return bool(_hasher().verify(stored or _decoy(), password)) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def same_secret(given: str, expected: str) -> bool:
    """A signature or secret as given, compared in constant time. As bytes: compare_digest
    raises on text that is not ASCII (found by probing: 500s from a forged header)."""
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))
