"""Issue 14, reviewers: on a shared county PC nobody stays signed in — 15 idle minutes sign
the workbench out; the queue names the unit's review window; the flags read at AA contrast."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support import open_page, staff_sign_in

pytestmark = pytest.mark.both_sizes


def _contrast(rgb: str) -> float:
    """WCAG contrast of an ``rgb(r, g, b)`` colour against white."""
    values = [int(v) / 255 for v in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")[:3]]
    linear = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in values]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return 1.05 / (luminance + 0.05)


def test_the_workbench_signs_out_after_15_idle_minutes(browser: Any, cloud: Any) -> None:
    page = open_page(browser, cloud, "/review.html")
    page.clock.install()
    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    page.select_option("#season", "ningxia-adult-2023")
    staff_sign_in(page, "nx-640104")
    page.wait_for_selector("#queue:not([hidden])")
    assert "审核时间：2023年9月4日08:00至2023年9月8日18:00" in page.text_content("#unit")
    flags = page.evaluate(
        "getComputedStyle(document.querySelector('.flags') || document.body).color"
    )
    if page.query_selector(".flags"):
        assert _contrast(flags) >= 4.5
    page.on("dialog", lambda dialog: dialog.accept())
    page.clock.fast_forward("14:00")
    assert page.is_visible("#queue")  # not yet
    page.clock.fast_forward("02:00")
    page.wait_for_selector("#staff-login:not([hidden])")
    assert not page.evaluate("sessionStorage.getItem('zhaokao.staff')")
