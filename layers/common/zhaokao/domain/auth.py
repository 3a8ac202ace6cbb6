"""Who calls, and what a sign-in proves (R15.1, R17.4): roles, the claims that scope
them, token lifetimes, sign-in backoff and the signing-key rollover.

The platform signs its own tokens; the gateway verifies them before any function
runs and hands the claims over. Everything here is pure: no keys, no storage.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from .errors import Forbidden, TooManyRequests, Unauthenticated

ROLES = (
    "candidate",  # 考生
    "college_reviewer",  # 院校（本校）
    "county_reviewer",  # 县（市、区）教育考试中心
    "provincial_reviewer",  # 省级审核（专项类别）
    "school_admissions",  # 招生学校
    "operator",  # 考试院
)
REVIEWERS = ("college_reviewer", "county_reviewer", "provincial_reviewer")
STAFF_ROLES = ROLES[1:]

# R15.1: the claims a role is scoped by. A token of that role without them is refused
# (fails closed): a reviewer without a season would otherwise see every season.
SCOPE_CLAIMS: dict[str, tuple[str, ...]] = {
    "candidate": ("season",),
    "college_reviewer": ("season", "unit"),
    "county_reviewer": ("season", "unit"),
    "provincial_reviewer": ("season", "unit"),
    "school_admissions": ("unit",),  # the school's code
    "operator": (),  # the authority: every season
}
# R17.2: every staff role sees personal data (files, lists, admissions), so each signs in
# with a second factor.
SECOND_FACTOR_ROLES = frozenset(STAFF_ROLES)

AUDIENCE = "zhaokao"  # the API: the gateway's authorizer accepts only this audience
ALGORITHM = "RS256"  # the one algorithm HTTP API's JWT authorizer verifies (ADR 8)
ACCESS_SECONDS = 15 * 60  # short: a revoked account's access ends within this (ADR 8)
REFRESH_LIFETIME = {"candidate": timedelta(days=7), "staff": timedelta(hours=12)}


class Principal(NamedTuple):
    """Who calls, from the claims the gateway verified."""

    username: str
    groups: frozenset[str]
    unit: str | None = None
    season: str | None = None

    def require(self, *roles: str) -> Principal:
        """R15.1: the caller must hold one of ``roles``."""
        if not self.groups.intersection(roles):
            raise Forbidden("无权访问该功能", code="forbidden_role")
        return self

    def actor(self) -> str:
        role = sorted(self.groups)[0] if self.groups else "user"
        return f"{role}:{self.username}"


def roles_of(claim: Any) -> frozenset[str]:
    """HTTP API hands array claims to Lambda as one string: "[operator college_reviewer]"."""
    if isinstance(claim, list):
        return frozenset(str(g) for g in claim)
    if isinstance(claim, str):
        return frozenset(claim.strip("[]").replace(",", " ").split())
    return frozenset()


def principal_of(claims: dict[str, Any]) -> Principal:
    """The caller of verified claims; a role without its scope claims is refused (R15.1)."""
    subject, roles = claims.get("sub"), roles_of(claims.get("roles"))
    if not subject or len(roles) != 1 or not roles <= set(ROLES):
        raise Unauthenticated("登录信息无效，请重新登录", code="bad_token")
    (role,) = roles
    if claims.get("token_use") != "access" or any(not claims.get(c) for c in SCOPE_CLAIMS[role]):
        raise Unauthenticated("登录信息无效，请重新登录", code="bad_token")
    return Principal(str(subject), roles, claims.get("unit") or None, claims.get("season") or None)


class Account(NamedTuple):
    """What a token says of an account: its id, role and scope."""

    subject: str  # the candidate id, or the staff username
    role: str
    season: str | None = None
    unit: str | None = None

    @property
    def kind(self) -> str:
        return "candidate" if self.role == "candidate" else "staff"


def access_claims(account: Account, issuer: str, now: datetime) -> dict[str, Any]:
    """The access token's claims: short-lived, scoped, one role (R15.1)."""
    ts = int(now.timestamp())
    claims: dict[str, Any] = {
        "iss": issuer,
        "aud": AUDIENCE,
        "sub": account.subject,
        "iat": ts,
        "nbf": ts,
        "exp": ts + ACCESS_SECONDS,
        "jti": secrets.token_urlsafe(12),
        "token_use": "access",
        "roles": [account.role],
    }
    for name in SCOPE_CLAIMS[account.role]:
        claims[name] = getattr(account, name)
    return claims


