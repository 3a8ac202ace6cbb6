"""Roster rows (R2): looked up by ID at registration, upserted in batches by imports."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from pynamodb.exceptions import DoesNotExist

from ..domain.identity import mask_id_number
from ..domain.roster import RosterRow
from . import pii
from .models import RosterRecord


def id_hash(id_number: str) -> str:
    return pii.key_hash("id", id_number)


def find(season_id: str, id_number: str) -> RosterRow | None:
    try:
        r = RosterRecord.get(season_id, id_hash(id_number))
    except DoesNotExist:
        return None
    return RosterRow(
        name=r.name,
        id_number=id_number,
        college_code=r.college_code,
        major_code=r.major_code,
        graduation_date=date.fromisoformat(r.graduation_date),
        xuexin_registered=bool(r.xuexin_registered),
        flags=tuple(str(flag) for flag in r.flags or ()),
        photo=r.photo_key,
    )


def existing(season_id: str, hashes: Iterable[str]) -> dict[str, tuple[str, str]]:
    """For each known ID hash: (row digest, college code). BatchGet, 100 keys a call."""
    keys = [(season_id, h) for h in hashes]
    found = RosterRecord.batch_get(
        keys, attributes_to_get=["id_hash", "row_digest", "college_code"]
    )
    return {r.id_hash: (r.row_digest, r.college_code) for r in found}


def upsert(season_id: str, rows: Iterable[tuple[RosterRow, str]]) -> None:
    """Write rows (with their photo keys) in batches of 25."""
    with RosterRecord.batch_write() as batch:
        for row, photo_key in rows:
            batch.save(
                RosterRecord(
                    season_id=season_id,
                    id_hash=id_hash(row.id_number),
                    name=row.name,
                    id_cipher=pii.encrypt(row.id_number),
                    id_masked=mask_id_number(row.id_number),
                    college_code=row.college_code,
                    major_code=row.major_code,
                    graduation_date=row.graduation_date.isoformat(),
                    xuexin_registered=row.xuexin_registered,
                    flags=list(row.flags),
                    photo_key=photo_key,
                    row_digest=row.digest(),
                )
            )
