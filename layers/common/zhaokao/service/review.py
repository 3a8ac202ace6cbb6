"""Routing and qualification review (R5, R6, R7.1)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from aws_lambda_powertools import Logger

from ..adapters import metrics, objects
from ..api.operator_schemas import Backlog
from ..api.review_schemas import (
    BatchError,
    BatchResult,
    BatchResults,
    Decided,
    ReviewFile,
    StepsView,
    WorkCounts,
    WorkFound,
    WorkPage,
)
from ..api.review_schemas import WorkItem as WorkItemView
from ..domain import eligibility, notice
from ..domain.auth import REVIEWERS, Principal
from ..domain.candidate import Candidate, Changes, CheckResult, Inspected, Profile
from ..domain.errors import Conflict, InvalidField, NotFound, RuleViolation
from ..domain.identity import ascii_digits
from ..domain.lifecycle import STATUS_LABELS, Status
from ..domain.profile import documents_for
from ..domain.review import (
    DECISION_LABELS,
    PROVINCE,
    Decision,
    ItemState,
    WorkItem,
    chain,
    decide,
    decision_window,
    kept_category,
    require_reason,
    review_units,
    reviewer_unit,
    send_back_periods,
    step_name,
    unfinished,
    units_to_ask,
)
from ..domain.season import Season
from ..domain.spreadsheet import csv_text
from ..domain.windows import CST
from ..messages import RouteSubmission
from ..storage import candidates, integrity, lifecycle, notices, pii, roster, seasons, sitters
from ..storage import review as store
from . import notify
from .documents import own_file

logger = Logger(service="zhaokao-service")  # shared code: one JSON logger of its own
ROUTER = "system:review-routing"
ROUTING_OUTCOMES = {
    eligibility.Outcome.passed: "route",
    eligibility.Outcome.on_site: "route_on_site",
    eligibility.Outcome.failed: "disqualify",
}


# -- the routing worker ---------------------------------------------------------
def on_routing_message(message: RouteSubmission) -> str:
    """R5 then R6.3: run the automatic checks and create the units' work items, once.

    A message for a round already routed (delivered again, or superseded by a
    resubmission) changes nothing.
    """
    candidate_id, round_ = message.candidate_id, message.round
    record = candidates.get(candidate_id)
    if record.status != Status.submitted or record.version != round_:
        return "already_routed"
    season = seasons.get_season(record.season_id)
    checks = eligibility.check(season.policy, _applicant(record, season))
    action = ROUTING_OUTCOMES[eligibility.overall(checks)]
    home = record.unit
    units = review_units(season.policy, home, record.category, record.profile)
    units = units_to_ask(units, record.returned)
    flags = [c.reason for c in checks if c.outcome != eligibility.Outcome.passed]
    try:
        store.route(record, action, units, described(checks, season), flags, ROUTER, season.now())
    except Conflict:
        if candidates.get(candidate_id).status != Status.submitted:
            return "already_routed"  # a concurrent delivery routed it
        raise
    if action != "route":
        status = STATUS_LABELS[Status(record.status)]
        reason = f"（{'；'.join(flags)}）" if flags else ""
        notify.candidate(record, "auto_check", name=record.name, status=status, reason=reason)
    return action


def preview_checks(record: Candidate, season: Season, profile: Profile) -> list[CheckResult]:
    """The automatic checks (R5.4) on a profile not yet saved: what would refuse the file or
    call it on site, each with its rule in words — so a candidate sees it before saving."""
    checks = eligibility.check(season.policy, _applicant(record, season, profile))
    return [c for c in described(checks, season) if c["outcome"] != eligibility.Outcome.passed]


def described(checks: list[eligibility.Check], season: Season) -> list[CheckResult]:
    """R5.4: each check with the rule it applies, as the candidate reads it."""
    return [
        CheckResult(
            rule=c.rule,
            requirement=c.requirement,
            outcome=str(c.outcome),
            reason=c.reason,
            description=rule.description,
        )
        for c, rule in zip(checks, season.policy.eligibility, strict=True)
    ]


def _applicant(
    record: Candidate, season: Season, profile: Profile | None = None
) -> eligibility.Applicant:
    id_number = pii.decrypt(record.id_cipher)
    previous = eligibility.previous_season(season.policy)
    ban = integrity.banned_until(id_number)
    return eligibility.applicant(
        id_number,
        profile if profile is not None else record.profile,
        roster.find(record.season_id, id_number) if season.policy.roster_required else None,
        bool(previous and sitters.sat(previous, id_number)),
        ban if ban is not None and ban >= season.now().date() else None,
    )


# -- reviewers --------------------------------------------------------------------
def _scope(who: Principal, season_id: str) -> tuple[Season, str]:
    """R15/R6.3: the reviewer's season and unit; another season's file does not exist for them."""
    who.require(*REVIEWERS)
    if who.season != season_id:  # every reviewer's token names its season (R15.1)
        raise NotFound("没有找到该考试季")
    season = seasons.get_season(season_id)
    return season, reviewer_unit(who.groups, who.unit, season.policy)


def _item_view(item: WorkItem, policy: Any) -> WorkItemView:
    category = next((c.name for c in policy.categories if c.code == item.category), item.category)
    return WorkItemView(
        candidate_id=item.candidate_id,
        name=item.name,
        id_number=item.id_masked,
        category=item.category,
        category_name=category,
        unit=item.unit,
        state=item.state,
        on_site=item.on_site,
        flags=item.flags,
        queued_at=datetime.fromisoformat(item.queued_at).astimezone(CST).isoformat("T", "seconds"),
        candidate_version=item.candidate_version,
        decided_by=item.decided_by,
        reason=item.reason,
    )


def work(
    who: Principal,
    season_id: str,
    state: str,
    limit: int,
    page: str | None,
    category: str | None,
    on_site: bool | None,
) -> WorkPage:
    """A unit's work list, oldest first, paginated, filtered (one Query of an index)."""
    season, unit = _scope(who, season_id)
    if state not in ItemState.__members__:
        raise InvalidField("状态只能是 " + "、".join(ItemState), "state")
    items, next_page = store.work(season_id, unit, state, limit, page, category, on_site)
    return WorkPage(
        unit=unit, items=[_item_view(i, season.policy) for i in items], next_page=next_page
    )


