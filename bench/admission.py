"""The whole 录取 run through the local cloud (issue 16): snapshot to publication for
100,000 candidates — wall time of each stretch and the state machine's transitions (at most
1,000 whatever the number of candidates)."""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime
from typing import Any

import requests

from bench.registration import token_for

SEASON = "ningxia-bench-admission"
SCHOOLS, MAJORS = 40, 5


def _season() -> list[str]:
    """A season of its own (Ningxia's rules), with SCHOOLS × MAJORS 专升本 理工 plans."""
    from zhaokao.domain import catalogue as rows
    from zhaokao.storage import catalogue, seasons

    policy = seasons.get_season("ningxia-adult-2023").policy
    policy = policy.model_copy(update={"season_id": SEASON})
    seasons.install(policy, "bench")
    schools = [f"{20000 + s}" for s in range(SCHOOLS)]
    text = "院校代码,院校名称,专业代码,专业名称,计划类别,层次,计划数,医学类\n" + "".join(
        f"{s},院校{s},0809{m:02d},专业{m},ligong,zsb,{40 + (int(s) * 7 + m) % 60},否\n"
        for s in schools
        for m in range(MAJORS)
    )
    plans, problems = rows.plans(text, policy)
    assert not problems, problems
    catalogue.replace_plans(SEASON, plans)
    catalogue.forget_cache()
    return schools


def _candidates(count: int, schools: list[str]) -> None:
    """Approved candidates with scores and two choices, written in batches (the bench
    measures the run, not registration)."""
    from zhaokao.storage import pii
    from zhaokao.storage.models import CandidateRecord

    # real ciphertexts (one each, shared): the key-rotation job reads every record it finds
    id_cipher, phone_cipher = pii.encrypt("640104199001010000"), pii.encrypt("13600000000")
    rng = random.Random(2024)
    now = datetime.now(UTC)
    stamp = int(time.time())
    with CandidateRecord.batch_write() as batch:
        for i in range(count):
            choices = [
                {"school": rng.choice(schools), "majors": [f"0809{rng.randrange(MAJORS):02d}"]}
                for _ in range(2)
            ]
            batch.save(
                CandidateRecord(
                    candidate_id=f"adm{stamp}-{i:07d}",
                    season_id=SEASON,
                    unit_key=f"{SEASON}#640104",
                    name="考生",
                    id_hash="-",
                    id_cipher=id_cipher,
                    id_masked="640104********0000",
                    phone_hash="-",
                    phone_cipher=phone_cipher,
                    phone_masked="136****0000",
                    status="approved",
                    profile={"level": "zsb", "category": "ordinary"},
                    preferences={
                        "level": "zsb",
                        "subject_category": "ligong",
                        "adjust": rng.random() < 0.5,
                        "schools": choices,
                    },
                    scores={s: rng.randint(20, 150) for s in ("zhengzhi", "yingyu", "gaoshu_1")},
                    registered_at=now,
                    version=1,
                )
            )


def _transitions(cloud: Any, run_id: str) -> int:
    sfn = cloud.client("stepfunctions")
    arn = f"{cloud.refs['AdmissionStateMachine'].replace(':stateMachine:', ':execution:')}:{run_id}"
    events, token = [], None
    while True:
        page = sfn.get_execution_history(
            executionArn=arn, maxResults=1000, **({"nextToken": token} if token else {})
        )
        events += page["events"]
        token = page.get("nextToken")
        if not token:
            return sum(1 for e in events if e["type"].endswith("StateEntered"))


def _until(url: str, headers: dict[str, str], wanted: str, seconds: float = 3600) -> dict[str, Any]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        run = requests.get(url, headers=headers, timeout=30).json()
        if run["status"] in (wanted, "failed"):
            assert run["status"] == wanted, run
            return dict(run)
        time.sleep(0.5)
    raise AssertionError(f"{url} did not reach {wanted}")


def main(cloud: Any, candidates: int = 100_000) -> dict[str, Any]:
    schools = _season()
    started = time.perf_counter()
    _candidates(candidates, schools)
    written = time.perf_counter() - started
    headers = {"Authorization": f"Bearer {token_for('operator', 'operator')}"}
    base = f"{cloud.url}/v1/seasons/{SEASON}/admission"
    lines = {"lines": [{"level": "zsb", "category": "ligong", "line": 240}]}
    requests.put(f"{base}/lines", json=lines, headers=headers, timeout=30).raise_for_status()
    started = time.perf_counter()
    answer = requests.post(f"{base}/runs", json={}, headers=headers, timeout=30)
    answer.raise_for_status()
    run_id = answer.json()["run_id"]
    run = _until(f"{base}/runs/{run_id}", headers, "awaiting_approval")
    to_approval = time.perf_counter() - started
    for school in run["schools"]:
        body = {"school": school["school"]}
        url = f"{base}/runs/{run_id}/approvals"
        requests.post(url, json=body, headers=headers, timeout=30).raise_for_status()
    _until(f"{base}/runs/{run_id}", headers, "published")
    total = time.perf_counter() - started
    figures = {
        "candidates": candidates,
        "admitted": run["summary"]["admitted"],
        "written_s": round(written, 1),
        "to_approval_s": round(to_approval, 1),
        "to_publication_s": round(total, 1),
        "transitions": _transitions(cloud, run_id),
    }
    print(
        f"admission run: {candidates:,} candidates ({figures['admitted']:,} admitted over "
        f"{len(run['schools'])} schools): snapshot to awaiting approval {to_approval:.1f} s, "
        f"to publication {total:.1f} s (approvals included); {figures['transitions']} state "
        f"transitions (limit 1,000); candidates written in {written:.1f} s beforehand"
    )
    return figures
