"""Issue 23: a small drill of each of the three seasons inside the suite — a fresh local cloud in
a process of its own, the whole season through the public API, the final check apart from
the code that made the states. The big drills are `make drill`. Issue 24: the candidates'
every step goes through the Python client generated from the OpenAPI document."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("season", ["ningxia", "hunan", "third"])
def test_a_small_season_walks_through_with_nothing_wrong_or_lost(
    season: str, tmp_path: Path
) -> None:
    env = {
        **os.environ,
        "SEASON": season,
        "N": "24",
        "DRILL_OUT": str(tmp_path),
        "DRILL_MEMORY": "0",
    }
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
    published = read(tmp_path / "published.jsonl")
    assert any(r["admitted"] for r in published.values())
    # anyone can recompute the allocation from the run's own inputs, and compare
    rounds = {"ningxia": 2, "hunan": 1, "third": 3}[season]
    files = {
        f"--{k}": str(tmp_path / f"{k}.{e}")
        for k, e in (("candidates", "jsonl"), ("plans", "csv"), ("lines", "csv"))
    }
    again = [
        sys.executable,
        "-m",
        "zhaokao.cli",
        "allocate",
        *sum(files.items(), ()),
        "--out",
        str(tmp_path / "r.jsonl"),
        "--rounds",
        str(rounds),
    ]
    subprocess.run(again, cwd=ROOT, env=env, check=True, capture_output=True)
    recomputed = read(tmp_path / "r.jsonl")
    assert recomputed.keys() == published.keys()
    fields = ("admitted", "school", "major", "round", "adjusted", "reason")
    assert {i: [r[f] for f in fields] for i, r in recomputed.items()} == {
        i: [r[f] for f in fields] for i, r in published.items()
    }


def read(path: Path) -> dict[str, dict[str, object]]:
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
    return {str(r["id"]): r for r in rows}
