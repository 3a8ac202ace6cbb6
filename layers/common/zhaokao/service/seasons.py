"""Seasons (R1): what anyone may read, what an operator may change."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..api.operator_schemas import SittersLoaded
from ..api.views import AuditEntry, SeasonView
from ..domain.auth import Principal
from ..domain.errors import InvalidField, RuleViolation
from ..domain.identity import normalise_id_number
from ..domain.windows import CST, WindowName
from ..storage import audit, seasons, sitters


def summaries() -> list[SeasonView]:
    return [SeasonView.model_validate(v) for v in [s.summary() for s in seasons.list_seasons()]]


def summary(season_id: str) -> SeasonView:
    return SeasonView.model_validate(seasons.get_season(season_id).summary())


def pin_clock(season_id: str, at: datetime | None, who: Principal) -> SeasonView:
    who.require("operator")
    return SeasonView.model_validate(
        seasons.pin_clock(season_id, _beijing(at), who.actor()).summary()
    )


def extend_window(
    season_id: str, window: WindowName, end: datetime, reason: str, who: Principal
) -> SeasonView:
    who.require("operator")
    return SeasonView.model_validate(
        seasons.extend_window(season_id, str(window), _beijing(end), reason, who.actor()).summary()
    )


def announce_window(
    season_id: str, window: WindowName, start: datetime, end: datetime, reason: str, who: Principal
) -> SeasonView:
    who.require("operator")
    return SeasonView.model_validate(
        seasons.announce_window(
            season_id, str(window), _beijing(start), _beijing(end), reason, who.actor()
        ).summary()
    )


def create_from(source: str, season_id: str, years: int, who: Principal) -> SeasonView:
    who.require("operator")
    return SeasonView.model_validate(
        seasons.create_from(source, season_id, years, who.actor()).summary()
    )


def history(season_id: str, who: Principal) -> list[AuditEntry]:
    """R16.1: every change of the season and of its admission (lines, publications),
    newest first."""
    who.require("operator")
    seasons.get_season(season_id)
    changes = audit.history(f"season#{season_id}") + audit.history(f"admission#{season_id}")
    return [
        AuditEntry.model_validate(v)
        for v in sorted(changes, key=lambda c: str(c["at"]), reverse=True)[:100]
    ]


def load_previous_sitters(season_id: str, id_numbers: list[str], who: Principal) -> SittersLoaded:
    """R5.2: who sat the previous season's exam, for this season's cross-check."""
    from ..domain.eligibility import (
        previous_season,
    )  # operators only: not in the candidates' cold start

    who.require("operator")
    previous = previous_season(seasons.get_season(season_id).policy)
    if previous is None:
        raise RuleViolation("本考试季没有上年参考核查规则", "season_id", code="no_previous_season")
    checked = []
    for i, number in enumerate(id_numbers):
        try:
            checked.append(normalise_id_number(number))
        except InvalidField as exc:
            raise InvalidField(f"第{i + 1}个身份证号：{exc.message}", f"id_numbers.{i}") from None
    count = sitters.record(previous, checked, who.actor())
    audit.audit_record(
        f"season#{season_id}", who.actor(), "previous_sitters", after={"count": count}
    ).save()
    return SittersLoaded(season_id=season_id, previous_season=previous, loaded=count)


def _beijing(value: Any) -> Any:
    """Times without a zone are Beijing time (all times of a season are Asia/Shanghai)."""
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=CST)
    return value
