"""Issue 23: a small season drill of each season inside the suite — a fresh local cloud in
a process of its own, the whole season through the public API, the final check apart from
the code that made the states. The big drills are `make drill`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("season", ["ningxia", "third"])
def test_a_small_season_walks_through_with_nothing_wrong_or_lost(
    season: str, tmp_path: Path
) -> None:
    env = {**os.environ, "SEASON": season, "N": "24", "DRILL_OUT": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "infra.drill"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    last = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr[-2000:]
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert last.startswith(f"drill {season}: 24 candidates, 24 checked, 0 wrong, 0 lost, "), last
    published = (tmp_path / "published.jsonl").read_text("utf-8").splitlines()
    assert len(published) == 24 and '"admitted": true' in "".join(published)
    assert (tmp_path / "plans.csv").exists() and (tmp_path / "lines.csv").exists()
