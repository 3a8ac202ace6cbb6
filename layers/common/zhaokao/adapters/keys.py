"""Keys in Secrets Manager and KMS (R17.5): the token signing keys (RSA keys in a secret,
a JWKS of their public halves, tokens signed with the current one, ADR 8) and the
personal-data keyring (an HMAC key and KMS-wrapped data keys, storage/pii.py); both
rotated by Secrets Manager's four steps."""

from __future__ import annotations

import base64
import json
from functools import cache
from secrets import token_bytes, token_hex  # (our own .secrets is Secrets Manager)
from typing import Any

from ..domain.auth import ALGORITHM, SigningKey, revoked, signing_key
from ..settings import settings
from . import kms, secrets


def key_set(value: dict[str, Any] | None = None) -> list[SigningKey]:
    """The keys of the secret's value (the current one by default); none when it is empty."""
    value = secrets.read(settings().token_keys_secret) if value is None else value
    return [SigningKey(k["kid"], k["state"], k["private_pem"]) for k in value.get("keys", [])]


def as_secret(keys: list[SigningKey]) -> str:
    return json.dumps({"keys": [k._asdict() for k in keys]})


def generate() -> SigningKey:
    """A fresh 2048-bit RSA key (RS256: the gateway's JWT authorizer verifies only RSA)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    return SigningKey(token_hex(8), "next", pem)


@cache
def _private(pem: str) -> Any:
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    return load_pem_private_key(pem.encode(), password=None)


def sign(claims: dict[str, Any]) -> str:
    import jwt

    key = signing_key(key_set())
    return str(jwt.encode(claims, _private(key.private_pem), ALGORITHM, headers={"kid": key.kid}))


def jwks(keys: list[SigningKey] | None = None) -> dict[str, Any]:
    """Every published key's public half (next, current and previous), as RFC 7517 JWKs."""
    out = []
    for key in key_set() if keys is None else keys:
        numbers = _private(key.private_pem).public_key().public_numbers()
        out.append(
            {
                "kty": "RSA",
                "use": "sig",
                "alg": ALGORITHM,
                "kid": key.kid,
                "n": _b64(numbers.n),
                "e": _b64(numbers.e),
            }
        )
    return {"keys": out}


def _b64(number: int) -> str:
    raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


# -- rotation (Secrets Manager's four steps, run by functions/admit/key_rotation.py) --------
def rotation_step(step: str, secret_id: str, token: str) -> None:
    """One step of a Secrets Manager rotation of the key set (``domain.auth.rotated``)."""
    from ..domain.auth import rotated
    from .clients import client

    manager = client("secretsmanager")
    if step == "createSecret":
        try:
            manager.get_secret_value(SecretId=secret_id, VersionId=token, VersionStage="AWSPENDING")
            return  # this rotation's keys were already made (a retried step)
        except manager.exceptions.ResourceNotFoundException:
            pass
        current = manager.get_secret_value(SecretId=secret_id, VersionStage="AWSCURRENT")
        try:
            value = json.loads(current.get("SecretString") or "{}")
        except json.JSONDecodeError:
            value = {}  # the placeholder CloudFormation created: the first rotation
        value = value if isinstance(value, dict) else {}
        if secret_id == settings().pii_secret:
            following = json.dumps(next_keyring(value))
        else:
            following = as_secret(rotated(key_set(value), generate))
        manager.put_secret_value(
            SecretId=secret_id,
            ClientRequestToken=token,
            SecretString=following,
            VersionStages=["AWSPENDING"],
        )
    elif step == "setSecret":
        return  # the keys live only in the secret: nothing else to tell
    elif step == "testSecret":
        pending = manager.get_secret_value(
            SecretId=secret_id, VersionId=token, VersionStage="AWSPENDING"
        )
        value = json.loads(pending["SecretString"])
        if secret_id == settings().pii_secret:
            kms.unwrap(base64.b64decode(value["data_keys"][value["current"]]))
        else:
            _self_test(key_set(value))
    elif step == "finishSecret":
        versions = manager.describe_secret(SecretId=secret_id)["VersionIdsToStages"]
        current = next((v for v, stages in versions.items() if "AWSCURRENT" in stages), None)
        if current == token:
            return
        manager.update_secret_version_stage(
            SecretId=secret_id,
            VersionStage="AWSCURRENT",
            MoveToVersionId=token,
            RemoveFromVersionId=current,
        )
        secrets.forget()
    else:
        raise ValueError(f"unknown rotation step {step!r}")


def revoke(secret_id: str | None = None) -> list[str]:
    """Replace a leaked token key set at once (not a rotation: nothing of it is kept) and
    check the new set as a rotation would; the new key ids. Only ever the token keys'
    secret (the personal-data keyring is never replaced: what it encrypted would be lost)."""
    secret_id = secret_id or settings().token_keys_secret
    from .clients import client

    fresh = revoked(generate)
    _self_test(fresh)
    client("secretsmanager").put_secret_value(  # the new version becomes AWSCURRENT
        SecretId=secret_id, SecretString=as_secret(fresh)
    )
    secrets.forget()
    return [k.kid for k in fresh]


def next_keyring(ring: dict[str, Any]) -> dict[str, Any]:
    """The personal-data keyring after one rotation: a new current data key (from KMS); the
    earlier ones kept for what they encrypted; the HMAC key unchanged (lookups by it stay)."""
    _, wrapped = kms.new_data_key(settings().pii_kms_key)
    key_id = token_hex(4)
    return {
        "hmac_key": ring.get("hmac_key") or base64.b64encode(token_bytes(32)).decode(),
        "data_keys": {**ring.get("data_keys", {}), key_id: base64.b64encode(wrapped).decode()},
        "current": key_id,
    }


def _self_test(keys: list[SigningKey]) -> None:
    """A token signed by the new current key verifies against the new published set."""
    import jwt

    key = signing_key(keys)
    token = jwt.encode(
        {"sub": "rotation-test"}, _private(key.private_pem), ALGORITHM, headers={"kid": key.kid}
    )
    published = {k["kid"]: k for k in jwks(keys)["keys"]}
    public = jwt.PyJWK(published[key.kid]).key
    jwt.decode(token, public, algorithms=[ALGORITHM])
