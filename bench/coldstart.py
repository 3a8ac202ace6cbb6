"""Cold start as Lambda runs it: ``python -X importtime`` of each function module.

For each handler module several fresh interpreters import it with ``-X importtime``,
the cyclic garbage collector on (as in Lambda), bytecode compiled first (as the SAM
build ships it). Each module's self time is charged to ours (``zhaokao.*``,
``functions.*``), the standard library's, or third-party code's; the figure of each is
the median over the interpreters. The budget for ours is 40 ms: the candidates' function
spends ~8 ms of it defining the typed views of its 27 operations (issue 12), the price of
an OpenAPI document that tells the truth; its total import is ~220 ms.
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys

from infra.local.template import ROOT, stack

OURS = ("zhaokao", "functions")
BUDGET_MS = 40.0
_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)")


def compile_bytecode() -> None:
    for folder in ("layers/common/zhaokao", "functions"):
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / folder)], check=True)


def importtime(module: str) -> dict[str, float]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(POWERTOOLS_METRICS_DISABLED="true", PYTHONPATH=f"{ROOT}:{ROOT / 'layers/common'}")
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"import {module}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    total = ours = stdlib = 0.0
    for self_us, cumulative_us, _indent, name in _LINE.findall(result.stderr):
        top = name.split(".")[0]
        if name == module:
            total = int(cumulative_us) / 1000
        if top in OURS:
            ours += int(self_us) / 1000
        elif top in sys.stdlib_module_names or top.startswith("_"):
            stdlib += int(self_us) / 1000
    return {
        "total_ms": total,
        "ours_ms": ours,
        "stdlib_ms": stdlib,
        "third_party_ms": total - ours - stdlib,
    }


def measure(module: str, runs: int = 7) -> dict[str, float]:
    samples = [importtime(module) for _ in range(runs)]
    return {key: statistics.median(s[key] for s in samples) for key in samples[0]}


def modules() -> list[str]:
    return sorted({f.module for f in stack().functions.values()})


def main(runs: int = 7) -> list[dict[str, object]]:
    compile_bytecode()
    rows: list[dict[str, object]] = []
    header = f"{'function module':<34}{'import ms':>10}{'stdlib':>8}{'3rd-party':>11}{'ours':>8}"
    print(f"{header}   medians of {runs} fresh interpreters, GC on; budget {BUDGET_MS:.0f} ms ours")
    for module in modules():
        m = measure(module, runs)
        rows.append({"module": module, **m})
        flag = "" if m["ours_ms"] <= BUDGET_MS else "  OVER BUDGET"
        print(
            f"{module:<34}{m['total_ms']:>10.1f}{m['stdlib_ms']:>8.1f}"
            f"{m['third_party_ms']:>11.1f}{m['ours_ms']:>8.1f}{flag}"
        )
    return rows
