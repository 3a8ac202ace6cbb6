"""The local HTTP front: what API Gateway (HTTP API, payload v2, JWT authorizer) does.

``/v1/...`` becomes an API Gateway v2 event for the function that owns the route,
after the JWT is verified against the user pool's JWKS as the authorizer would;
``/`` serves ``web/``; ``/local/outbox`` shows the SMS that SNS received.
"""

from __future__ import annotations

import base64
import io
import json
import logging
import mimetypes
import os
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import jwt
import requests
from werkzeug.wrappers import Request, Response

from . import s3post
from .emulator import s3_events_held
from .runtime import Runtime
from .template import DEFAULT_ROUTE, ROOT, Route

log = logging.getLogger("zhaokao.local")
WEB = ROOT / "web"


class Authorizer:
    """HTTP API's JWT authorizer: the issuer's JWKS (from its OpenID configuration, cached),
    RS256 only, ``kid``, ``iss``, ``aud``, ``exp``, ``nbf`` and ``iat`` (ADR 8)."""

    def __init__(self) -> None:
        self.issuer = ""
        self.jwks: jwt.PyJWKClient | None = None

    def trust(self, issuer: str) -> None:
        discovery = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=10).json()
        self.issuer = issuer
        self.jwks = jwt.PyJWKClient(discovery["jwks_uri"], cache_keys=True, lifespan=7200)

    def claims(self, header: str | None) -> dict[str, Any] | None:
        if not header or self.jwks is None:
            return None
        token = header.removeprefix("Bearer ").strip()
        try:
            key = self.jwks.get_signing_key_from_jwt(token)
            return dict(
                jwt.decode(
                    token,
                    key.key,
                    algorithms=["RS256"],  # only RSA, as API Gateway: never "none" or HS256
                    issuer=self.issuer,
                    audience="zhaokao",
                    options={"require": ["exp", "iss", "aud", "sub"]},
                )
            )
        except jwt.PyJWTError as exc:
            log.info("authorizer refused a token: %s", type(exc).__name__)
            return None


def _claim_strings(claims: dict[str, Any]) -> dict[str, str]:
    # HTTP API passes every claim as a string; arrays look like "[a b]".
    return {
        k: "[" + " ".join(map(str, v)) + "]" if isinstance(v, list) else str(v)
        for k, v in claims.items()
    }


class Front:
    def __init__(
        self,
        runtime: Runtime,
        routes: list[Route],
        authorizer: Authorizer,
        outbox: Callable[[str | None], list[dict[str, str]]],
        config: dict[str, Any],
        mounts: dict[str, Callable[[Request], Response]] | None = None,
    ) -> None:
        self.mounts = mounts or {}  # path prefix → a local service (the payment provider)
        self.runtime, self.authorizer, self.outbox, self.config = (
            runtime,
            authorizer,
            outbox,
            config,
        )
        self.routes = [(r, self._pattern(r.path)) for r in routes if r.path != DEFAULT_ROUTE]
        self.fallback = next((r for r in routes if r.path == DEFAULT_ROUTE), None)

    @staticmethod
    def _pattern(path: str) -> re.Pattern[str]:
        return re.compile("^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", path) + "$")

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        request = Request(environ)
        response = self.dispatch(request)
        return response(environ, start_response)

    def dispatch(self, request: Request) -> Response:
        path = request.path
        if request.method == "OPTIONS":
            return self._cors(Response(status=204))
        if path.startswith(("/v1/", "/.well-known/")):
            return self._cors(self.api(request))
        if path == "/local/outbox":  # ?phone=<number>: what that one phone shows
            return _json(self.outbox(request.args.get("phone")))
        for prefix, service in self.mounts.items():
            if path.startswith(prefix):
                return service(request)
        if path == "/local/config.json":
            return _json(self.config)
        return self.static(path)

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        """The route and its path parameters; else the $default route, as API Gateway
        routes what no route key matches (None when there is none: the gateway's 404)."""
        for route, pattern in self.routes:
            m = pattern.match(path)
            if m and route.method == method:
                return route, m.groupdict()
        return (self.fallback, {}) if self.fallback else None

    def api(self, request: Request) -> Response:
        found = self.match(request.method, request.path)
        if found is None:
            return _json({"message": "Not Found"}, 404)
        route, params = found
        threading.current_thread().name = f"front:{route.method} {route.path}"  # for benches
        claims = None
        if not route.public:
            claims = self.authorizer.claims(request.headers.get("Authorization"))
            if claims is None:
                return _error(401, "unauthorized", "请先登录，或登录已过期")
        event = self.event(request, route, params, claims)
        try:
            result = self.runtime.invoke(route.function, event)
        except Exception:  # what API Gateway answers when the function fails
            log.exception("%s failed", route.function)
            return _json({"message": "Internal Server Error"}, 500)
        return self.response(result)

    def event(
        self, request: Request, route: Route, params: dict[str, str], claims: dict[str, Any] | None
    ) -> dict[str, Any]:
        body = request.get_data()
        encoded = False
        try:
            text = body.decode("utf-8") if body else None
        except UnicodeDecodeError:  # as API Gateway hands over a body that is not text
            text, encoded = base64.b64encode(body).decode(), True
        now = time.time()
        context: dict[str, Any] = {
            "accountId": "123456789012",
            "apiId": "local",
            "domainName": request.host,
            "domainPrefix": "local",
            "http": {
                "method": request.method,
                "path": request.path,
                "protocol": "HTTP/1.1",
                "sourceIp": request.remote_addr or "127.0.0.1",
                "userAgent": request.headers.get("User-Agent", ""),
            },
            "requestId": str(uuid.uuid4()),
            "routeKey": _route_key(route),
            "stage": "$default",
            "time": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now)),
            "timeEpoch": int(now * 1000),
        }
        if claims is not None:
            context["authorizer"] = {"jwt": {"claims": _claim_strings(claims), "scopes": None}}
        query = request.args.to_dict(flat=True)
        return {
            "version": "2.0",
            "routeKey": _route_key(route),
            "rawPath": request.path,
            "rawQueryString": request.query_string.decode(),
            "headers": {k.lower(): v for k, v in request.headers.items()},
            "queryStringParameters": query or None,
            "pathParameters": params or None,
            "requestContext": context,
            "body": text,
            "isBase64Encoded": encoded,
        }

    @staticmethod
    def response(result: dict[str, Any]) -> Response:
        body = result.get("body") or ""
        data = base64.b64decode(body) if result.get("isBase64Encoded") else body.encode()
        response = Response(data, status=int(result.get("statusCode", 200)))
        for k, v in (result.get("headers") or {}).items():
            response.headers[k] = v
        for k, values in (result.get("multiValueHeaders") or {}).items():
            response.headers[k] = ", ".join(values)
        return response

    @staticmethod
    def _cors(response: Response) -> Response:
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Allow-Headers"] = "authorization, content-type"
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, PUT, DELETE"
        return response

    def static(self, path: str) -> Response:
        relative = path.lstrip("/") or "index.html"
        target = (WEB / relative).resolve()
        if WEB.resolve() not in target.parents or not target.is_file():
            target = WEB / "index.html" if "." not in Path(relative).name else Path("/nonexistent")
        if not target.is_file():
            return _json({"message": "Not Found"}, 404)
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind in ("application/javascript", "application/json"):
            kind += "; charset=utf-8"
        return Response(target.read_bytes(), content_type=kind)


