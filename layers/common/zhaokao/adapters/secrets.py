"""Secrets Manager (R17.5): each secret read once per cold start, then again each hour so a
rotated secret reaches warm functions too."""

from __future__ import annotations

import json
from typing import Any

from . import instance
from .clients import client

REREAD_SECONDS = 3600
_cache: instance.Cache[dict[str, Any]] = instance.Cache(REREAD_SECONDS)


def read(secret_id: str) -> dict[str, Any]:
    """The secret's current value as JSON (``{}`` when it is not JSON yet)."""
    hit = _cache.get(secret_id)
    if hit is not None:
        return hit
    # AWSCURRENT named: the default, and moto's default does not follow a rotation
    reply = client("secretsmanager").get_secret_value(SecretId=secret_id, VersionStage="AWSCURRENT")
    text = reply.get("SecretString") or ""
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        value = {}
    value = value if isinstance(value, dict) else {}
    return _cache.put(secret_id, value)


def forget() -> None:
    """Drop what was read (after a rotation, and between tests)."""
    _cache.forget()
