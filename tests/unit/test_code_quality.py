"""The linters of `make lint`, inside the suite: ruff, and mypy on the domain."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from infra.local.template import ROOT

BIN = Path(sys.executable).parent


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True)


def test_ruff() -> None:
    result = run(str(BIN / "ruff"), "check", ".")
    assert result.returncode == 0, result.stdout[-3000:]


def test_mypy_strict_on_the_whole_layer() -> None:
    """Issue 25: ``mypy --strict`` over all of layers/common (pyproject's [tool.mypy])."""
    result = run(str(BIN / "mypy"))
    assert result.returncode == 0, result.stdout[-3000:]


def test_the_domain_imports_no_aws() -> None:
    """Floors of the house: the domain imports neither storage, adapters nor boto3."""
    forbidden = ("boto3", "botocore", "pynamodb", "..storage", "..adapters", "zhaokao.storage")
    for path in (ROOT / "layers/common/zhaokao/domain").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        for name in forbidden:
            assert f"import {name}" not in text and f"from {name}" not in text, (path.name, name)


def test_test_modules_have_unique_basenames() -> None:
    """Test folders have no ``__init__.py``: pytest imports a test module by its basename,
    so two files of one name in different folders break collection."""
    from collections import Counter
    from pathlib import Path

    names = Counter(p.name for p in Path(__file__).resolve().parents[1].rglob("test_*.py"))
    assert [n for n, count in names.items() if count > 1] == []
