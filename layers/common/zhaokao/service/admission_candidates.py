"""录取 (R13, R16.2): the candidate's side — their result with its explanation, and a
征集志愿 choice (Hunan's supplementary round)."""

from __future__ import annotations

from ..api.schemas import MyAdmission
from ..domain.auth import Principal
from ..domain.candidate import Candidate, Choice, SupplementaryChoice
from ..domain.errors import InvalidField, RuleViolation
from ..domain.season import Season
from ..domain.windows import WindowName
from ..storage import admission as store
from ..storage import candidates, catalogue, seasons
from .admission_operators import published_run


def _in_window(who: Principal, window: WindowName) -> tuple[Candidate, Season, str]:
    """The candidate, their season (inside ``window``) and the run in force."""
    who.require("candidate")
    record = candidates.get(who.username)
    season = seasons.get_season(record.season_id)
    season.require_window(window)
    return record, season, published_run(record.season_id)


def mine(who: Principal) -> MyAdmission:
    """The result with its explanation, from the admission-query window."""
    record, _, run_id = _in_window(who, WindowName.admission_query)
    result = store.result(run_id, record.candidate_id)
    if result is None:
        raise RuleViolation(
            "您未参加本次录取（资格审核未通过、已退出或成绩无效）", "run_id", code="not_in_run"
        )
    o = result.outcome
    plans = catalogue.load(record.season_id).plans
    school = next((p.school_name for (s, _, _), p in plans.items() if s == o.get("school")), None)
    major = next(
        (
            p.major_name
            for (s, m, _), p in plans.items()
            if s == o.get("school") and m == o.get("major")
        ),
        None,
    )
    return MyAdmission(
        admitted=bool(o.get("admitted")),
        cancelled=bool(o.get("cancelled")),
        school=o.get("school"),
        school_name=school,
        major=o.get("major"),
        major_name=major,
        round=o.get("round"),
        adjusted=bool(o.get("adjusted")),
        score=o.get("score"),
        reason=o.get("reason"),
        letter=result.letter and {k: result.letter[k] for k in ("carrier", "tracking_number")},
    )


def file_supplementary(
    who: Principal, school: str, major: str, plan_type: str
) -> SupplementaryChoice:
    """R13.3: 征集志愿 — inside its window, an eligible candidate the published run did not
    admit files one choice in a special plan of their approved type with seats left."""
    from ..domain import preferences as choice_rules
    from ..storage import lifecycle
    from .preferences import candidate_of

    record, season, run_id = _in_window(who, WindowName.supplementary)
    mine = store.result(run_id, record.candidate_id)
    outcome = mine.outcome if mine else {}
    if not outcome.get("eligible") or outcome.get("admitted"):
        raise RuleViolation("只有达到录取控制分数线且未被录取的考生可以填报征集志愿", "plan_type")
    offered = choice_rules.offered_plan_types(season.policy, candidate_of(record, season.policy))
    if plan_type == "ordinary" or plan_type not in offered:
        raise RuleViolation("只能填报本人资格审核通过的专项计划", "plan_type")
    plan = catalogue.load(record.season_id).plans.get((school, major, plan_type))
    if plan is None:
        raise InvalidField("没有该院校专业的招生计划", "major")
    taken = sum(
        1
        for r in store.school_list(run_id, school)
        if r.outcome.get("major") == major and r.outcome.get("plan_type") == plan_type
    )
    if taken >= plan.seats:
        raise RuleViolation("该专业计划已录满，没有征集名额", "major", code="no_seats_left")
    filed = SupplementaryChoice(
        school=school,
        major=major,
        plan_type=plan_type,
        filed_at=season.now().isoformat(timespec="seconds"),
    )
    preferences: Choice = {**record.preferences, "supplementary": filed}
    lifecycle.change(
        record,
        None,
        who.actor(),
        audit_action="supplementary_filed",
        sets={"preferences": preferences},
    )
    return filed
