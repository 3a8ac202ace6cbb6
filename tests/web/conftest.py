"""Headless Chromium (Debian's package) for the web tests, and where screenshots go."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


# What a page said went wrong, for every page of every web test (issue 14: no console error
# and no unhandled rejection in any flow). A failed request's own line ("Failed to load
# resource: … 422") is the network's report of an answer the page shows; it is not counted.
PAGE_ERRORS: list[str] = []


class _Watched:
    """The browser, each new page watched for console errors and uncaught exceptions."""

    def __init__(self, chromium: Any) -> None:
        self._chromium = chromium

    def new_page(self, **options: Any) -> Any:
        page = self._chromium.new_page(**options)
        page.on("pageerror", lambda error: PAGE_ERRORS.append(f"{page.url}: {error}"))
        page.on(
            "console",
            lambda m: (
                PAGE_ERRORS.append(f"{page.url}: {m.text}")
                if m.type == "error" and not m.text.startswith("Failed to load resource")
                else None
            ),
        )
        return page

    def __getattr__(self, name: str) -> Any:
        return getattr(self._chromium, name)


@pytest.fixture(autouse=True)
def no_page_errors() -> Iterator[None]:
    PAGE_ERRORS.clear()
    yield
    assert PAGE_ERRORS == []


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("ZHAOKAO_SKIP_WEB") == "1":
            pytest.skip("ZHAOKAO_SKIP_WEB=1 and no Chromium")
        pytest.fail("Chromium is missing: `make test` installs it (infra/install-chromium.sh)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield _Watched(chromium)
        chromium.close()
