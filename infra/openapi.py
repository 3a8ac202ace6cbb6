"""The API's one OpenAPI document, generated from the three functions' routes.

``python -m infra.openapi`` writes ``layers/common/zhaokao/openapi.json`` (served
at ``/v1/openapi.json``); a test fails when the file is stale.
"""

from __future__ import annotations

import importlib
import json
import sys
from typing import Any

from .local.template import ROOT, stack

TARGET = ROOT / "layers/common/zhaokao/openapi.json"
MODULES = ("functions.register.app", "functions.review.app", "functions.admit.app")


def document() -> dict[str, Any]:
    doc: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {
            "title": "Zhaokao 招考 API",
            "version": "1",
            "description": 'Errors: {"error": {"code", "message", "field"}} with a 4xx status.',
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
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            if (method, path) not in public:
                operation["security"] = [{"bearerJwt": []}]
    return doc


def render() -> str:
    return json.dumps(document(), ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def main() -> int:
    TARGET.write_text(render(), encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
