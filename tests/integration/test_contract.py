"""The API is what its OpenAPI document says (issue 12): every answer the suite saw — some
thousands, good and bad — has a status its operation lists, and a body in that status's
schema. Runs last, over what every other test left."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from tests.support import ANSWERS, whole_suite

DOCUMENT: dict[str, Any] = json.loads(
    (
        __import__("pathlib").Path(__file__).parents[2] / "layers/common/zhaokao/openapi.json"
    ).read_text(encoding="utf-8")
)


FILE: dict[str, Any] = {}  # a documented body that is not JSON (a PDF): its type, no schema


def _schema(method: str, path: str, status: int) -> dict[str, Any] | None:
    responses = DOCUMENT["paths"][path][method.lower()]["responses"]
    answer = responses.get(str(status))
    if answer is None:
        raise AssertionError(f"{method} {path} answered {status}, not in its document")
    content = answer.get("content", {})
    if "application/json" not in content:
        return FILE if content else None
    return {**content["application/json"]["schema"], "components": DOCUMENT["components"]}


@pytest.mark.last
def test_every_answer_the_suite_saw_is_in_the_document() -> None:
    seen = list(ANSWERS.seen)
    operations = {(m, p) for m, p, _, _ in seen if p in DOCUMENT["paths"]}
    if whole_suite():
        assert len(seen) > 1000 and len(operations) > 45  # the suite went everywhere
    wrong: Counter[str] = Counter()
    for method, path, status, body in seen:
        if path not in DOCUMENT["paths"]:
            continue  # the document itself, and what no route matches
        try:
            schema = _schema(method, path, status)
        except AssertionError as exc:
            wrong[str(exc)] += 1
            continue
        if schema is FILE:
            continue
        if schema is None:
            if body:
                wrong[f"{method} {path} {status}: a body where none is documented"] += 1
            continue
        errors = list(Draft202012Validator(schema).iter_errors(json.loads(body)))
        for e in errors[:1]:
            wrong[f"{method} {path} {status}: {e.message[:160]} at {list(e.absolute_path)}"] += 1
    assert not wrong, "\n".join(f"{n} × {w}" for w, n in wrong.most_common())
