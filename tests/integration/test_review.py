"""R4–R6 through the local cloud: upload, submit, routing, the county's review."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
import requests

from tests.support import (
    PDF,
    PERSONAL,
    SEEDS,
    Api,
    jpeg,
    ningxia_profile,
    ready,
    register_ningxia,
    upload,
    wait_status,
)

NX = "/v1/seasons/ningxia-adult-2023"


def test_an_upload_is_inspected_and_its_metadata_stripped(api: Api, cloud: Any, phone) -> None:
    cid, token = register_ningxia(api, phone, next(SEEDS))
    version = api.get("/v1/me", token).json()["version"]
    api.put("/v1/me/profile", token, json=ningxia_profile(version))
    small = upload(api, token, "photo", jpeg(200, 300), "image/jpeg")
    assert small["status"] == "rejected" and "宽度" in small["reason"]
    html = upload(api, token, "xuexin_record", b"<html>hi</html>", "application/pdf")
    assert html["status"] == "rejected" and "不是声明的类型" in html["reason"]
    good = upload(api, token, "photo", jpeg(), "image/jpeg")
    assert good["status"] == "accepted" and (good["width"], good["height"]) == (358, 441)
    from PIL import Image

    from zhaokao.adapters import objects
    from zhaokao.storage import candidates

    kept = candidates.get(cid).documents["photo"]["key"]
    import io

    assert not Image.open(io.BytesIO(objects.read(kept) or b"")).getexif()  # EXIF gone
    assert not objects.keys(f"uploads/ningxia-adult-2023/{cid}/")  # raw uploads not kept


def test_an_upload_event_is_sent_once_the_object_is_whole(api: Api, phone, monkeypatch) -> None:
    """moto sent the event before it set the object's Content-Type; a worker that read it
    then saw binary/octet-stream and refused a good file (1 in 200 in a drill)."""
    from urllib.parse import unquote_plus

    from moto.s3 import notifications

    from zhaokao.adapters import objects

    types_seen: list[str] = []
    send = notifications._send_sqs_message

    def read_then_send(account: str, event: Any, queue: str, region: str) -> None:
        key = unquote_plus(event["Records"][0]["s3"]["object"]["key"])
        if key.startswith("uploads/"):  # what the upload worker would read at this moment
            types_seen.append((objects.read_typed(key) or (b"", "gone"))[1])
        send(account, event, queue, region)

    monkeypatch.setattr(notifications, "_send_sqs_message", read_then_send)
    _, token = register_ningxia(api, phone, next(SEEDS))
    version = api.get("/v1/me", token).json()["version"]
    api.put("/v1/me/profile", token, json=ningxia_profile(version))
    assert upload(api, token, "xuexin_record", PDF, "application/pdf")["status"] == "accepted"
    assert types_seen == ["application/pdf"]


def test_an_upload_form_is_limited_by_the_policy(api: Api, phone) -> None:
    _, token = register_ningxia(api, phone, next(SEEDS))
    version = api.get("/v1/me", token).json()["version"]
    api.put("/v1/me/profile", token, json=ningxia_profile(version))
    wrong = api.post("/v1/me/uploads", token, json={"code": "photo", "content_type": "image/png"})
    assert wrong.status_code == 422 and wrong.json()["error"]["field"] == "content_type"
    other = api.post(
        "/v1/me/uploads", token, json={"code": "poverty_proof", "content_type": "application/pdf"}
    )
    assert other.status_code == 422 and other.json()["error"]["field"] == "code"
    form = api.post("/v1/me/uploads", token, json={"code": "photo", "content_type": "image/jpeg"})
    signed = json.loads(base64.b64decode(form.json()["fields"]["policy"]))
    assert ["content-length-range", 1, 204800] in signed["conditions"]
    assert {"Content-Type": "image/jpeg"} in signed["conditions"]
    # S3 refuses a larger body (the local cloud as S3 does): nothing reaches the inspection
    big = jpeg()[:-2] + b"\x00" * 204800 + b"\xff\xd9"
    f = form.json()
    posted = requests.post(f["url"], data=f["fields"], files={"file": ("f", big)}, timeout=30)
    assert posted.status_code == 400 and "EntityTooLarge" in posted.text
    assert "photo" not in (api.get("/v1/me", token).json().get("documents") or {})


def test_submission_needs_every_required_document(api: Api, phone) -> None:
    _, token = register_ningxia(api, phone, next(SEEDS))
    version = api.get("/v1/me", token).json()["version"]
    early = api.post("/v1/me/submission", token, json={"version": version})
    assert early.status_code == 422 and "完善个人信息" in early.json()["error"]["message"]
    api.put("/v1/me/profile", token, json=ningxia_profile(version))
    r = api.post("/v1/me/submission", token, json={"version": version + 1})
    message = r.json()["error"]["message"]
    assert r.status_code == 422 and "标准证件照" in message and "学信网" in message


def test_submit_routes_to_the_county_and_locks_the_file(api: Api, phone) -> None:
    cid, token, version = ready(api, phone)
    r = api.post("/v1/me/submission", token, json={"version": version})
    assert r.status_code == 200 and r.json()["status"] == "submitted"
    me = wait_status(api, token, "under_review")
    assert all(c["outcome"] == "pass" for c in me["checks"]) and me["checks"]
    locked = api.put("/v1/me/profile", token, json=ningxia_profile(me["version"]))
    assert locked.status_code == 409 and locked.json()["error"]["code"] == "locked"
    reviewer = api.staff_token("nx-640104")
    items = api.get(f"{NX}/review/items", reviewer, params={"limit": 100}).json()["items"]
    mine = [i for i in items if i["candidate_id"] == cid]
    assert len(mine) == 1 and mine[0]["unit"] == "640104" and "*" in mine[0]["id_number"]
    steps = [s["action"] for s in api.get("/v1/me/timeline", token).json()]
    assert steps[-2:] == ["submit", "route"]


def test_decision_with_a_stale_version_is_409_and_changes_nothing(api: Api, phone) -> None:
    cid, token, version = ready(api, phone)
    api.post("/v1/me/submission", token, json={"version": version})
    me = wait_status(api, token, "under_review")
    reviewer = api.staff_token("nx-640104")
    url = f"{NX}/review/candidates/{cid}/decision"
    no_reason = api.post(url, reviewer, json={"decision": "reject", "version": me["version"]})
    assert no_reason.status_code == 422 and no_reason.json()["error"]["field"] == "reason"
    stale = api.post(url, reviewer, json={"decision": "approve", "version": me["version"] - 1})
    assert stale.status_code == 409
    assert api.get("/v1/me", token).json()["status"] == "under_review"
    ok = api.post(url, reviewer, json={"decision": "approve", "version": me["version"]})
    assert ok.status_code == 200 and ok.json()["status"] == "approved"
    again = api.post(url, reviewer, json={"decision": "approve", "version": ok.json()["version"]})
    assert again.status_code == 422


def test_a_reason_excel_would_run_is_exported_as_text(api: Api, phone) -> None:
    """Found by probing: a refusal reason ``=HYPERLINK(...)`` came out verbatim in the
    county's export, a live link once opened in Excel."""
    import csv
    import io

    cid, token, version = ready(api, phone)
    api.post("/v1/me/submission", token, json={"version": version})
    me = wait_status(api, token, "under_review")
    reviewer = api.staff_token("nx-640104")
    reason = '=HYPERLINK("http://evil.example/","点击查看")'
    decision = {"decision": "reject", "version": me["version"], "reason": reason}
    assert api.post(f"{NX}/review/candidates/{cid}/decision", reviewer, json=decision).ok
    export = api.get(f"{NX}/review/export", reviewer)
    assert export.status_code == 200 and export.text.startswith("\ufeff")
    rows = {r[0]: r for r in csv.reader(io.StringIO(export.text.lstrip("\ufeff")))}
    assert rows[cid][-1] == "'" + reason


