"""R17.2/R17.5: ID numbers and phones under KMS-wrapped data keys; a rotation that needs no
re-encryption at once, and the job that moves old records over."""

from __future__ import annotations

import base64
import json
from typing import Any

from tests.support import ADDRESS, SEEDS, Api, ningxia_profile, register_ningxia


def test_stored_values_decrypt_and_keys_do_not_reveal(cloud: Any) -> None:
    """What must be read back (SMS needs the phone) round-trips; keys are one-way."""
    from zhaokao.storage import pii

    token = pii.encrypt("13800138000")
    assert token.startswith(f"k1.{pii.current_key()}.")  # the data key named with the value
    assert "13800138000" not in token and pii.decrypt(token) == "13800138000"
    assert pii.encrypt("13800138000") != token  # a fresh nonce each time
    assert pii.key_hash("phone", "13800138000") == pii.key_hash("phone", "13800138000")
    assert "13800138000" not in pii.key_hash("phone", "13800138000")


def test_the_data_keys_are_kept_only_wrapped_by_kms(cloud: Any) -> None:
    manager = cloud.client("secretsmanager")
    current = manager.get_secret_value(SecretId=cloud.refs["PiiSecret"], VersionStage="AWSCURRENT")
    ring = json.loads(current["SecretString"])
    wrapped = base64.b64decode(ring["data_keys"][ring["current"]])
    assert len(wrapped) > 32  # a KMS ciphertext blob, not a 32-byte key
    plain = cloud.client("kms").decrypt(CiphertextBlob=wrapped)["Plaintext"]
    assert len(plain) == 32 and plain not in json.dumps(ring).encode()
    assert not {k for k in __import__("os").environ if "PII_KEY" in k or "PAY_API" in k}


def test_a_rotation_then_the_rewrap_job_moves_every_record_to_the_new_key(
    cloud: Any, api: Api, phone: str
) -> None:
    from zhaokao.adapters import secrets
    from zhaokao.storage import candidates, notices, pii
    from zhaokao.storage.models import NoticeRecord

    cid, token = register_ningxia(api, phone, next(SEEDS))
    version = api.get("/v1/me", token).json()["version"]
    assert api.put("/v1/me/profile", token, json=ningxia_profile(version)).ok  # a mailing phone
    before = candidates.get(cid)
    entry = NoticeRecord(season_id="ningxia-adult-2023", key="entry#rewrap", candidate_id=cid)
    complaint = notices.file_complaint(  # a complainant's phone, kept with the complaint
        "ningxia-adult-2023", entry, {"name": "举报人", "phone_cipher": pii.encrypt(phone)}
    )
    old_key = pii.key_of(before.phone_cipher)
    cloud.rotate("PiiSecret", "KeyRotationFunction")
    secrets.forget()  # warm functions read the new keyring within the hour
    new_key = pii.current_key()
    assert new_key != old_key
    assert pii.decrypt(before.phone_cipher) == phone  # old values still read: no rush
    signed = api.post(  # lookups by HMAC are unchanged by a rotation
        "/v1/auth/token",
        json={"season_id": "ningxia-adult-2023", "phone": phone, "password": "abc12345"},
    )
    assert signed.status_code == 200
    result: dict[str, Any] = {"done": False, "resume": None}
    runs = 0
    while not result["done"]:
        result = cloud.runtime.invoke("PiiRewrapFunction", {"resume": result["resume"]})
        runs += 1
    assert result["rewrapped"] >= 1 or runs > 1
    after = candidates.get(cid)
    assert pii.key_of(after.phone_cipher) == pii.key_of(after.id_cipher) == new_key
    assert pii.decrypt(after.phone_cipher) == phone
    mailing = after.profile["mailing_address"]["phone_cipher"]
    assert pii.key_of(mailing) == new_key and pii.decrypt(mailing) == ADDRESS["phone"]
    assert int(after.version) == int(before.version)  # the data is the same: not a change
    kept = notices.get("ningxia-adult-2023", complaint.key).body["phone_cipher"]
    assert pii.key_of(kept) == new_key and pii.decrypt(kept) == phone
    again = cloud.runtime.invoke("PiiRewrapFunction", {})
    assert again == {"rewrapped": 0, "done": True, "resume": None}  # idempotent


def test_a_leaked_token_key_set_is_replaced_in_one_step(cloud: Any) -> None:
    """Runbook: one revocation where three rotations were needed (the secret holds all three
    keys, so a leak is of all three). Done on a copy of the secret: the suite's tokens stay."""
    from zhaokao.adapters import keys

    manager = cloud.client("secretsmanager")
    live = keys.key_set()
    copy = manager.create_secret(Name="leaked-token-keys", SecretString=keys.as_secret(live))
    leaked = {k.kid for k in live}
    kids = keys.revoke(copy["ARN"])
    now = keys.key_set(json.loads(manager.get_secret_value(SecretId=copy["ARN"])["SecretString"]))
    assert {k.kid for k in now} == set(kids) and not leaked & set(kids)
    assert sorted(k.state for k in now) == ["current", "next"]
    assert {k["kid"] for k in keys.jwks(now)["keys"]} == set(kids)  # none of the leaked
