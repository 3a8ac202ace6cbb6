"""Registration speed (R3, R17.1).

1. AWS calls of one registration (every service, counted through botocore), and the
   items of its transaction: one transaction, no account service (ADR 8).
2. Framework CPU per request, in-process: the resolver, validation and error mapping
   around a stubbed domain call (what every request pays besides its own I/O).
3. Registrations per second through the local cloud's HTTP front, concurrently.
"""

from __future__ import annotations

import json
import logging
import os
import random
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any
from unittest import mock

import requests

from infra.local.demo import id_number

NINGXIA = "ningxia-adult-2023"


@contextmanager
def counting_aws():
    """Count every AWS call made through botocore (PynamoDB's included), by operation —
    DynamoDB's bare (``GetItem``), any other service's named (``secretsmanager:…``) — and
    the items of each transaction. Counted: this thread's calls and those of the requests
    the local front serves, but not the queue pollers' (Lambda's event-source mapping) nor
    the SMS gateway's receipts arriving meanwhile."""
    from botocore.client import BaseClient

    calls: Counter[str] = Counter()
    items: list[int] = []
    original = BaseClient._make_api_call
    me = threading.current_thread()

    def measured() -> bool:
        thread = threading.current_thread()
        name = thread.name
        return thread is me or (name.startswith("front:") and "/v1/sms/receipts" not in name)

    def counted(self: Any, operation: str, params: dict[str, Any]) -> Any:
        if not measured():
            return original(self, operation, params)
        service = self.meta.service_model.endpoint_prefix
        calls[operation if service == "dynamodb" else f"{service}:{operation}"] += 1
        if operation == "TransactWriteItems":
            items.append(len(params["TransactItems"]))
        return original(self, operation, params)

    with mock.patch.object(BaseClient, "_make_api_call", counted):
        yield calls, items


def token_for(subject: str, role: str, season: str | None = None, unit: str | None = None) -> str:
    """An access token as sign-in issues it, for accounts a bench made in storage (the
    benches measure other routes, not the password hash or the second factor)."""
    from datetime import UTC, datetime

    from zhaokao.adapters import keys
    from zhaokao.domain.auth import Account, access_claims
    from zhaokao.settings import settings

    claims = access_claims(
        Account(subject, role, season, unit), settings().public_api_url, datetime.now(UTC)
    )
    return keys.sign(claims)


def _codes(base: str, phones: list[str]) -> dict[str, str]:
    import re

    for phone in phones:
        r = requests.post(f"{base}/v1/seasons/{NINGXIA}/otp", json={"phone": phone}, timeout=30)
        r.raise_for_status()
    codes = {}
    for sms in requests.get(f"{base}/local/outbox", timeout=30).json():
        found = re.search(r"验证码为?(\d{6})", sms["text"])  # other messages: review notices
        if found:
            codes.setdefault(sms["to"], found[1])
    return {p: codes[p[:3] + "****" + p[-4:]] for p in phones}


def _people(count: int, seed: int) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    phones = [f"1{rng.choice('3456789')}{rng.randint(0, 10**9 - 1):09d}" for _ in range(count)]
    return [(phone, id_number(rng, "640104")) for phone in dict.fromkeys(phones)]


def _form(phone: str, number: str, code: str) -> dict[str, Any]:
    return {
        "name": "马丽",
        "id_number": number,
        "phone": phone,
        "otp": code,
        "password": "abc12345",
        "county_code": "640104",
    }


def aws_calls(base: str) -> dict[str, Any]:
    ((phone, number),) = _people(1, seed=int(time.time()))
    code = _codes(base, [phone])[phone]
    requests.get(f"{base}/v1/seasons/{NINGXIA}", timeout=30)  # the season is read and cached
    with counting_aws() as (calls, items):
        r = requests.post(
            f"{base}/v1/seasons/{NINGXIA}/registrations",
            json=_form(phone, number, code),
            timeout=30,
        )
    assert r.status_code == 201, r.text
    return {"calls": dict(calls), "total": sum(calls.values()), "transaction_items": items}


@contextmanager
def quiet_logs(name: str):
    """Each request's log line is still formatted (its cost counts) but not shown."""
    handlers = [h for h in logging.getLogger(name).handlers if isinstance(h, logging.StreamHandler)]
    with open(os.devnull, "w") as null:
        previous = [h.setStream(null) for h in handlers]
        try:
            yield
        finally:
            for handler, stream in zip(handlers, previous, strict=True):
                handler.setStream(stream)


def framework_cpu(requests_count: int = 2000) -> dict[str, float]:
    """CPU of the resolver around a stubbed use case, per request."""
    from functions.register import app as register
    from infra.local.runtime import Context

    body = json.dumps(_form("13800138000", "11010519491231002X", "123456"))
    event = {
        "version": "2.0",
        "routeKey": "POST /v1/seasons/{season_id}/registrations",
        "rawPath": f"/v1/seasons/{NINGXIA}/registrations",
        "rawQueryString": "",
        "headers": {"content-type": "application/json"},
        "body": body,
        "isBase64Encoded": False,
        "pathParameters": {"season_id": NINGXIA},
        "requestContext": {
            "http": {
                "method": "POST",
                "path": f"/v1/seasons/{NINGXIA}/registrations",
                "sourceIp": "127.0.0.1",
                "protocol": "HTTP/1.1",
                "userAgent": "b",
            },
            "stage": "$default",
            "requestId": "r",
            "routeKey": "POST /v1/seasons/{season_id}/registrations",
        },
    }
    result = {"candidate_id": "0" * 32, "status": "registered"}
    context = Context("RegisterFunction", 10)
    with (
        quiet_logs("register"),
        mock.patch.object(register.registration, "register", return_value=result),
    ):
        assert register.handler(event, context)["statusCode"] == 201
        start = time.process_time()
        for _ in range(requests_count):
            register.handler(event, context)
        cpu = time.process_time() - start
    return {"requests": requests_count, "cpu_ms_per_request": cpu / requests_count * 1000}


def throughput(base: str, count: int = 200, workers: int = 8) -> dict[str, float]:
    people = _people(count, seed=int(time.time() * 1000))
    codes = _codes(base, [p for p, _ in people])
    session = requests.Session()
    adapter = requests.adapters.HTTPAdapter(pool_maxsize=workers)
    session.mount("http://", adapter)

    def one(person: tuple[str, str]) -> int:
        phone, number = person
        url = f"{base}/v1/seasons/{NINGXIA}/registrations"
        return session.post(url, json=_form(phone, number, codes[phone]), timeout=60).status_code

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        statuses = Counter(pool.map(one, people))
    seconds = time.perf_counter() - start
    return {
        "requests": len(people),
        "seconds": seconds,
        "per_second": len(people) / seconds,
        "created": statuses.get(201, 0),
        "statuses": dict(statuses),
    }


def main(cloud: Any, count: int = 200) -> dict[str, Any]:
    calls = aws_calls(cloud.url)
    print(
        f"registration: {calls['total']} AWS calls {calls['calls']}, "
        f"transaction items {calls['transaction_items']}"
    )
    cpu = framework_cpu()
    print(
        f"registration: framework CPU {cpu['cpu_ms_per_request']:.2f} ms/request in-process "
        f"({cpu['requests']} requests, domain stubbed)"
    )
    rate = throughput(cloud.url, count)
    print(
        f"registration: {rate['per_second']:.1f} registrations/s through the local HTTP front "
        f"({rate['created']}/{rate['requests']} created in {rate['seconds']:.1f} s, 8 clients)"
    )
    return {"calls": calls, "cpu": cpu, "rate": rate}
