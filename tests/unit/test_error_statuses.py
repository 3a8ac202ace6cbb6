"""Issue 25: the domain knows no HTTP — the API maps each kind of domain error to its
status, a subclass answering as its kind does."""

from __future__ import annotations

from zhaokao.api.http import status_of
from zhaokao.domain import errors
from zhaokao.domain.roster import RosterFileError


def test_each_kind_of_domain_error_has_its_status_at_the_edge() -> None:
    expected = {
        errors.InvalidField: 422,
        errors.RuleViolation: 422,
        RosterFileError: 422,
        errors.Unauthenticated: 401,
        errors.Forbidden: 403,
        errors.WindowClosed: 403,
        errors.NotFound: 404,
        errors.Duplicate: 409,
        errors.Conflict: 409,
        errors.TooManyRequests: 429,
        errors.Unavailable: 503,
    }
    assert {kind: status_of(kind("消息")) for kind in expected} == expected
    assert not any(hasattr(kind, "status") for kind in expected)  # nothing of HTTP inside

    class StaleVersion(errors.Conflict):
        code = "stale_version"

    assert status_of(StaleVersion("已被他人修改")) == 409
