"""Runs that start a local cloud of their own in a process of their own (the small drills, the
small fuzz). They need no state of the suite, so they start with the session and run one after
another beside it, on the core the suite leaves idle; each test awaits its run's outcome.

A test names its run with ``@pytest.mark.standalone("<name>")``; the conftest starts only the
runs of the tests collected, so ``pytest tests/unit`` starts none.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DRILL_SIZE = 24  # candidates of each small drill
TIMEOUT = 900  # seconds a run may take before it is stopped (a hang, not a slow machine)


@dataclass
class Run:
    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)
    out: Path | None = None  # a directory the run writes its files to, removed at the end
    done: threading.Event = field(default_factory=threading.Event)
    result: subprocess.CompletedProcess[str] | None = None


def drill(season: str) -> Run:
    out = Path(tempfile.mkdtemp(prefix=f"drill-{season}-"))
    env = {"SEASON": season, "N": str(DRILL_SIZE), "DRILL_OUT": str(out), "DRILL_MEMORY": "0"}
    return Run([sys.executable, "-m", "infra.drill"], env, out)


def fuzz() -> Run:
    return Run([sys.executable, "-m", "infra.fuzz", "--examples", "2", "--max-time", "8"])


KNOWN = {
    "fuzz": fuzz,
    **{f"drill-{s}": (lambda s=s: drill(s)) for s in ("ningxia", "hunan", "third")},
}


class Standalone:
    """The session's standalone runs: started once, in order, one at a time."""

    def __init__(self) -> None:
        self.runs: dict[str, Run] = {}
        self._current: subprocess.Popen[str] | None = None
        self._stopped = False

    def start(self, names: list[str]) -> None:
        self.runs = {name: KNOWN[name]() for name in dict.fromkeys(names)}
        if self.runs:
            threading.Thread(target=self._run_all, name="standalone", daemon=True).start()

    def outcome(self, name: str) -> tuple[subprocess.CompletedProcess[str], Path | None]:
        run = self.runs[name]
        run.done.wait()
        assert run.result is not None, f"{name} did not run"
        return run.result, run.out

    def stop(self) -> None:
        self._stopped = True
        if self._current is not None and self._current.poll() is None:
            self._current.kill()
        for run in self.runs.values():
            if run.out is not None:
                shutil.rmtree(run.out, ignore_errors=True)

    def _run_all(self) -> None:
        for run in self.runs.values():
            if not self._stopped:
                run.result = self._run(run)
            run.done.set()

    def _run(self, run: Run) -> subprocess.CompletedProcess[str]:
        # this checkout's code, whichever one the virtualenv's editable install points at
        path = os.pathsep.join([str(ROOT), str(ROOT / "layers/common")])
        env = {**os.environ, "PYTHONPATH": path, **run.env}
        with subprocess.Popen(
            run.argv, cwd=ROOT, env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        ) as process:
            self._current = process
            try:
                stdout, stderr = process.communicate(timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                stdout, stderr = process.communicate()
                stderr += f"\n{' '.join(run.argv[1:])}: no answer in {TIMEOUT} s, killed"
        return subprocess.CompletedProcess(run.argv, process.returncode, stdout, stderr)


STANDALONE = Standalone()
