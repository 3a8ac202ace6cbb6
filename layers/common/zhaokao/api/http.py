"""One error shape across the API, ``{"error": {"code", "message", "field"}}``, and who is calling.

Domain errors map to HTTP here, by type — never by matching message text.
"""

from __future__ import annotations

import base64
import inspect
import json
import re
from collections.abc import Mapping
from importlib import resources
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.event_handler.openapi.exceptions import (
    RequestValidationError,
    ResponseValidationError,
)
from aws_lambda_powertools.event_handler.openapi.types import (
    OpenAPIResponse,
    OpenAPIResponseContentModel,
    OpenAPIResponseContentSchema,
)
from botocore.exceptions import ClientError
from pynamodb.exceptions import PynamoDBException

from ..domain.auth import REVIEWERS, ROLES, Principal, principal_of
from ..domain.credentials import same_secret
from ..domain.errors import (
    Conflict,
    DomainError,
    Duplicate,
    Forbidden,
    NotFound,
    TooManyRequests,
    Unauthenticated,
    Unavailable,
    WindowClosed,
)
from ..settings import settings

__all__ = ["REVIEWERS", "ROLES", "Api", "Principal", "allow", "principal"]
ROLES_EXTENSION = "x-zhaokao-roles"  # the roles a route admits, in the OpenAPI document too
logger = Logger(service="zhaokao-service")


def error_response(status: int, code: str, message: str, field: str | None = None) -> Response[str]:
    body = {"error": {"code": code, "message": message, "field": field}}
    return Response(
        status_code=status,
        content_type=content_types.APPLICATION_JSON,
        body=json.dumps(body, ensure_ascii=False),
    )


def _chinese(err: dict[str, Any]) -> str:
    """A validation error in words a candidate reads (never pydantic's English)."""
    kind, ctx = err.get("type", ""), err.get("ctx") or {}
    words = {
        "missing": "缺少必填字段",
        "extra_forbidden": "不允许的字段",
        "json_invalid": "请求体不是合法的JSON",
        "model_attributes_type": "格式不正确，应为对象",
        "dict_type": "格式不正确，应为对象",
        "model_type": "格式不正确，应为对象",
        "list_type": "格式不正确，应为列表",
        "string_type": "应为文字",
        "int_type": "应为整数",
        "int_parsing": "应为整数",
        "int_from_float": "应为整数",
        "float_type": "应为数字",
        "float_parsing": "应为数字",
        "bool_type": "应为“是”或“否”（true/false）",
        "bool_parsing": "应为“是”或“否”（true/false）",
        "date_type": "日期格式应为 YYYY-MM-DD",
        "date_parsing": "日期格式应为 YYYY-MM-DD",
        "date_from_datetime_parsing": "日期格式应为 YYYY-MM-DD",
        "datetime_type": "时间格式应为 YYYY-MM-DDTHH:MM",
        "datetime_parsing": "时间格式应为 YYYY-MM-DDTHH:MM",
        "datetime_from_date_parsing": "时间格式应为 YYYY-MM-DDTHH:MM",
        "string_pattern_mismatch": "格式不正确",
        "enum": "不是可选的值",
        "literal_error": "不是可选的值",
        "uuid_parsing": "格式不正确",
    }
    if kind in words:
        return words[kind]
    if kind == "string_too_short":
        return "不能为空" if ctx.get("min_length") == 1 else f"至少{ctx.get('min_length')}个字"
    if kind == "string_too_long":
        return f"不能超过{ctx.get('max_length')}个字"
    if kind == "too_short":
        return f"至少{ctx.get('min_length')}项"
    if kind == "too_long":
        return f"不能超过{ctx.get('max_length')}项"
    if kind in ("greater_than_equal", "greater_than"):
        return f"不能小于{ctx.get('ge', ctx.get('gt'))}"
    if kind in ("less_than_equal", "less_than"):
        return f"不能大于{ctx.get('le', ctx.get('lt'))}"
    return "格式不正确"


def _validation_error(exc: RequestValidationError) -> Response[str]:
    """Every field error at once (``fields``), the first also as ``field``/``message``."""
    fields = []
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path")]
        fields.append({"field": ".".join(loc) or None, "message": _chinese(err)})
    first = fields[0]
    body = {
        "error": {
            "code": "validation_error",
            "message": first["message"],
            "field": first["field"],
            "fields": fields,
        }
    }
    return Response(
        status_code=422,
        content_type=content_types.APPLICATION_JSON,
        body=json.dumps(body, ensure_ascii=False),
    )


# R17.3: each kind of domain error's HTTP status; any other (a malformed value, a rule) is 422
STATUS: dict[type[DomainError], int] = {
    Unauthenticated: 401,
    Forbidden: 403,
    WindowClosed: 403,
    NotFound: 404,
    Duplicate: 409,
    Conflict: 409,
    TooManyRequests: 429,
    Unavailable: 503,
}


def status_of(error: DomainError) -> int:
    return next((STATUS[kind] for kind in type(error).__mro__ if kind in STATUS), 422)


