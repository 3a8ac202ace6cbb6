"""Seasons: policies with their clocks, cached briefly in the process."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from pydantic import JsonValue
from pynamodb.exceptions import DoesNotExist, PutError, TransactWriteError
from pynamodb.transactions import TransactWrite

from ..adapters import instance
from ..domain.errors import Conflict, Duplicate, Forbidden, InvalidField, NotFound
from ..domain.policy import SEASON_ID
from ..domain.season import Season
from ..settings import settings
from .audit import Snapshot, audit_record
from .connection import connection
from .models import SeasonRecord
from .outcomes import condition_failed, failed_conditions

if TYPE_CHECKING:
    from ..domain.policy import Policy, SchoolExam, Session

# Applies one change to a season; returns what the audit keeps (before, after).
Change = Callable[[SeasonRecord], tuple[Snapshot, Snapshot]]

# A warm function sees an operator's change within this many seconds.
CACHE_SECONDS = 10.0
_cache: instance.Cache[Season] = instance.Cache(CACHE_SECONDS)
_listed: instance.Cache[list[Season]] = instance.Cache(CACHE_SECONDS)  # the whole list


def load_policy(document: str | dict[str, JsonValue]) -> Policy:
    # Imported on first use: building the policy's pydantic models costs ~15 ms,
    # which a cold start pays only when a request needs a season.
    from ..domain.policy import load_policy as load

    return load(document)


def _season(record: SeasonRecord) -> Season:
    offset = record.clock_offset if settings().allow_clock_pinning else None
    return Season(load_policy(record.policy), offset, int(record.version or 1))


_SEASON_ID = re.compile(SEASON_ID)


def get_season(season_id: str) -> Season:
    hit = _cache.get(season_id)
    if hit is not None:
        return hit
    try:
        if not _SEASON_ID.match(season_id) or len(season_id) > 64:
            raise DoesNotExist  # never a key DynamoDB refuses (an empty or odd id)
        season = _season(SeasonRecord.get("season", season_id))
    except DoesNotExist:
        raise NotFound(f"没有找到考试季 {season_id}", "season_id") from None
    return _cache.put(season_id, season)


def list_seasons() -> list[Season]:
    """Every season, cached as one season is: the list is read on every visit."""
    hit = _listed.get("all")
    if hit is not None:
        return list(hit)
    listed = _listed.put("all", [_season(r) for r in SeasonRecord.query("season")])
    for season in listed:
        _cache.put(season.policy.season_id, season)
    return list(listed)


def forget_cache(season_id: str | None = None) -> None:
    """Drop what was read: one season (after a change of it), or everything."""
    _cache.forget(season_id)
    _listed.forget()


def install(policy: Policy, actor: str, replace: bool = False) -> bool:
    """Store a season (a preset or a new one). Without ``replace`` an existing one stays;
    with it, its policy is replaced as any change is (versioned, audited, clock kept)."""
    record = SeasonRecord(
        season_id=policy.season_id, policy=policy.model_dump_json(), updated_at=datetime.now(UTC)
    )
    try:
        record.save(condition=SeasonRecord.season_id.does_not_exist())
    except PutError as exc:
        if not condition_failed(exc):
            raise
        if not replace:
            return False

        def apply(found: SeasonRecord) -> tuple[Snapshot, Snapshot]:
            found.policy = record.policy
            return {}, {"policy": "replaced"}

        _change(policy.season_id, actor, "season.replaced", None, apply)
        return True
    audit_record(f"season#{policy.season_id}", actor, "season.installed").save()
    forget_cache(policy.season_id)
    return True


def create_from(source_id: str, season_id: str, years: int, actor: str) -> Season:
    """R1: next year's season from a preset, every date shifted."""
    policy = get_season(source_id).policy.shifted(season_id, years)
    if not install(policy, actor):
        raise Duplicate(f"考试季 {season_id} 已存在", "season_id")
    return get_season(season_id)


def _change(season_id: str, actor: str, action: str, reason: str | None, apply: Change) -> Season:
    """Apply one audited change to a season: version checked, audit in the same transaction."""
    try:
        record = SeasonRecord.get("season", season_id, consistent_read=True)
    except DoesNotExist:
        raise NotFound(f"没有找到考试季 {season_id}", "season_id") from None
    before, after = apply(record)
    record.updated_at = datetime.now(UTC)
    try:
        with TransactWrite(connection=connection()) as tx:
            tx.save(record)  # the VersionAttribute makes this conditional
            tx.save(audit_record(f"season#{season_id}", actor, action, before, after, reason))
    except TransactWriteError as exc:
        failed_conditions(exc)
        raise Conflict("考试季已被他人修改，请刷新后重试") from None
    forget_cache(season_id)
    return get_season(season_id)


