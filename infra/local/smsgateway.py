"""A local SMS gateway that behaves like the large Chinese ones (R16.2, R17.5).

- ``POST /local/sms/sms/send``: requests signed with the account's key (HMAC-SHA256
  over method, path, timestamp, nonce and the body's digest); the signature name must
  be registered and the template approved, its parameters exactly the template's; a
  verification-code template is flow-controlled per number (1 a minute, 5 an hour,
  10 a day). Answers carry the gateways' codes (``OK``, ``isv.SMS_TEMPLATE_ILLEGAL``,
  ``isv.BUSINESS_LIMIT_CONTROL``, …).
- Delivery receipts pushed to the callback URL, signed with the callback key; numbers
  in ``unreachable`` fail as a switched-off phone would.
- The outbox: what each phone shows (``【签名】text``), newest first, the phone masked.
"""

from __future__ import annotations

import hmac
import json
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import requests
from werkzeug.wrappers import Request, Response

from zhaokao.adapters.sms import signature, signed_headers
from zhaokao.domain.sms import VERIFICATION

FLOW_LIMITS = ((60, 1), (3600, 5), (86400, 10))  # (seconds, messages) per number
_PHONE = re.compile(r"1[3-9]\d{9}")
_PARAM = re.compile(r"\$\{(\w+)\}")


@dataclass
class Template:
    code: str
    text: str
    verification: bool


