"""Registration speed (R3, R17.1).

1. AWS calls of one registration (every service, counted through botocore), and the
   items of its transaction: one transaction, no account service (ADR 8).
2. Framework CPU per request, in-process: the resolver, validation and error mapping
   around a stubbed domain call (what every request pays besides its own I/O).
3. Registrations per second through the local cloud's HTTP front, concurrently.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import random
import statistics
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, nullcontext
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


_phones = itertools.count(0)
_ids: set[str] = set()
_rng = random.Random(11)


def fresh_phone() -> str:
    """A phone no other bench of this process uses, unique in its masked form too (the
    outbox shows 139****1234), so no request fails because of the bench's own data."""
    n = next(_phones)
    return f"1{3 + n // 10_000 % 7}7{n % 10_000 * 7919 % 10_000:04d}{n % 10_000:04d}"


def fresh_id() -> str:
    while True:
        number = id_number(_rng, "640104")
        if number not in _ids:
            _ids.add(number)
            return number


_viewers = itertools.count(1)


def codes(cloud: Any, phones: list[str]) -> dict[str, str]:
    """A registration code for each phone, read from the SMS gateway's own record."""
    import re

    for phone in phones:  # each from a viewer of its own, as the CDN forwards it (R17.4)
        n = next(_viewers)
        viewer = f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"
        forwarded = {"X-Zhaokao-Edge": cloud.edge_secret, "X-Forwarded-For": viewer}
        r = requests.post(
            f"{cloud.url}/v1/seasons/{NINGXIA}/otp",
            json={"phone": phone},
            headers=forwarded,
            timeout=30,
        )
        r.raise_for_status()
    wanted, found = set(phones), {}
    for message in reversed(cloud.sms.sent):
        code = re.search(r"验证码为?(\d{6})", message["text"])
        if message["phone"] in wanted and code:
            found.setdefault(message["phone"], code[1])
    return found


def _form(phone: str, number: str, code: str) -> dict[str, Any]:
    return {
        "name": "马丽",
        "id_number": number,
        "phone": phone,
        "otp": code,
        "password": "abc12345",
        "pledge": True,
        "county_code": "640104",
    }


def aws_calls(cloud: Any) -> dict[str, Any]:
    phone, number = fresh_phone(), fresh_id()
    code = codes(cloud, [phone])[phone]
    base = cloud.url
    requests.get(f"{base}/v1/seasons/{NINGXIA}", timeout=30)  # the season is read and cached
    with counting_aws() as (calls, items):
        r = requests.post(
            f"{base}/v1/seasons/{NINGXIA}/registrations",
            json=_form(phone, number, code),
            timeout=30,
        )
    assert r.status_code == 201, r.text
    return {"calls": dict(calls), "total": sum(calls.values()), "transaction_items": items}


def quiet_cloud() -> Any:
    """A local cloud of its own, as ``make run`` starts one, every handler loaded, its
    servers' and functions' lines kept off the figures (stdout)."""
    import contextlib

    from infra.local.cloud import LocalCloud

    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # the servers' access lines
    null = open(os.devnull, "w")  # noqa: SIM115 - the loggers keep writing to it
    with contextlib.redirect_stdout(null):
        cloud = LocalCloud(moto_port=0, port=0).start()  # its loggers write to devnull
        for name in cloud.stack.functions:
            cloud.runtime.warm(name)
    return cloud


@contextmanager
def quiet_logs(*names: str):
    """Each request's log line is still formatted (its cost counts) but not shown; with no
    names, every logger's (the functions' JSON lines and the local servers' access lines)."""
    loggers = [logging.getLogger(n) for n in names] or [
        logging.getLogger(n) for n in list(logging.root.manager.loggerDict)
    ]
    handlers = [
        h
        for logger in loggers
        for h in logger.handlers
        if isinstance(h, logging.StreamHandler) and not isinstance(h, logging.FileHandler)
    ]
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


def registrations(cloud: Any, count: int, clients: int = 8, stub_hash: bool = False) -> dict:
    """``count`` registrations through the local HTTP front by ``clients`` at once; with
    ``stub_hash`` the argon2id hash is replaced (the emulator's own rate)."""
    people = [(fresh_phone(), fresh_id()) for _ in range(count)]
    sent = codes(cloud, [p for p, _ in people])
    session = requests.Session()
    session.mount("http://", requests.adapters.HTTPAdapter(pool_maxsize=clients))
    latencies: list[float] = []

    def one(person: tuple[str, str]) -> int:
        phone, number = person
        start = time.perf_counter()
        status = session.post(
            f"{cloud.url}/v1/seasons/{NINGXIA}/registrations",
            json=_form(phone, number, sent[phone]),
            timeout=120,
        ).status_code
        latencies.append(time.perf_counter() - start)
        return status

    stub = mock.patch("zhaokao.domain.registration.hash_password", lambda p: "$stub$" + p)
    with stub if stub_hash else nullcontext(), ThreadPoolExecutor(max_workers=clients) as pool:
        start = time.perf_counter()
        statuses = Counter(pool.map(one, people))
        seconds = time.perf_counter() - start
    latencies.sort()
    return {
        "requests": count,
        "clients": clients,
        "seconds": seconds,
        "per_second": count / seconds,
        "created": statuses.get(201, 0),
        "statuses": dict(statuses),
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[max(0, int(len(latencies) * 0.99) - 1)] * 1000,
    }


def stored_candidates() -> int:
    """How many candidates the local cloud holds (every figure says what it ran against)."""
    from moto.dynamodb.models import dynamodb_backends

    return len(dynamodb_backends["123456789012"]["us-east-1"].tables["CandidatesTable"].items)


def main(cloud: Any, count: int = 200) -> dict[str, Any]:
    calls = aws_calls(cloud)
    print(
        f"registration: {calls['total']} AWS calls {calls['calls']}, "
        f"transaction items {calls['transaction_items']}"
    )
    cpu = framework_cpu()
    print(
        f"registration: framework CPU {cpu['cpu_ms_per_request']:.2f} ms/request in-process "
        f"({cpu['requests']} requests, domain stubbed)"
    )
    rate = registrations(cloud, count)
    print(
        f"registration: {rate['per_second']:.1f} registrations/s through the local HTTP front, "
        f"{rate['clients']} clients, {stored_candidates():,} candidates stored; statuses "
        f"{rate['statuses']}, p50 {rate['p50_ms']:.0f} ms, p99 {rate['p99_ms']:.0f} ms"
    )
    return {"calls": calls, "cpu": cpu, "rate": rate}
