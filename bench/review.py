"""Review routing speed (R5, R6.3).

1. The routing worker in-process: messages per second through its handler (batches
   of 10, the checks and one transaction per submission), and its DynamoDB calls.
2. Submission to work item through the local cloud: the candidate's POST, the queue,
   the poller, the worker — until the unit's work list holds the file.
3. A unit's work list: the DynamoDB calls of one page (one Query on an index).
"""

from __future__ import annotations

import itertools
import json
import statistics
import time
from datetime import UTC, datetime
from typing import Any

import requests

from bench.registration import counting_aws, quiet_logs, stored_candidates, token_for
from infra.local.demo import NINGXIA_PROFILE, demo_inspected

NINGXIA = "ningxia-adult-2023"
PROFILE = {**NINGXIA_PROFILE, "mailing_address": {**NINGXIA_PROFILE["mailing_address"]}}
ACCEPTED = demo_inspected("documents/bench", 1024, "image/jpeg")
_serial = itertools.count()


def _person() -> tuple[str, str]:
    from stdnum.cn import ric

    n = next(_serial)
    body = f"6401051985{n // 28 % 12 + 1:02d}{n % 28 + 1:02d}{n // 336 % 1000:03d}"
    return f"马{n}", body + ric.calc_check_digit(body + "0")


def ready_candidates(count: int, status: str = "registered") -> list[str]:
    """Candidates of county 640105 with a complete file, written straight to storage."""
    from zhaokao.domain.registration import NewCandidate
    from zhaokao.storage import candidates
    from zhaokao.storage.models import CandidateRecord

    ids = []
    for _ in range(count):
        name, number = _person()
        phone = f"135{next(_serial):08d}"  # apart from registration's (a 7 third)
        c = NewCandidate(
            candidate_id=f"bench{next(_serial)}-{int(time.time() * 1e6)}",
            season_id=NINGXIA,
            unit="640105",
            name=name,
            id_number=number,
            phone=phone,
            college_code=None,
            major_code=None,
            county_code="640105",
            residence_permit=False,
            status=status,
            registered_at=datetime.now(UTC),
        )
        candidates.create(c)
        record = CandidateRecord.get(c.candidate_id)
        record.update(
            actions=[
                CandidateRecord.profile.set(PROFILE),
                CandidateRecord.documents.set({"photo": ACCEPTED, "xuexin_record": ACCEPTED}),
            ]
        )
        ids.append(c.candidate_id)
    return ids


def sqs_event(messages: list[dict[str, Any]], queue: str = "ReviewRoutingQueue") -> dict[str, Any]:
    return {
        "Records": [
            {
                "messageId": str(i),
                "receiptHandle": str(i),
                "body": json.dumps(m),
                "attributes": {},
                "messageAttributes": {},
                "eventSource": "aws:sqs",
                "eventSourceARN": f"arn:aws:sqs:us-east-1:123456789012:{queue}",
                "awsRegion": "us-east-1",
            }
            for i, m in enumerate(messages)
        ]
    }


class Context:
    function_name = "RoutingWorkerFunction"
    memory_limit_in_mb = 1024
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:RoutingWorkerFunction"
    aws_request_id = "bench"


def worker_rate(count: int) -> dict[str, Any]:
    """Messages per second through the routing worker's handler, in this process."""
    from functions.review import routing_worker
    from zhaokao.messages import RouteSubmission
    from zhaokao.storage import candidates

    ids = ready_candidates(count, status="submitted")
    messages = [
        RouteSubmission(candidate_id=c, round=int(candidates.get(c).version)).model_dump()
        for c in ids
    ]
    batches = [messages[i : i + 10] for i in range(0, len(messages), 10)]
    with quiet_logs("review-routing"), counting_aws() as (calls, items):
        started = time.perf_counter()
        for batch in batches:
            result = routing_worker.handler(sqs_event(batch), Context())
            assert result["batchItemFailures"] == [], result
        seconds = time.perf_counter() - started
    routed = sum(candidates.get(c).status == "under_review" for c in ids)
    per_message = {op: round(n / count, 2) for op, n in sorted(calls.items())}
    return {
        "messages": count,
        "routed": routed,
        "per_second": round(count / seconds, 1),
        "dynamodb_calls_per_message": per_message,
        "transaction_items": sorted(set(items)),
    }


def submission_latency(base: str, count: int) -> dict[str, Any]:
    """From the candidate's POST to the work item in the unit's list, through the local cloud."""
    from zhaokao.storage import candidates, review

    ids = ready_candidates(count)
    tokens = [token_for(cid, "candidate", NINGXIA) for cid in ids]
    latencies = []
    for cid, token in zip(ids, tokens, strict=True):
        version = int(candidates.get(cid).version)
        started = time.perf_counter()
        r = requests.post(
            f"{base}/v1/me/submission",
            json={"version": version},
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )
        assert r.ok, r.text
        while not review.items_of(cid):
            if time.perf_counter() - started > 30:
                raise AssertionError(f"{cid}: no work item after 30 s")
            time.sleep(0.01)
        latencies.append((time.perf_counter() - started) * 1000)
    latencies.sort()
    return {
        "submissions": count,
        "p50_ms": round(statistics.median(latencies), 1),
        "p95_ms": round(latencies[max(0, int(len(latencies) * 0.95) - 1)], 1),
        "max_ms": round(latencies[-1], 1),
    }


def work_list_calls() -> dict[str, int]:
    """The DynamoDB calls of one page of a unit's work list."""
    from zhaokao.storage import review

    with counting_aws() as (calls, _):
        review.work(NINGXIA, "640105", "pending", 20, None)
    return dict(calls)


def main(cloud: Any, messages: int = 500, submissions: int = 30) -> dict[str, Any]:
    rate = worker_rate(messages)
    print(
        f"routing worker, in-process: {rate['per_second']} messages/s over {rate['messages']} "
        f"(routed {rate['routed']}); DynamoDB calls per message "
        f"{rate['dynamodb_calls_per_message']}; transaction items {rate['transaction_items']}; "
        f"{stored_candidates():,} candidates stored"
    )
    latency = submission_latency(cloud.url, submissions)
    print(
        f"submission → work item, local cloud: p50 {latency['p50_ms']} ms, "
        f"p95 {latency['p95_ms']} ms, max {latency['max_ms']} ms over {latency['submissions']}"
    )
    listing = work_list_calls()
    print(f"a unit's work list, one page: DynamoDB calls {listing}")
    return {"rate": rate, "latency": latency, "listing": listing}
