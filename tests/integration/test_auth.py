"""Issue 9 through the local cloud: the platform's own tokens as the gateway checks them,
refresh families, second factors, scoping that fails closed, password reset and change,
sign-in backoff, and staff accounts an operator manages (ADR 8)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from datetime import UTC, datetime
from typing import Any

import jwt
import pyotp
import pytest

from tests.support import PERSONAL, SEEDS, Api, register_ningxia, totp_code

NX = "/v1/seasons/ningxia-adult-2023"


def _claims(**changes: Any) -> dict[str, Any]:
    from zhaokao.domain.auth import Account, access_claims
    from zhaokao.settings import settings

    account = Account("operator", "operator")
    return {**access_claims(account, settings().public_api_url, datetime.now(UTC)), **changes}


def _signed(claims: dict[str, Any]) -> str:
    from zhaokao.adapters import keys

    return keys.sign(claims)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _hs256_with_public_key(claims: dict[str, Any]) -> str:
    """The classic confusion: HS256 "signed" with the RSA public key as the HMAC secret."""
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    from zhaokao.adapters import keys

    jwk = keys.jwks()["keys"][0]
    public = jwt.PyJWK(jwk).key.public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": jwk["kid"]}).encode())
    payload = _b64(json.dumps(claims).encode())
    signature = hmac.new(public, f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{_b64(signature)}"


def _unsigned(claims: dict[str, Any]) -> str:
    from zhaokao.adapters import keys

    kid = keys.jwks()["keys"][0]["kid"]
    header = _b64(json.dumps({"alg": "none", "typ": "JWT", "kid": kid}).encode())
    return f"{header}.{_b64(json.dumps(claims).encode())}."


def _foreign_key(claims: dict[str, Any]) -> str:
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return jwt.encode(claims, key, "RS256", headers={"kid": "not-ours"})


def _tampered(claims: dict[str, Any]) -> str:
    header, _, signature = _signed(claims).split(".")
    forged = _b64(json.dumps({**claims, "sub": "someone-else"}).encode())
    return f"{header}.{forged}.{signature}"


def _now() -> int:
    return int(time.time())


BAD_TOKENS = {
    "expired": lambda: _signed(_claims(exp=_now() - 5, iat=_now() - 905, nbf=_now() - 905)),
    "not yet valid": lambda: _signed(_claims(nbf=_now() + 600)),
    "unknown kid": lambda: _foreign_key(_claims()),
    "alg none": lambda: _unsigned(_claims()),
    "HS256 with the public key": lambda: _hs256_with_public_key(_claims()),
    "another issuer": lambda: _signed(_claims(iss="https://elsewhere.example.cn")),
    "another audience": lambda: _signed(_claims(aud="someone-else")),
    "tampered payload": lambda: _tampered(_claims()),
}


@pytest.mark.parametrize("kind", list(BAD_TOKENS))
def test_a_bad_token_is_refused_by_the_gateway_in_the_error_shape(api: Api, kind: str) -> None:
    good = _signed(_claims())
    assert api.get("/v1/seasons/hunan-zsb-2024/audit", good).status_code == 200
    r = api.get("/v1/seasons/hunan-zsb-2024/audit", BAD_TOKENS[kind]())
    assert r.status_code == 401, (kind, r.text)
    assert r.json()["error"]["code"] == "unauthorized"


def test_the_jwks_publishes_the_rs256_keys_and_tokens_name_theirs(api: Api) -> None:
    config = api.get("/.well-known/openid-configuration").json()
    assert config["issuer"] == api.base and config["jwks_uri"].endswith("/.well-known/jwks.json")
    keys = api.get("/.well-known/jwks.json").json()["keys"]
    assert {k["kty"] for k in keys} == {"RSA"} and {k["alg"] for k in keys} == {"RS256"}
    assert all(set(k) == {"kty", "use", "alg", "kid", "n", "e"} for k in keys)  # public halves
    token = api.staff_token("operator")
    header, claims = (
        jwt.get_unverified_header(token),
        jwt.decode(token, options={"verify_signature": False}),
    )
    assert header["alg"] == "RS256" and header["kid"] in {k["kid"] for k in keys}
    assert claims["exp"] - claims["iat"] == 900  # a revoked account's access ends within 15 min


def _candidate(api: Api, phone: str) -> dict[str, Any]:
    register_ningxia(api, phone, next(SEEDS))
    body = {"season_id": "ningxia-adult-2023", "phone": phone, "password": "abc12345"}
    r = api.post("/v1/auth/token", json=body)
    assert r.status_code == 200, r.text
    return dict(r.json())


def test_a_refresh_token_rotates_and_a_reused_one_revokes_its_family(api: Api, phone: str) -> None:
    first = _candidate(api, phone)
    second = api.post("/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert second.status_code == 200
    fresh = second.json()
    assert fresh["refresh_token"] != first["refresh_token"]
    assert api.get("/v1/me", fresh["access_token"]).status_code == 200
    # the first secret again: someone holds a copy — the whole family ends
    reused = api.post("/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert reused.status_code == 401 and reused.json()["error"]["code"] == "session_ended"
    after = api.post("/v1/auth/refresh", json={"refresh_token": fresh["refresh_token"]})
    assert after.status_code == 401


def test_sign_out_revokes_the_refresh_token(api: Api, phone: str) -> None:
    tokens = _candidate(api, phone)
    assert api.post("/v1/auth/sign-out", json={"refresh_token": tokens["refresh_token"]}).ok
    r = api.post("/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert r.status_code == 401 and "error" in r.json()
    garbage = api.post("/v1/auth/refresh", json={"refresh_token": "nonsense"})
    assert garbage.status_code == 401 and garbage.json()["error"]["field"] == "refresh_token"


@pytest.mark.parametrize(
    "role,scope",
    [
        ("county_reviewer", {"unit": "640104"}),  # no season
        ("county_reviewer", {"season": "ningxia-adult-2023"}),  # no unit
        ("candidate", {}),  # no season
    ],
)
def test_a_token_without_its_scope_claims_fails_closed(api: Api, role: str, scope: dict) -> None:
    claims = _claims(sub="someone", roles=[role], **scope)
    for name in ("season", "unit"):
        if name not in scope:
            claims.pop(name, None)
    token = _signed(claims)
    path = f"{NX}/review/items" if role != "candidate" else "/v1/me"
    r = api.get(path, token)
    assert r.status_code == 401 and r.json()["error"]["code"] == "bad_token", r.text


def test_a_reviewer_of_one_season_cannot_reach_another(api: Api) -> None:
    token = api.staff_token("nx-640104")  # county 640104 of Ningxia 2023
    assert api.get(f"{NX}/review/items", token).status_code == 200
    other = api.get("/v1/seasons/hunan-zsb-2024/review/items", token)
    assert other.status_code == 404


def test_a_staff_role_that_sees_personal_data_needs_its_code(api: Api) -> None:
    from infra.local.demo import STAFF_PASSWORD

    body = {"username": "hn-province", "password": STAFF_PASSWORD}
    missing = api.post("/v1/auth/staff-token", json=body)
    assert missing.status_code == 401 and missing.json()["error"] == {
        "code": "code_required",
        "message": "请输入身份验证器上的6位动态码",
        "field": "code",
    }
    wrong = api.post("/v1/auth/staff-token", json={**body, "code": "000000"})
    assert wrong.status_code == 401 and wrong.json()["error"]["code"] == "bad_code"
    code = totp_code("hn-province")
    assert api.post("/v1/auth/staff-token", json={**body, "code": code}).status_code == 200
    replayed = api.post("/v1/auth/staff-token", json={**body, "code": code})
    assert replayed.status_code == 401  # a code works once


def _operator(api: Api) -> str:
    return api.staff_token("operator")


def _new_staff(api: Api, username: str, **extra: Any) -> dict[str, Any]:
    body = {
        "username": username,
        "role": "county_reviewer",
        "unit": "640104",
        "season": "ningxia-adult-2023",
        "password": "Temp2024pass",
        **extra,
    }
    r = api.post("/v1/staff", _operator(api), json=body)
    assert r.status_code == 201, r.text
    return dict(r.json())


def _enrol(api: Api, username: str, password: str = "Temp2024pass") -> tuple[pyotp.TOTP, dict]:
    login = {"username": username, "password": password}
    first = api.post("/v1/auth/staff-token", json=login)
    assert first.status_code == 401 and first.json()["error"]["code"] == "enrolment_required"
    offer = api.post("/v1/auth/totp/enrolment", json=login)
    assert offer.status_code == 200, offer.text
    assert offer.json()["qr_svg"].startswith("data:image/svg+xml")
    totp = pyotp.TOTP(offer.json()["secret"])
    done = api.post("/v1/auth/totp/activation", json={**login, "code": totp.now()})
    assert done.status_code == 200, done.text
    assert len(done.json()["recovery_codes"]) == 10
    again = api.post("/v1/auth/totp/enrolment", json=login)
    assert again.status_code == 409  # bound once; an operator resets it
    return totp, dict(done.json())


def test_a_new_staff_member_binds_an_authenticator_and_a_recovery_code_works_once(
    api: Api,
) -> None:
    view = _new_staff(api, "county-new-1")
    assert view == {
        "username": "county-new-1",
        "role": "county_reviewer",
        "unit": "640104",
        "season": "ningxia-adult-2023",
        "second_factor": False,
        "disabled": False,
    }
    _, done = _enrol(api, "county-new-1")
    assert api.get(f"{NX}/review/items", done["access_token"]).status_code == 200
    login = {"username": "county-new-1", "password": "Temp2024pass"}
    recovery = done["recovery_codes"][0]
    assert api.post("/v1/auth/staff-token", json={**login, "code": recovery}).status_code == 200
    assert api.post("/v1/auth/staff-token", json={**login, "code": recovery}).status_code == 401


def test_a_disabled_or_deleted_account_refreshes_nothing(api: Api) -> None:
    _new_staff(api, "county-new-2")
    _, done = _enrol(api, "county-new-2")
    operator = _operator(api)
    off = api.put("/v1/staff/county-new-2/status", operator, json={"disabled": True})
    assert off.status_code == 200 and off.json()["disabled"] is True
    r = api.post("/v1/auth/refresh", json={"refresh_token": done["refresh_token"]})
    assert r.status_code == 401  # at once; its access token ends within its 15 minutes
    _new_staff(api, "county-new-3")
    _, third = _enrol(api, "county-new-3")
    assert api.call("DELETE", "/v1/staff/county-new-3", operator).status_code == 204
    gone = api.post("/v1/auth/refresh", json={"refresh_token": third["refresh_token"]})
    assert gone.status_code == 401
    assert api.call("DELETE", "/v1/staff/county-new-3", operator).status_code == 404


def test_an_operator_resets_a_staff_password_and_ends_its_sign_ins(api: Api) -> None:
    _new_staff(api, "county-new-4")
    _, done = _enrol(api, "county-new-4")
    operator = _operator(api)
    reset = {"password": "Another2024", "second_factor": True}
    assert api.post("/v1/staff/county-new-4/password-reset", operator, json=reset).ok
    assert (
        api.post("/v1/auth/refresh", json={"refresh_token": done["refresh_token"]}).status_code
        == 401
    )
    old = api.post(
        "/v1/auth/staff-token", json={"username": "county-new-4", "password": "Temp2024pass"}
    )
    assert old.status_code == 401 and old.json()["error"]["code"] == "bad_credentials"
    _enrol(api, "county-new-4", "Another2024")  # the authenticator was unbound: bind anew
    audit = [a["action"] for a in _staff_audit("county-new-4")]
    assert {"staff:create", "second_factor:enrol", "staff:reset"} <= set(audit)


def _staff_audit(username: str) -> list[dict[str, Any]]:
    from zhaokao.storage.audit import history

    return history(f"staff#{username}")


def test_staff_accounts_are_for_operators_and_validated(api: Api, phone: str) -> None:
    candidate = _candidate(api, phone)["access_token"]
    body = {"username": "x-unit", "role": "county_reviewer", "password": "Temp2024pass"}
    assert api.post("/v1/staff", candidate, json=body).status_code == 403
    missing_scope = api.post("/v1/staff", _operator(api), json=body)
    assert missing_scope.status_code == 422 and missing_scope.json()["error"]["field"] == "season"
    global_role = {**body, "username": "x-ops", "role": "operator", "season": "hunan-zsb-2024"}
    scoped = api.post("/v1/staff", _operator(api), json=global_role)  # would be every season's
    assert scoped.status_code == 422 and scoped.json()["error"]["field"] == "season"
    bad_name = api.post("/v1/staff", _operator(api), json={**body, "username": "X y"})
    assert bad_name.status_code == 422 and bad_name.json()["error"]["field"] == "username"
    _new_staff(api, "county-new-5")
    twice = api.post(
        "/v1/staff",
        _operator(api),
        json={"username": "county-new-5", "role": "operator", "password": "Temp2024pass"},
    )
    assert twice.status_code == 409


def test_sign_in_does_not_tell_whether_a_phone_is_registered_and_backs_off(
    api: Api, phone: str
) -> None:
    _candidate(api, phone)
    unknown = str(int(phone) + 1)
    PERSONAL.add(unknown)
    answers = []
    for number in (phone, unknown):
        for _ in range(3):
            body = {"season_id": "ningxia-adult-2023", "phone": number, "password": "wrong123"}
            answers.append(api.post("/v1/auth/token", json=body).json())
    assert all(a == answers[0] for a in answers)  # the same answer, registered or not
    held = api.post(
        "/v1/auth/token",
        json={"season_id": "ningxia-adult-2023", "phone": phone, "password": "abc12345"},
    )
    assert held.status_code == 429 and held.json()["error"]["code"] == "signin_backoff"
    assert "秒后再试" in held.json()["error"]["message"]
    also = api.post(
        "/v1/auth/token",
        json={"season_id": "ningxia-adult-2023", "phone": unknown, "password": "abc12345"},
    )
    assert also.status_code == 429 and also.json()["error"]["code"] == "signin_backoff"


def test_a_candidate_resets_a_forgotten_password_with_an_sms_code(
    cloud: Any, api: Api, phone: str
) -> None:
    tokens = _candidate(api, phone)
    cloud.sms.history.pop(phone)  # a minute later: the gateway's per-number flow control
    sent = api.post(f"{NX}/password-reset/otp", json={"phone": phone})
    assert sent.status_code == 200 and sent.json()["sent_to"].endswith(phone[-4:])
    code = api.last_code(phone)
    wrong = api.post(
        f"{NX}/password-reset", json={"phone": phone, "otp": "000000", "password": "newpass123"}
    )
    assert wrong.status_code == 422 and wrong.json()["error"]["field"] == "otp"
    weak = api.post(f"{NX}/password-reset", json={"phone": phone, "otp": code, "password": "short"})
    assert weak.status_code == 422 and weak.json()["error"]["field"] == "password"
    done = api.post(
        f"{NX}/password-reset", json={"phone": phone, "otp": code, "password": "newpass123"}
    )
    assert done.status_code == 200, done.text
    old = {"season_id": "ningxia-adult-2023", "phone": phone, "password": "abc12345"}
    assert api.post("/v1/auth/token", json=old).status_code == 401
    assert api.post("/v1/auth/token", json={**old, "password": "newpass123"}).status_code == 200
    # every earlier sign-in ended; the code was for once
    assert (
        api.post("/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}).status_code
        == 401
    )
    again = api.post(
        f"{NX}/password-reset", json={"phone": phone, "otp": code, "password": "newpass456"}
    )
    assert again.status_code == 422


def test_a_reset_for_an_unregistered_phone_answers_the_same(api: Api, phone: str) -> None:
    PERSONAL.add(phone)
    sent = api.post(f"{NX}/password-reset/otp", json={"phone": phone})
    assert sent.status_code == 200 and set(sent.json()) == {"sent_to", "resend_after"}
    text = next(m["text"] for m in api.get("/local/outbox").json() if m["to"].endswith(phone[-4:]))
    assert "尚未注册" in text and "验证码" not in text  # the phone's owner learns, not the asker
    again = api.post(f"{NX}/password-reset/otp", json={"phone": phone})
    assert again.status_code == 429  # the same limits as registration codes


def test_a_candidate_changes_the_password_and_other_sign_ins_end(api: Api, phone: str) -> None:
    other_device = _candidate(api, phone)
    this = api.post(
        "/v1/auth/token",
        json={"season_id": "ningxia-adult-2023", "phone": phone, "password": "abc12345"},
    ).json()
    bad = api.post(
        "/v1/me/password",
        this["access_token"],
        json={"old_password": "nope1234", "new_password": "changed123"},
    )
    assert bad.status_code == 401 and bad.json()["error"]["field"] == "old_password"
    changed = api.post(
        "/v1/me/password",
        this["access_token"],
        json={"old_password": "abc12345", "new_password": "changed123"},
    )
    assert changed.status_code == 200 and "access_token" in changed.json()
    gone = api.post("/v1/auth/refresh", json={"refresh_token": other_device["refresh_token"]})
    assert gone.status_code == 401
    fresh = api.post("/v1/auth/refresh", json={"refresh_token": changed.json()["refresh_token"]})
    assert fresh.status_code == 200
    timeline = api.get("/v1/me/timeline", fresh.json()["access_token"]).json()
    assert timeline[-1]["action"] == "password:change" and "password_hash" not in json.dumps(
        timeline
    )
    texts = [m["text"] for m in api.get("/local/outbox").json() if m["to"].endswith(phone[-4:])]
    assert any("登录密码已修改" in t for t in texts)


def test_a_key_rotation_keeps_issued_tokens_valid_and_publishes_the_next_key(
    cloud: Any, api: Api
) -> None:
    before = api.staff_token("operator")
    kids = [k["kid"] for k in api.get("/.well-known/jwks.json").json()["keys"]]
    cloud.rotate("TokenKeysSecret", "KeyRotationFunction")
    from zhaokao.adapters import secrets

    secrets.forget()  # warm functions read the new set within the hour; here at once
    after = [k["kid"] for k in api.get("/.well-known/jwks.json").json()["keys"]]
    assert len(after) == 3 and kids[1] in after  # the former next key now signs
    token = _signed(_claims())
    assert jwt.get_unverified_header(token)["kid"] == kids[1]
    assert api.get("/v1/seasons/hunan-zsb-2024/audit", before).status_code == 200
    assert api.get("/v1/seasons/hunan-zsb-2024/audit", token).status_code == 200


def test_the_sms_gateway_enforces_templates_and_its_receipts_are_recorded(
    cloud: Any, api: Api, phone: str
) -> None:
    from zhaokao.adapters import sms
    from zhaokao.domain.errors import Unavailable
    from zhaokao.domain.sms import Message
    from zhaokao.storage import messages

    unapproved = Message("otp", "宁夏教育考试院", "SMS_UNKNOWN", {"code": "1"}, "")
    with pytest.raises(Unavailable):
        sms.send(phone, unapproved, "x.y.z")
    cloud.sms.unreachable.add(phone)
    PERSONAL.add(phone)
    api.post(f"{NX}/otp", json={"phone": phone})
    deadline = time.monotonic() + 10
    sent = next(m for m in cloud.sms.sent if m["phone"] == phone)
    record = None
    while time.monotonic() < deadline and record is None:
        record = messages.get(sent["out_id"])
        time.sleep(0.05)
    assert record is not None and record.status == "failed"
    assert record.error == "MOBILE_NOT_ON_SERVICE" and record.kind == "otp"
    assert record.phone_masked == phone[:3] + "****" + phone[-4:]
    forged = api.post("/v1/sms/receipts", data=b"[]", headers={"Content-Type": "application/json"})
    assert forged.status_code == 401


def test_a_season_without_a_template_for_every_message_is_refused() -> None:
    from tests.support import preset_policy
    from zhaokao.domain.errors import PolicyError
    from zhaokao.domain.policy import load_policy

    data = preset_policy("ningxia-adult-2023")
    del data["sms"]["templates"]["payment_paid"]
    with pytest.raises(PolicyError, match=r"sms: .*templates\.payment_paid: missing"):
        load_policy(data)
    data = preset_policy("ningxia-adult-2023")
    data["sms"]["templates"]["otp"]["text"] = "验证码${code}，${extra}"
    with pytest.raises(PolicyError, match="sms"):
        load_policy(data)


def test_tokens_live_in_real_time_whatever_a_season_clock_says() -> None:
    before = int(time.time())
    claims = _claims()
    after = int(time.time())
    assert before <= claims["iat"] <= after  # issued by the real clock, however busy
    assert claims["exp"] - claims["iat"] == 15 * 60


def test_global_regions_may_send_by_sns_instead(cloud: Any, monkeypatch: Any, phone: str) -> None:
    """SmsProvider=sns: the same message, its text as the phone shows it, through SNS."""
    from moto.sns.models import sns_backends

    from infra.local.demo import preset
    from zhaokao.adapters import sms
    from zhaokao.settings import settings

    PERSONAL.add(phone)
    monkeypatch.setenv("ZHAOKAO_SMS_PROVIDER", "sns")
    settings.cache_clear()
    try:
        message = preset("hunan-zsb-2024").message("otp", code="246810")
        assert sms.send(phone, message, "hunan-zsb-2024.otp.x")
    finally:
        monkeypatch.delenv("ZHAOKAO_SMS_PROVIDER")
        settings.cache_clear()
    published = sns_backends["123456789012"]["us-east-1"].sms_messages.values()
    assert (
        f"+86{phone}",
        "【湖南省教育考试院】您的注册验证码为246810，5分钟内有效，请勿告诉他人。",
    ) in list(published)
