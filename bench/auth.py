"""Sign-in speed (ADR 8, R17.1): what a password, a registration and a sign-in cost.

1. One argon2id hash and one verification, CPU of one core (the budget is 100 ms).
2. CPU of one registration in-process, the hash included, its storage stubbed.
3. CPU of one sign-in in-process: verify the password, sign an RS256 access token, make a
   refresh token — its storage stubbed.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import datetime
from types import SimpleNamespace
from typing import Any
from unittest import mock


def _cpu_ms(run: Callable[[], Any], times: int) -> float:
    samples = []
    for _ in range(times):
        start = time.process_time()
        run()
        samples.append((time.process_time() - start) * 1000)
    return statistics.median(samples)


def hash_cost(times: int) -> dict[str, float]:
    from zhaokao.domain import credentials

    stored = credentials.hash_password("abc12345")
    return {
        "hash_ms": _cpu_ms(lambda: credentials.hash_password("abc12345"), times),
        "verify_ms": _cpu_ms(lambda: credentials.verify_password(stored, "abc12345"), times),
        "memory_mib": credentials.MEMORY_KIB / 1024,
    }


class _Ports:
    """Storage stubbed: the registration's own CPU only."""

    def roster_row(self, season_id: str, id_number: str) -> None:
        return None

    def consume_otp(self, season_id: str, phone: str, code: str) -> None:
        return None

    def create_candidate(self, candidate: Any) -> None:
        return None


def registration_cpu(times: int) -> float:
    from infra.local.demo import preset
    from zhaokao.domain.registration import RegistrationForm, register
    from zhaokao.domain.season import Season
    from zhaokao.domain.windows import CST

    season = Season(preset("ningxia-adult-2023"))
    form = RegistrationForm(
        "马丽",
        "640104199003070022",
        "13800138000",
        "123456",
        "abc12345",
        county_code="640104",
        pledge=True,
    )
    at = datetime(2023, 9, 5, 10, tzinfo=CST)
    return _cpu_ms(lambda: register(season, form, _Ports(), at), times)


def sign_in_cpu(times: int) -> float:
    """One candidate sign-in, its four storage calls stubbed, the crypto real."""
    from zhaokao.adapters import keys
    from zhaokao.domain.auth import Failures, rotated
    from zhaokao.domain.credentials import hash_password
    from zhaokao.service import auth

    key_set = rotated([], keys.generate)
    record = SimpleNamespace(
        candidate_id="c" * 32,
        season_id="ningxia-adult-2023",
        password_hash=hash_password("abc12345"),
        not_before=0,
    )
    with (
        mock.patch.object(auth.seasons, "get_season"),
        mock.patch.object(auth.candidates, "owner_of_phone", return_value=record.candidate_id),
        mock.patch.object(auth.candidates, "find", return_value=record),
        mock.patch.object(auth.accounts, "failures", return_value=(Failures(), Failures())),
        mock.patch.object(auth.accounts, "clear_failures"),
        mock.patch.object(auth.accounts, "open_session"),
        mock.patch.object(keys, "key_set", return_value=key_set),
    ):
        sign_in = auth.candidate_sign_in
        return _cpu_ms(lambda: sign_in("ningxia-adult-2023", "13800138000", "abc12345", "b"), times)


def main(times: int = 20) -> dict[str, Any]:
    cost = hash_cost(times)
    print(
        f"password: argon2id {cost['memory_mib']:.0f} MiB, one pass — hash "
        f"{cost['hash_ms']:.1f} ms, verify {cost['verify_ms']:.1f} ms of one core "
        f"(median of {times}; budget 100 ms)"
    )
    registration = registration_cpu(times)
    print(
        f"registration: {registration:.1f} ms CPU in-process, the hash included (storage stubbed)"
    )
    sign_in = sign_in_cpu(times)
    print(
        f"sign-in: {sign_in:.1f} ms CPU in-process — verify, RS256 access token, refresh token "
        "(storage stubbed)"
    )
    return {**cost, "registration_ms": registration, "sign_in_ms": sign_in}
