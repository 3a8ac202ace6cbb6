"""Issue 23: a small drill of each of the three seasons inside the suite — a fresh local cloud in
a process of its own, the whole season through the public API, the final check apart from
the code that made the states. The big drills are `make drill`. Issue 24: the candidates'
every step goes through the Python client generated from the OpenAPI document."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.standalone import DRILL_SIZE, STANDALONE

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    "season",
    [
        pytest.param(s, marks=pytest.mark.standalone(f"drill-{s}"))
        for s in ("ningxia", "hunan", "third")
    ],
)
def test_a_small_season_walks_through_with_nothing_wrong_or_lost(season: str) -> None:
    done, out = STANDALONE.outcome(f"drill-{season}")
    assert out is not None
    last = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr[-2000:]
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    n = DRILL_SIZE
    assert last.startswith(f"drill {season}: {n} candidates, {n} checked, 0 wrong, 0 lost, "), last
    published = read(out / "published.jsonl")
    assert any(r["admitted"] for r in published.values())
    # anyone can recompute the allocation from the run's own inputs, and compare
    rounds = {"ningxia": 2, "hunan": 1, "third": 3}[season]
    files = {
        f"--{k}": str(out / f"{k}.{e}")
        for k, e in (("candidates", "jsonl"), ("plans", "csv"), ("lines", "csv"))
    }
    again = [
        sys.executable,
        "-m",
        "zhaokao.cli",
        "allocate",
        *sum(files.items(), ()),
        "--out",
        str(out / "r.jsonl"),
        "--rounds",
        str(rounds),
    ]
    subprocess.run(again, cwd=ROOT, check=True, capture_output=True)
    recomputed = read(out / "r.jsonl")
    assert recomputed.keys() == published.keys()
    fields = ("admitted", "school", "major", "round", "adjusted", "reason")
    assert {i: [r[f] for f in fields] for i, r in recomputed.items()} == {
        i: [r[f] for f in fields] for i, r in published.items()
    }


def read(path: Path) -> dict[str, dict[str, object]]:
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
    return {str(r["id"]): r for r in rows}
