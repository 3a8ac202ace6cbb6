"""Domain errors. Each carries a stable code, a message a candidate can read
(zh-CN) and the field it is about; the API maps each kind to its HTTP status
(api/http.py) — the domain knows no HTTP."""

from __future__ import annotations


class DomainError(Exception):
    code = "invalid"

    def __init__(self, message: str, field: str | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code


class InvalidField(DomainError):
    """A value is malformed (bad ID checksum, bad phone, bad date…)."""

    code = "invalid_field"


class RuleViolation(DomainError):
    """Well-formed input that a season rule forbids (not on the roster, …)."""

    code = "rule_violation"


class Duplicate(DomainError):
    """A uniqueness rule (R3.2) refuses the request."""

    code = "duplicate"


class Conflict(DomainError):
    """The record changed since it was read (optimistic locking)."""

    code = "conflict"


class WindowClosed(DomainError):
    """R1.3: the action is outside its window."""

    code = "window_closed"


class Forbidden(DomainError):
    code = "forbidden"


class Unauthenticated(DomainError):
    code = "unauthenticated"


class NotFound(DomainError):
    code = "not_found"


class TooManyRequests(DomainError):
    code = "too_many_requests"


class Unavailable(DomainError):
    """A service we depend on cannot serve now (the SMS gateway refuses, …): retry later."""

    code = "unavailable"


class PolicyError(ValueError):
    """A season policy failed validation; the message names field path and reason."""
