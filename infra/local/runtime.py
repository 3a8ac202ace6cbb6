"""Our handlers, run in-process as Lambda runs them.

Lambda gives each execution environment one invocation at a time; handler
modules keep per-request state at module scope (the resolver's current event,
the logger's context). So each function gets a small pool of instances — the
module loaded once per instance — and an instance serves one event at a time.
"""

from __future__ import annotations

import contextlib
import contextvars
import importlib.util
import queue
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from zhaokao.adapters import instance

from .template import Function

CONCURRENCY = 4  # instances per function: Lambda's concurrency, in miniature
# The function whose handler runs in this thread now: its role makes the AWS calls (iam.py).
current_function: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "current_function", default=None
)


@contextlib.contextmanager
def role_of(function: str) -> Iterator[None]:
    """Calls made meanwhile are ``function``'s, checked against its role (iam.py): what
    Lambda's event-source mapping does with a queue, it does as the function."""
    acting = current_function.set(function)
    try:
        yield
    finally:
        current_function.reset(acting)


@dataclass
class Context:
    """The parts of Lambda's context object that handlers and powertools read."""

    function_name: str
    timeout: int
    memory_limit_in_mb: int = 1024
    function_version: str = "$LATEST"
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    log_group_name: str = ""
    log_stream_name: str = "local"
    _deadline: float = 0.0

    def __post_init__(self) -> None:
        self.invoked_function_arn = (
            f"arn:aws:lambda:us-east-1:123456789012:function:{self.function_name}"
        )
        self.log_group_name = f"/aws/lambda/{self.function_name}"
        self._deadline = time.monotonic() + self.timeout

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


def _load(module: str, instance: int) -> Any:
    """A fresh copy of a handler module (instance 0 is the ordinary import)."""
    if instance == 0:
        return importlib.import_module(module)
    spec = importlib.util.find_spec(module)
    assert spec and spec.origin, module
    copy = importlib.util.spec_from_file_location(f"{module}__instance{instance}", spec.origin)
    assert copy and copy.loader
    loaded = importlib.util.module_from_spec(copy)
    copy.loader.exec_module(loaded)
    return loaded


class _PerThread:
    """An attribute whose value belongs to the thread that set it."""

    local = threading.local()

    def __init__(self, name: str) -> None:
        self.name = name

    def __get__(self, obj: Any, owner: Any = None) -> Any:
        return getattr(self.local, self.name, None)

    def __set__(self, obj: Any, value: Any) -> None:
        setattr(self.local, self.name, value)


def one_event_per_thread() -> None:
    """powertools keeps the event being handled on its BaseRouter *class* — one per process,
    which is right in Lambda, where a process handles one event at a time. Here every
    instance is a thread of one process: without this, two requests at once read each
    other's event, and one candidate's request ran as another's (the season drill found
    profiles saved on the wrong record). Each thread keeps its own event and context."""
    from abc import ABCMeta

    from aws_lambda_powertools.event_handler import api_gateway

    names = ("current_event", "lambda_context")
    router = api_gateway.BaseRouter
    if type(router) is not ABCMeta:
        return  # done already
    per_thread = {n: _PerThread(n) for n in names}
    router.__class__ = type("PerThreadRouterMeta", (ABCMeta,), dict(per_thread))  # class-level
    for n in names:  # instance-level, on the resolvers (Router reads through its own property)
        setattr(api_gateway.ApiGatewayResolver, n, per_thread[n])


class Runtime:
    def __init__(self, functions: dict[str, Function], concurrency: int = CONCURRENCY) -> None:
        one_event_per_thread()
        self.functions = functions
        self.concurrency = concurrency
        self._pools: dict[str, queue.Queue[Any]] = {}
        self._handlers: dict[str, Any] = {}  # injected handlers (tests)
        self.invocations: dict[str, tuple[float, int]] = {}  # function -> longest s, peak B
        self._lock = threading.Lock()

    def warm(self, name: str) -> None:
        """Load every instance of a function now, as Lambda's init phase would."""
        self._pool(name)

    def _pool(self, name: str) -> queue.Queue[Any]:
        with self._lock:
            if name not in self._pools:
                pool: queue.Queue[Any] = queue.Queue()
                if name in self._handlers:
                    pool.put(self._handlers[name])
                else:
                    fn = self.functions[name]
                    for i in range(self.concurrency):
                        pool.put(getattr(_load(fn.module, i), fn.attr))
                self._pools[name] = pool
            return self._pools[name]

    def inject(self, name: str, function: Function, handler: Any) -> None:
        """Serve ``name`` with ``handler`` (a test double of a function)."""
        with self._lock:
            self.functions[name] = function
            self._handlers[name] = handler
            self._pools.pop(name, None)

    def resolve(self, name: str) -> str:
        """A function's logical id from a name or an ARN (the invoke API takes either)."""
        short = name.rsplit(":", 1)[-1] if name.startswith("arn:") else name
        if short in self.functions:
            return short
        raise KeyError(name)

    def invoke(self, name: str, event: Any) -> Any:
        """One event on a free instance; waits while all instances are busy."""
        fn, pool = self.functions[name], self._pool(name)
        handler = pool.get()
        acting = current_function.set(fn.logical_id)
        caches = instance.current.set(fn.logical_id)  # its own, as in its own process on AWS
        started, before = time.perf_counter(), _traced(reset=True)
        try:
            return handler(event, Context(fn.logical_id, fn.timeout))
        finally:
            self.measured(name, time.perf_counter() - started, _traced(peak=True) - before)
            instance.current.reset(caches)
            current_function.reset(acting)
            pool.put(handler)

    def measured(self, name: str, seconds: float, grew: int) -> None:
        """The longest invocation of each function, and the most memory one took — traced
        only while tracemalloc runs, and approximate when others run at once (their
        allocations count, and each start resets the peak)."""
        with self._lock:
            longest, peak = self.invocations.get(name, (0.0, 0))
            self.invocations[name] = (max(longest, seconds), max(peak, grew))


def _traced(peak: bool = False, reset: bool = False) -> int:
    import tracemalloc

    if not tracemalloc.is_tracing():
        return 0
    if reset:
        tracemalloc.reset_peak()
    return tracemalloc.get_traced_memory()[1 if peak else 0]
