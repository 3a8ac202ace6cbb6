"""The linters of `make lint`, inside the suite: ruff, mypy --strict, and the floors' rules."""

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


def test_mypy_strict_on_the_layer_and_the_functions() -> None:
    """Issue 25: ``mypy --strict`` over all of layers/common and functions/ (pyproject's
    [tool.mypy])."""
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


def imports_of(package: str) -> dict[str, set[str]]:
    """Each module of ``zhaokao.<package>`` and the modules of that package it imports, lazily
    or only for typing included: a circle is a circle wherever its import sits."""
    import ast

    folder = ROOT / "layers/common/zhaokao" / package
    names = {p.stem for p in folder.glob("*.py")}
    graph: dict[str, set[str]] = {}
    for path in folder.glob("*.py"):
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                found |= {node.module} if node.module else {a.name for a in node.names}
        graph[path.stem] = found & names - {path.stem}
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    found, done = [], set()

    def visit(module: str, path: list[str]) -> None:
        for other in sorted(graph[module]):
            if other in path:
                found.append([*path[path.index(other) :], other])
            elif other not in done:
                visit(other, [*path, other])
        done.add(module)

    for module in sorted(graph):
        visit(module, [module])
    return found


def test_no_import_circles_on_any_floor() -> None:
    """Issue 25: within the domain, storage, service and the edges, imports point one way."""
    for package in ("domain", "storage", "service", "api", "adapters", "render"):
        assert circles(imports_of(package)) == [], package


def test_services_know_no_pynamodb_records() -> None:
    """Issue 25: storage returns domain objects; no service imports a PynamoDB model."""
    service = ROOT / "layers/common/zhaokao/service"
    users = [p.name for p in service.glob("*.py") if "storage.models" in p.read_text("utf-8")]
    assert users == []


def test_every_rule_a_policy_may_name_is_implemented() -> None:
    """Policy data names rules by kind (a Literal the policy loader checks); each has code."""
    from typing import get_args

    from zhaokao.domain.eligibility import RULES
    from zhaokao.domain.policy import MajorRule, RuleKind
    from zhaokao.domain.preferences import MAJOR_RULES

    assert set(RULES) == set(get_args(RuleKind))
    assert set(MAJOR_RULES) == set(get_args(MajorRule))
