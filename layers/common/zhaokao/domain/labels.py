"""The words people read for the platform's codes — a registration's status, what changed
it, a review's decision and a work item's state, a check's outcome, an admission run's
status and the steps of a season — kept here, beside the rules, and sent to the web client
(GET /v1/labels, and on each audit entry as its label): no page keeps its own copy."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .lifecycle import STATUS_LABELS
from .review import DECISION_LABELS, ItemState

if TYPE_CHECKING:
    from .policy import Policy

STEPS = ("注册", "信息完善", "提交", "资格审核", "志愿", "缴费", "准考证", "成绩", "录取")

# What changed a record (R16.1), by its audit action; review:<decision>@<unit> and the
# prefixed families are read by ``action_label``.
ACTIONS = {
    "profile": "保存报名信息",
    "submit": "提交报名",
    "route": "进入资格审核",
    "route_on_site": "资格自动校验：须现场审核",
    "disqualify": "资格自动校验未通过",
    "withdraw": "视为放弃",
    "cancel": "取消资格",
    "notice:revoke": "经举报核查，撤销免试或照顾资格",
    "preferences:save": "保存志愿",
    "preferences:restore": "恢复历史志愿",
    "preferences:confirm": "确认志愿",
    "payment:paid": "缴费成功",
    "payment:duplicate": "重复缴费（多缴的款项将退回）",
    "payment:order_replaced": "缴费金额变化，更换缴费订单",
    "password:reset": "通过短信验证码重置登录密码",
    "password:change": "修改登录密码",
    "integrity:violation": "记录违规处理",
    "phone:change": "更换手机号",
    "scores:import": "导入考试成绩",
    "update": "信息更新",
    "supplementary_filed": "填报征集志愿",
    "admission_run": "开始录取批次",
    "admission_school_approved": "审核通过院校录取名单",
    "admission_published": "发布录取结果",
    "cutoff_lines": "划定录取控制分数线",
}
ACTION_FAMILIES = {
    "document:": "材料检查",
    "score_review:request": "申请成绩复核",
    "score_review:decide": "成绩复核结果",
    "on_site:": "现场审核环节",
}
REVIEW_STATES = {
    ItemState.pending: "待审核",
    ItemState.approved: "已通过",
    ItemState.rejected: "未通过",
    ItemState.returned: "已退回",
    ItemState.closed: "已关闭",
    ItemState.category_refused: "类别不通过",
}
# by eligibility.Outcome's values: importing it would bring python-stdnum into every cold start
CHECK_OUTCOMES = {"pass": "通过", "fail": "未通过", "on_site": "须现场审核"}
RUN_STATUS = {
    "running": "执行中",
    "awaiting_approval": "待审核",
    "published": "已发布",
    "superseded": "已被新发布的批次取代",
    "done": "试算完成",
    "failed": "失败",
}
UNITS = {"province": "省级复核"}
ACTORS = {"candidate": "考生本人", "system": "系统"}  # by the actor's kind; staff by username


def action_label(action: str) -> str:
    """The words for an audit action, as a history or timeline shows it."""
    if action.startswith("review:"):
        decision, _, unit = action.removeprefix("review:").partition("@")
        words = DECISION_LABELS.get(decision, decision)  # type: ignore[call-overload]
        return f"资格审核（{UNITS.get(unit, unit)}）：{words}"
    for prefix, words in ACTION_FAMILIES.items():
        if action.startswith(prefix):
            return words
    return ACTIONS.get(action, action)


def actor_label(actor: str) -> str:
    """Who made a change, as the candidate or a reviewer reads it (staff by username)."""
    kind, _, _ = actor.partition(":")
    return ACTORS.get(kind) or actor.rpartition(":")[2]


def season_texts(policy: Policy) -> dict[str, str]:
    """The season's rules as its pages say them: who may register where (R2, R3), what
    handing in the file is called and what it locks (R4.4), and whether a fee comes back
    (R9)."""
    confirms = policy.registration_unit == "county"  # Ningxia's 现场确认: it locks the file
    return {
        "register_hint": "姓名和身份证号须与学信网学籍信息完全一致（由所在院校导入）。"
        if policy.roster_required
        else "请在户籍所在地或《居住证》发放地的县（市、区）报名。",
        "submit": "确认" if confirms else "提交",
        "submit_button": "确认报名（确认后不能修改）" if confirms else "提交报名",
        "submit_locks": "确认后报名信息将被锁定，不能再修改。"
        if confirms
        else "提交后不能修改，除非审核退回。",
        "fee_note": "" if policy.fees.refundable else "缴费成功后不予退费。",
    }


def catalogue() -> dict[str, object]:
    """Every label, for the web client."""
    return {
        "status": {str(k): v for k, v in STATUS_LABELS.items()},
        "decisions": {str(k): v for k, v in DECISION_LABELS.items()},
        "review_states": {str(k): v for k, v in REVIEW_STATES.items()},
        "check_outcomes": {str(k): v for k, v in CHECK_OUTCOMES.items()},
        "run_status": RUN_STATUS,
        "units": UNITS,
        "actors": ACTORS,
        "steps": list(STEPS),
    }
