"""Staff accounts, sign-in sessions and sign-in backoff (R15.1, R17.4), in AccountsTable.

Every change is a conditional write on the item itself: a refresh secret is swapped only
while it is still the one presented, a code's time step is taken only once, a recovery
code is removed only while it is there.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from pynamodb.exceptions import DoesNotExist, TransactWriteError
from pynamodb.expressions.update import Action
from pynamodb.transactions import TransactWrite

from ..domain.auth import FAILURE_WINDOW, Account, Failures, RefreshToken
from ..domain.errors import Duplicate, NotFound
from . import pii
from .audit import audit_record
from .connection import connection
from .models import SessionRecord, StaffRecord, ThrottleRecord
from .outcomes import failed_conditions, updated


class Staff(NamedTuple):
    """A staff account as the service sees it (no secrets but the password hash)."""

    username: str
    role: str
    unit: str | None
    season: str | None
    password_hash: str
    enrolled: bool  # a second factor is set up
    disabled: bool
    not_before: int
    version: int

    @property
    def account(self) -> Account:
        return Account(self.username, self.role, self.season, self.unit)


def _staff(record: StaffRecord) -> Staff:
    return Staff(
        record.username,
        record.role,
        record.unit,
        record.season,
        record.password_hash,
        record.totp_cipher is not None,
        bool(record.disabled),
        int(record.not_before or 0),
        int(record.version or 0),
    )


# -- staff ---------------------------------------------------------------------------
def staff_key(username: str) -> str:
    return f"staff#{username}"


def get_staff(username: str) -> Staff | None:
    try:
        return _staff(StaffRecord.get(staff_key(username), consistent_read=True))
    except DoesNotExist:
        return None


def create_staff(account: Account, password_hash: str, actor: str) -> Staff:
    record = StaffRecord(
        key=staff_key(account.subject),
        username=account.subject,
        role=account.role,
        unit=account.unit,
        season=account.season,
        password_hash=password_hash,
        created_at=datetime.now(UTC),
        created_by=actor,
    )
    try:
        with TransactWrite(connection=connection()) as tx:
            tx.save(record, condition=StaffRecord.key.does_not_exist())
            shown = {"role": account.role, "unit": account.unit, "season": account.season}
            tx.save(audit_record(f"staff#{account.subject}", actor, "staff:create", None, shown))
    except TransactWriteError as exc:
        failed_conditions(exc)
        raise Duplicate("该用户名已存在", "username", code="username_taken") from None
    return _staff(record)


def update_staff(username: str, actor: str, action: str, **values: object) -> None:
    """Set fields of an existing account (password, disabled, not_before, second factor),
    versioned and audited in one transaction; secrets never reach the audit."""
    record = StaffRecord(key=staff_key(username))
    actions = [
        getattr(StaffRecord, k).set(v) if v is not None else getattr(StaffRecord, k).remove()
        for k, v in values.items()
    ]
    actions.append(StaffRecord.version.add(1))
    shown = {k: v for k, v in values.items() if k in ("disabled", "not_before")}
    audit = audit_record(f"staff#{username}", actor, action, None, shown or None)
    try:
        with TransactWrite(connection=connection()) as tx:
            tx.update(record, actions=actions, condition=StaffRecord.key.exists())
            tx.save(audit)
    except TransactWriteError as exc:
        failed_conditions(exc)
        raise NotFound("没有该工作人员账号", "username") from None


def delete_staff(username: str, actor: str) -> None:
    with TransactWrite(connection=connection()) as tx:
        tx.delete(StaffRecord(key=staff_key(username)))
        tx.save(audit_record(f"staff#{username}", actor, "staff:delete"))


def totp_secret(username: str, pending: bool = False) -> str | None:
    record = StaffRecord.get(staff_key(username), consistent_read=True)
    cipher = record.totp_pending if pending else record.totp_cipher
    return pii.decrypt(cipher) if cipher else None


def take_totp_step(username: str, step: int) -> bool:
    """A code's time step is used once: False when this step (or a later one) was used."""
    record = StaffRecord(key=staff_key(username))
    return updated(record, [StaffRecord.totp_step.set(step)], StaffRecord.totp_step < step)


