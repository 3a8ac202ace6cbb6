"""The one place a candidate's record changes (R16.1): check, version, audit — atomically."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from pynamodb.exceptions import TransactWriteError
from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action
from pynamodb.transactions import TransactWrite

from ..domain.candidate import Candidate, Changes, Profile
from ..domain.errors import Conflict, Duplicate
from ..domain.identity import mask_phone, normalise_phone
from ..domain.lifecycle import EDITABLE, next_status, require_editable
from . import pii
from .audit import Entry, Snapshot, audit_record, history
from .candidates import get, keyed, owner_of_phone, phone_key
from .connection import connection
from .models import AuditRecord, CandidateRecord, UniqueRecord
from .outcomes import failed_conditions

Also = Callable[[TransactWrite], None]  # more items of the same transaction


def transition(
    candidate_id: str,
    action: str,
    actor: str,
    expected_version: int | None = None,
    reason: str | None = None,
) -> Candidate:
    """Apply ``action`` if allowed from the current state and the version is the one read.

    A stale version (someone changed the record since it was read) is a 409 and
    changes nothing; the audit record is written in the same transaction.
    """
    return change(_read(candidate_id, expected_version), action, actor, reason=reason)


def change(
    record: Candidate,
    action: str | None,
    actor: str,
    *,
    audit_action: str | None = None,
    reason: str | None = None,
    sets: Changes | None = None,
    also: Also | None = None,
    editable_only: bool = False,
) -> Candidate:
    """The general form: an optional status ``action``, privileged ``sets`` (checks,
    approvals, documents) and ``also`` (work items, notices) in one transaction with
    the audit record, conditional on the version of ``record`` as read.
    ``editable_only`` (R4.4): the change is refused once the file is submitted."""
    sets = sets or Changes()
    if {"status", "version"} & sets.keys():  # R16.1: only through the lifecycle's own rules
        raise ValueError("a change sets neither the status nor the version")
    version = record.version
    target = str(next_status(record.status, action)) if action else record.status
    before: Snapshot = {"status": record.status, "version": version}
    after: Snapshot = {"status": target, "version": version + 1}
    for name, value in sets.items():  # the audit keeps no ciphertext nor key hash (R17.2)
        if not name.endswith(("_cipher", "_hash")):
            before[name], after[name] = pii.shown(getattr(record, name)), pii.shown(value)
    subject = f"candidate#{record.candidate_id}"
    audit = audit_record(subject, actor, audit_action or action or "update", before, after, reason)
    actions = [getattr(CandidateRecord, n).set(v) for n, v in sets.items()]
    if action:
        actions.append(CandidateRecord.status.set(target))
    condition = None
    if editable_only:  # R4.4: checked on the record as read, and again at write time
        require_editable(record.status)
        condition = CandidateRecord.status.is_in(*EDITABLE)
    _commit(record, actions, audit, condition, also)
    record.status = target
    for name, value in sets.items():
        setattr(record, name, value)
    return record


def update_profile(
    record: Candidate, profile: Profile, actor: str, expected_version: int
) -> Candidate:
    """R4.1/R4.4: a change of the profile, only while editable; versioned and audited.
    ``record`` is the one the caller read: no second read."""
    if expected_version != record.version:
        raise _stale()
    sealed = _sealed_address(profile, record.profile)
    return change(
        record, None, actor, audit_action="profile", sets={"profile": sealed}, editable_only=True
    )


def _sealed_address(profile: Profile, stored: Profile) -> Profile:
    """R17.2: the mailing address's phone is a phone like any other — normalised, encrypted
    at rest, shown masked. The masked value sent back unchanged keeps the stored phone."""
    address = profile["mailing_address"].copy()
    old = stored.get("mailing_address")
    if old and address["phone"] == old["phone"]:
        address["phone_cipher"] = old["phone_cipher"]
    else:
        phone = normalise_phone(address["phone"], "mailing_address.phone")
        address["phone"], address["phone_cipher"] = mask_phone(phone), pii.encrypt(phone)
    return {**profile, "mailing_address": address}


def change_password(
    record: Candidate, password_hash: str, not_before: int, actor: str, action: str
) -> Candidate:
    """A new password, every earlier sign-in revoked (``not_before``); versioned and audited,
    the hash itself kept out of the audit."""
    version = record.version
    audit = audit_record(
        f"candidate#{record.candidate_id}",
        actor,
        action,
        {"version": version},
        {"version": version + 1},
    )
    sets: list[Action] = [
        CandidateRecord.password_hash.set(password_hash),
        CandidateRecord.not_before.set(not_before),
    ]
    _commit(record, sets, audit)
    record.password_hash, record.not_before = password_hash, not_before
    return record


def timeline(candidate_id: str) -> list[Entry]:
    """Every change of a candidate's record, oldest first (the candidate's timeline)."""
    return list(reversed(history(f"candidate#{candidate_id}")))


def _read(candidate_id: str, expected_version: int | None) -> Candidate:
    record = get(candidate_id)
    if expected_version is not None and expected_version != record.version:
        raise _stale()
    return record


def _commit(
    record: Candidate,
    actions: list[Action],
    audit: AuditRecord,
    condition: Condition | None = None,
    also: Also | None = None,
) -> None:
    """The change and its audit in one transaction. The VersionAttribute adds
    ``version = <read>`` and the increment; ``record.version`` follows on success."""
    item = keyed(record)
    try:
        with TransactWrite(connection=connection()) as tx:
            tx.update(item, actions=actions, condition=condition)
            tx.save(audit)
            if also:
                also(tx)
    except TransactWriteError as exc:
        # the record's version, or an ``also`` item's own condition: someone got there first
        failed_conditions(exc)
        raise _stale() from None
    record.version = item.version


def _stale() -> Conflict:
    return Conflict("记录已被他人修改，请刷新后重试", "version", code="stale_version")


def record_access(candidate_id: str, actor: str, action: str) -> None:
    """R16.1: who read a candidate's file (kept apart from the candidate's own timeline)."""
    audit_record(f"access#candidate#{candidate_id}", actor, action).save()


def change_phone(record: Candidate, phone: str, actor: str) -> Candidate:
    """The candidate's phone, unique per season as at registration: the old sentinel goes
    and the new one is made in the transaction that changes the record (and its audit)."""
    if owner_of_phone(record.season_id, phone) is not None:
        raise Duplicate("该手机号已注册", "phone", code="phone_taken")
    now = datetime.now(UTC)
    old = UniqueRecord(key=phone_key(record.season_id, pii.decrypt(record.phone_cipher)))
    new = UniqueRecord(
        key=phone_key(record.season_id, phone), owner=record.candidate_id, created_at=now
    )

    def sentinels(tx: TransactWrite) -> None:
        tx.delete(old, condition=UniqueRecord.owner == record.candidate_id)
        tx.save(new, condition=UniqueRecord.key.does_not_exist())  # a race: the change fails

    sets = Changes(
        phone_hash=pii.key_hash("phone", phone),
        phone_cipher=pii.encrypt(phone),
        phone_masked=mask_phone(phone),
    )
    return change(record, None, actor, audit_action="phone:change", sets=sets, also=sentinels)