def counts(who: Principal, season_id: str) -> WorkCounts:
    """A unit's work per state: what a reviewer plans the day by."""
    _, unit = _scope(who, season_id)
    return WorkCounts(unit=unit, counts=store.counts(season_id, unit, list(ItemState)))


def search(who: Principal, season_id: str, q: str) -> WorkFound:
    """A unit's files found by the candidate's full ID number, 准考证号 or name (part of it);
    another unit's candidate is not found (R15.1)."""
    from ..domain.errors import DomainError
    from ..domain.identity import normalise_id_number
    from ..storage import scores

    season, unit = _scope(who, season_id)
    text = q.strip()
    owner: str | None = None
    if ascii_digits(text) and len(text) == 15:  # a 准考证号
        owner = scores.holders(season_id, [text]).get(text)
    else:
        try:
            owner = candidates.owner_of_id(season_id, normalise_id_number(text, "q"))
        except DomainError:
            items = store.named(season_id, unit, text)
            return WorkFound(unit=unit, items=[_item_view(i, season.policy) for i in items])
    found = [
        i
        for i in (store.items_of(owner) if owner else [])
        if i.unit == unit and i.season_id == season_id
    ]
    latest = max((i.round for i in found), default=0)
    return WorkFound(
        unit=unit, items=[_item_view(i, season.policy) for i in found if i.round == latest]
    )


def export(who: Principal, season_id: str) -> str:
    """The unit's list as CSV (Excel reads its UTF-8 mark): each file's latest state."""

    season, unit = _scope(who, season_id)
    latest: dict[str, WorkItem] = {}
    for item in store.every(season_id, unit):
        if item.candidate_id not in latest or item.round >= latest[item.candidate_id].round:
            latest[item.candidate_id] = item
    header = ["考生号", "姓名", "身份证号", "报考类别", "状态", "提交时间", "审核人", "说明"]
    items = sorted(latest.values(), key=lambda i: i.queued_at)
    views = [_item_view(i, season.policy) for i in items]
    return csv_text(
        header,
        (
            [
                v.candidate_id,
                v.name,
                v.id_number,
                v.category_name,
                STATE_NAMES[ItemState(v.state)],
                v.queued_at.replace("T", " "),
                v.decided_by,
                v.reason,
            ]
            for v in views
        ),
    )


STATE_NAMES = {
    ItemState.pending: "待审核",
    ItemState.approved: "审核通过",
    ItemState.rejected: "审核不通过",
    ItemState.returned: "退回修改",
    ItemState.closed: "已由其他单位处理",
    ItemState.category_refused: "报考类别不通过",
}


