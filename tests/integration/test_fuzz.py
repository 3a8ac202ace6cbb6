"""A small run of ``make fuzz``: the API fuzzed from its own OpenAPI document as every
identity, on a local cloud of its own (``python -m infra.fuzz`` prints what failed)."""

from __future__ import annotations

import pytest

from tests.standalone import STANDALONE

IDENTITIES = 7  # anonymous, a candidate and each of the five staff roles


@pytest.mark.standalone("fuzz")
def test_no_identity_finds_an_answer_outside_the_contract() -> None:
    done, _ = STANDALONE.outcome("fuzz")
    ran = [
        line for line in done.stdout.splitlines() if line.startswith("fuzz: ") and " exit " in line
    ]
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-3000:]
    assert len(ran) == IDENTITIES, done.stdout
    assert all(" exit 0 " in line for line in ran)
