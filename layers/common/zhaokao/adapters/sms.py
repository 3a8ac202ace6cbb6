"""Text messages (R3.3, R16.2, R17.5): a domestic SMS gateway, or SNS in global regions.

The gateway is shaped after the large Chinese ones: ``POST {base}/sms/send`` with the
signature (签名), the approved template's code and its parameters as JSON, the request
signed with the account's key (HMAC-SHA256 over method, path, timestamp, nonce and the
body's digest). It answers a code: ``OK``, or why not — rate limited for that number,
an invalid number, a template or signature not approved. Delivery receipts come back
later to ``POST /v1/sms/receipts``, signed the same way with the callback key.
The credentials are a Secrets Manager secret (``settings.sms_secret``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from secrets import token_hex  # (our own .secrets is Secrets Manager)

from ..domain.credentials import same_secret
from ..domain.errors import InvalidField, TooManyRequests, Unauthenticated, Unavailable
from ..domain.identity import ascii_digits
from ..domain.sms import Message
from ..settings import settings
from . import secrets
from .clients import client

# The gateway's answer codes, and what each means to the one who asked for the message.
RATE_LIMITED = {"isv.BUSINESS_LIMIT_CONTROL", "isv.DAY_LIMIT_CONTROL"}
BAD_NUMBER = {"isv.MOBILE_NUMBER_ILLEGAL", "isv.MOBILE_COUNT_OVER_LIMIT"}


def send(phone: str, message: Message, out_id: str) -> str:
    """Send one message (``out_id`` is ours, named again by its receipt); returns the
    gateway's id. Raises a domain error naming what the gateway refused."""
    if settings().sms_provider == "sns":
        reply = client("sns").publish(
            PhoneNumber=f"+86{phone}",
            Message=message.text,
            MessageAttributes={
                "AWS.SNS.SMS.SMSType": {"DataType": "String", "StringValue": "Transactional"}
            },
        )
        return str(reply["MessageId"])
    body = {
        "PhoneNumbers": phone,
        "SignName": message.signature,
        "TemplateCode": message.template_code,
        "TemplateParam": json.dumps(message.params, ensure_ascii=False),
        "OutId": out_id,
    }
    answer = _post("/sms/send", body)
    code = answer.get("Code")
    if code == "OK":
        return str(answer["BizId"])
    if code in RATE_LIMITED:
        raise TooManyRequests("短信发送过于频繁，请稍后再试", "phone", code="sms_rate_limited")
    if code in BAD_NUMBER:
        raise InvalidField("手机号码无效，无法接收短信", "phone", code="sms_bad_number")
    raise Unavailable(f"短信服务暂不可用（{code}），请稍后再试", code="sms_unavailable")


def _post(path: str, body: dict[str, str]) -> dict[str, str]:
    credentials = secrets.read(settings().sms_secret)
    data = json.dumps(body, ensure_ascii=False).encode()
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        **signed_headers(
            credentials["access_key_id"], credentials["access_key_secret"], "POST", path, data
        ),
    }
    url = settings().sms_gateway_url.rstrip("/") + path
    request = urllib.request.Request(url, data=data, method="POST", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return dict(json.loads(response.read()))
    except urllib.error.HTTPError as exc:  # the gateway answers errors with a JSON code too
        try:
            return dict(json.loads(exc.read()))
        except ValueError:
            raise Unavailable(f"短信服务暂不可用（HTTP {exc.code}），请稍后再试") from None
    except (urllib.error.URLError, TimeoutError):
        raise Unavailable("短信服务暂不可用，请稍后再试") from None


def signature(key: str, method: str, path: str, timestamp: str, nonce: str, body: bytes) -> str:
    digest = hashlib.sha256(body).hexdigest()
    text = f"{method}\n{path}\n{timestamp}\n{nonce}\n{digest}"
    return base64.b64encode(hmac.new(key.encode(), text.encode(), hashlib.sha256).digest()).decode()


def signed_headers(key_id: str, key: str, method: str, path: str, body: bytes) -> dict[str, str]:
    timestamp, nonce = str(int(time.time())), token_hex(8)
    return {
        "X-Sms-AccessKeyId": key_id,
        "X-Sms-Timestamp": timestamp,
        "X-Sms-Nonce": nonce,
        "X-Sms-Signature": signature(key, method, path, timestamp, nonce, body),
    }


def verify_receipts(headers: dict[str, str], path: str, body: bytes) -> list[dict[str, object]]:
    """The gateway's delivery receipts, once their signature and time are checked."""
    h = {k.lower(): v for k, v in headers.items()}
    key = secrets.read(settings().sms_secret).get("callback_key", "")
    timestamp, nonce = h.get("x-sms-timestamp", ""), h.get("x-sms-nonce", "")
    expected = signature(key, "POST", path, timestamp, nonce, body)
    fresh = ascii_digits(timestamp) and abs(time.time() - int(timestamp)) <= 300
    if not key or not fresh or not same_secret(h.get("x-sms-signature", ""), expected):
        raise Unauthenticated("回执签名无效", code="bad_signature")
    receipts = json.loads(body)
    if not isinstance(receipts, list):
        raise InvalidField("回执格式不正确", code="bad_receipts")
    return receipts
