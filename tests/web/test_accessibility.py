"""Issue 14: axe-core on every page of the web client, as a candidate, a reviewer, an
operator and the public meet it — no serious or critical violation, at both sizes."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.support import open_page, staff_sign_in

pytestmark = pytest.mark.web
PAGES = ["/", "/notice.html", "/review.html", "/exam.html", "/admission.html", "/verify.html"]


def serious(page: Any) -> list[str]:
    found = Axe().run(page).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in found
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("width", [1366, 390])
def test_every_page_has_no_serious_violation(browser: Any, cloud: Any, width: int) -> None:
    problems = {}
    for path in PAGES:
        page = open_page(browser, cloud, path)
        page.set_viewport_size({"width": width, "height": 900})
        problems[path] = serious(page)
        wide = page.evaluate("document.documentElement.scrollWidth")
        if wide > width:  # a phone never scrolls sideways
            problems[path].append(f"{wide} px wide at {width}")
        page.close()
    assert problems == {path: [] for path in PAGES}, problems


def test_signed_in_pages_have_no_serious_violation(browser: Any, cloud: Any) -> None:
    desk = open_page(browser, cloud, "/review.html")
    desk.select_option("#season", "ningxia-adult-2023")
    staff_sign_in(desk, "nx-640104")
    desk.wait_for_selector("#queue:not([hidden])")
    admission = open_page(browser, cloud, "/admission.html")
    staff_sign_in(admission, "operator")
    admission.wait_for_selector("#operator-desk:not([hidden])")
    assert {"review": serious(desk), "admission": serious(admission)} == {
        "review": [],
        "admission": [],
    }