def test_send_back_then_resubmit_returns_to_the_same_unit(api: Api, cloud: Any, phone) -> None:
    cid, token, version = ready(api, phone)
    api.post("/v1/me/submission", token, json={"version": version})
    me = wait_status(api, token, "under_review")
    reviewer = api.staff_token("nx-640104")
    opened = api.get(f"{NX}/review/candidates/{cid}", reviewer)
    assert opened.status_code == 200
    docs = opened.json()["candidate"]["documents"]
    assert docs["photo"]["url"].startswith("http") and "Signature" in docs["photo"]["url"]
    import requests

    served = requests.get(docs["photo"]["url"], timeout=10)
    assert served.content[:3] == b"\xff\xd8\xff"
    assert served.headers["Content-Type"] == "image/jpeg"  # the inspected type, not a guess
    assert served.headers["Content-Disposition"] == 'attachment; filename="photo.jpg"'

    back = {"decision": "send_back", "reason": "学信网备案表不清晰", "version": me["version"]}
    r = api.post(f"{NX}/review/candidates/{cid}/decision", reviewer, json=back)
    assert r.status_code == 200 and r.json()["status"] == "returned"
    texts = [m["text"] for m in api.get("/local/outbox").json()]
    assert any("退回修改" in t and "学信网备案表不清晰" in t for t in texts)
    assert upload(api, token, "xuexin_record", PDF, "application/pdf")["status"] == "accepted"
    version = api.get("/v1/me", token).json()["version"]
    assert api.post("/v1/me/submission", token, json={"version": version}).status_code == 200
    wait_status(api, token, "under_review")
    items = api.get(f"{NX}/review/items", reviewer, params={"limit": 100}).json()["items"]
    assert [i["unit"] for i in items if i["candidate_id"] == cid] == ["640104"]
    from zhaokao.storage import audit

    assert audit.history(f"access#candidate#{cid}")[0]["actor"] == "county_reviewer:nx-640104"