def recovery_hash(code: str) -> str:
    return pii.key_hash("recovery", code.replace("-", "").lower())


def take_recovery_code(username: str, code: str) -> bool:
    digest = recovery_hash(code)
    record = StaffRecord(key=staff_key(username))
    return updated(
        record, [StaffRecord.recovery.delete({digest})], StaffRecord.recovery.contains(digest)
    )


# -- sessions (refresh tokens) -----------------------------------------------------------
def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def open_session(
    token: RefreshToken, subject: str, kind: str, lifetime: timedelta, now: datetime
) -> None:
    SessionRecord(
        key=f"session#{token.family}",
        subject=subject,
        kind=kind,
        secret_hash=_digest(token.secret),
        issued_at=int(now.timestamp() * 1000),
        expires=now + lifetime,
    ).save(condition=SessionRecord.key.does_not_exist())


class Session(NamedTuple):
    family: str
    subject: str
    kind: str
    issued_at: int
    current: bool  # the presented secret is the family's current one
    usable: bool  # not revoked, not expired


def session(token: RefreshToken, now: datetime) -> Session | None:
    try:
        record = SessionRecord.get(f"session#{token.family}", consistent_read=True)
    except DoesNotExist:
        return None
    usable = not record.revoked and record.expires > now
    return Session(
        token.family,
        record.subject,
        record.kind,
        int(record.issued_at),
        record.secret_hash == _digest(token.secret),
        usable,
    )


def rotate_session(token: RefreshToken, fresh: RefreshToken) -> bool:
    """Swap the family's secret, only while ``token`` is still its current one."""
    record = SessionRecord(key=f"session#{token.family}")
    condition = (SessionRecord.secret_hash == _digest(token.secret)) & (
        SessionRecord.revoked == False  # noqa: E712 - a PynamoDB condition
    )
    actions: list[Action] = [
        SessionRecord.secret_hash.set(_digest(fresh.secret)),
        SessionRecord.uses.add(1),
    ]
    return updated(record, actions, condition)


def revoke_session(family: str) -> None:
    record = SessionRecord(key=f"session#{family}")
    updated(record, [SessionRecord.revoked.set(True)], SessionRecord.key.exists())


# -- sign-in backoff (R17.4) ---------------------------------------------------------------
def throttle_keys(identity: str, client: str) -> tuple[str, str]:
    """The account's (by what was typed, so an unknown phone behaves like a known one)
    and the client address's."""
    return (
        f"throttle#account#{pii.key_hash('signin', identity)}",
        f"throttle#client#{pii.key_hash('client', client)}",
    )


def failures(keys: tuple[str, str], now: datetime) -> tuple[Failures, Failures]:
    """One round trip for both counters; a counter older than the window counts nothing."""
    found = {r.key: r for r in ThrottleRecord.batch_get(list(keys))}
    out = []
    for key in keys:
        record = found.get(key)
        last = datetime.fromtimestamp(int(record.last), UTC) if record else None
        if record is None or last is None or now - last > FAILURE_WINDOW:
            out.append(Failures())
        else:
            out.append(Failures(int(record.failures), last))
    return out[0], out[1]


def record_failure(keys: tuple[str, str], now: datetime) -> None:
    ts, window = int(now.timestamp()), int(FAILURE_WINDOW.total_seconds())
    for key in keys:
        record = ThrottleRecord(key=key)
        stamp = [ThrottleRecord.last.set(ts), ThrottleRecord.expires.set(now + FAILURE_WINDOW * 2)]
        if not updated(
            record, [ThrottleRecord.failures.add(1), *stamp], ThrottleRecord.last >= ts - window
        ):
            ThrottleRecord(key=key, failures=1, last=ts, expires=now + FAILURE_WINDOW * 2).save()


def clear_failures(key: str) -> None:
    ThrottleRecord(key=key).delete()
