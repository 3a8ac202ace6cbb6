"""The seeds' edge cases to the letter (issue 13): no candidate left at a dead end."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.integration.test_review_rules import (
    HN,
    decide,
    hunan_candidate,
    poverty_family_in_review,
    submit,
)
from tests.support import (
    PDF,
    Api,
    approve,
    hunan_clock,
    ready,
    upload,
    wait_status,
)

NX = "/v1/seasons/ningxia-adult-2023"


@pytest.fixture
def ningxia_restored(cloud: Any) -> Iterator[None]:
    """The test announces a window of the shared Ningxia season: put it back after."""
    from infra.local.demo import CLOCKS
    from tests.support import season_clock
    from zhaokao.storage import seasons

    before = seasons.get_season("ningxia-adult-2023").policy
    yield
    seasons.install(before, "test", replace=True)
    with season_clock("ningxia-adult-2023", CLOCKS["ningxia-adult-2023"]):
        pass


def test_hunan_province_refuses_the_special_category_alone(
    api: Api, cloud: Any, phone: str
) -> None:
    """Seed 000: 未通过资格审核的考生不得填报该类计划 … 可填报普通计划."""
    cid, token, _ = hunan_candidate(api, cloud, phone, category="retired_soldier")
    up = upload(api, token, "discharge_certificate", PDF, "application/pdf")
    assert up["status"] == "accepted"
    submit(api, token)
    wait_status(api, token, "under_review")
    college, province = api.staff_token("hn-43001"), api.staff_token("hn-province")
    with hunan_clock("2024-02-05T09:00:00"):
        assert decide(api, college, cid, "approve").json()["status"] == "under_review"
        refused = decide(api, province, cid, "refuse_category", "退役证明与学籍信息不符")
        assert refused.status_code == 200, refused.text
        assert refused.json()["status"] == "approved"
    me = api.get("/v1/me", token).json()
    assert me["approvals"]["category"] == "ordinary" and not me["approvals"]["exemption"]
    assert me["approvals"]["refused_category"] == "retired_soldier"
    offered = api.get("/v1/me/preferences", token).json()["offered_plan_types"]
    assert offered == ["ordinary"]
    step = api.get("/v1/me/timeline", token).json()[-1]
    assert step["reason"] == "退役证明与学籍信息不符"


def test_an_ordinary_file_cannot_have_its_category_refused(api: Api, phone: str) -> None:
    cid, token, version = ready(api, phone)
    api.post("/v1/me/submission", token, json={"version": version})
    me = wait_status(api, token, "under_review")
    reviewer = api.staff_token("nx-640104")
    body = {"decision": "refuse_category", "reason": "无", "version": me["version"]}
    r = api.post(f"{NX}/review/candidates/{cid}/decision", reviewer, json=body)
    assert r.status_code == 422 and r.json()["error"]["field"] == "decision"
    assert api.get("/v1/me", token).json()["status"] == "under_review"


def test_ningxia_a_refused_exemption_applicant_pays_145_when_announced(
    api: Api, phone: str, ningxia_restored: None
) -> None:
    """Seed 004: 申请免试的考生，经审核通过，缴纳报名考试费50元，审核未通过的考生缴纳报名
    考试费145元，缴费时间另行通知."""
    cid, token, version = ready(api, phone, category="exempt_veteran")
    version = api.get("/v1/me", token).json()["version"]
    assert api.post("/v1/me/submission", token, json={"version": version}).ok
    me = wait_status(api, token, "on_site")
    reviewer = api.staff_token("nx-640104")
    body = {"decision": "refuse_category", "reason": "退役证不符", "version": me["version"]}
    r = api.post(f"{NX}/review/candidates/{cid}/decision", reviewer, json=body)
    assert r.status_code == 200 and r.json()["status"] == "approved", r.text
    me = api.get("/v1/me", token).json()
    assert me["approvals"]["refused_category"] == "exempt_veteran"
    # not in the general window: its own, not yet announced (另行通知)
    waiting = api.get("/v1/me/payment", token).json()
    assert waiting["blocked"] == "免试考生缴费时间尚未公布"
    early = api.post("/v1/me/payment", token)
    assert early.status_code == 403 and "免试考生缴费" in early.json()["error"]["message"]
    operator = api.staff_token("operator")
    window = f"{NX}/windows/exemption_payment"
    notice = {"start": "2023-09-01T08:00", "end": "2023-09-20T18:00", "reason": "宁教考院通知"}
    bad = api.put(window, operator, json={**notice, "end": "2023-08-01T08:00"})
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "end"
    assert api.put(window, operator, json=notice).status_code == 200
    again = api.put(window, operator, json=notice)
    assert again.status_code == 409 and again.json()["error"]["code"] == "announced"
    trail = api.get(f"{NX}/audit", operator).json()
    assert any(e["action"] == "season.window_announced.exemption_payment" for e in trail)
    started = api.post("/v1/me/payment", token)
    assert started.status_code == 201 and started.json()["amount_yuan"] == 145, started.text


def test_ningxia_a_pending_exemption_order_is_replaced_when_revoked(
    api: Api, cloud: Any, phone: str, ningxia_restored: None
) -> None:
    """Providers refuse a changed amount under one order number: 50 → 145 is a new order,
    and the old one can no longer be paid."""
    from zhaokao.storage import candidates, lifecycle

    cid, token, _ = ready(api, phone, category="exempt_veteran")
    approve(cid, "exempt_veteran", exemption=True)
    operator = api.staff_token("operator")
    notice = {"start": "2023-09-01T08:00", "end": "2023-09-20T18:00", "reason": "宁教考院通知"}
    assert api.put(f"{NX}/windows/exemption_payment", operator, json=notice).ok
    first = api.post("/v1/me/payment", token).json()
    assert first["amount_yuan"] == 50
    record = candidates.get(cid)  # an upheld complaint revokes the exemption (R7.2)
    lifecycle.change(
        record, None, "test", sets={"approvals": {**record.approvals, "revoked": True}}
    )
    shown = api.get("/v1/me/payment", token).json()
    assert shown["status"] == "NONE" and shown["blocked"] is None  # the 50 order is not offered
    second = api.post("/v1/me/payment", token)
    assert second.status_code == 201, second.text
    assert second.json()["amount_yuan"] == 145
    assert second.json()["out_trade_no"] != first["out_trade_no"]
    assert cloud.payments.order(first["out_trade_no"]).state == "CLOSED"
    assert api.get("/v1/me/payment", token).json()["out_trade_no"] == second.json()["out_trade_no"]
    steps = [s["action"] for s in api.get("/v1/me/timeline", token).json()]
    assert "payment:order_replaced" in steps


def test_hunan_a_late_provincial_send_back_is_corrected_and_reviewed_again(
    api: Api, cloud: Any, phone: str
) -> None:
    """The province sends back on 20 February, long after the profile window (2 February)
    and the colleges' review (7 February): the candidate corrects within the policy's
    period, and the resubmission goes to the province alone, which reviews it in time."""
    cid, token, _ = poverty_family_in_review(api, cloud, phone)
    college, province = api.staff_token("hn-43001"), api.staff_token("hn-province")
    with hunan_clock("2024-02-05T09:00:00"):
        assert decide(api, college, cid, "approve").json()["status"] == "under_review"
    with hunan_clock("2024-02-20T10:00:00"):
        back = decide(api, province, cid, "send_back", "证明材料印章不清晰")
        assert back.json()["status"] == "returned", back.text
        me = api.get("/v1/me", token).json()
        assert me["correct_until"] == "2024-02-23T10:00:00+08:00"  # 72 hours (the policy)
        up = upload(api, token, "poverty_proof", PDF, "application/pdf")
        assert up["status"] == "accepted"
        submit(api, token)
        wait_status(api, token, "under_review")
    queue = api.get(f"{HN}/review/items", college, params={"limit": 100}).json()["items"]
    assert cid not in [i["candidate_id"] for i in queue]  # the college passed it: not asked again
    with hunan_clock("2024-02-25T10:00:00"):  # after special review closed, inside its period
        assert decide(api, province, cid, "approve").json()["status"] == "approved"


def test_a_send_back_period_ends(api: Api, cloud: Any, phone: str) -> None:
    cid, token, _ = hunan_candidate(api, cloud, phone)
    submit(api, token)
    wait_status(api, token, "under_review")
    with hunan_clock("2024-02-07T10:00:00"):
        back = decide(api, api.staff_token("hn-43001"), cid, "send_back", "照片不合格")
        assert back.json()["status"] == "returned"
    with hunan_clock("2024-02-10T10:01:00"):  # 72 hours and a minute later
        late = api.post(
            "/v1/me/uploads", token, json={"code": "photo", "content_type": "image/jpeg"}
        )
        assert late.status_code == 403 and "信息完善" in late.json()["error"]["message"]


def test_the_mailing_address_phone_is_a_phone_like_any_other(api: Api, phone: str) -> None:
    """Encrypted at rest, masked to the candidate, reviewers and in the audit (R17.2)."""
    from tests.support import ADDRESS, PERSONAL, ningxia_profile
    from zhaokao.storage import audit, candidates, pii

    mailing = "13712345678"
    PERSONAL.add(mailing)
    cid, token, version = ready(api, phone)
    address = {**ADDRESS, "phone": "+86 137-1234-5678"}  # normalised like any phone
    saved = api.put("/v1/me/profile", token, json=ningxia_profile(version, mailing_address=address))
    assert saved.status_code == 200, saved.text
    shown = saved.json()["profile"]["mailing_address"]
    assert shown["phone"] == "137****5678" and "phone_cipher" not in shown
    stored = candidates.get(cid).profile["mailing_address"]
    assert pii.decrypt(stored["phone_cipher"]) == mailing and stored["phone"] == "137****5678"
    # the form sends the masked value back unchanged: the phone stays
    me = api.get("/v1/me", token).json()
    again = ningxia_profile(me["version"], mailing_address={**ADDRESS, "phone": "137****5678"})
    assert api.put("/v1/me/profile", token, json=again).status_code == 200
    assert pii.decrypt(candidates.get(cid).profile["mailing_address"]["phone_cipher"]) == mailing
    bad = ningxia_profile(me["version"] + 1, mailing_address={**ADDRESS, "phone": "12345678901"})
    r = api.put("/v1/me/profile", token, json=bad)
    assert r.status_code == 422 and r.json()["error"]["field"] == "mailing_address.phone"
    trail = json.dumps(audit.history(f"candidate#{cid}"), ensure_ascii=False)
    assert mailing not in trail and "_cipher" not in trail
    version = api.get("/v1/me", token).json()["version"]
    api.post("/v1/me/submission", token, json={"version": version})
    wait_status(api, token, "under_review")
    opened = api.get(f"{NX}/review/candidates/{cid}", api.staff_token("nx-640104")).json()
    file_address = opened["candidate"]["profile"]["mailing_address"]
    assert file_address["phone"] == "137****5678" and "phone_cipher" not in file_address


def test_integrity_fraud_cancels_cheating_voids_and_a_ban_keeps_the_person_out(
    api: Api, cloud: Any, phone: str
) -> None:
    """诚信: recorded by operators with the decision's number, audited, shown to the
    candidate; a ban is kept by person and read by the exam-ban check (seed 000, R5.1)."""
    operator = api.staff_token("operator")
    cid, token, version = ready(api, phone)
    url = f"{NX}/candidates/{cid}/violations"
    cheating = {
        "kind": "cheating",
        "decision_no": "宁教考违〔2023〕3号",
        "description": "携带手机进入考场",
    }
    assert api.post(url, api.staff_token("nx-640104"), json=cheating).status_code == 403
    assert api.post(url, operator, json={**cheating, "kind": "other"}).status_code == 422
    past = api.post(url, operator, json={**cheating, "ban_until": "2023-01-01"})
    assert past.status_code == 422 and past.json()["error"]["field"] == "ban_until"
    elsewhere = api.post(
        f"/v1/seasons/hunan-zsb-2024/candidates/{cid}/violations", operator, json=cheating
    )
    assert elsewhere.status_code == 404
    voided = api.post(url, operator, json=cheating)
    assert voided.status_code == 201, voided.text
    assert voided.json()["scores_void"] and not voided.json()["cancelled"]
    assert voided.json()["status"] == "registered"
    fraud = {"kind": "fraud", "decision_no": "宁教考违〔2023〕4号", "description": "伪造学历证明"}
    cancelled = api.post(url, operator, json=fraud).json()
    assert cancelled["status"] == "cancelled" and cancelled["cancelled"]
    me = api.get("/v1/me", token).json()
    assert [v["label"] for v in me["integrity"]] == ["考试作弊", "弄虚作假"]
    assert me["status"] == "cancelled"
    step = api.get("/v1/me/timeline", token).json()[-1]
    assert step["action"] == "integrity:violation" and "宁教考违〔2023〕4号" in step["reason"]
    texts = [m["text"] for m in api.get("/local/outbox").json()]
    assert any("弄虚作假" in t for t in texts)
    blocked = api.post("/v1/me/submission", token, json={"version": version})
    assert blocked.status_code == 409  # a cancelled file goes nowhere


def test_a_recorded_exam_ban_fails_the_registration_check(api: Api, cloud: Any, phone: str) -> None:
    cid, token, _ = hunan_candidate(api, cloud, phone)
    operator = api.staff_token("operator")
    ban = {
        "kind": "cheating",
        "decision_no": "湘教考违〔2024〕1号",
        "description": "替考",
        "ban_until": "2026-12-31",
    }
    r = api.post(f"{HN}/candidates/{cid}/violations", operator, json=ban)
    assert r.status_code == 201, r.text
    submit(api, token)
    me = wait_status(api, token, "rejected")
    check = next(c for c in me["checks"] if c["rule"] == "hn.exam_ban")
    assert check["outcome"] == "fail" and "2026-12-31" in check["reason"]


def test_a_candidate_changes_the_phone_with_codes_to_both(api: Api, cloud: Any, phone: str) -> None:
    """Seed 000: 保持手机畅通 — a code to the old number and one to the new; the new one is
    unique in the season as at registration; the old one no longer signs in."""
    from tests.support import PERSONAL, SEEDS, register_ningxia

    _, token = register_ningxia(api, phone, next(SEEDS))
    new, other = str(int(phone) + 3), str(int(phone) + 5)
    PERSONAL.update({new, other})
    cloud.sms.history.pop(phone)  # a minute after the registration code (flow control)
    same = api.post("/v1/me/phone/otp", token, json={"phone": phone})
    assert same.status_code == 422 and same.json()["error"]["field"] == "phone"
    sent = api.post("/v1/me/phone/otp", token, json={"phone": new})
    assert sent.status_code == 200, sent.text
    assert sent.json()["old_sent_to"] == phone[:3] + "****" + phone[-4:]
    old_code, new_code = api.last_code(phone), api.last_code(new)
    wrong = {"phone": new, "old_code": "000000", "new_code": new_code}
    r = api.put("/v1/me/phone", token, json=wrong)
    assert r.status_code == 422 and r.json()["error"]["field"] == "old_code"
    done = api.put("/v1/me/phone", token, json={**wrong, "old_code": old_code})
    assert done.status_code == 200, done.text
    assert done.json()["phone"] == new[:3] + "****" + new[-4:]
    signed = {"season_id": "ningxia-adult-2023", "password": "abc12345"}
    assert api.post("/v1/auth/token", json={**signed, "phone": new}).status_code == 200
    assert api.post("/v1/auth/token", json={**signed, "phone": phone}).status_code == 401
    trail = json.dumps(api.get("/v1/me/timeline", token).json(), ensure_ascii=False)
    assert "phone:change" in trail and new not in trail and "_cipher" not in trail
    # a phone registered by someone else meanwhile is refused at the end (R3.2)
    cloud.sms.history.pop(new)
    assert api.post("/v1/me/phone/otp", token, json={"phone": other}).ok
    codes = {"phone": other, "old_code": api.last_code(new), "new_code": api.last_code(other)}
    cloud.sms.history.pop(other)
    register_ningxia(api, other, next(SEEDS))
    taken = api.put("/v1/me/phone", token, json=codes)
    assert taken.status_code == 409 and taken.json()["error"]["code"] == "phone_taken"
    assert api.get("/v1/me", token).json()["phone"] == new[:3] + "****" + new[-4:]


def test_ningxia_the_exemption_chain_is_recorded_and_originals_follow_the_look_on_site(
    api: Api, phone: str
) -> None:
    """Seed 004: 现场审核通过后，考生…上传相关资料及《审批表》的原件照片; 招生学校签署意见，
    县（市、区）教育考试中心审核，报宁夏教育考试院备案 — each step with who and when."""
    cid, token, _ = ready(api, phone, category="exempt_veteran")
    me = api.get("/v1/me", token).json()
    slots = {u["code"]: u for u in me["uploads_needed"]}
    assert slots["exemption_form"]["after_on_site"] and "招生学校意见" in str(
        slots["exemption_form"]["form"]
    )
    assert me["missing"] == []  # the originals come after the look on site
    early = api.post(
        "/v1/me/uploads", token, json={"code": "exemption_form", "content_type": "application/pdf"}
    )
    assert early.status_code == 422 and early.json()["error"]["code"] == "before_on_site"
    assert api.post("/v1/me/submission", token, json={"version": me["version"]}).ok
    me = wait_status(api, token, "on_site")
    reviewer = api.staff_token("nx-640104")
    base = f"{NX}/review/candidates/{cid}"

    def step(code: str) -> Any:
        version = api.get(base, reviewer).json()["candidate"]["version"]
        return api.post(f"{base}/steps", reviewer, json={"step": code, "version": version})

    def approve() -> Any:
        version = api.get(base, reviewer).json()["candidate"]["version"]
        return api.post(
            f"{base}/decision", reviewer, json={"decision": "approve", "version": version}
        )

    opened = api.get(base, reviewer).json()
    assert list(opened["chain"]) == ["seen", "school_signed", "filed"]
    refused = approve()
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "unfinished"
    assert "招生学校签署意见" in refused.json()["error"]["message"]
    assert step("school_signed").json()["error"]["code"] == "not_seen"
    assert step("employer_signed").json()["error"]["field"] == "step"  # not this category's
    assert step("seen").status_code == 200
    assert step("seen").json()["error"]["code"] == "step_recorded"
    signed = step("school_signed").json()
    assert signed["on_site_steps"]["school_signed"]["by"] == "county_reviewer:nx-640104"
    for code in ("exemption_form", "discharge_certificate"):
        assert upload(api, token, code, PDF, "application/pdf")["status"] == "accepted"
    assert approve().json()["status"] == "approved"
    assert step("filed").status_code == 200  # filed with the authority after the county's review
    steps = api.get("/v1/me", token).json()["on_site_steps"]
    assert list(steps) == ["seen", "school_signed", "filed"]
    trail = [s["action"] for s in api.get("/v1/me/timeline", token).json()]
    assert {"on_site:seen", "on_site:school_signed", "on_site:filed"} <= set(trail)


def test_hunan_out_of_province_poverty_families_stop_at_the_college_which_publishes(
    api: Api, cloud: Any, phone: str
) -> None:
    """Seed 000: 省外户籍生源考生以高职（专科）院校审核确认名单为准 … 并对审核名单进行公示."""
    cid, token, g = hunan_candidate(
        api, cloud, phone, category="poverty_family", out_of_province_household=True
    )
    assert upload(api, token, "poverty_proof", PDF, "application/pdf")["status"] == "accepted"
    submit(api, token)
    wait_status(api, token, "under_review")
    college = api.staff_token("hn-43001")
    assert list(api.get(f"{HN}/review/candidates/{cid}", college).json()["units"]) == ["43001"]
    with hunan_clock("2024-02-05T09:00:00"):
        assert decide(api, college, cid, "approve").json()["status"] == "approved"
        listed = api.get(f"{HN}/notices", params={"unit": "43001"}).json()
    masked = g.name[0] + "*" * (len(g.name) - 1)
    entry = next(e for e in listed["entries"] if e["name"] == masked)
    assert entry["unit"] == "43001" and entry["category"].startswith("脱贫家庭毕业生")
    assert "长沙民政职业技术学院" in listed["title"]
    main = api.get(f"{HN}/notices").json()["entries"]
    assert all(e.get("unit") is None for e in main)  # the authority's list is its own


def test_hunan_a_college_listed_poverty_family_refused_by_the_province_is_withdrawn(
    api: Api, cloud: Any, phone: str
) -> None:
    cid, _, g = poverty_family_in_review(api, cloud, phone)
    masked = g.name[0] + "*" * (len(g.name) - 1)
    with hunan_clock("2024-02-05T09:00:00"):
        decide(api, api.staff_token("hn-43001"), cid, "approve")
        entry = next(
            e
            for e in api.get(f"{HN}/notices", params={"unit": "43001"}).json()["entries"]
            if e["name"] == masked
        )
        assert entry["phase"] == "on_notice"
        refused = decide(api, api.staff_token("hn-province"), cid, "refuse_category", "证明不符")
        assert refused.json()["status"] == "approved"
        again = api.get(f"{HN}/notices", params={"unit": "43001"}).json()["entries"]
    assert next(e for e in again if e["entry_id"] == entry["entry_id"])["phase"] == "revoked"


def test_hunan_the_roster_photo_is_inspected_and_on_the_reviewers_file(
    api: Api, cloud: Any, phone: str
) -> None:
    """Seed 000: 2月4日-7日，各院校…对…照片等进行实时审核 — the college sees the photo it
    imported, which was inspected as an upload is (format, size, pixel dimensions)."""
    import requests

    cid, token, _ = hunan_candidate(api, cloud, phone)
    submit(api, token)
    wait_status(api, token, "under_review")
    opened = api.get(f"{HN}/review/candidates/{cid}", api.staff_token("hn-43001")).json()
    photo = opened["candidate"]["documents"]["photo"]
    assert photo["status"] == "accepted" and photo["source"] == "roster"
    served = requests.get(photo["url"], timeout=10)
    assert served.status_code == 200 and served.content[:3] == b"\xff\xd8\xff"


def test_hunan_a_roster_photo_too_small_refuses_its_row(cloud: Any) -> None:
    """The photo rule of the policy (295×413 at least) holds for the college's photos too."""
    import io
    import zipfile

    from PIL import Image

    from infra.local.demo import graduates, roster_files
    from zhaokao.domain.documents import inspect_photo
    from zhaokao.storage import seasons

    small = io.BytesIO()
    Image.new("RGB", (100, 120), (200, 200, 200)).save(small, format="JPEG")
    rule = seasons.get_season("hunan-zsb-2024").policy.photo
    refused = inspect_photo(small.getvalue(), rule)
    assert not refused.accepted and "295" in refused.reason
    _, photos = roster_files(graduates("43001", 2, seed=7))
    with zipfile.ZipFile(io.BytesIO(photos)) as archive:
        first = archive.read(archive.namelist()[0])
    assert inspect_photo(first, rule).accepted  # the demo's own photos are standard ones


