"""R15.1: a principal scoped to a season reaches no other season — every route with a season
in its path, as every season-scoped role that may call it (a matrix over the OpenAPI
document, so a new route joins it). Found by probing: a college reviewer of one season
imported roster rows into another."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from tests.support import SEEDS, Api, register_ningxia

DOCUMENT = Path(__file__).parents[2] / "layers/common/zhaokao/openapi.json"
HUNAN, NINGXIA = "hunan-zsb-2024", "ningxia-adult-2023"
STAFF = {  # demo accounts of each season-scoped staff role, and their season
    "college_reviewer": ("hn-43001", HUNAN),
    "provincial_reviewer": ("hn-province", HUNAN),
    "county_reviewer": ("nx-640104", NINGXIA),
}


def season_routes() -> list[tuple[str, str, frozenset[str]]]:
    paths = json.loads(DOCUMENT.read_text("utf-8"))["paths"]
    return [
        (method.upper(), path, frozenset(op.get("x-zhaokao-roles") or ()))
        for path, methods in paths.items()
        if "{season_id}" in path
        for method, op in methods.items()
    ]


def test_no_season_scoped_role_reaches_another_season(api: Api, phone: str) -> None:
    _, candidate = register_ningxia(api, phone, next(SEEDS))
    tokens = {role: (api.staff_token(user), season) for role, (user, season) in STAFF.items()}
    tokens["candidate"] = (candidate, NINGXIA)
    tried, leaked = 0, []
    for method, path, roles in season_routes():
        for role in roles & tokens.keys():
            token, own = tokens[role]
            other = NINGXIA if own == HUNAN else HUNAN
            url = re.sub(r"\{(\w+)\}", "x", path.replace("{season_id}", other))
            body: dict[str, Any] = {"json": {}} if method in ("POST", "PUT") else {}
            r = api.call(method, url, token, **body)
            tried += 1
            said = r.json() if r.headers["Content-Type"].startswith("application/json") else {}
            if (r.status_code, (said.get("error") or {}).get("field")) != (404, "season_id"):
                leaked.append(f"{role} {method} {path}: {r.status_code} {r.text[:120]}")
    assert tried >= 20 and not leaked, leaked
    # and in their own season the same token is not refused for its season
    own = api.get(f"/v1/seasons/{HUNAN}/review/counts", tokens["college_reviewer"][0])
    assert own.status_code == 200, own.text
