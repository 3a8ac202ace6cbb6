"""Our handlers reach the local cloud's AWS endpoint without a socket.

The handlers run in the local cloud's own process, and every AWS call they make goes to
its endpoint. Over loopback HTTP each call opened a TCP connection (the server closes it
after each answer), which was half the CPU of a registration. A botocore ``before-send``
handler — the hook moto's own in-process mode uses — hands a request for that endpoint
straight to the same WSGI application the socket would reach (the gateway in front of
moto: its lock, its Lambda invoke API), and botocore reads the answer as from the wire.
Clients outside the process (the CLI, a browser's signed upload) still use the socket.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from werkzeug.test import EnvironBuilder

App = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class _Raw(io.BytesIO):
    """What botocore reads an answer's body from."""

    def stream(self, **_: Any) -> Iterable[bytes]:
        chunk = self.read()
        while chunk:
            yield chunk
            chunk = self.read()


class InProcess:
    def __init__(self, endpoint: str, app: App) -> None:
        self.endpoint, self.app = endpoint.rstrip("/"), app

    def __call__(self, request: AWSPreparedRequest, **_: Any) -> AWSResponse | None:
        if not request.url.startswith(self.endpoint + "/") and request.url != self.endpoint:
            return None  # not ours: botocore sends it as usual
        body = request.body
        if hasattr(body, "read"):
            body = body.read()
        url = urlsplit(request.url)
        environ = EnvironBuilder(
            path=url.path or "/",
            base_url=f"{url.scheme}://{url.netloc}",
            query_string=url.query,
            method=request.method,
            headers={
                k: (v.decode() if isinstance(v, bytes) else v) for k, v in request.headers.items()
            },
            data=body or b"",
        ).get_environ()
        answer: dict[str, Any] = {}

        def start_response(status: str, headers: list[tuple[str, str]], *_: Any) -> None:
            answer["status"], answer["headers"] = int(status.split(" ", 1)[0]), headers

        chunks = self.app(environ, start_response)
        try:
            content = b"".join(chunks)
        finally:
            close = getattr(chunks, "close", None)
            if close:
                close()
        headers = {k: v for k, v in answer["headers"]}
        return AWSResponse(request.url, answer["status"], headers, _Raw(content))


def install(endpoint: str, app: App) -> None:
    """Every botocore client made in this process from now on uses it."""
    from botocore.handlers import BUILTIN_HANDLERS

    BUILTIN_HANDLERS[:] = [h for h in BUILTIN_HANDLERS if not isinstance(h[1], InProcess)]
    BUILTIN_HANDLERS.append(("before-send", InProcess(endpoint, app)))
