"""Whose process a cache lives in. On AWS each function runs in processes of its own, so
this is always "". The local cloud runs every function in one process and names the
function here while it runs: each function keeps caches of its own, as on AWS, so its first
read of a secret, a key or a season is its own call, checked against its own grants."""

from __future__ import annotations

from contextvars import ContextVar

current: ContextVar[str] = ContextVar("zhaokao_instance", default="")


def key(name: str) -> tuple[str, str]:
    """A cache key for ``name`` in this function's process."""
    return current.get(), name
