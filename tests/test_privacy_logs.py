"""R17.2: no ID number or phone appears unmasked in any log line the functions write.

It makes log lines of its own (a registration, a failed and a good sign-in, a profile with
a phone in its address), so it holds alone and in any order; run last it also reads the
lines of every other test."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support import ADDRESS, CAPTURE, PERSONAL, SEEDS, Api, ningxia_profile, register_ningxia


@pytest.mark.last
def test_no_personal_data_in_the_logs(cloud: Any, api: Api, phone: str) -> None:
    _, token = register_ningxia(api, phone, next(SEEDS))
    wrong = {"season_id": "ningxia-adult-2023", "phone": phone, "password": "not-it-1"}
    assert api.post("/v1/auth/token", json=wrong).status_code == 401
    version = api.get("/v1/me", token).json()["version"]
    assert api.put("/v1/me/profile", token, json=ningxia_profile(version)).ok
    PERSONAL.add(ADDRESS["phone"])
    assert CAPTURE.lines, "the log capture saw nothing: it is not wired"
    leaks = [
        (value[:3] + "…", line[:120])
        for line in CAPTURE.lines
        for value in PERSONAL
        if value in line or f"+86{value}" in line
    ]
    assert not leaks, leaks[:5]