def test_bonus_claims_are_called_on_site_and_published_when_approved(api: Api, phone) -> None:
    cid, token, version = ready(api, phone, bonus_claims=["veteran"])
    api.post("/v1/me/submission", token, json={"version": version})
    me = wait_status(api, token, "on_site")
    flagged = [c for c in me["checks"] if c["outcome"] == "on_site"]
    assert [c["rule"] for c in flagged] == ["nx.bonus"] and "现场审核" in flagged[0]["reason"]
    reviewer = api.staff_token("nx-640104")
    batch = api.post(
        f"{NX}/review/batch-approval",
        reviewer,
        json={"items": [{"candidate_id": cid, "version": me["version"]}]},
    ).json()["results"]
    assert batch[0]["ok"] is False and batch[0]["error"]["code"] == "on_site"
    url = f"{NX}/review/candidates/{cid}/decision"
    r = api.post(url, reviewer, json={"decision": "approve", "version": me["version"]})
    assert r.status_code == 200 and r.json()["status"] == "approved"
    approvals = api.get("/v1/me", token).json()["approvals"]
    assert approvals["bonus"] == "veteran" and approvals["bonus_points"] == 10
    notice = api.get(f"{NX}/notices").json()
    assert any(e["bonus_points"] == 10 and e["phase"] == "on_notice" for e in notice["entries"])


