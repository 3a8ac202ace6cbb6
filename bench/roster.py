"""Roster import speed (R2.3): a college's file through the local cloud, upload to report."""

from __future__ import annotations

import time
from typing import Any

import requests

from bench.registration import token_for
from infra.local.demo import graduates, roster_files

SEASON = "hunan-zsb-2024"


def token(username: str) -> str:
    """The operator, or the bench's college reviewer (``bench-<college>``), as sign-in
    would issue their tokens."""
    if username == "operator":
        return token_for(username, "operator")
    return token_for(username, "college_reviewer", SEASON, username.removeprefix("bench-"))


def run(base: str, rows: int, college: str = "43003", user: str | None = None) -> dict[str, Any]:
    from zhaokao.storage import seasons

    csv, photos = roster_files(graduates(college, rows, seed=rows))
    operator = token("operator")
    now = requests.get(f"{base}/v1/seasons/{SEASON}", timeout=30).json()["now"][:19]
    headers = {"Authorization": f"Bearer {operator}"}
    requests.put(
        f"{base}/v1/seasons/{SEASON}/clock",
        headers=headers,
        json={"at": "2024-01-15T10:00:00"},
        timeout=30,
    ).raise_for_status()
    try:
        auth = {"Authorization": f"Bearer {token(user or 'operator')}"}
        started = requests.post(
            f"{base}/v1/seasons/{SEASON}/roster-imports", headers=auth, timeout=30
        )
        started.raise_for_status()
        body = started.json()
        for part, name, data, kind in (
            ("photos", "photos.zip", photos, "application/zip"),
            ("roster", "roster.csv", csv, "text/csv"),
        ):
            form = body["uploads"][part]
            requests.post(
                form["url"], data=form["fields"], files={"file": (name, data, kind)}, timeout=120
            ).raise_for_status()
        t0 = time.perf_counter()
        status: dict[str, Any] = {}
        while time.perf_counter() - t0 < 900:
            status = requests.get(
                f"{base}/v1/seasons/{SEASON}/roster-imports/{body['import_id']}",
                headers=auth,
                timeout=30,
            ).json()
            if status["status"] in ("done", "failed"):
                break
            time.sleep(0.25)
        seconds = time.perf_counter() - t0
    finally:
        requests.put(
            f"{base}/v1/seasons/{SEASON}/clock", headers=headers, json={"at": now}, timeout=30
        )
        seasons.forget_cache()
    return {
        "rows": rows,
        "seconds": seconds,
        "rows_per_second": rows / seconds,
        **status,
        "csv_bytes": len(csv),
        "zip_bytes": len(photos),
    }


def college_account(cloud: Any, college: str) -> str:
    """A college reviewer for the bench's own college, so its rows stay apart."""
    return f"bench-{college}"


def main(cloud: Any, rows: int = 20_000, college: str = "43003") -> dict[str, Any]:
    result = run(cloud.url, rows, college, user=college_account(cloud, college))
    print(
        f"roster import: {result['rows']} rows in {result['seconds']:.1f} s "
        f"({result['rows_per_second']:.0f} rows/s; added {result['added']}, "
        f"failed {result['failed']}) through S3 → SQS → workers"
    )
    return result