def setup(app: APIGatewayHttpResolver) -> None:
    """Error handlers every API function shares."""

    @app.exception_handler(DomainError)  # type: ignore[untyped-decorator]
    def _domain(exc: DomainError) -> Response[str]:
        return error_response(status_of(exc), exc.code, exc.message, exc.field)

    @app.exception_handler(RequestValidationError)  # type: ignore[untyped-decorator]
    def _invalid(exc: RequestValidationError) -> Response[str]:
        return _validation_error(exc)

    @app.exception_handler(ResponseValidationError)  # type: ignore[untyped-decorator]
    def _unsaid(exc: ResponseValidationError) -> Response[str]:
        # an answer its view does not describe: our bug, never the caller's (a 500, logged)
        logger.error("response outside its view", extra={"errors": str(exc.errors())[:2000]})
        return error_response(500, "internal_error", "系统错误，请稍后重试")

    @app.not_found
    def _missing(_exc: Exception) -> Response[str]:
        return error_response(404, "not_found", "没有这个接口")

    @app.exception_handler([PynamoDBException, ClientError])  # type: ignore[untyped-decorator]
    def _aws(exc: Exception) -> Response[str]:
        # Throttled, in conflict, denied, a service error (storage/outcomes.py): the request
        # did not happen; the caller may retry. The log says which, for the operators.
        logger.exception("AWS call failed", extra={"error": type(exc).__name__})
        return error_response(503, "unavailable", "系统繁忙，请稍后重试")


# Every error status the API answers, in the one error shape (the OpenAPI document lists,
# for each operation, those it can answer: infra/openapi.py).
ERRORS = {
    400: "请求内容不是UTF-8编码",
    401: "未登录、登录已过期或账号密码错误",
    403: "无权操作，或不在规定的时间内",
    404: "不存在",
    409: "与当前状态冲突（如信息已被修改、重复提交）",
    413: "请求内容过大",
    415: "请求内容须为JSON（Content-Type: application/json）",
    422: "内容不符合要求（逐项说明）",
    429: "过于频繁，请稍后再试",
    503: "系统繁忙，请稍后重试",
}


ERRORS_EXTENSION = "x-zhaokao-errors"


def errors(*statuses: int, roles: dict[str, Any] | None = None) -> dict[str, Any]:
    """Route option (``openapi_extensions=``, with the route's ``allow`` if any): error
    statuses beyond those every route of its kind answers (R17.3) — e.g. 429 for a route
    that limits how often."""
    unknown = set(statuses) - set(ERRORS)
    if unknown:
        raise ValueError(f"unknown error statuses {sorted(unknown)}")
    return {**(roles or {}), ERRORS_EXTENSION: sorted(statuses)}


def file_answer(description: str, *content_types: str) -> dict[int, OpenAPIResponse]:
    """Route option (``responses=``) of a download: a file of one of ``content_types``, not
    a model to validate."""
    content: dict[str, OpenAPIResponseContentSchema | OpenAPIResponseContentModel] = {
        t: OpenAPIResponseContentModel() for t in content_types
    }
    return {200: {"description": description, "content": content}}


def answers(model: type[Any], *statuses: int) -> dict[int, OpenAPIResponse]:
    """Route option (``responses=``) of a callback that answers its caller in the caller's
    own shape, success or not (a payment provider, an SMS gateway)."""
    content: dict[str, OpenAPIResponseContentSchema | OpenAPIResponseContentModel] = {
        "application/json": {"model": model}
    }
    return {
        s: {"description": "已受理" if s < 400 else "验签失败", "content": content}
        for s in statuses
    }


def attachment(filename: str) -> dict[str, str]:
    """A download's headers: saved under ``filename`` (RFC 6266/5987: Chinese names too),
    never shown in place or sniffed as another type."""
    from urllib.parse import quote

    return {
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}",
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "no-store",
    }


def allow(*roles: str) -> dict[str, Any]:
    """Route option: only these roles may call (R15.1); checked before the body is read."""
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles {sorted(unknown)}")
    return {ROLES_EXTENSION: list(roles)}


class Api(APIGatewayHttpResolver):
    """The resolver every API function uses: validation on, one error shape, and
    each route's roles checked from the verified JWT claims *before* validation,
    so a caller of the wrong role learns nothing from a 422 about the route."""

    def __init__(self) -> None:
        super().__init__(enable_validation=True, response_validation_error_http_code=500)
        self.roles: dict[str, frozenset[str]] = {}
        setup(self)

    def route(self, rule: str, method: Any, *args: Any, **kwargs: Any) -> Any:
        bound = inspect.signature(super().route).bind(rule, method, *args, **kwargs)
        roles = (bound.arguments.get("openapi_extensions") or {}).get(ROLES_EXTENSION)
        if roles:
            path = re.sub(r"<(\w+)>", r"{\1}", rule)
            for m in [method] if isinstance(method, str) else method:
                self.roles[f"{m.upper()} {path}"] = frozenset(roles)
        return super().route(rule, method, *args, **kwargs)

    def resolve(self, event: Mapping[str, Any], context: Any) -> dict[str, Any]:
        roles = self.roles.get(str(event.get("routeKey")))
        if roles:
            claims = claims_of(event)
            try:
                who = principal_of(claims)  # R15.1: a token without its scope fails closed
            except DomainError as exc:
                return _raw(error_response(status_of(exc), exc.code, exc.message, exc.field))
            if not who.groups & roles:
                return _raw(error_response(403, "forbidden_role", "无权访问该功能"))
            season = (event.get("pathParameters") or {}).get("season_id")
            if who.season and season and season != who.season:  # R15.1: own season only
                return _raw(error_response(404, "not_found", "没有找到该考试季", "season_id"))
        if any(len(v) > MAX_ID for v in (event.get("pathParameters") or {}).values()):
            return _raw(error_response(404, "not_found", "不存在"))  # no such id is ever made
        own = dict(event)  # the body is handed on decoded
        refused = _check_body(own)
        if refused is not None:
            return _raw(refused)
        return dict(super().resolve(own, context))


