"""Protection of ID numbers and phones at rest (R17.2, R17.5): envelope encryption.

Where a value serves only as a key it is stored as a keyed HMAC; where it must be read back
(SMS needs the phone) it is encrypted with AES-GCM under a **data key**. The data keys live
in a Secrets Manager secret (``PiiSecret``) only wrapped by the stack's KMS key; a function
unwraps each one once per cold start. Each ciphertext names its data key
(``k1.<key id>.<nonce+ciphertext>``), so a rotation (KeyRotationFunction: a new current
data key) needs no re-encryption at once: new values use the new key, and the rewrap job
moves old ones over in its own time. The HMAC key stays: lookups keep working.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import cache
from typing import TYPE_CHECKING, Any, TypedDict, cast

from ..adapters import instance, kms, secrets
from ..settings import settings

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

PREFIX = "k1"


class Keyring(TypedDict):
    """The PII secret: the HMAC key of lookups, and the wrapped data keys by id."""

    hmac_key: str
    current: str  # the data key new ciphertexts are made with
    data_keys: dict[str, str]  # id -> the data key, wrapped by KMS


def _keyring(fresh: bool = False) -> Keyring:
    if fresh:
        secrets.forget()
    return cast(Keyring, secrets.read(settings().pii_secret))  # written only by rotation


@cache
def _hmac_key(encoded: str) -> bytes:
    return base64.b64decode(encoded)


def key_hash(kind: str, value: str) -> str:
    key = _hmac_key(_keyring()["hmac_key"])
    return hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()[:40]


@cache
def _aead(process: str, key_id: str, wrapped: str) -> AESGCM:
    # cryptography imported on first use: registration pays for it, read-only routes do not
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    return AESGCM(kms.unwrap(base64.b64decode(wrapped)))


def _data_key(key_id: str | None = None) -> tuple[str, AESGCM]:
    ring = _keyring()
    key_id = key_id or ring["current"]
    if key_id not in ring["data_keys"]:  # made since this function read the secret
        ring = _keyring(fresh=True)
    return key_id, _aead(instance.current.get(), key_id, ring["data_keys"][key_id])


def current_key() -> str:
    return str(_keyring()["current"])


def key_of(token: str) -> str:
    return token.split(".", 2)[1]


def encrypt(value: str) -> str:
    key_id, aead = _data_key()
    nonce = os.urandom(12)
    body = base64.b64encode(nonce + aead.encrypt(nonce, value.encode(), None)).decode()
    return f"{PREFIX}.{key_id}.{body}"


def decrypt(token: str) -> str:
    _, key_id, body = token.split(".", 2)
    raw = base64.b64decode(body)
    return str(_data_key(key_id)[1].decrypt(raw[:12], raw[12:], None).decode())


def rewrapped(token: str) -> str | None:
    """The value under the current data key, or None when it is already there."""
    if key_of(token) == current_key():
        return None
    return encrypt(decrypt(token))


def shown(value: Any) -> Any:
    """``value`` without its ``*_cipher`` entries, at any depth: what views and the audit
    keep of a JSON attribute (the masked value beside each cipher is what they show)."""
    if isinstance(value, dict):
        return {k: shown(v) for k, v in value.items() if not k.endswith("_cipher")}
    if isinstance(value, list):
        return [shown(v) for v in value]
    return value