def _route_key(route: Route) -> str:
    return DEFAULT_ROUTE if route.path == DEFAULT_ROUTE else f"{route.method} {route.path}"


def _error(status: int, code: str, message: str) -> Response:
    """The API's one error shape, for what the gateway answers itself (401, 404)."""
    return _json({"error": {"code": code, "message": message, "field": None}}, status)


def _json(data: Any, status: int = 200) -> Response:
    return Response(
        json.dumps(data, ensure_ascii=False), status=status, content_type="application/json"
    )


class MotoGateway:
    """What sits in front of moto's app on its own port.

    - Lambda's invoke API for our functions (moto's Lambda needs Docker): Step
      Functions' interpreter in moto calls Lambda at moto's endpoint, so the
      state machines' Task states run our handlers through this.
    - One DynamoDB request at a time: moto's backend takes no lock, and its
      TransactWriteItems deep-copies the tables it touches while other threads
      write them. Serialised, every condition and transaction is atomic, as in
      DynamoDB itself.
    """

    _PATH = re.compile(r"^/2015-03-31/functions/(?P<name>[^/]+)/invocations$")

    def __init__(self, moto_app: Any, runtime: Runtime) -> None:
        self.moto_app, self.runtime = moto_app, runtime
        self.dynamodb = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        if environ.get("HTTP_X_AMZ_TARGET", "").startswith("DynamoDB_"):
            with self.dynamodb:
                return list(self.moto_app(environ, start_response))
        if environ.get("REQUEST_METHOD") == "POST" and environ.get("CONTENT_TYPE", "").startswith(
            "multipart/form-data"
        ):
            with s3_events_held():
                return list(self.form_upload(environ, start_response))
        with s3_events_held():
            return list(self.invoke(environ, start_response))

    def form_upload(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        """A browser's signed POST: its policy checked as S3 checks it, then to moto."""
        body = Request(environ).get_data()
        environ["wsgi.input"], environ["CONTENT_LENGTH"] = io.BytesIO(body), str(len(body))
        copy = {**environ, "wsgi.input": io.BytesIO(body)}
        form = Request(copy)
        bucket = environ.get("PATH_INFO", "/").strip("/").split("/")[0]
        upload = form.files.get("file")
        size = len(upload.read()) if upload else 0
        secrets = {os.environ["AWS_ACCESS_KEY_ID"]: os.environ["AWS_SECRET_ACCESS_KEY"]}
        try:
            s3post.check(bucket, dict(form.form.items()), size, secrets)
        except s3post.Refused as refused:
            response = Response(
                refused.xml(), status=refused.status, content_type="application/xml"
            )
            return response(environ, start_response)
        return self.moto_app(environ, start_response)

    def invoke(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        m = self._PATH.match(environ.get("PATH_INFO", ""))
        if environ.get("REQUEST_METHOD") == "POST" and m:
            from urllib.parse import unquote

            try:
                name = self.runtime.resolve(unquote(m["name"]))
            except KeyError:
                return self.moto_app(environ, start_response)  # not ours: moto's own Lambda
            request = Request(environ)
            payload = json.loads(request.get_data() or b"{}")
            headers = {"X-Amz-Executed-Version": "$LATEST"}
            try:
                result = self.runtime.invoke(name, payload)
                body = json.dumps(result, ensure_ascii=False, default=str)
            except Exception as exc:  # reported as Lambda reports an unhandled error
                headers["X-Amz-Function-Error"] = "Unhandled"
                body = json.dumps({"errorMessage": str(exc), "errorType": type(exc).__name__})
            response = Response(body, content_type="application/json", headers=headers)
            return response(environ, start_response)
        return self.moto_app(environ, start_response)