# -- refresh tokens ----------------------------------------------------------------------
class RefreshToken(NamedTuple):
    """``<family>.<secret>``: the family names the sign-in, the secret this one use of it.
    Each use rotates the secret; a secret used twice revokes the whole family."""

    family: str
    secret: str

    def __str__(self) -> str:
        return f"{self.family}.{self.secret}"


def new_refresh(family: str | None = None) -> RefreshToken:
    return RefreshToken(family or secrets.token_urlsafe(16), secrets.token_urlsafe(32))


def parse_refresh(text: str) -> RefreshToken:
    family, _, secret = (text or "").partition(".")
    if not family or not secret or len(text) > 200:
        raise Unauthenticated("登录已失效，请重新登录", "refresh_token", code="bad_refresh")
    return RefreshToken(family, secret)


# -- sign-in backoff (R17.4) ---------------------------------------------------------------
FREE_FAILURES = 3  # failures before any wait
LOCK_AFTER = 10  # failures that lock the account for LOCK_SECONDS
LOCK_SECONDS = 15 * 60
CLIENT_LIMIT = 50  # failures from one client address in one LOCK_SECONDS window
FAILURE_WINDOW = timedelta(seconds=LOCK_SECONDS)


class Failures(NamedTuple):
    """Failed sign-ins of one account or one client inside the current window."""

    times: int = 0
    last: datetime | None = None


def backoff_seconds(failures: int) -> int:
    """After FREE_FAILURES, each failure doubles the wait: 2, 4, 8 … up to a minute."""
    if failures < FREE_FAILURES:
        return 0
    return int(min(60, 2 ** (failures - FREE_FAILURES + 1)))


def require_attempt(account: Failures, client: Failures, now: datetime) -> None:
    """Refuse an attempt the backoff or a lock holds back; told to the caller in words."""
    if account.last and account.times >= LOCK_AFTER:
        left = account.last + timedelta(seconds=LOCK_SECONDS) - now
        if left.total_seconds() > 0:
            minutes = max(1, int(left.total_seconds() + 59) // 60)
            raise TooManyRequests(
                f"登录失败次数过多，账号已临时锁定，请{minutes}分钟后再试",
                "password",
                code="signin_locked",
            )
    if account.last:
        wait = account.last + timedelta(seconds=backoff_seconds(account.times)) - now
        if wait.total_seconds() > 0:
            seconds = int(wait.total_seconds()) + 1
            raise TooManyRequests(
                f"登录失败次数较多，请{seconds}秒后再试", "password", code="signin_backoff"
            )
    if client.times >= CLIENT_LIMIT:
        raise TooManyRequests("登录尝试过于频繁，请稍后再试", code="client_locked")


# -- signing keys ------------------------------------------------------------------------
class SigningKey(NamedTuple):
    """One key of the token key set. ``state``: next (published, not yet signing), current
    (signs), previous (published so tokens it signed stay valid until they expire)."""

    kid: str
    state: str
    private_pem: str


def rotated(keys: list[SigningKey], fresh: Callable[[], SigningKey]) -> list[SigningKey]:
    """One rotation: previous dropped, current → previous, next → current, a fresh key → next.

    A key is published one rotation before it signs: the gateway caches the key set for
    up to two hours, so it must know a key before the first token signed by it arrives.
    An empty set (the first rotation) gets a current key and a next one at once; a set
    without a next key gets one and keeps signing with its current key.
    """
    by_state = {k.state: k for k in keys}
    if "current" not in by_state:
        return [fresh()._replace(state="current"), fresh()._replace(state="next")]
    if "next" not in by_state:
        return [by_state["current"], fresh()._replace(state="next")]
    return [
        by_state["next"]._replace(state="current"),
        fresh()._replace(state="next"),
        by_state["current"]._replace(state="previous"),
    ]


def revoked(fresh: Callable[[], SigningKey]) -> list[SigningKey]:
    """A leaked key set replaced in one step: every key dropped (the secret holds all three,
    so a leak is of all three), a fresh current and a fresh next. A JWT authorizer fetches
    the key set again when a token names a key it has not seen, so tokens of the new key
    verify at once; the leaked keys stop verifying when the gateway's cache (up to an hour)
    ends, or at once when the authorizer is updated (docs/runbook.md)."""
    return [fresh()._replace(state="current"), fresh()._replace(state="next")]


def signing_key(keys: list[SigningKey]) -> SigningKey:
    current = [k for k in keys if k.state == "current"]
    if len(current) != 1:
        raise ValueError("the token key set must hold exactly one current key")
    return current[0]
