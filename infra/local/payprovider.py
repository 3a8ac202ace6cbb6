"""A local payment provider that behaves like the large Chinese ones (R9.3).

- An order API (``POST /local/pay/v3/orders``) and a query API
  (``GET /local/pay/v3/orders/<out_trade_no>``), authenticated by the merchant id.
- A pay page (``/local/pay/checkout/<order_id>``) where the candidate pays.
- Asynchronous notifications to the merchant's ``notify_url``: the body's
  ``resource`` is AES-256-GCM encrypted with the merchant's API key; the headers
  carry a timestamp, a nonce and an RSA-SHA256 signature over
  ``timestamp\\nnonce\\nbody\\n`` by the provider's private key. A delivery not
  answered ``{"code": "SUCCESS"}`` is retried on the providers' schedule (15 s …
  6 h), here scaled down by ``time_scale``.
- A daily statement (``GET /local/pay/v3/statements/<YYYY-MM-DD>``), CSV.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import secrets
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html import escape as html_escape
from typing import Any

import requests
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from werkzeug.wrappers import Request, Response

# seconds between deliveries of one notification, as the large providers publish them
RETRY_SCHEDULE = (0, 15, 15, 30, 180, 600, 1200, 1800, 1800, 1800, 3600, 10800, 10800, 21600)


@dataclass
class Order:
    order_id: str
    merchant_id: str
    out_trade_no: str
    amount: int  # fen
    description: str
    notify_url: str
    state: str = "NOTPAY"
    transaction_id: str | None = None
    success_time: str | None = None


@dataclass
class PaymentProvider:
    merchant_id: str = "1900000001"
    api_key: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    time_scale: float = 0.01  # 15 s → 0.15 s locally
    orders: dict[str, Order] = field(default_factory=dict)
    by_trade_no: dict[str, str] = field(default_factory=dict)
    deliveries: list[dict[str, Any]] = field(default_factory=list)  # every attempt, for tests

    def __post_init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.serial = uuid.uuid4().hex.upper()
        self.lock = threading.Lock()

    @property
    def public_key_pem(self) -> str:
        return (
            self.key.public_key()
            .public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            .decode()
        )

    # -- the merchant's API -------------------------------------------------------
    def __call__(self, request: Request) -> Response:
        parts = request.path.removeprefix("/local/pay/").split("/")
        if parts[:2] == ["v3", "orders"] and parts[3:] == ["close"] and request.method == "POST":
            return self._close(parts[2], request)
        if parts[:2] == ["v3", "orders"] and request.method == "POST":
            return self._create(request)
        if parts[:2] == ["v3", "orders"] and len(parts) == 3:
            return self._query(parts[2], request.args.get("mchid", ""))
        if parts[:2] == ["v3", "statements"] and len(parts) == 3:
            return Response(self.statement(parts[2]), mimetype="text/csv")
        if parts[0] == "checkout" and len(parts) == 2:
            return self._checkout(parts[1], request)
        return _json({"code": "NOT_FOUND", "message": "no such resource"}, 404)

    def _create(self, request: Request) -> Response:
        body = request.get_json(silent=True) or {}
        if body.get("mchid") != self.merchant_id:
            return _json({"code": "INVALID_REQUEST", "message": "mchid"}, 400)
        trade_no = str(body.get("out_trade_no", ""))
        with self.lock:
            if trade_no in self.by_trade_no:  # the same order again: the same answer
                order = self.orders[self.by_trade_no[trade_no]]
                if order.amount != int(body["amount"]["total"]):  # as the providers do
                    return _json(
                        {"code": "INVALID_REQUEST", "message": "订单金额与原订单不一致"}, 400
                    )
            else:
                order = Order(
                    order_id=uuid.uuid4().hex,
                    merchant_id=self.merchant_id,
                    out_trade_no=trade_no,
                    amount=int(body["amount"]["total"]),
                    description=str(body.get("description", "")),
                    notify_url=str(body["notify_url"]),
                )
                self.orders[order.order_id] = order
                self.by_trade_no[trade_no] = order.order_id
        return _json(
            {"order_id": order.order_id, "pay_url": f"/local/pay/checkout/{order.order_id}"}
        )

    def _close(self, trade_no: str, request: Request) -> Response:
        order = self.orders.get(self.by_trade_no.get(trade_no, ""))
        if order is None or (request.get_json(silent=True) or {}).get("mchid") != self.merchant_id:
            return _json({"code": "ORDER_NOT_EXIST", "message": "订单不存在"}, 404)
        with self.lock:
            if order.state == "NOTPAY":
                order.state = "CLOSED"
        if order.state != "CLOSED":
            return _json({"code": "ORDERPAID", "message": "订单已支付"}, 400)
        return Response(status=204)

    def _query(self, trade_no: str, merchant_id: str) -> Response:
        order = self.orders.get(self.by_trade_no.get(trade_no, ""))
        if order is None or merchant_id != self.merchant_id:
            return _json({"code": "ORDER_NOT_EXIST", "message": "订单不存在"}, 404)
        return _json(self._transaction(order))

    def _transaction(self, order: Order) -> dict[str, Any]:
        return {
            "mchid": order.merchant_id,
            "out_trade_no": order.out_trade_no,
            "transaction_id": order.transaction_id,
            "trade_state": order.state,
            "amount": {"total": order.amount, "currency": "CNY"},
            "success_time": order.success_time,
        }

    # -- the candidate's pay page ---------------------------------------------------
    def _checkout(self, order_id: str, request: Request) -> Response:
        order = self.orders.get(order_id)
        if order is None:
            return Response("订单不存在", status=404, mimetype="text/plain")
        if order.state == "CLOSED":
            return Response("订单已关闭", status=410, mimetype="text/plain")
        if request.method == "POST" and order.state == "NOTPAY":
            self.pay(order)
        back = html_escape(request.args.get("return", "/"), quote=True)
        yuan = f"¥{order.amount / 100:.2f}"
        if order.state == "SUCCESS":
            html = f"<p id=paid>支付成功：{yuan}</p><a id=back href='{back}'>返回</a>"
        else:
            html = (
                f"<h1>本地支付（演示）</h1><p>{html_escape(order.description)}</p>"
                f"<p id=amount>应付金额：{yuan}</p>"
                f"<form method=post><button id=pay>确认支付</button></form>"
            )
        head = "<!doctype html><html lang=zh-CN><meta charset=utf-8><title>本地支付</title>"
        page = f"{head}{html}</html>"
        return Response(page, mimetype="text/html")

    def pay(self, order: Order) -> dict[str, Any]:
        """The payer paid: record it and start delivering the notification."""
        notice = self.notification(self.settle(order))
        threading.Thread(target=self._deliver, args=(order.notify_url, notice), daemon=True).start()
        return notice

    def settle(self, order: Order) -> Order:
        """The payment succeeds at the provider (no notification sent: ``pay`` sends it)."""
        with self.lock:
            order.state = "SUCCESS"
            order.transaction_id = "42" + secrets.token_hex(13)
            order.success_time = datetime.now(UTC).isoformat(timespec="seconds")
        return order

    def order(self, out_trade_no: str) -> Order:
        return self.orders[self.by_trade_no[out_trade_no]]

    # -- notifications -----------------------------------------------------------------
    def notification(self, order: Order, **changes: Any) -> dict[str, Any]:
        """The signed, encrypted notification of ``order`` (``changes`` alter the resource,
        for tests of what a forged one does)."""
        resource = {**self._transaction(order), **changes}
        nonce = secrets.token_hex(6)
        aad = "transaction"
        sealed = AESGCM(self.api_key).encrypt(
            nonce.encode(), json.dumps(resource).encode(), aad.encode()
        )
        body = json.dumps(
            {
                "id": str(uuid.uuid4()),
                "create_time": datetime.now(UTC).isoformat(timespec="seconds"),
                "event_type": "TRANSACTION.SUCCESS",
                "resource_type": "encrypt-resource",
                "resource": {
                    "algorithm": "AEAD_AES_256_GCM",
                    "ciphertext": base64.b64encode(sealed).decode(),
                    "nonce": nonce,
                    "associated_data": aad,
                },
            },
            ensure_ascii=False,
        )
        return {"body": body, "headers": self.sign(body)}

    def sign(self, body: str, timestamp: int | None = None) -> dict[str, str]:
        ts = str(timestamp if timestamp is not None else int(time.time()))
        nonce = secrets.token_hex(16)
        message = f"{ts}\n{nonce}\n{body}\n".encode()
        signature = self.key.sign(message, padding.PKCS1v15(), hashes.SHA256())
        return {
            "Wechatpay-Timestamp": ts,
            "Wechatpay-Nonce": nonce,
            "Wechatpay-Signature": base64.b64encode(signature).decode(),
            "Wechatpay-Serial": self.serial,
            "Content-Type": "application/json",
        }

    def _deliver(self, url: str, notice: dict[str, Any]) -> None:
        for wait in RETRY_SCHEDULE:
            time.sleep(wait * self.time_scale)
            try:
                r = requests.post(
                    url, data=notice["body"].encode(), headers=notice["headers"], timeout=10
                )
                ok = r.status_code == 200 and r.json().get("code") == "SUCCESS"
            except (requests.RequestException, ValueError):
                ok = False
            self.deliveries.append({"url": url, "ok": ok, "at": time.time()})
            if ok:
                return

    # -- the daily statement ------------------------------------------------------------
    def statement(self, day: str) -> str:
        """Every successful transaction of ``day`` (UTC), as the providers' bill CSV."""
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(
            ["交易时间", "商户号", "微信支付订单号", "商户订单号", "交易状态", "订单金额（分）"]
        )
        for o in self.orders.values():
            if o.state == "SUCCESS" and (o.success_time or "").startswith(day):
                writer.writerow(
                    [
                        o.success_time,
                        o.merchant_id,
                        o.transaction_id,
                        o.out_trade_no,
                        "SUCCESS",
                        o.amount,
                    ]
                )
        return out.getvalue()


def _json(body: Any, status: int = 200) -> Response:
    return Response(
        json.dumps(body, ensure_ascii=False), status=status, mimetype="application/json"
    )
