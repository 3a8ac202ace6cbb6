"""Moving personal data to the current data key (R17.5), a page at a time, in the background.

Each value is rewritten only while it is still the one read (a conditional write), so a
change made meanwhile is never overwritten; nothing else about a record changes, so its
version stays and no audit entry is written (the data is the same, only its key).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from pynamodb.exceptions import UpdateError
from pynamodb.models import Model

from . import pii
from .models import CandidateRecord, NoticeRecord, RosterRecord, StaffRecord
from .outcomes import condition_failed
from .review import Key


class Page(NamedTuple):
    rewrapped: int
    resume: Key | None  # where the next page starts; None: this table is done


# (the model, its encrypted attributes, a filter for tables that hold other items too)
TABLES: tuple[tuple[type[Model], tuple[str, ...]], ...] = (
    (CandidateRecord, ("id_cipher", "phone_cipher", "profile")),  # profile: the mailing phone
    (RosterRecord, ("id_cipher",)),
    (StaffRecord, ("totp_cipher", "totp_pending")),
    (NoticeRecord, ("body",)),  # a complaint's phone, inside its body
)


def page(table: int, start: Key | None, size: int = 100) -> Page:
    model, fields = TABLES[table]
    condition = None
    if model is StaffRecord:
        condition = StaffRecord.key.startswith("staff#")
    if model is NoticeRecord:
        condition = NoticeRecord.key.startswith("complaint#")
    found = model.scan(filter_condition=condition, limit=size, last_evaluated_key=start)
    count = sum(_rewrap(record, fields) for record in found)
    return Page(count, found.last_evaluated_key)


def _rewrap(record: Model, fields: tuple[str, ...]) -> int:
    """One write for a record, only if its values are still those read; its version stays
    (the table connection's update, not the model's, which would bump it)."""
    model = type(record)
    actions, conditions = [], []
    for name in fields:
        old = getattr(record, name)
        if name in ("body", "profile"):  # JSON: its ``*_cipher`` values, at any depth
            new: Any = _rewrapped_json(old)
        else:
            new = pii.rewrapped(old) if old else None
        if new is not None:
            attribute = getattr(model, name)
            actions.append(attribute.set(new))
            conditions.append(attribute == old)
    if not actions:
        return 0
    condition = conditions[0]
    for more in conditions[1:]:
        condition &= more
    hash_key, range_key = model._hash_keyname, model._range_keyname
    assert hash_key is not None  # every table has one
    try:
        model._get_connection().update_item(
            getattr(record, hash_key),
            range_key=getattr(record, range_key) if range_key else None,
            actions=actions,
            condition=condition,
        )
    except UpdateError as exc:
        if not condition_failed(exc):
            raise  # changed meanwhile: the change wrote it under the current key
        return 0
    return len(actions)


def _rewrapped_json(value: Any) -> Any:
    """``value`` with every ``*_cipher`` under the current key; None when none moved."""
    if not isinstance(value, dict):
        return None
    moved, out = False, dict(value)
    for key, item in value.items():
        if key.endswith("_cipher") and isinstance(item, str):
            new = pii.rewrapped(item)
        else:
            new = _rewrapped_json(item)
        if new is not None:
            moved, out[key] = True, new
    return out if moved else None
