"""Shared fixtures: one local cloud for the session, API helpers, a log capture for R17.2."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator
from typing import Any

import pytest
import requests

os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")
os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "INFO")

SERVICE_LOGGERS = ("register", "review", "admit", "roster-import", "zhaokao.local")


class Capture(logging.Handler):
    """Keeps every log line of the session, formatted as shipped (JSON for powertools)."""

    def __init__(self) -> None:
        super().__init__(level=logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.lines.append(self.format(record))
        except Exception:  # a formatting failure must not hide the rest
            self.lines.append(str(record.msg))


CAPTURE = Capture()
# Every ID number and phone a test uses, so the last test can look for them in the logs.
PERSONAL: set[str] = set()


def pytest_configure(config: pytest.Config) -> None:
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # access lines: paths only
    logging.getLogger().addHandler(CAPTURE)
    for name in SERVICE_LOGGERS:
        logging.getLogger(name).addHandler(CAPTURE)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests marked ``last`` run after all others (they read what the others left)."""
    items.sort(key=lambda item: item.get_closest_marker("last") is not None)


@pytest.fixture(scope="session")
def cloud() -> Iterator[Any]:
    from infra.local.cloud import LocalCloud
    from infra.local.demo import seed

    local = LocalCloud(moto_port=0, port=0).start()
    local.demo = seed(local)
    for g in local.demo["graduates"]:
        PERSONAL.add(g.id_number)
    yield local
    local.stop()


class Api:
    """A thin client of the local cloud's HTTP front."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.http = requests.Session()

    def call(self, method: str, path: str, token: str | None = None, **kw: Any) -> requests.Response:
        headers = kw.pop("headers", {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return self.http.request(method, self.base + path, headers=headers, timeout=30, **kw)

    def get(self, path: str, token: str | None = None, **kw: Any) -> requests.Response:
        return self.call("GET", path, token, **kw)

    def post(self, path: str, token: str | None = None, **kw: Any) -> requests.Response:
        return self.call("POST", path, token, **kw)

    def put(self, path: str, token: str | None = None, **kw: Any) -> requests.Response:
        return self.call("PUT", path, token, **kw)

    def staff_token(self, username: str) -> str:
        from infra.local.demo import STAFF_PASSWORD

        r = self.post("/v1/auth/staff-token", json={"username": username, "password": STAFF_PASSWORD})
        assert r.status_code == 200, r.text
        return str(r.json()["id_token"])

    def last_code(self, phone: str) -> str:
        masked = phone[:3] + "****" + phone[-4:]
        for sms in self.get("/local/outbox").json():
            if sms["to"] == masked:
                return re.search(r"验证码(\d{6})", sms["text"])[1]  # type: ignore[index]
        raise AssertionError(f"no code sent to {masked}")


@pytest.fixture(scope="session")
def api(cloud: Any) -> Api:
    return Api(cloud.url)


_phones = iter(range(13900000000, 13999999999, 7919))


@pytest.fixture
def phone() -> str:
    """A fresh phone number for each test (codes are limited per phone)."""
    number = str(next(_phones))
    PERSONAL.add(number)
    return number
