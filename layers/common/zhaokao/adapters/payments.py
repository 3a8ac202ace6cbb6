"""The payment provider (R9.3): orders, queries, statements, and notifications verified.

Shaped after the large Chinese providers' v3 APIs: a notification's headers carry a
timestamp, a nonce and an RSA-SHA256 signature over ``timestamp\\nnonce\\nbody\\n``;
its ``resource`` is AES-256-GCM encrypted with the merchant's API key.
"""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request
from typing import Any

from ..domain.errors import Forbidden
from ..settings import settings
from . import secrets


def _call(method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    url = settings().pay_base_url.rstrip("/") + path
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        url, data=data, method=method, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            raw = response.read().decode()
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            return None
        raise
    return json.loads(raw) if raw.lstrip().startswith(("{", "[")) else raw


def merchant() -> dict[str, str]:
    """The merchant's account at the provider (R17.5: a Secrets Manager secret):
    ``merchant_id``, ``api_key`` (base64 of 32 bytes), ``provider_public_key`` (PEM)."""
    return {k: str(v) for k, v in secrets.read(settings().payment_secret).items()}


def merchant_id() -> str:
    return merchant()["merchant_id"]


def create_order(out_trade_no: str, amount_fen: int, description: str) -> dict[str, Any]:
    s = settings()
    order = _call(
        "POST",
        "/v3/orders",
        {
            "mchid": merchant_id(),
            "out_trade_no": out_trade_no,
            "description": description,
            "amount": {"total": amount_fen, "currency": "CNY"},
            "notify_url": s.public_api_url.rstrip("/") + "/v1/payments/notify",
        },
    )
    return dict(order)


def query_order(out_trade_no: str) -> dict[str, Any] | None:
    found = _call("GET", f"/v3/orders/{out_trade_no}?mchid={merchant_id()}")
    return dict(found) if found else None


def close_order(out_trade_no: str) -> None:
    """An unpaid order closed: the provider refuses to take payment on it from now on. One
    paid meanwhile stays paid: its notification comes and is kept as a payment to refund."""
    try:
        _call("POST", f"/v3/orders/{out_trade_no}/close", {"mchid": merchant_id()})
    except urllib.error.HTTPError as exc:
        if exc.code != 400:  # 400: already paid
            raise


def statement(day: str) -> str:
    return str(_call("GET", f"/v3/statements/{day}") or "")


def verify(headers: dict[str, str], body: str) -> dict[str, Any]:
    """The decrypted resource of an authentic notification; Forbidden otherwise."""
    # cryptography's RSA and AES-GCM load here, on the notify path only (cold start)
    from cryptography.exceptions import InvalidSignature, InvalidTag
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding

    h = {k.lower(): v for k, v in headers.items()}
    try:
        message = f"{h['wechatpay-timestamp']}\n{h['wechatpay-nonce']}\n{body}\n".encode()
        signature = base64.b64decode(h["wechatpay-signature"])
        key = serialization.load_pem_public_key(merchant()["provider_public_key"].encode())
        key.verify(signature, message, padding.PKCS1v15(), hashes.SHA256())  # type: ignore[union-attr, call-arg, arg-type]
    except (KeyError, ValueError, InvalidSignature):
        raise Forbidden("通知签名无效", "signature", code="bad_signature") from None
    try:
        resource = json.loads(body)["resource"]
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        plain = AESGCM(base64.b64decode(merchant()["api_key"])).decrypt(
            resource["nonce"].encode(),
            base64.b64decode(resource["ciphertext"]),
            resource.get("associated_data", "").encode(),
        )
        return dict(json.loads(plain))
    except (KeyError, ValueError, TypeError, InvalidTag):
        raise Forbidden("通知内容无法解密", "resource", code="bad_resource") from None
