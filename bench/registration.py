"""Registration speed (R3, R17.1).

1. DynamoDB calls of one registration, by operation, and the items of its transaction.
2. Framework CPU per request, in-process: the resolver, validation and error mapping
   around a stubbed domain call (what every request pays besides its own I/O).
3. Registrations per second through the local cloud's HTTP front, concurrently.
"""

from __future__ import annotations

import json
import logging
import os
import random
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
def counting_dynamodb():
    """Count every DynamoDB call PynamoDB makes, and the items of each transaction."""
    from pynamodb.connection.base import Connection

    calls: Counter[str] = Counter()
    items: list[int] = []
    original = Connection._make_api_call

    def counted(self: Any, operation: str, data: dict[str, Any], **kw: Any) -> Any:
        calls[operation] += 1
        if operation == "TransactWriteItems":
            items.append(len(data["TransactItems"]))
        return original(self, operation, data, **kw)

    with mock.patch.object(Connection, "_make_api_call", counted):
        yield calls, items


def _codes(base: str, phones: list[str]) -> dict[str, str]:
    import re

    for phone in phones:
        r = requests.post(f"{base}/v1/seasons/{NINGXIA}/otp", json={"phone": phone}, timeout=30)
        r.raise_for_status()
    codes = {}
    for sms in requests.get(f"{base}/local/outbox", timeout=30).json():
        found = re.search(r"验证码(\d{6})", sms["text"])  # other messages: review notices
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


def dynamodb_calls(base: str) -> dict[str, Any]:
    ((phone, number),) = _people(1, seed=int(time.time()))
    code = _codes(base, [phone])[phone]
    with counting_dynamodb() as (calls, items):
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
    calls = dynamodb_calls(cloud.url)
    print(
        f"registration: {calls['total']} DynamoDB calls {calls['calls']}, "
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
