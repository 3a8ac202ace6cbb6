"""The Python client a mobile or partner team would generate from the served OpenAPI
document (openapi-python-client, pinned, config in clients/): made afresh by each drill, in
a folder of its own, for its candidates to use — proof that the contract alone is enough to
build on. ``python -m infra.client`` writes it to build/client.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .local.template import ROOT

DOCUMENT = ROOT / "layers/common/zhaokao/openapi.json"
CONFIG = ROOT / "clients/openapi-python-client.yaml"
TARGET = ROOT / "build/client"
PACKAGE = "zhaokao_client"


class GenerationWarned(RuntimeError):
    """The generator skipped or doubted part of the document: the contract is not whole."""


def generate(target: Path = TARGET, document: Path = DOCUMENT) -> Path:
    """The client package written under ``target`` (which joins sys.path), with zero
    warnings from the generator."""
    tools = str(Path(sys.executable).parent)  # ruff, which the generator formats with
    env = {**os.environ, "PATH": f"{tools}{os.pathsep}{os.environ.get('PATH', '')}"}
    done = subprocess.run(
        [
            f"{tools}/openapi-python-client",
            "generate",
            "--path",
            str(document),
            "--config",
            str(CONFIG),
            "--meta",
            "none",
            "--output-path",
            str(target / PACKAGE),
            "--overwrite",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    said = done.stdout + done.stderr
    if done.returncode != 0 or "warning" in said.lower() or "error" in said.lower():
        raise GenerationWarned(said[-3000:])
    if str(target) not in sys.path:
        sys.path.insert(0, str(target))
    return target / PACKAGE


if __name__ == "__main__":
    print(f"wrote {generate().relative_to(ROOT)}")
