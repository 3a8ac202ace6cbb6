"""Preferences (R8) and the plan catalogue: browse, save, history, restore, confirm."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..api.operator_schemas import CatalogueImported
from ..api.schemas import (
    CataloguePage,
    MarkedCatalogue,
    MarkedPlan,
    PlanRow,
    Preferences,
    PreferencesPage,
)
from ..domain import catalogue as catalogue_rows
from ..domain import preferences as rules
from ..domain.auth import Principal
from ..domain.candidate import Candidate
from ..domain.errors import Conflict, InvalidField, NotFound, RuleViolation
from ..domain.fees import amount_due
from ..domain.windows import WindowName
from ..storage import candidates, catalogue, seasons
from ..storage import preferences as store
from . import notify
from .tables import replace_table

if TYPE_CHECKING:
    from ..domain.policy import Policy


# -- the catalogue ----------------------------------------------------------------
def browse(
    season_id: str,
    plan_type: str | None,
    level: str | None,
    q: str | None,
    offset: int,
    limit: int,
) -> CataloguePage:
    """The published plan catalogue (专业计划信息查询), filtered and paginated."""
    seasons.get_season(season_id)
    plans = sorted(
        catalogue.load(season_id).plans.values(), key=lambda p: (p.school_code, p.major_code)
    )
    found = [
        p
        for p in plans
        if (plan_type is None or p.plan_type == plan_type)
        and (level is None or p.level == level)
        and (not q or q in p.school_name or q in p.major_name or q in p.school_code)
    ]
    return CataloguePage(
        total=len(found), items=[p._asdict() for p in found[offset : offset + limit]]
    )


def browse_for(
    who: Principal,
    plan_type: str | None,
    level: str | None,
    q: str | None,
    offset: int,
    limit: int,
) -> MarkedCatalogue:
    """The catalogue as a candidate reads it: each plan marked with whether this candidate
    may choose it (相同或相近, the medical rules) and why not."""
    who.require("candidate")
    record = candidates.get(who.username)
    policy = seasons.get_season(record.season_id).policy
    page = browse(record.season_id, plan_type, level, q, offset, limit)
    loaded = catalogue.load(record.season_id)
    me = candidate_of(record, policy)

    def marked(item: PlanRow) -> MarkedPlan:
        plan = loaded.plans[(item.school_code, item.major_code, item.plan_type or "")]
        return MarkedPlan(**item.model_dump(), not_allowed=rules.verdict(policy, loaded, me, plan))

    return MarkedCatalogue(total=page.total, items=[marked(i) for i in page.items])


def import_catalogue(who: Principal, season_id: str, kind: str, text: str) -> CatalogueImported:
    """Operators replace the season's plans or major links; every bad row is reported and
    nothing is replaced while any row is bad (a half catalogue would mislead candidates)."""
    who.require("operator")
    policy = seasons.get_season(season_id).policy
    if kind == "plans":
        plans, problems = catalogue_rows.plans(text, policy)
        return CatalogueImported.model_validate(
            replace_table(
                season_id,
                who.actor(),
                "plans",
                len(plans),
                problems,
                lambda: catalogue.replace_plans(season_id, plans),
            )
        )
    links, problems = catalogue_rows.links(text)
    return CatalogueImported.model_validate(
        replace_table(
            season_id,
            who.actor(),
            "links",
            len(links),
            problems,
            lambda: catalogue.replace_links(season_id, links),
        )
    )


# -- a candidate's preferences ----------------------------------------------------
def candidate_of(record: Candidate, policy: Policy) -> rules.Candidate:
    major = policy.major(record.major_code) if record.major_code else None
    return rules.Candidate(
        status=record.status,
        profile=record.profile,
        approvals=record.approvals,
        college_major=record.major_code,
        college_major_name=major.name if major else None,
        college_major_medical=bool(major and major.medical),
    )


def _view(record: Candidate, policy: Policy) -> Preferences:
    choice = record.preferences
    plan_type = (choice or {}).get("plan_type")
    return Preferences(
        choice=choice,
        saved=int(record.preferences_no or 0),
        confirmed=bool(record.preferences_confirmed),
        offered_plan_types=rules.offered_plan_types(policy, candidate_of(record, policy))
        if policy.preferences.plan_type_choice
        else [],
        fee=amount_due(policy, plan_type, record.approvals),
        version=int(record.version),
    )


def show(who: Principal) -> PreferencesPage:
    who.require("candidate")
    record = candidates.get(who.username)
    policy = seasons.get_season(record.season_id).policy
    versions = [
        {
            "no": int(v.no),
            "choice": v.choice,
            "saved_at": v.saved_at.isoformat(timespec="seconds"),
            "by": "本人" if v.actor == who.actor() else "他人",
            "restored_from": int(v.restored_from) if v.restored_from else None,
        }
        for v in store.history(record.candidate_id)
    ]
    labels = _labels(record.season_id, [record.preferences] + [v["choice"] for v in versions])
    return PreferencesPage.model_validate(
        {
            **_view(record, policy).model_dump(),
            "rules": rules.explain(policy),
            "history": versions,
            "labels": labels,
        }
    )


def _labels(season_id: str, choices: list[dict[str, Any] | None]) -> dict[str, str]:
    """The names of the schools (``school``) and majors (``school/major``) the choices name,
    so that a choice and its history read as words (the catalogue is cached in-process)."""
    wanted = {
        (slot["school"], major)
        for choice in choices
        if choice
        for slot in choice.get("schools", [])
        for major in slot["majors"]
    }
    labels: dict[str, str] = {}
    for plan in catalogue.load(season_id).plans.values():
        if (plan.school_code, plan.major_code) in wanted:
            labels[plan.school_code] = plan.school_name
            labels[f"{plan.school_code}/{plan.major_code}"] = plan.major_name
    return labels


def _open_for_change(who: Principal, version: int) -> tuple[Candidate, Policy]:
    who.require("candidate")
    record = candidates.get(who.username)
    season = seasons.get_season(record.season_id)
    season.require_window(WindowName.preferences)  # R8: changes until the deadline
    if record.preferences_confirmed:
        raise RuleViolation("志愿已确认，不能再修改", "preferences", code="confirmed")
    if int(record.version) != version:
        raise Conflict("记录已被他人修改，请刷新后重试", "version", code="stale_version")
    return record, season.policy


def save(who: Principal, choice: dict[str, Any], version: int) -> Preferences:
    """R8: check the choice against the rules and the catalogue, keep it as a new version.
    Two DynamoDB round trips: read the candidate, one transaction (the catalogue is cached)."""
    record, policy = _open_for_change(who, version)
    checked = rules.check(
        policy, catalogue.load(record.season_id), candidate_of(record, policy), choice
    )
    record = store.save(record, checked, who.actor())
    notify.candidate(record, "preferences_saved", name=record.name, no=record.preferences_no)
    return _view(record, policy)


def restore(who: Principal, no: int, version: int) -> Preferences:
    """R8: an earlier version becomes the current one again (checked against today's rules)."""
    record, policy = _open_for_change(who, version)
    earlier = store.version(record.candidate_id, no)
    if earlier is None:
        raise NotFound("没有这个志愿版本", "no")
    checked = rules.check(
        policy, catalogue.load(record.season_id), candidate_of(record, policy), earlier.choice
    )
    record = store.save(record, checked, who.actor(), restored_from=no)
    notify.candidate(
        record, "preferences_restored", name=record.name, source=no, no=record.preferences_no
    )
    return _view(record, policy)


def confirm(who: Principal, version: int) -> Preferences:
    """Ningxia: confirming the preferences locks them."""
    record, policy = _open_for_change(who, version)
    if not policy.preferences.confirm_locks:
        raise RuleViolation(
            "本考试季志愿无须确认，截止前可随时修改", "preferences", code="no_confirmation"
        )
    if not record.preferences:
        raise InvalidField("请先填报志愿", "preferences")
    record = store.confirm(record, who.actor())
    notify.candidate(record, "preferences_confirmed", name=record.name)
    return _view(record, policy)