def _pdf_page(data: bytes, png: str) -> str:
    """The first page as a PNG in tests/artifacts (to look at) and its text."""
    import pypdfium2 as pdfium

    from tests.support import ARTIFACTS

    document = pdfium.PdfDocument(data)
    page = document[0]
    page.render(scale=1.5).to_pil().save(ARTIFACTS / png)
    text = page.get_textpage().get_text_range()
    assert len(document) == 1
    return str(text)


def test_the_submitted_registration_prints_as_a_pdf_with_the_id_masked(
    api: Api, phone: str
) -> None:
    """Seed 004 asks candidates to bring their registration to the on-site review."""
    from zhaokao.storage import candidates, pii

    cid, token, version = ready(api, phone, ethnicity="回族")
    early = api.get("/v1/me/registration-form", token)
    assert early.status_code == 422 and early.json()["error"]["code"] == "not_submitted"
    assert api.post("/v1/me/submission", token, json={"version": version}).ok
    r = api.get("/v1/me/registration-form", token)
    assert r.status_code == 200 and r.headers["Content-Type"] == "application/pdf"
    assert r.headers["Content-Disposition"].startswith("attachment; filename*=UTF-8''")
    assert r.content.startswith(b"%PDF") and len(r.content) < 200_000  # a font subset
    text = _pdf_page(r.content, "registration-form.png")
    record = candidates.get(cid)
    id_number = pii.decrypt(record.id_cipher)
    assert "报名信息确认表" in text and record.name in text and "回族" in text
    assert record.id_masked in text and id_number not in text
    assert "考生签名" in text and "银川市兴庆区" in text