def test_batch_approval_decides_each_file_on_its_own(api: Api, phone) -> None:
    first = ready(api, phone)
    PERSONAL.add(str(int(phone) + 1))
    second = ready(api, str(int(phone) + 1))
    for _, token, version in (first, second):
        api.post("/v1/me/submission", token, json={"version": version})
    versions = [wait_status(api, t, "under_review")["version"] for _, t, _ in (first, second)]
    reviewer = api.staff_token("nx-640104")
    items = [
        {"candidate_id": first[0], "version": versions[0]},
        {"candidate_id": second[0], "version": versions[1] - 1},  # stale
        {"candidate_id": "nobody", "version": 1},
    ]
    results = api.post(f"{NX}/review/batch-approval", reviewer, json={"items": items}).json()
    assert [r["ok"] for r in results["results"]] == [True, False, False]
    assert [r.get("error", {}).get("code") for r in results["results"][1:]] == [
        "stale_version",
        "not_found",
    ]


def test_operators_see_the_backlog_per_unit(api: Api, phone) -> None:
    _, token, version = ready(api, phone)
    api.post("/v1/me/submission", token, json={"version": version})
    wait_status(api, token, "under_review")
    rows = api.get(f"{NX}/review/backlog", api.staff_token("operator")).json()
    row = next(r for r in rows if r["unit"] == "640104")
    assert row["pending"] >= 1 and row["oldest_hours"] is not None and row["name"] == "银川市兴庆区"
    assert len(rows) == 22


@pytest.mark.parametrize("decision", ["reject", "call_on_site"])
def test_every_decision_is_audited_with_its_reason(api: Api, phone, decision: str) -> None:
    cid, token, version = ready(api, phone)
    api.post("/v1/me/submission", token, json={"version": version})
    me = wait_status(api, token, "under_review")
    reviewer = api.staff_token("nx-640104")
    body = {"decision": decision, "reason": "材料与原件不符", "version": me["version"]}
    assert api.post(f"{NX}/review/candidates/{cid}/decision", reviewer, json=body).ok
    last = api.get("/v1/me/timeline", token).json()[-1]
    assert last["action"] == f"review:{decision}@640104" and last["reason"] == "材料与原件不符"
    assert last["actor"] == "county_reviewer:nx-640104"


def test_a_reviewer_finds_a_file_by_name_id_or_exam_number_counts_and_exports(
    api: Api, phone
) -> None:
    """Issue 14: search (a full ID number, a 准考证号, or part of a name), the counts per
    state, and the unit's list as CSV — the unit's own files only."""
    from tests.support import PDF, SEEDS, jpeg, nx_person, register_ningxia, upload

    seed = next(SEEDS)
    name, id_number = nx_person(seed)
    _, token = register_ningxia(api, phone, seed)
    me = api.get("/v1/me", token).json()
    assert api.put("/v1/me/profile", token, json=ningxia_profile(me["version"])).ok
    assert upload(api, token, "photo", jpeg(), "image/jpeg")["status"] == "accepted"
    assert upload(api, token, "xuexin_record", PDF, "application/pdf")["status"] == "accepted"
    version = api.get("/v1/me", token).json()["version"]
    assert api.post("/v1/me/submission", token, json={"version": version}).ok
    wait_status(api, token, "under_review")
    county = api.staff_token("nx-640104")
    base = f"{NX}/review"
    by_name = api.get(f"{base}/search", county, params={"q": name[1:]}).json()
    assert name in [i["name"] for i in by_name["items"]]
    by_id = api.get(f"{base}/search", county, params={"q": id_number}).json()["items"]
    assert [i["name"] for i in by_id] == [name] and "*" in by_id[0]["id_number"]
    other = api.get(f"{base}/search", api.staff_token("hn-43001"), params={"q": id_number})
    assert other.status_code in (403, 404) or other.json()["items"] == []  # not its file
    assert api.get(f"{base}/search", county, params={"q": "123456789012345"}).json()["items"] == []
    counts = api.get(f"{base}/counts", county).json()["counts"]
    assert counts["pending"] >= 1 and set(counts) >= {"approved", "returned", "rejected"}
    exported = api.get(f"{base}/export", county)
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    assert name in exported.text and id_number not in exported.text  # masked (R17.2)
