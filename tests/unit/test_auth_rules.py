"""The pure rules of sign-in (ADR 8): scope claims, key rollover, backoff, passwords."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhaokao.domain.auth import (
    SCOPE_CLAIMS,
    Account,
    Failures,
    SigningKey,
    access_claims,
    backoff_seconds,
    parse_refresh,
    principal_of,
    require_attempt,
    rotated,
    signing_key,
)
from zhaokao.domain.credentials import check_password
from zhaokao.domain.errors import InvalidField, TooManyRequests, Unauthenticated

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)


@pytest.mark.parametrize("role", list(SCOPE_CLAIMS))
def test_every_role_gets_exactly_its_scope_and_loses_it_without(role: str) -> None:
    account = Account("someone", role, "ningxia-adult-2023", "640104")
    claims = access_claims(account, "https://api.example.cn", NOW)
    who = principal_of(claims)
    assert who.groups == {role} and who.username == "someone"
    for name in SCOPE_CLAIMS[role]:
        with pytest.raises(Unauthenticated):
            principal_of({**claims, name: ""})
    assert claims["exp"] - claims["iat"] == 900


@pytest.mark.parametrize(
    "changes",
    [{"roles": ["candidate", "operator"]}, {"roles": ["root"]}, {"token_use": "id"}, {"sub": ""}],
)
def test_claims_that_are_not_one_known_role_of_an_access_token_are_refused(changes) -> None:
    claims = access_claims(Account("x", "operator"), "https://a", NOW)
    with pytest.raises(Unauthenticated):
        principal_of({**claims, **changes})


def test_the_gateway_hands_roles_as_one_string() -> None:
    claims = access_claims(Account("x", "operator"), "https://a", NOW)
    assert principal_of({**claims, "roles": "[operator]"}).groups == {"operator"}


def _fresh() -> SigningKey:
    _fresh.n += 1  # type: ignore[attr-defined]
    return SigningKey(f"k{_fresh.n}", "next", "pem")  # type: ignore[attr-defined]


_fresh.n = 0  # type: ignore[attr-defined]


def test_a_key_is_published_one_rotation_before_it_signs_and_one_after() -> None:
    keys = rotated([], _fresh)
    assert [(k.kid, k.state) for k in keys] == [("k1", "current"), ("k2", "next")]
    keys = rotated(keys, _fresh)
    assert [(k.kid, k.state) for k in keys] == [
        ("k2", "current"),
        ("k3", "next"),
        ("k1", "previous"),
    ]
    keys = rotated(keys, _fresh)
    assert [(k.kid, k.state) for k in keys] == [
        ("k3", "current"),
        ("k4", "next"),
        ("k2", "previous"),
    ]
    assert signing_key(keys).kid == "k3"


@given(st.integers(min_value=1, max_value=12))
def test_every_key_that_signs_was_published_the_rotation_before(rotations: int) -> None:
    keys = rotated([], _fresh)
    for _ in range(rotations):
        published = {k.kid for k in keys}
        keys = rotated(keys, _fresh)
        assert signing_key(keys).kid in published
        assert len(keys) == 3 and len({k.kid for k in keys}) == 3


def test_backoff_doubles_after_three_failures_then_locks() -> None:
    assert [backoff_seconds(n) for n in range(8)] == [0, 0, 0, 2, 4, 8, 16, 32]
    assert backoff_seconds(20) == 60
    require_attempt(Failures(2, NOW), Failures(), NOW)  # free
    with pytest.raises(TooManyRequests) as err:
        require_attempt(Failures(3, NOW), Failures(), NOW + timedelta(seconds=1))
    assert err.value.code == "signin_backoff"
    require_attempt(Failures(3, NOW), Failures(), NOW + timedelta(seconds=2))
    with pytest.raises(TooManyRequests) as err:
        require_attempt(Failures(10, NOW), Failures(), NOW + timedelta(minutes=14))
    assert err.value.code == "signin_locked" and "1分钟后再试" in err.value.message
    require_attempt(Failures(10, NOW), Failures(), NOW + timedelta(minutes=15))
    with pytest.raises(TooManyRequests) as err:
        require_attempt(Failures(), Failures(50, NOW), NOW)
    assert err.value.code == "client_locked"


@pytest.mark.parametrize("text", ["", "nodot", ".x", "x.", "a" * 201 + ".b"])
def test_a_malformed_refresh_token_names_its_field(text: str) -> None:
    with pytest.raises(Unauthenticated) as err:
        parse_refresh(text)
    assert err.value.field == "refresh_token"


@pytest.mark.parametrize(
    "password", ["short1", "lettersonly", "12345678", "中文密码abc123", "a1" * 33]
)
def test_weak_passwords_are_refused(password: str) -> None:
    with pytest.raises(InvalidField):
        check_password(password)
