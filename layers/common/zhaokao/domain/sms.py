"""Text messages (R3.3, R16.2, R17.5) as a Chinese SMS gateway takes them: a registered
signature (签名) and an approved template (模板) per kind of message, filled with named
parameters. Each season's policy declares its signature and templates (``sms``).
"""

from __future__ import annotations

import re
from typing import NamedTuple

# Every kind of message the platform sends, and the parameters its template must name.
PARAMS: dict[str, tuple[str, ...]] = {
    "otp": ("code",),  # 注册验证码
    "password_reset": ("code",),  # 找回密码验证码
    "phone_change": ("code",),  # 更换手机号验证码（原号码与新号码各一条）
    "not_registered": (),  # a reset asked for a phone that has no account
    "already_registered": (),  # a registration code asked for a phone that has one
    "password_changed": ("name",),
    "auto_check": ("name", "status", "reason"),  # 资格自动校验结果
    "review_result": ("name", "decision", "reason", "status"),  # 资格审核结果
    "preferences_saved": ("name", "no"),
    "preferences_restored": ("name", "source", "no"),
    "preferences_confirmed": ("name",),
    "payment_paid": ("name", "amount"),  # 缴费成功
    "integrity": ("name", "decision"),  # 诚信: a violation recorded
    "ticket_ready": ("name",),  # 准考证可打印 (R16.2)
    "scores_released": ("name",),  # 成绩已发布 (R16.2)
    "admission_published": ("name",),  # 录取结果已发布 (R16.2)
    "exam_changed": ("name", "change"),  # a seat or a paper's time changed (R10.5)
}
VERIFICATION = frozenset(
    {"otp", "password_reset", "phone_change"}
)  # 验证码类 templates; the rest 通知类
MAX_PARAM = 35  # gateways refuse a longer variable

_PLACEHOLDER = re.compile(r"\$\{(\w+)\}")


def placeholders(text: str) -> set[str]:
    return set(_PLACEHOLDER.findall(text))


class Message(NamedTuple):
    """One message as the gateway takes it, and as the phone shows it (``text``)."""

    kind: str
    signature: str
    template_code: str
    params: dict[str, str]
    text: str


def compose(
    signature: str, template_code: str, template_text: str, kind: str, **params: object
) -> Message:
    """Fill a template; a value longer than a gateway accepts is shortened, never refused."""
    if set(params) != set(PARAMS[kind]):
        raise ValueError(f"{kind}: parameters {sorted(params)} ≠ {sorted(PARAMS[kind])}")
    values = {k: _fit(str(v)) for k, v in params.items()}
    body = _PLACEHOLDER.sub(lambda m: values[m[1]], template_text)
    return Message(kind, signature, template_code, values, f"【{signature}】{body}")


def _fit(value: str) -> str:
    return value if len(value) <= MAX_PARAM else value[: MAX_PARAM - 1] + "…"