def _mine(candidate_id: str, season_id: str, unit: str) -> tuple[list[WorkItem], WorkItem]:
    """The current round's items and the unit's own; NotFound reveals nothing else."""
    items = [i for i in store.items_of(candidate_id) if i.season_id == season_id]
    latest = max((i.round for i in items), default=0)
    current = [i for i in items if i.round == latest]
    mine = next((i for i in current if i.unit == unit), None)
    if mine is None:
        raise NotFound("没有找到该考生")
    return current, mine


def open_file(who: Principal, season_id: str, candidate_id: str) -> ReviewFile:
    """A candidate's file for its reviewer: profile, checks, documents (short-lived signed
    GET URLs) and the history. The read itself is audited (R16.1)."""
    season, unit = _scope(who, season_id)
    current, mine = _mine(candidate_id, season_id, unit)
    record = candidates.get(candidate_id)
    lifecycle.record_access(candidate_id, who.actor(), "review:open")
    names = {  # the documents as the policy names them, never their codes
        d.code: d.name
        for d in documents_for(season.policy, record.profile, bool(record.residence_permit))
    }
    names["photo"] = "标准证件照"
    documents = {
        code: {
            "name": names.get(code, code),
            **{k: v for k, v in doc.items() if k != "key"},
            **({"url": _download(code, doc)} if doc["status"] == "accepted" else {}),
        }
        for code, doc in record.documents.items()
    }
    if season.policy.photo.source == "roster":  # R2: the college's photo, inspected at import
        documents["photo"] = _roster_photo(record)
    return ReviewFile(
        candidate=own_file(record).model_copy(update={"documents": documents}),
        checks=record.checks,
        work_item=_item_view(mine, season.policy),
        units={i.unit: i.state for i in current},
        history=lifecycle.timeline(candidate_id),
        chain=chain(season.policy, record.category) if mine.on_site else {},
    )


def _roster_photo(record: Candidate) -> dict[str, Any]:
    """The college's photo of the graduate (R2), inspected at import, for the reviewer."""
    from .printing import photo_key

    key = photo_key(record, "roster")
    if key is None:
        return {"status": "rejected", "reason": "学籍信息中没有该考生的照片"}
    url = objects.download_url(key, "image/jpeg", "photo.jpg")
    name = "标准证件照（学籍照片）"
    return {
        "name": name,
        "status": "accepted",
        "content_type": "image/jpeg",
        "source": "roster",
        "url": url,
    }


def _download(code: str, doc: Inspected) -> str:
    kind = doc["content_type"] or "application/octet-stream"
    extension = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}.get(kind, "bin")
    return objects.download_url(doc["key"], kind, f"{code}.{extension}")


def decide_file(
    who: Principal,
    season_id: str,
    candidate_id: str,
    decision: Decision,
    reason: str | None,
    version: int,
    batch: bool = False,
) -> Decided:
    """R6: approve / reject / send back / call on site, with the version read (409 if stale)."""
    season, unit = _scope(who, season_id)
    current, mine = _mine(candidate_id, season_id, unit)
    record = candidates.get(candidate_id)
    now = season.require_deciding(decision_window(unit, bool(mine.on_site)), record.returned)
    reason = require_reason(decision, reason)
    if batch and mine.on_site:
        raise RuleViolation(
            "须现场审核的考生不能批量通过，请逐一审核", "candidate_id", code="on_site"
        )
    category = record.category
    if decision == Decision.approve and unit != PROVINCE:  # the home unit's chain (seed 004)
        left = unfinished(season.policy, category, record.on_site_steps, record.documents)
        if left:
            raise RuleViolation("尚未完成：" + "、".join(left), "decision", code="unfinished")
    if record.version != version:
        raise Conflict("记录已被他人修改，请刷新后重试", "version", code="stale_version")
    if decision == Decision.refuse_category:
        kept_category(season.policy, category)  # R6.1: only a category that can be refused alone
    outcome = decide({i.unit: ItemState(i.state) for i in current}, unit, decision, record.status)
    sets, also = None, None
    if outcome.action == "approve":
        refused = ItemState.category_refused in outcome.items.values()
        sets, also = _approval(record, season, refused)
    if decision == Decision.approve and unit != PROVINCE:
        also = _unit_list(record, season, unit) or also
    if decision in (Decision.reject, Decision.refuse_category) and unit == PROVINCE:
        also = notices.withdraw(season_id, candidate_id)  # what the college listed ends
    if outcome.action == "send_back":
        sets = {"returned": send_back_periods(season.policy, unit, outcome.items, now)}
    record = store.decide(record, current, unit, outcome, decision, reason, who.actor(), sets, also)
    metrics.count("Decisions", season_id)
    notify.candidate(
        record,
        "review_result",
        name=record.name,
        decision=DECISION_LABELS[decision],
        reason=f"（原因：{reason}）" if reason else "",
        status=STATUS_LABELS[Status(record.status)],
    )
    return Decided(candidate_id=candidate_id, status=record.status, version=record.version)


