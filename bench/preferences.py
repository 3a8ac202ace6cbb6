"""Preference save (R8): DynamoDB round trips of one save, and saves per second.

A save reads the candidate (GetItem) and writes one transaction: the choice on the
candidate, the new version, the audit record. The season and the catalogue come
from the function's cache, so a warm save makes two round trips.
"""

from __future__ import annotations

import time
from typing import Any

import requests

from bench.registration import counting_aws, stored_candidates, token_for
from bench.review import ready_candidates

_TWO = [
    {"school": "10749", "majors": ["080901", "080902"]},
    {"school": "11407", "majors": ["080703"]},
]
CHOICES = [
    {"level": "zsb", "subject_category": "ligong", "schools": _TWO},
    {"level": "zsb", "subject_category": "ligong", "schools": _TWO[:1]},
]


def _token(candidate_id: str) -> str:
    return token_for(candidate_id, "candidate", "ningxia-adult-2023")


def _save(base: str, token: str, choice: dict[str, Any], version: int) -> dict[str, Any]:
    r = requests.put(
        f"{base}/v1/me/preferences",
        json={**choice, "version": version},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert r.ok, r.text
    return dict(r.json())


def main(cloud: Any, saves: int = 200) -> dict[str, Any]:
    from zhaokao.storage import candidates

    (cid,) = ready_candidates(1)
    token = _token(cid)
    version = _save(cloud.url, token, CHOICES[0], int(candidates.get(cid).version))["version"]
    with counting_aws() as (calls, items):  # warm: one more save, counted
        version = _save(cloud.url, token, CHOICES[1], version)["version"]
    started = time.perf_counter()
    for n in range(saves):
        version = _save(cloud.url, token, CHOICES[n % 2], version)["version"]
    seconds = time.perf_counter() - started
    figures = {
        "calls": dict(calls),
        "transaction_items": items,
        "saves": saves,
        "per_second": round(saves / seconds, 1),
        "ms_per_save": round(1000 * seconds / saves, 1),
    }
    print(
        f"preference save: DynamoDB calls {figures['calls']} (transaction items {items}); "
        f"{figures['per_second']} saves/s, {figures['ms_per_save']} ms each "
        f"over {saves}, one candidate; {stored_candidates():,} candidates stored"
    )
    return figures