# The edges of a request (R17.3, R17.4): refused here, in the error shape, before anything
# parses the body. Files never come through the API (R4.3); CSV imports are the big ones.
MAX_BODY = 256 * 1024
MAX_IMPORT_BODY = 5 * 1024 * 1024
IMPORT_ROUTES = frozenset(
    {
        "POST /v1/seasons/{season_id}/catalogue/{kind}",
        "POST /v1/seasons/{season_id}/previous-sitters",
    }
)
MAX_DEPTH = 20
MAX_ID = 128  # characters of a path parameter: every id we make is shorter
MAX_NUMBER = 30  # characters of one JSON number


def _check_body(event: dict[str, Any]) -> Response[str] | None:
    """413 past the size, 415 when not said to be JSON, 400 when not UTF-8, 422 when nested
    too deep or a number too long; the body is handed on as text."""
    raw = event.get("body")
    if not raw:
        return None
    data = base64.b64decode(raw) if event.get("isBase64Encoded") else str(raw).encode()
    limit = MAX_IMPORT_BODY if event.get("routeKey") in IMPORT_ROUTES else MAX_BODY
    if len(data) > limit:
        return error_response(413, "body_too_large", f"请求内容不能超过{limit // 1024}KB")
    headers = {k.lower(): v for k, v in (event.get("headers") or {}).items()}
    if not _JSON_TYPE.match(headers.get("content-type", "")):
        return error_response(415, "not_json", "请求内容须为JSON（Content-Type: application/json）")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return error_response(400, "not_utf8", "请求内容须为UTF-8编码")
    event["body"], event["isBase64Encoded"] = text, False
    if _depth(text) > MAX_DEPTH:
        return error_response(422, "too_deep", f"请求内容嵌套不能超过{MAX_DEPTH}层")
    if any(len(n) > MAX_NUMBER for n in _NUMBER.findall(_STRINGS.sub('""', text))):
        return error_response(422, "number_too_long", "请求中的数字过长")
    return None


_JSON_TYPE = re.compile(r"^\s*application/([\w.+-]+\+)?json\s*(;|$)", re.IGNORECASE)
_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"')
_NUMBER = re.compile(r"-?[0-9][0-9.eE+\-]*")


def _depth(text: str) -> int:
    """How deeply arrays and objects nest, strings left out (no parsing: no recursion)."""
    depth = deepest = 0
    for char in _STRINGS.sub('""', text):
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def _raw(response: Response[str]) -> dict[str, Any]:
    """A response answered before the resolver runs, as Lambda returns it."""
    return {
        "statusCode": response.status_code,
        "headers": {"Content-Type": content_types.APPLICATION_JSON},
        "body": response.body,
        "isBase64Encoded": False,
    }


def claims_of(event: Mapping[str, Any]) -> dict[str, Any]:
    authorizer = (event.get("requestContext") or {}).get("authorizer") or {}
    return dict((authorizer.get("jwt") or {}).get("claims") or {})


def principal(app: APIGatewayHttpResolver) -> Principal:
    """The caller, from the claims the gateway verified; scope claims checked (R15.1)."""
    return principal_of(claims_of(app.current_event.raw_event))


def client_address(app: APIGatewayHttpResolver) -> str:
    """The caller's address (R17.4: codes and sign-in limited per client). A request the web
    client's CDN forwards comes from the CDN's address; the CDN names itself with the
    edge secret and appends its viewer's address to X-Forwarded-For, the last entry there
    not the gateway's own peer. Anyone else's X-Forwarded-For is not believed."""
    event = app.current_event
    source = str(event.request_context.http.source_ip or "unknown")
    secret = settings().edge_secret
    if not secret or not same_secret(event.headers.get("x-zhaokao-edge", ""), secret):
        return source
    hops = [h.strip() for h in event.headers.get("x-forwarded-for", "").split(",") if h.strip()]
    while hops and hops[-1] == source:
        hops.pop()
    return hops[-1] if hops else source


def openapi_document() -> dict[str, Any]:
    """The whole API's OpenAPI document, generated from the three functions' routes."""
    text = resources.files("zhaokao").joinpath("openapi.json").read_text(encoding="utf-8")
    return dict(json.loads(text))
