"""The API's one OpenAPI document, generated from the three functions' routes.

``python -m infra.openapi`` writes ``layers/common/zhaokao/openapi.json`` (served
at ``/v1/openapi.json``); a test fails when the file is stale.
"""

from __future__ import annotations

import importlib
import json
import re
import sys
from typing import Any

from .local.template import ROOT, stack

TARGET = ROOT / "layers/common/zhaokao/openapi.json"
MODULES = ("functions.register.app", "functions.review.app", "functions.admit.app")


def document() -> dict[str, Any]:
    doc: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {
            "title": "Zhaokao API",  # ASCII: generators make a package name of it
            "version": "1",
            "description": (
                '招考 — errors: {"error": {"code", "message", "field"}} with a 4xx status.'
            ),
        },
        "paths": {},
        "components": {
            "schemas": {},
            "securitySchemes": {
                "bearerJwt": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
            },
        },
    }
    for name in MODULES:
        app = importlib.import_module(name).app
        part = app.get_openapi_schema().model_dump(mode="json", by_alias=True, exclude_none=True)
        for path, item in part.get("paths", {}).items():
            doc["paths"].setdefault(path, {}).update(item)
        doc["components"]["schemas"].update(part.get("components", {}).get("schemas", {}))
    public = {(r.method.lower(), r.path) for r in stack().routes if r.public}
    _error_schemas(doc["components"]["schemas"])
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            operation["operationId"] = _handler_name(operation["operationId"], path, method)
            if (method, path) not in public:
                operation["security"] = [{"bearerJwt": []}]
            _errors(operation, method, private=(method, path) not in public)
    names = [o["operationId"] for item in doc["paths"].values() for o in item.values()]
    if len(set(names)) != len(names):
        shared = sorted({n for n in names if names.count(n) > 1})
        raise ValueError(f"two handlers share a name: {shared}")
    return doc


def _handler_name(generated: str, path: str, method: str) -> str:
    """The handler's own name ("register", "my_admission"): a generated client's method
    names, in place of the resolver's name + path + method."""
    suffix = re.sub(r"\W", "_", f"{path}_{method}")
    return generated.removesuffix(suffix).rstrip("_")


def _error_schemas(schemas: dict[str, Any]) -> None:
    """The one error shape, and the gateway's own answer to a missing token, in place of
    the resolver's default validation error (which the API never answers)."""
    from zhaokao.api.error_shape import ErrorBody, GatewayMessage

    for name in ("HTTPValidationError", "ValidationError", "ResponseValidationError"):
        schemas.pop(name, None)
    for model in (ErrorBody, GatewayMessage):
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(schema.pop("$defs", {}))
        schemas[model.__name__] = schema


def _errors(operation: dict[str, Any], method: str, private: bool) -> None:
    """Every error status the operation can answer (R17.3): the edges' (400, 413, 415 with
    a body, 422, 503; 404 for what is not there), the gateway's and the roles' for a route
    behind a token (401, 403; 409 for its writes), and those the route declares."""
    from zhaokao.api.http import ERRORS, ERRORS_EXTENSION

    declared = set(operation.pop(ERRORS_EXTENSION, []))
    responses = operation["responses"]
    responses.pop("500", None)  # the resolver's own, for an answer outside its view: a bug
    statuses = {400, 404, 413, 422, 503} | declared | {int(s) for s in responses if int(s) >= 400}
    if "requestBody" in operation:
        statuses.add(415)
    if private:
        statuses |= {401, 403} | ({409} if method != "get" else set())
    error = {"$ref": "#/components/schemas/ErrorBody"}
    for status in sorted(statuses):
        given = json.dumps(responses.get(str(status), {}).get("content", {}))
        if '"$ref"' in given and "HTTPValidationError" not in given:
            continue  # a callback's answer in its caller's own shape
        schema = error
        if status == 401:  # the gateway refuses a bad token before any function runs
            schema = {"anyOf": [error, {"$ref": "#/components/schemas/GatewayMessage"}]}
        responses[str(status)] = {
            "description": ERRORS[status],
            "content": {"application/json": {"schema": schema}},
        }
    for status, answer in responses.items():
        if status == "204":
            answer.pop("content", None)  # no body
        for kind, body in answer.get("content", {}).items():
            if kind != "application/json" and not body.get("schema"):  # a file: PDF, SVG, CSV
                body["schema"] = {"type": "string", "format": "binary"}


def render() -> str:
    return json.dumps(document(), ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def main() -> int:
    TARGET.write_text(render(), encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