def pin_clock(season_id: str, at: datetime | None, actor: str) -> Season:
    """R1.3 (local cloud): the season's clock reads ``at`` now and runs on from there."""
    if not settings().allow_clock_pinning:
        raise Forbidden("只有本地环境允许设置考试季时钟", "at")

    def apply(record: SeasonRecord) -> tuple[Snapshot, Snapshot]:
        before: Snapshot = {"clock_offset": record.clock_offset}
        record.clock_offset = (at - datetime.now(UTC)).total_seconds() if at else None
        pinned = at.isoformat() if at else None
        return before, {"clock_offset": record.clock_offset, "pinned_to": pinned}

    return _change(season_id, actor, "season.clock_pinned", None, apply)


def announce_window(
    season_id: str, window: str, start: datetime, end: datetime, reason: str, actor: str
) -> Season:
    """R1.3: a window the policy leaves to a later notice (seed 004: 缴费时间另行通知) is
    announced once; after that it only moves by an extension. Audited."""
    if end <= start:
        raise InvalidField("截止时间须晚于开始时间", "end")

    def apply(record: SeasonRecord) -> tuple[Snapshot, Snapshot]:
        data = load_policy(record.policy).model_dump(mode="json")
        if window in data["windows"]:
            raise Conflict("该时间段已公布，如需调整请延长截止时间", "window", code="announced")
        data["windows"][window] = {"start": start.isoformat(), "end": end.isoformat()}
        record.policy = load_policy(data).model_dump_json()
        return {}, data["windows"][window]

    return _change(season_id, actor, f"season.window_announced.{window}", reason, apply)


def set_timetable(
    season_id: str, sessions: list[Snapshot], reason: str, actor: str
) -> tuple[list[Session], Season]:
    """R10.5: the season's timetable entered or corrected by an operator, audited; the
    timetable it replaced is returned (who sits a moved paper is told)."""
    replaced: list[Session] = []

    def apply(record: SeasonRecord) -> tuple[Snapshot, Snapshot]:
        policy = load_policy(record.policy)
        replaced[:] = policy.exam.timetable
        data = policy.model_dump(mode="json")
        old = data["exam"]["timetable"]
        data["exam"]["timetable"] = sessions
        record.policy = load_policy(data).model_dump_json()
        return {"timetable": old}, {"timetable": list[JsonValue](sessions)}

    season = _change(season_id, actor, "season.timetable", reason, apply)
    return replaced, season


def set_school_exam(
    season_id: str, school: str, exam: SchoolExam, reason: str, actor: str
) -> tuple[SchoolExam | None, Season]:
    """R10.4: one school's exam entered or corrected by the school, audited; the exam it
    replaced is returned (who sits a moved paper is told)."""
    replaced: list[SchoolExam | None] = []

    def apply(record: SeasonRecord) -> tuple[Snapshot, Snapshot]:
        policy = load_policy(record.policy)
        before = policy.exam.schools.get(school)
        replaced.append(before)
        data = policy.model_dump(mode="json")
        data["exam"]["schools"][school] = after = exam.model_dump(mode="json")
        record.policy = load_policy(data).model_dump_json()
        old = before.model_dump(mode="json") if before else None
        return {"school": school, "exam": old}, {"school": school, "exam": after}

    season = _change(season_id, actor, f"season.school_exam.{school}", reason, apply)
    return replaced[0], season


def extend_window(season_id: str, window: str, end: datetime, reason: str, actor: str) -> Season:
    """R1.3: an operator moves a window's end later; the audit keeps before and after."""

    def apply(record: SeasonRecord) -> tuple[Snapshot, Snapshot]:
        data = load_policy(record.policy).model_dump(mode="json")
        if window not in data["windows"]:
            raise NotFound(f"该考试季没有 {window} 时间段", "window")
        before = dict(data["windows"][window])
        old_end = before.get("end")
        if old_end and datetime.fromisoformat(old_end) >= end:
            raise Conflict("延长后的截止时间须晚于原截止时间", "end")
        start = before.get("start")
        if start and datetime.fromisoformat(start) >= end:
            raise Conflict("截止时间须晚于开始时间", "end")
        data["windows"][window]["end"] = end.isoformat()
        record.policy = load_policy(data).model_dump_json()
        return before, data["windows"][window]

    return _change(season_id, actor, f"season.window_extended.{window}", reason, apply)
