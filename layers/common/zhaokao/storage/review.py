"""Review work items (R6): created by routing, listed per unit, decided with the candidate."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from pynamodb.expressions.update import Action
from pynamodb.transactions import TransactWrite

from ..domain.candidate import Candidate, Changes, CheckResult
from ..domain.credentials import same_secret
from ..domain.errors import InvalidField
from ..domain.review import ItemState, Outcome, WorkItem
from . import pii
from .lifecycle import Also, change
from .models import WorkItemRecord


def route(
    record: Candidate,
    action: str,
    units: list[str],
    checks: list[CheckResult],
    flags: list[str],
    actor: str,
    at: datetime,
) -> Candidate:
    """R6.3: the automatic checks' result on the candidate and one work item per unit,
    atomically. An item of this round that already exists makes the whole
    transaction fail: a message delivered again creates nothing twice."""
    round_ = int(record.version)
    queued_at = at.astimezone(UTC).isoformat(timespec="microseconds")  # the season's clock
    items = [
        WorkItemRecord(
            candidate_id=record.candidate_id,
            unit=unit,
            season_id=record.season_id,
            unit_key=f"{record.season_id}#{unit}",
            queue_key=f"{record.season_id}#{unit}",
            queued_at=queued_at,
            round=round_,
            state=ItemState.pending,
            on_site=action == "route_on_site",
            category=record.category,
            name=record.name,
            id_masked=record.id_masked,
            flags=flags,
            candidate_version=round_ + 1,
        )
        for unit in (units if action != "disqualify" else [])
    ]

    def put_items(tx: TransactWrite) -> None:
        for item in items:
            fresh = WorkItemRecord.candidate_id.does_not_exist() | (WorkItemRecord.round < round_)
            tx.save(item, condition=fresh)

    return change(record, action, actor, sets={"checks": checks}, also=put_items)


def items_of(candidate_id: str) -> list[WorkItem]:
    return _items(WorkItemRecord.query(candidate_id))


def _items(found: Iterable[WorkItemRecord]) -> list[WorkItem]:
    return [WorkItem.model_validate(r.attribute_values) for r in found]


def decide(
    record: Candidate,
    items: list[WorkItem],
    unit: str,
    outcome: Outcome,
    decision: str,
    reason: str | None,
    actor: str,
    sets: Changes | None = None,
    also: Also | None = None,
) -> Candidate:
    """One unit's decision: the candidate (status, version, audit) and every work item
    of the round in one transaction. The candidate's version guards it all: two
    decisions on one file never both commit from the same read."""
    now = datetime.now(UTC)
    next_version = int(record.version) + 1

    def update_items(tx: TransactWrite) -> None:
        for item in items:
            state = outcome.items[item.unit]
            actions: list[Action] = [WorkItemRecord.candidate_version.set(next_version)]
            if state != item.state:
                actions += [WorkItemRecord.state.set(state), WorkItemRecord.queue_key.remove()]
            if item.unit == unit:
                actions += [
                    WorkItemRecord.decided_by.set(actor),
                    WorkItemRecord.decided_at.set(now),
                    WorkItemRecord.reason.set(reason) if reason else WorkItemRecord.reason.remove(),
                ]
                if decision == "call_on_site":
                    actions.append(WorkItemRecord.on_site.set(True))
            tx.update(
                WorkItemRecord(candidate_id=item.candidate_id, unit=item.unit), actions=actions
            )
        if also:
            also(tx)

    return change(
        record,
        outcome.action,
        actor,
        audit_action=f"review:{decision}@{unit}",
        reason=reason,
        sets=sets,
        also=update_items,
    )


Key = dict[str, dict[str, str]]  # DynamoDB's LastEvaluatedKey: attribute -> {type: value}


def _page_token(key: Key | None, scope: str) -> str | None:
    """Where the next page starts, signed for this list: a token is only ever read back by
    the same list of the same unit (a forged or borrowed one is a 422, never a Query)."""
    if not key:
        return None
    body = base64.urlsafe_b64encode(json.dumps(key, sort_keys=True).encode()).decode()
    return f"{body}.{pii.key_hash('page', scope + body)[:24]}"


def _start_key(token: str | None, scope: str) -> Key | None:
    if not token:
        return None
    body, _, signature = token.partition(".")
    if not same_secret(signature, pii.key_hash("page", scope + body)[:24]):
        raise InvalidField("分页标记无效，请从第一页重新查看", "page", code="bad_page")
    return dict(json.loads(base64.urlsafe_b64decode(body.encode())))


def work(
    season_id: str,
    unit: str,
    state: str,
    limit: int,
    page: str | None,
    category: str | None = None,
    on_site: bool | None = None,
) -> tuple[list[WorkItem], str | None]:
    """A unit's work, oldest first: one Query on an index (R6.3), never a Scan.

    Pending work reads the sparse queue index; decided work the unit index.
    """
    condition = None
    if category is not None:
        condition = WorkItemRecord.category == category
    if on_site is not None:
        flag = WorkItemRecord.on_site == on_site
        condition = flag if condition is None else condition & flag
    if state == ItemState.pending:
        index: Any = WorkItemRecord.by_queue
    else:
        index = WorkItemRecord.by_unit
        by_state = WorkItemRecord.state == state
        condition = by_state if condition is None else condition & by_state
    scope = f"{season_id}#{unit}#{state}#{category}#{on_site}"
    result = index.query(
        f"{season_id}#{unit}",
        filter_condition=condition,
        limit=limit,
        last_evaluated_key=_start_key(page, scope),
        scan_index_forward=True,
    )
    items = _items(result)
    return items, _page_token(result.last_evaluated_key, scope)


def backlog(season_id: str, unit: str) -> tuple[int, str | None]:
    """A unit's pending count and the oldest submission's time: two Queries of its queue."""
    key = f"{season_id}#{unit}"
    count = WorkItemRecord.by_queue.count(key)
    oldest = next(iter(WorkItemRecord.by_queue.query(key, limit=1)), None)
    return count, oldest.queued_at if oldest else None


def counts(season_id: str, unit: str, states: list[str]) -> dict[str, int]:
    """A unit's items per state: one COUNT Query of its index per state."""
    key = f"{season_id}#{unit}"
    return {
        state: WorkItemRecord.by_unit.count(key, filter_condition=WorkItemRecord.state == state)
        for state in states
    }


def named(season_id: str, unit: str, name: str, limit: int = 50) -> list[WorkItem]:
    """A unit's items whose candidate's name holds ``name`` (one Query of its index)."""
    found = WorkItemRecord.by_unit.query(
        f"{season_id}#{unit}", filter_condition=WorkItemRecord.name.contains(name)
    )
    return _items(item for _, item in zip(range(limit), found, strict=False))


def every(season_id: str, unit: str) -> list[WorkItem]:
    """A unit's every item, oldest first: its list, exported (a Query, paged by PynamoDB)."""
    return _items(WorkItemRecord.by_unit.query(f"{season_id}#{unit}"))
