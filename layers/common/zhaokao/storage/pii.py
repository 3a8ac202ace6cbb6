"""Protection of ID numbers and phones at rest (R17.2).

Where a value serves only as a key it is stored as a keyed HMAC; where it must
be read back (SMS needs the phone) it is stored encrypted with AES-GCM.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import cache
from typing import TYPE_CHECKING

from ..settings import settings

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM


def key_hash(kind: str, value: str) -> str:
    secret = settings().pii_key.encode()
    return hmac.new(secret, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()[:40]


@cache
def _aead() -> AESGCM:
    # Imported on first use: registration pays for it, read-only routes do not.
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    return AESGCM(hashlib.sha256(b"zhaokao-pii:" + settings().pii_key.encode()).digest())


def encrypt(value: str) -> str:
    nonce = os.urandom(12)
    return base64.b64encode(nonce + _aead().encrypt(nonce, value.encode(), None)).decode()


def decrypt(token: str) -> str:
    raw = base64.b64decode(token)
    return str(_aead().decrypt(raw[:12], raw[12:], None).decode())