@dataclass
class SmsGateway:
    access_key_id: str = field(default_factory=lambda: "LTAI" + secrets.token_hex(8))
    access_key_secret: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    callback_key: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    callback_url: str = ""
    receipt_delay: float = 0.05
    signatures: set[str] = field(default_factory=set)
    templates: dict[str, Template] = field(default_factory=dict)
    unreachable: set[str] = field(default_factory=set)
    sent: list[dict[str, Any]] = field(default_factory=list)
    receipts: list[dict[str, Any]] = field(default_factory=list)  # every delivery, for tests

    def __post_init__(self) -> None:
        self.lock = threading.Lock()
        self.history: dict[str, list[float]] = {}
        # indexes of ``sent``: a season's drill sends hundreds of thousands
        self.by_id: dict[str, dict[str, Any]] = {}
        self.by_phone: dict[str, list[dict[str, Any]]] = {}

    @property
    def credentials(self) -> dict[str, str]:
        """What the operator puts in SmsGatewaySecret."""
        return {
            "access_key_id": self.access_key_id,
            "access_key_secret": self.access_key_secret,
            "callback_key": self.callback_key,
        }

    def register(self, policy: Any) -> None:
        """The authority registers its signature and has its templates approved."""
        self.signatures.add(policy.sms.signature)
        for kind, t in policy.sms.templates.items():
            self.templates[t.code] = Template(t.code, t.text, kind in VERIFICATION)

    # -- the API -----------------------------------------------------------------
    def __call__(self, request: Request) -> Response:
        path = request.path.removeprefix("/local/sms")
        if path == "/sms/send" and request.method == "POST":
            return self._send(request, path)
        return _answer("isv.INVALID_PARAMETERS", "unknown API", status=404)

    def _send(self, request: Request, path: str) -> Response:
        body = request.get_data()
        h = request.headers
        expected = signature(
            self.access_key_secret,
            "POST",
            path,
            h.get("X-Sms-Timestamp", ""),
            h.get("X-Sms-Nonce", ""),
            body,
        )
        if h.get("X-Sms-AccessKeyId") != self.access_key_id:
            return _answer("InvalidAccessKeyId.NotFound", "Specified access key is not found.", 403)
        if not hmac.compare_digest(expected, h.get("X-Sms-Signature", "")):
            return _answer("SignatureDoesNotMatch", "Specified signature is not matched.", 403)
        try:
            data = json.loads(body)
            params = json.loads(data.get("TemplateParam") or "{}")
        except ValueError:
            return _answer("isv.INVALID_JSON_PARAM", "JSON参数不合法")
        phone, sign, code = (
            data.get("PhoneNumbers", ""),
            data.get("SignName"),
            data.get("TemplateCode"),
        )
        template = self.templates.get(code or "")
        if sign not in self.signatures:
            return _answer("isv.SMS_SIGNATURE_ILLEGAL", "该账号下找不到对应签名")
        if template is None:
            return _answer("isv.SMS_TEMPLATE_ILLEGAL", "该账号下找不到对应模板")
        if not _PHONE.fullmatch(phone):
            return _answer("isv.MOBILE_NUMBER_ILLEGAL", "手机号码格式错误")
        wanted = set(_PARAM.findall(template.text))
        if set(params) != wanted:
            return _answer("isv.TEMPLATE_MISSING_PARAMETERS", "模板变量与参数不一致")
        if any(len(str(v)) > 35 for v in params.values()):
            return _answer("isv.PARAM_LENGTH_LIMIT", "参数超出长度限制")
        now = time.time()
        with self.lock:
            if template.verification and not self._flow_allows(phone, now):
                return _answer("isv.BUSINESS_LIMIT_CONTROL", "触发号码流控")
            biz_id = f"{int(now * 1000)}^{secrets.token_hex(6)}"
            text = f"【{sign}】" + _PARAM.sub(lambda m: str(params[m[1]]), template.text)
            message = {
                "biz_id": biz_id,
                "phone": phone,
                "text": text,
                "template": code,
                "out_id": data.get("OutId"),
                "status": "sent",
            }
            self.sent.append(message)
            self.by_id[biz_id] = message
            self.by_phone.setdefault(phone, []).append(message)
        threading.Timer(self.receipt_delay, self._report, (biz_id,)).start()
        return _answer("OK", "OK", BizId=biz_id)

    def _flow_allows(self, phone: str, now: float) -> bool:
        times = [t for t in self.history.get(phone, []) if now - t < 86400]
        if any(sum(1 for t in times if now - t < span) >= limit for span, limit in FLOW_LIMITS):
            return False
        self.history[phone] = [*times, now]
        return True

    # -- delivery receipts ----------------------------------------------------------
    def _report(self, biz_id: str) -> None:
        with self.lock:
            message = self.by_id[biz_id]
            delivered = message["phone"] not in self.unreachable
            message["status"] = "delivered" if delivered else "failed"
        report = {
            "phone_number": message["phone"],
            "biz_id": biz_id,
            "out_id": message["out_id"],
            "success": delivered,
            "err_code": "DELIVERED" if delivered else "MOBILE_NOT_ON_SERVICE",
            "err_msg": "用户接收成功" if delivered else "停机或空号",
            "report_time": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        if not self.callback_url:
            return
        path = "/v1/sms/receipts"
        body = json.dumps([report], ensure_ascii=False).encode()
        headers = {
            "Content-Type": "application/json",
            **signed_headers(self.access_key_id, self.callback_key, "POST", path, body),
        }
        try:
            reply = requests.post(self.callback_url, data=body, headers=headers, timeout=10)
            self.receipts.append({"biz_id": biz_id, "status": reply.status_code})
        except requests.RequestException:
            self.receipts.append({"biz_id": biz_id, "status": None})

    def outbox(self, phone: str | None = None) -> list[dict[str, str]]:
        """Every message as its phone shows it, newest first; the phone masked (R17.2).
        With ``phone``, that phone's alone (a drill of many phones reads its own codes)."""
        with self.lock:
            sent = self.by_phone.get(phone, []) if phone else self.sent
            return [
                {
                    "id": m["biz_id"],
                    "to": m["phone"][:3] + "****" + m["phone"][-4:],
                    "text": m["text"],
                    "status": m["status"],
                }
                for m in reversed(sent)
            ]


def _answer(code: str, message: str, status: int = 200, **extra: str) -> Response:
    body = {"Code": code, "Message": message, "RequestId": secrets.token_hex(8), **extra}
    return Response(
        json.dumps(body, ensure_ascii=False), status=status, content_type="application/json"
    )