def _approval(record: Candidate, season: Season, category_refused: bool) -> tuple[Changes, Any]:
    """On final approval: what was approved, and the public-notice entry when listed (R7.1).
    A unit that refused the category alone leaves the candidate the category it keeps."""
    profile, id_number = record.profile.copy(), pii.decrypt(record.id_cipher)
    if category_refused:
        refused = record.category
        profile["category"] = kept_category(season.policy, refused)
        approved = notice.approvals(season.policy, profile, id_number)
        approved["refused_category"] = refused
    else:
        approved = notice.approvals(season.policy, profile, id_number)
    if not notice.listed(approved):
        return Changes(approvals=approved), None
    rule = season.policy.public_notice
    period = notice.notice_period(season.now().date(), rule.working_days, rule.keep_months)
    body = notice.entry(season.policy, record.name, approved, period)
    return Changes(approvals=approved), notices.publish(record.season_id, record.candidate_id, body)


def record_step(
    who: Principal, season_id: str, candidate_id: str, step: str, version: int
) -> StepsView:
    """现场审核 and a category's chain (seed 004: 本人所在单位和招生学校签署意见，县（市、区）
    教育考试中心审核，报宁夏教育考试院备案): the unit records each step, who and when."""
    season, unit = _scope(who, season_id)
    _, mine = _mine(candidate_id, season_id, unit)
    record = candidates.get(candidate_id)
    now = season.require_deciding(decision_window(unit, bool(mine.on_site)), record.returned)
    if record.version != version:
        raise Conflict("记录已被他人修改，请刷新后重试", "version", code="stale_version")
    done = dict(record.on_site_steps)
    category = record.category
    name = step_name(season.policy, category, record.status, done, step)
    done[step] = {"name": name, "by": who.actor(), "at": now.isoformat(timespec="seconds")}
    record = lifecycle.change(
        record,
        None,
        who.actor(),
        audit_action=f"on_site:{step}",
        reason=name,
        sets={"on_site_steps": done},
    )
    return StepsView(candidate_id=candidate_id, on_site_steps=done, version=record.version)


def _unit_list(record: Candidate, season: Season, unit: str) -> Any:
    """The home unit's own list (公示) for the categories it publishes, on its approval."""
    category = record.category
    if not any(c.code == category and c.unit_publishes for c in season.policy.categories):
        return None
    policy = season.policy
    units = (
        policy.reference.colleges
        if policy.registration_unit == "college"
        else policy.reference.counties
    )
    name = next((u.name for u in units if u.code == unit), unit)
    rule = policy.public_notice
    period = notice.notice_period(season.now().date(), rule.working_days, rule.keep_months)
    body = notice.unit_entry(policy, record.name, category, unit, name, period)
    return notices.publish(record.season_id, record.candidate_id, body)


def batch_approve(who: Principal, season_id: str, entries: list[tuple[str, int]]) -> BatchResults:
    """Approve many files of the unit at once; each stands or fails on its own."""
    results = []
    for candidate_id, version in entries:
        try:
            done = decide_file(who, season_id, candidate_id, Decision.approve, None, version, True)
            results.append(BatchResult(**done.model_dump(), ok=True))
        except (Conflict, NotFound, RuleViolation, InvalidField) as exc:
            error = BatchError(code=exc.code, message=exc.message)
            results.append(BatchResult(candidate_id=candidate_id, ok=False, error=error))
    return BatchResults(results=results)


def backlog(who: Principal, season_id: str) -> list[Backlog]:
    """R6.3: pending count and oldest age per unit, for operators (two Queries per unit)."""
    who.require("operator")
    season = seasons.get_season(season_id)
    policy = season.policy
    units = [(c.code, c.name) for c in policy.home_units()]
    if any(c.provincial_review for c in policy.categories):
        units.append((PROVINCE, "省级复核"))
    now = season.now()
    rows = []
    for code, name in units:
        count, oldest = store.backlog(season_id, code)
        age = (now - datetime.fromisoformat(oldest)).total_seconds() / 3600 if oldest else None
        rows.append(
            {
                "unit": code,
                "name": name,
                "pending": count,
                "oldest_hours": None if age is None else round(max(age, 0), 1),
            }
        )
    return [Backlog.model_validate(v) for v in rows]
