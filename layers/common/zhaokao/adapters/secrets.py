"""Secrets Manager (R17.5): each secret read once per cold start, then again each hour so a
rotated secret reaches warm functions too."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

from . import instance
from .clients import client

REREAD_SECONDS = 3600
_cache: dict[tuple[str, str], tuple[float, dict[str, Any]]] = {}
_lock = threading.Lock()


def read(secret_id: str) -> dict[str, Any]:
    """The secret's current value as JSON (``{}`` when it is not JSON yet)."""
    with _lock:
        hit = _cache.get(instance.key(secret_id))
        if hit and time.monotonic() - hit[0] < REREAD_SECONDS:
            return hit[1]
    # AWSCURRENT named: the default, and moto's default does not follow a rotation
    reply = client("secretsmanager").get_secret_value(SecretId=secret_id, VersionStage="AWSCURRENT")
    text = reply.get("SecretString") or ""
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        value = {}
    value = value if isinstance(value, dict) else {}
    with _lock:
        _cache[instance.key(secret_id)] = (time.monotonic(), value)
    return value


def forget() -> None:
    """Drop what was read (after a rotation, and between tests)."""
    with _lock:
        _cache.clear()
