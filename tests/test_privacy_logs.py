"""R17.2: no ID number or phone of the suite appears unmasked in any log line it produced."""

from __future__ import annotations

import pytest

from tests.support import CAPTURE, PERSONAL


@pytest.mark.last
def test_no_personal_data_in_the_logs() -> None:
    assert CAPTURE.lines, "the log capture saw nothing: it is not wired"
    assert PERSONAL, "no personal data was registered by the tests"
    leaks = [
        (value[:3] + "…", line[:120])
        for line in CAPTURE.lines
        for value in PERSONAL
        if value in line or f"+86{value}" in line
    ]
    assert not leaks, leaks[:5]
