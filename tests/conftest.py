"""Shared fixtures: one local cloud for the session, API helpers, a log capture for R17.2."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from typing import Any

import pytest

from tests.standalone import STANDALONE
from tests.support import ANSWERS, CAPTURE, PERSONAL, TIERS, Api, watch_service_loggers

os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")
os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "INFO")


def pytest_configure(config: pytest.Config) -> None:
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # access lines: paths only
    logging.getLogger().addHandler(CAPTURE)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests marked ``last`` run after all others (they read what the others left); the
    standalone runs of the tests collected start now, beside the suite, and their tests run
    just before the last ones, by when the runs are done or nearly."""
    items.sort(key=_order)
    STANDALONE.start([m.args[0] for i in items for m in i.iter_markers("standalone")])
    TIERS.update(_tier(item) for item in items)


def _tier(item: pytest.Item) -> str:
    if item.get_closest_marker("standalone") is not None:
        return "standalone"
    folder = item.path.parent.name
    return folder if folder in ("unit", "integration", "web") else "integration"


def _order(item: pytest.Item) -> int:
    if item.get_closest_marker("last") is not None:
        return 2
    return 1 if item.get_closest_marker("standalone") is not None else 0


def pytest_sessionfinish() -> None:
    STANDALONE.stop()


@pytest.fixture(scope="session")
def cloud() -> Iterator[Any]:
    from infra.local.cloud import LocalCloud
    from infra.local.demo import seed

    local = LocalCloud(moto_port=0, port=0).start()
    local.demo = seed(local, roster_size=120)  # 60+ are for tests that need a fresh graduate
    for name in local.stack.functions:  # load every handler, as Lambda would at init
        local.runtime.warm(name)
    watch_service_loggers()
    ANSWERS.watch(local.front)
    for g in local.demo["graduates"]:
        PERSONAL.add(g.id_number)
    yield local
    local.stop()


@pytest.fixture(scope="session")
def api(cloud: Any) -> Api:
    return Api(cloud.url, cloud.edge_secret)


_phones = iter(range(13900000000, 13999999999, 7919))


@pytest.fixture
def phone() -> str:
    """A fresh phone number for each test (codes are limited per phone)."""
    number = str(next(_phones))
    PERSONAL.add(number)
    return number
