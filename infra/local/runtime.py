"""Our handlers, run in-process as Lambda would run them (one module per function)."""

from __future__ import annotations

import importlib
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from .template import Function


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


class Runtime:
    def __init__(self, functions: dict[str, Function]) -> None:
        self.functions = functions
        self._handlers: dict[str, Any] = {}
        self._lock = threading.Lock()

    def handler(self, name: str) -> Any:
        with self._lock:
            if name not in self._handlers:
                fn = self.functions[name]
                self._handlers[name] = getattr(importlib.import_module(fn.module), fn.attr)
            return self._handlers[name]

    def resolve(self, name: str) -> str:
        """A function's logical id from a name or an ARN (the invoke API takes either)."""
        short = name.rsplit(":", 1)[-1] if name.startswith("arn:") else name
        if short in self.functions:
            return short
        raise KeyError(name)

    def invoke(self, name: str, event: Any) -> Any:
        fn = self.functions[name]
        return self.handler(name)(event, Context(fn.logical_id, fn.timeout))
