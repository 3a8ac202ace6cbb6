"""Caches of what a function read from AWS, kept in its own process. On AWS each function
runs in processes of its own, so ``current`` is always "". The local cloud runs every
function in one process and names the function here while it runs: each function keeps
caches of its own, as on AWS, so its first read of a secret, a key or a season is its own
call, checked against its own grants."""

from __future__ import annotations

import threading
import time
from contextvars import ContextVar
from typing import Generic, TypeVar

current: ContextVar[str] = ContextVar("zhaokao_instance", default="")
T = TypeVar("T")


class Cache(Generic[T]):
    """Values by name, each kept ``seconds`` in this function's process."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._held: dict[tuple[str, str], tuple[float, T]] = {}
        self._lock = threading.Lock()

    def get(self, name: str) -> T | None:
        with self._lock:
            hit = self._held.get((current.get(), name))
        return hit[1] if hit and time.monotonic() - hit[0] < self.seconds else None

    def put(self, name: str, value: T) -> T:
        with self._lock:
            self._held[(current.get(), name)] = (time.monotonic(), value)
        return value

    def forget(self, name: str | None = None) -> None:
        """Drop ``name`` (or everything) in every function's process: after a change."""
        with self._lock:
            for key in [k for k in self._held if name in (None, k[1])]:
                del self._held[key]
