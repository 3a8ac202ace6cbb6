"""Each function keeps its caches in its own process (as on AWS); a change is forgotten in
all of them at once."""

from __future__ import annotations

from collections.abc import Callable

from zhaokao.adapters import instance


def as_function(name: str, read: Callable[[], object]) -> object:
    acting = instance.current.set(name)
    try:
        return read()
    finally:
        instance.current.reset(acting)


def test_a_function_reads_its_own_cache_and_a_change_empties_every_one() -> None:
    cache: instance.Cache[str] = instance.Cache(seconds=60)
    as_function("RegisterFunction", lambda: cache.put("hunan", "read by register"))
    assert as_function("RegisterFunction", lambda: cache.get("hunan")) == "read by register"
    assert as_function("ReviewFunction", lambda: cache.get("hunan")) is None  # its own call
    as_function("ReviewFunction", lambda: cache.put("hunan", "read by review"))
    cache.forget("hunan")
    assert as_function("RegisterFunction", lambda: cache.get("hunan")) is None
    assert as_function("ReviewFunction", lambda: cache.get("hunan")) is None


def test_a_value_is_kept_only_its_seconds() -> None:
    cache: instance.Cache[int] = instance.Cache(seconds=0)
    cache.put("n", 1)
    assert cache.get("n") is None
