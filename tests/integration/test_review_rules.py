"""What must hold in review (issue 3): unit scoping, roles on every route, privileged
fields, Hunan's two reviewing units, R5.2, the notice and complaints, queue delivery."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

import pytest

from tests.support import (
    ADDRESS,
    PDF,
    PERSONAL,
    SEEDS,
    Api,
    fresh_graduate,
    hunan_clock,
    ningxia_profile,
    ready,
    sms_containing,
    upload,
    wait_status,
)

HN = "/v1/seasons/hunan-zsb-2024"


def hunan_candidate(api: Api, cloud: Any, phone: str, **profile: Any) -> tuple[str, str, Any]:
    g = fresh_graduate(cloud)
    cid, token = api.register(g, phone)
    version = api.get("/v1/me", token).json()["version"]
    body = {"version": version, "native_place": "湖南长沙", "mailing_address": ADDRESS, **profile}
    saved = api.put("/v1/me/profile", token, json=body)
    assert saved.status_code == 200, saved.text
    return cid, token, g


def poverty_family_in_review(api: Api, cloud: Any, phone: str) -> tuple[str, str, Any]:
    """A Hunan poverty-family candidate whose file, proof uploaded, waits for review."""
    cid, token, g = hunan_candidate(api, cloud, phone, category="poverty_family")
    assert upload(api, token, "poverty_proof", PDF, "application/pdf")["status"] == "accepted"
    submit(api, token)
    wait_status(api, token, "under_review")
    return cid, token, g


def submit(api: Api, token: str) -> None:
    version = api.get("/v1/me", token).json()["version"]
    r = api.post("/v1/me/submission", token, json={"version": version})
    assert r.status_code == 200, r.text


def decide(api: Api, reviewer: str, cid: str, decision: str, reason: str | None = None) -> Any:
    version = api.get(f"{HN}/review/candidates/{cid}", reviewer).json()["candidate"]["version"]
    body = {"decision": decision, "version": version, "reason": reason}
    return api.post(f"{HN}/review/candidates/{cid}/decision", reviewer, json=body)


def test_hunan_poverty_family_goes_to_its_college_then_the_province(
    api: Api, cloud: Any, phone: str
) -> None:
    cid, token, _ = poverty_family_in_review(api, cloud, phone)
    college_a, college_b = api.staff_token("hn-43001"), api.staff_token("hn-43002")
    province = api.staff_token("hn-province")
    listed = api.get(f"{HN}/review/items", college_a, params={"limit": 100}).json()["items"]
    assert cid in [i["candidate_id"] for i in listed]
    # R6.3: college B can neither list, nor open, nor decide A's candidate — and learns nothing
    other = api.get(f"{HN}/review/items", college_b, params={"limit": 100}).json()
    assert cid not in [i["candidate_id"] for i in other["items"]] and other["unit"] == "43002"
    opened = api.get(f"{HN}/review/candidates/{cid}", college_b)
    nobody = api.get(f"{HN}/review/candidates/no-such-candidate", college_b)
    assert opened.status_code == 404 and opened.json() == nobody.json()
    body = {"decision": "approve", "version": 1}
    denied = api.post(f"{HN}/review/candidates/{cid}/decision", college_b, json=body)
    assert denied.status_code == 404
    nx = api.get("/v1/seasons/ningxia-adult-2023/review/items", college_a)
    assert nx.status_code == 404  # another season's reviewers' queues do not exist for them
    early = decide(api, college_a, cid, "approve")
    assert early.status_code == 403 and "资格审核" in early.json()["error"]["message"]
    with hunan_clock("2024-02-05T09:00:00"):
        assert decide(api, college_a, cid, "approve").json()["status"] == "under_review"
        queue = api.get(f"{HN}/review/items", province, params={"limit": 100}).json()
        assert queue["unit"] == "province" and cid in [i["candidate_id"] for i in queue["items"]]
        assert decide(api, province, cid, "approve").json()["status"] == "approved"
    approvals = api.get("/v1/me", token).json()["approvals"]
    assert approvals["category"] == "poverty_family" and not approvals["exemption"]


def test_an_exemption_is_published_and_an_upheld_complaint_revokes_it(
    api: Api, cloud: Any, phone: str
) -> None:
    award = {"event": "全国职业院校技能大赛", "item": "软件测试", "award_level": "一等奖"}
    cid, token, g = hunan_candidate(
        api, cloud, phone, category="competition", competition={**award, "award_date": "2023-06-01"}
    )
    assert upload(api, token, "award_certificate", PDF, "application/pdf")["status"] == "accepted"
    submit(api, token)
    wait_status(api, token, "under_review")
    with hunan_clock("2024-02-05T09:00:00"):
        decide(api, api.staff_token("hn-43001"), cid, "approve")
        assert decide(api, api.staff_token("hn-province"), cid, "approve").ok
        notice = api.get(f"{HN}/notices").json()
        entry = next(
            e for e in notice["entries"] if e["name"] == g.name[0] + "*" * (len(g.name) - 1)
        )
        assert entry["phase"] == "on_notice" and entry["qualification"] == "竞赛获奖免试计划"
        # 5 working days from Monday 5 February 2024: in effect from Saturday the 10th
        assert (entry["published"], entry["effective"]) == ("2024-02-05", "2024-02-10")
        assert g.name not in json.dumps(notice, ensure_ascii=False)
        filed = api.post(
            f"{HN}/notices/{entry['entry_id']}/complaints",
            json={"name": "李四", "phone": "13800138000", "content": "该生获奖证书系伪造"},
        )
        assert filed.status_code == 201 and filed.json()["state"] == "open"
        complaint = filed.json()["complaint_id"]
        operator = api.staff_token("operator")
        listed = api.get(f"{HN}/complaints", operator, params={"state": "open"}).json()
        mine = next(c for c in listed if c["complaint_id"] == complaint)
        assert mine["phone"] == "138****8000" and "伪造" in mine["content"]
        body = {"upheld": True, "resolution": "经核查，获奖证书不实"}
        url = f"{HN}/complaints/{complaint}/resolution"
        assert api.post(url, operator, json=body).json()["state"] == "upheld"
        assert api.post(url, operator, json=body).status_code == 422  # once only
        after = api.get(f"{HN}/notices").json()["entries"]
        assert next(e for e in after if e["entry_id"] == entry["entry_id"])["phase"] == "revoked"
    assert api.get("/v1/me", token).json()["approvals"]["revoked"] is True
    tracked = api.get(f"{HN}/complaints/{complaint}").json()
    assert tracked["state"] == "upheld" and "phone" not in tracked


def test_a_sitter_of_the_previous_season_is_disqualified_on_submission(
    api: Api, cloud: Any, phone: str
) -> None:
    cid, token, g = hunan_candidate(api, cloud, phone)
    operator = api.staff_token("operator")
    bad = api.post(f"{HN}/previous-sitters", operator, json={"id_numbers": ["123"]})
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "id_numbers.0"
    loaded = api.post(f"{HN}/previous-sitters", operator, json={"id_numbers": [g.id_number]})
    assert loaded.json() == {
        "season_id": "hunan-zsb-2024",
        "previous_season": "hunan-zsb-2023",
        "loaded": 1,
    }
    submit(api, token)
    me = wait_status(api, token, "rejected")
    failed = [c for c in me["checks"] if c["outcome"] == "fail"]
    assert [c["rule"] for c in failed] == ["hn.previous_season"]
    assert "上年已参加专升本考试" in failed[0]["reason"]
    sms_containing(api, "上年已参加专升本考试")  # sent by the routing worker
    from zhaokao.storage import review

    assert review.items_of(cid) == []  # no human sees a disqualified file


def _fill(path: str) -> str:
    return path.replace("{", "").replace("}", "")


def test_a_candidate_gets_403_on_every_staff_route(api: Api, cloud: Any, phone: str) -> None:
    _, token = api.register(fresh_graduate(cloud), phone)
    doc = api.get("/v1/openapi.json").json()
    checked = 0
    for path, operations in doc["paths"].items():
        for method, op in operations.items():
            roles = op.get("x-zhaokao-roles")
            if roles is None or "candidate" in roles:
                continue
            r = api.call(method.upper(), _fill(path), token, json={})
            assert r.status_code == 403, (method, path, r.text)
            assert r.json()["error"]["code"] == "forbidden_role"
            checked += 1
    assert checked >= 16


def test_every_route_declares_its_roles_or_is_public(api: Api) -> None:
    public = {
        ("get", "/v1/seasons"),
        ("get", "/v1/seasons/{season_id}"),
        ("post", "/v1/seasons/{season_id}/otp"),
        ("post", "/v1/seasons/{season_id}/registrations"),
        ("post", "/v1/auth/token"),
        ("post", "/v1/auth/staff-token"),
        ("get", "/v1/seasons/{season_id}/notices"),
        ("post", "/v1/seasons/{season_id}/notices/{entry_id}/complaints"),
        ("get", "/v1/seasons/{season_id}/complaints/{complaint_id}"),
        ("get", "/v1/seasons/{season_id}/catalogue"),
        ("post", "/v1/payments/notify"),  # the provider's; its signature is checked
        ("post", "/v1/sms/receipts"),  # the SMS gateway's; its signature is checked
        ("post", "/v1/auth/refresh"),  # the refresh token is the credential
        ("post", "/v1/auth/sign-out"),
        ("post", "/v1/auth/totp/enrolment"),  # the password is checked
        ("post", "/v1/auth/totp/activation"),
        ("post", "/v1/seasons/{season_id}/password-reset/otp"),
        ("post", "/v1/captcha"),
        ("post", "/v1/seasons/{season_id}/password-reset"),  # the code is the credential
        ("get", "/.well-known/jwks.json"),  # the public keys the gateway verifies with
        ("get", "/v1/labels"),  # the words for codes, the same for everyone
        ("get", "/.well-known/openid-configuration"),
    }
    doc = api.get("/v1/openapi.json").json()
    undeclared = {
        (method, path)
        for path, ops in doc["paths"].items()
        for method, op in ops.items()
        if "x-zhaokao-roles" not in op
    }
    assert undeclared == public


@pytest.mark.parametrize(
    "field,value",
    [("status", "approved"), ("approvals", {"exemption": True}), ("checks", []), ("documents", {})],
)
def test_a_candidate_cannot_set_a_privileged_field(
    api: Api, phone: str, field: str, value: Any
) -> None:
    _, token, version = ready(api, phone)

    for method, path, body in (
        ("PUT", "/v1/me/profile", ningxia_profile(version)),
        ("POST", "/v1/me/submission", {"version": version}),
        ("POST", "/v1/me/uploads", {"code": "photo", "content_type": "image/jpeg"}),
    ):
        r = api.call(method, path, token, json={**body, field: value})
        assert r.status_code == 422 and r.json()["error"]["field"] == field, (path, r.text)
    me = api.get("/v1/me", token).json()
    assert me["status"] == "registered" and me["approvals"] is None and me["version"] == version


def _submitted_without_message(api: Api, phone: str) -> str:
    """A submitted candidate whose routing message we deliver ourselves."""
    from zhaokao.storage import candidates, lifecycle

    cid, _, _ = ready(api, phone)
    lifecycle.change(candidates.get(cid), "submit", "test")
    return cid


def _sqs_event(bodies: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "Records": [
            {
                "messageId": f"m{i}",
                "receiptHandle": f"r{i}",
                "body": json.dumps(body),
                "attributes": {},
                "messageAttributes": {},
                "eventSource": "aws:sqs",
                "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:ReviewRoutingQueue",
                "awsRegion": "us-east-1",
            }
            for i, body in enumerate(bodies)
        ]
    }


def test_one_submission_delivered_three_times_creates_one_set(
    api: Api, cloud: Any, phone: str
) -> None:
    from zhaokao.storage import audit, candidates, review

    cid = _submitted_without_message(api, phone)
    message = {"candidate_id": cid, "round": int(candidates.get(cid).version)}
    results: list[Any] = []

    def deliver(copies: int) -> None:
        results.append(
            cloud.runtime.invoke("RoutingWorkerFunction", _sqs_event([message] * copies))
        )

    threads = [threading.Thread(target=deliver, args=(n,)) for n in (2, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r["batchItemFailures"] == [] for r in results)
    assert [(i.unit, int(i.round)) for i in review.items_of(cid)] == [("640104", message["round"])]
    routes = [h for h in audit.history(f"candidate#{cid}") if h["action"] == "route"]
    assert len(routes) == 1


def test_poisoned_routing_messages_reach_the_dlq_and_redrive_once(
    api: Api, cloud: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from zhaokao import cli
    from zhaokao.service import review as service
    from zhaokao.storage import audit, candidates, review

    phones = [str(13700000000 + 7 * next(SEEDS)) for _ in range(5)]
    PERSONAL.update(phones)
    ids = [_submitted_without_message(api, p) for p in phones]
    poisoned = set(ids[1:3])
    real = service._applicant

    def broken(record: Any, season: Any) -> Any:  # a bug that hits two files only
        if record.candidate_id in poisoned:
            raise RuntimeError("corrupt profile")
        return real(record, season)

    monkeypatch.setattr(service, "_applicant", broken)
    sqs = cloud.client("sqs")
    url, dlq = cloud.refs["ReviewRoutingQueue"], cloud.refs["ReviewRoutingDLQ"]
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"VisibilityTimeout": "1"})
    time.sleep(1.5)  # a long poll already waiting took the old timeout; let it end first
    try:
        entries = [
            {
                "Id": str(n),
                "MessageBody": json.dumps(
                    {"candidate_id": c, "round": int(candidates.get(c).version)}
                ),
            }
            for n, c in enumerate(ids)
        ]
        sqs.send_message_batch(QueueUrl=url, Entries=entries)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and _depth(sqs, dlq) < 2:
            time.sleep(0.5)
        assert _depth(sqs, dlq) == 2
        assert [candidates.get(c).status for c in ids] == [
            "under_review", "submitted", "submitted", "under_review", "under_review"
        ]  # fmt: skip
        monkeypatch.setattr(service, "_applicant", real)  # the fix
        assert (
            cli.main(["--endpoint", cloud.endpoint, "queue", "redrive", "ReviewRoutingQueue"]) == 0
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and any(
            candidates.get(c).status == "submitted" for c in ids
        ):
            time.sleep(0.2)
    finally:
        sqs.set_queue_attributes(QueueUrl=url, Attributes={"VisibilityTimeout": "180"})
    for c in ids:
        assert candidates.get(c).status == "under_review"
        assert len(review.items_of(c)) == 1
        assert [h["action"] for h in audit.history(f"candidate#{c}")].count("route") == 1
    assert _depth(sqs, dlq) == 0


def _depth(sqs: Any, url: str) -> int:
    attributes = sqs.get_queue_attributes(
        QueueUrl=url,
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    )["Attributes"]
    return int(attributes["ApproximateNumberOfMessages"]) + int(
        attributes["ApproximateNumberOfMessagesNotVisible"]
    )
