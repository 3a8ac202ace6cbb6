"""Candidates and their uniqueness sentinels (R3.2)."""

from __future__ import annotations

from datetime import UTC, datetime

from pynamodb.exceptions import DoesNotExist, TransactWriteError
from pynamodb.transactions import TransactWrite

from ..domain.candidate import Candidate
from ..domain.errors import Duplicate, NotFound
from ..domain.identity import mask_id_number, mask_phone
from ..domain.registration import NewCandidate
from . import pii
from .connection import connection
from .models import CandidateRecord, UniqueRecord
from .outcomes import failed_conditions


def phone_key(season_id: str, phone: str) -> str:
    return f"phone#{season_id}#{pii.key_hash('phone', phone)}"


def id_key(season_id: str, id_number: str) -> str:
    return f"id#{season_id}#{pii.key_hash('id', id_number)}"


def create(c: NewCandidate) -> None:
    """One transaction of three items: the candidate, the phone and the ID sentinels.

    Concurrent registrations of one phone or ID: DynamoDB lets exactly one win.
    """
    now = datetime.now(UTC)
    record = CandidateRecord(
        candidate_id=c.candidate_id,
        season_id=c.season_id,
        unit_key=f"{c.season_id}#{c.unit}",
        name=c.name,
        id_hash=pii.key_hash("id", c.id_number),
        id_cipher=pii.encrypt(c.id_number),
        id_masked=mask_id_number(c.id_number),
        phone_hash=pii.key_hash("phone", c.phone),
        phone_cipher=pii.encrypt(c.phone),
        phone_masked=mask_phone(c.phone),
        college_code=c.college_code,
        major_code=c.major_code,
        county_code=c.county_code,
        residence_permit=c.residence_permit,
        status=c.status,
        registered_at=c.registered_at.astimezone(UTC),
        pledged_at=c.pledged_at.astimezone(UTC) if c.pledged_at else None,
        password_hash=c.password_hash,
    )
    sentinels = [
        UniqueRecord(key=phone_key(c.season_id, c.phone), owner=c.candidate_id, created_at=now),
        UniqueRecord(key=id_key(c.season_id, c.id_number), owner=c.candidate_id, created_at=now),
    ]
    try:
        with TransactWrite(connection=connection()) as tx:
            tx.save(record)  # version 1, conditional on absence
            for sentinel in sentinels:
                tx.save(sentinel, condition=UniqueRecord.key.does_not_exist())
    except TransactWriteError as exc:
        failed = failed_conditions(exc)
        if 1 in failed:
            raise Duplicate("该手机号已注册", "phone", code="phone_taken") from None
        if 2 in failed:
            raise Duplicate("该身份证号已在本考试季注册", "id_number", code="id_taken") from None
        raise


def owner_of_phone(season_id: str, phone: str) -> str | None:
    try:
        return str(UniqueRecord.get(phone_key(season_id, phone)).owner)
    except DoesNotExist:
        return None


def find(candidate_id: str) -> Candidate | None:
    try:
        return candidate_of(CandidateRecord.get(candidate_id))
    except DoesNotExist:
        return None


def get(candidate_id: str) -> Candidate:
    found = find(candidate_id)
    if found is None:
        raise NotFound("没有找到考生记录")
    return found


def candidate_of(record: CandidateRecord) -> Candidate:
    """The domain's candidate, every part validated as it is read."""
    stored = {k: v for k, v in record.attribute_values.items() if v is not None}
    return Candidate.model_validate(stored)


def keyed(candidate: Candidate) -> CandidateRecord:
    """The item to change: its key and the version read (the condition of every change)."""
    return CandidateRecord(candidate_id=candidate.candidate_id, version=candidate.version)


def of_unit(season_id: str, unit: str) -> list[Candidate]:
    """Every candidate of a unit (a batch job's read: one Query of the unit's index)."""
    return [candidate_of(r) for r in CandidateRecord.by_unit.query(f"{season_id}#{unit}")]


def many(candidate_ids: list[str]) -> list[Candidate]:
    """Several candidates in batches of 100 (one round trip each): a school's list."""
    found: list[Candidate] = []
    for i in range(0, len(candidate_ids), 100):
        found += map(candidate_of, CandidateRecord.batch_get(candidate_ids[i : i + 100]))
    return found


def owner_of_id(season_id: str, id_number: str) -> str | None:
    """The candidate of a season who registered with this ID number (its sentinel)."""
    try:
        return str(UniqueRecord.get(id_key(season_id, id_number)).owner)
    except DoesNotExist:
        return None
