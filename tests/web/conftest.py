"""Headless Chromium (Debian's package) for the web tests, and where screenshots go."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests import support

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


# What a page said went wrong, for every page of every web test (issue 14: no console error
# and no unhandled rejection in any flow). A failed request's own line ("Failed to load
# resource: … 422") is the network's report of an answer the page shows; it is not counted.
PAGE_ERRORS: list[str] = []


class _Watched:
    """The browser, each new page watched for console errors and uncaught exceptions, and
    kept to check at the test's end that it does not scroll sideways."""

    def __init__(self, chromium: Any) -> None:
        self._chromium = chromium
        self.pages: list[Any] = []

    def new_page(self, **options: Any) -> Any:
        page = self._chromium.new_page(**options)
        self.pages.append(page)
        if support.SIZE == "phone":  # the phone run of a flow keeps its own screenshots
            shoot = page.screenshot
            page.screenshot = lambda path, **kw: shoot(
                path=path.replace(".png", "-phone.png"), **kw
            )
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


INTERNAL = re.compile(r"\bR\d+\.\d+\b|\b[a-z]+(?:_[a-z]+)+\b")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A module marked ``both_sizes`` runs each of its flows on a desktop (1366 wide) and on
    a phone (390×844): issue 14, phones first."""
    if metafunc.definition.get_closest_marker("both_sizes"):
        metafunc.parametrize("size", list(support.SIZES), indirect=True)


@pytest.fixture(autouse=True)
def size(request: pytest.FixtureRequest, browser: Any) -> Iterator[str]:
    """The viewport open_page gives this test's pages; at its end, none scrolls sideways and
    none shows a requirement id (R5.1) or an internal code (xuexin_record, awaiting_approval)."""
    support.SIZE = getattr(request, "param", "desktop")
    browser.pages.clear()
    yield support.SIZE
    support.SIZE = "desktop"
    for page in browser.pages:
        if not page.is_closed():
            wide, room = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
            assert wide <= room, f"{page.url} scrolls sideways: {wide} px in {room}"
            shown = page.evaluate("document.body.innerText")
            assert not INTERNAL.findall(shown), f"{page.url} shows {INTERNAL.findall(shown)}"


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
