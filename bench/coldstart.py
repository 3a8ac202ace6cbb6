"""Cold-start proxy: ``python -X importtime`` of each function module.

For each handler module a fresh interpreter imports it with ``-X importtime``.
The module's cumulative time is the whole import; the self times of our own
modules (``zhaokao.*``, ``functions.*``) are what our code adds — class
definitions, route registration, pydantic models — and the rest is the floor
of its third-party imports. The budget for ours is 30 ms. Bytecode is compiled
first, as the SAM build ships it. The cyclic garbage collector is off during the
import: a collection is caused by every allocation so far (botocore's most of
all) and would otherwise be charged to whichever small module happens to
trigger it — 20 ms landing on a 40-line adapter.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

from infra.local.template import ROOT, stack

OURS = ("zhaokao", "functions")
BUDGET_MS = 30.0
_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)")


def compile_bytecode() -> None:
    for folder in ("layers/common/zhaokao", "functions"):
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / folder)], check=True)


def importtime(module: str) -> dict[str, float]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(POWERTOOLS_METRICS_DISABLED="true", PYTHONPATH=f"{ROOT}:{ROOT / 'layers/common'}")
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"import gc; gc.disable(); import {module}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    total = ours = 0.0
    for self_us, cumulative_us, _indent, name in _LINE.findall(result.stderr):
        if name == module:
            total = int(cumulative_us) / 1000
        if name.split(".")[0] in OURS:
            ours += int(self_us) / 1000
    return {"total_ms": total, "ours_ms": ours, "floor_ms": total - ours}


def measure(module: str, runs: int = 7) -> dict[str, float]:
    samples = [importtime(module) for _ in range(runs)]
    best = min(samples, key=lambda s: s["total_ms"])  # the least-disturbed run
    return {**best, "ours_ms": min(s["ours_ms"] for s in samples)}


def modules() -> list[str]:
    return sorted({f.module for f in stack().functions.values()})


def main(runs: int = 7) -> list[dict[str, object]]:
    compile_bytecode()
    rows: list[dict[str, object]] = []
    header = f"{'function module':<34}{'import ms':>10}{'3rd-party':>11}{'ours':>8}"
    print(f"{header}   budget {BUDGET_MS:.0f} ms for ours")
    for module in modules():
        m = measure(module, runs)
        rows.append({"module": module, **m})
        flag = "" if m["ours_ms"] <= BUDGET_MS else "  OVER BUDGET"
        print(f"{module:<34}{m['total_ms']:>10.1f}{m['floor_ms']:>11.1f}{m['ours_ms']:>8.1f}{flag}")
    return rows


if __name__ == "__main__":
    main()
