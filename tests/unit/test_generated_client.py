"""Issue 24: the client generated from the OpenAPI document comes with zero warnings — a
part of the contract the generator cannot read fails loudly (the drill's candidates use the
client generated from the served document: tests/test_drill.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from infra.client import GenerationWarned, generate


def test_a_document_the_generator_cannot_read_whole_is_refused(tmp_path: Path) -> None:
    answer = {"description": "a file", "content": {"application/x-unheard-of": {}}}
    doc = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/f": {"get": {"operationId": "f", "responses": {"200": answer}}}},
    }
    path = tmp_path / "openapi.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(GenerationWarned, match="x-unheard-of"):
        generate(tmp_path / "out", path)
