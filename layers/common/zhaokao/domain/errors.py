"""Domain errors. Each carries a stable code, a message a candidate can read
(zh-CN), the field it is about, and the HTTP status the API maps it to."""

from __future__ import annotations


class DomainError(Exception):
    status = 422
    code = "invalid"

    def __init__(self, message: str, field: str | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code


class InvalidField(DomainError):
    """A value is malformed (bad ID checksum, bad phone, bad date…)."""

    status = 422
    code = "invalid_field"


class RuleViolation(DomainError):
    """Well-formed input that a season rule forbids (not on the roster, …)."""

    status = 422
    code = "rule_violation"


class Duplicate(DomainError):
    """A uniqueness rule (R3.2) refuses the request."""

    status = 409
    code = "duplicate"


class Conflict(DomainError):
    """The record changed since it was read (optimistic locking)."""

    status = 409
    code = "conflict"


class WindowClosed(DomainError):
    """R1.3: the action is outside its window."""

    status = 403
    code = "window_closed"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"


class Unauthenticated(DomainError):
    status = 401
    code = "unauthenticated"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class TooManyRequests(DomainError):
    status = 429
    code = "too_many_requests"


class Unavailable(DomainError):
    """A service we depend on cannot serve now (the SMS gateway refuses, …): retry later."""

    status = 503
    code = "unavailable"


class PolicyError(ValueError):
    """A season policy failed validation; the message names field path and reason."""
