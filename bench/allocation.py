"""录取 at a province's size, in-process (issue 16): 1,000,000 candidates with 2 schools × 2
majors over 5,000 plans — wall time and peak memory (targets ≤ 1.5 s, ≤ 1.5 GB)."""

from __future__ import annotations

import random
import resource
import sys
import time
import tracemalloc
from typing import Any

from zhaokao.domain.allocation import Applicant, Choice, allocate


def instance(
    candidates: int, plans: int, seed: int = 2024
) -> tuple[list[Applicant], dict[Any, int]]:
    rng = random.Random(seed)
    schools = [f"s{i:04d}" for i in range(plans // 5)]
    majors = [f"m{j}" for j in range(5)]
    seats = {
        (s, m, "zsb", "ligong", "ordinary"): rng.randint(50, 250) for s in schools for m in majors
    }
    people = [
        Applicant(
            f"c{i:07d}",
            "zsb",
            "ligong",
            total=rng.randint(100, 300),
            bonus=rng.choice((0, 0, 0, 10, 20)),
            subjects=(rng.randint(0, 150), rng.randint(0, 150)),
            adjust_ok=rng.random() < 0.5,
            choices=tuple(
                Choice(rng.choice(schools), tuple(rng.sample(majors, 2))) for _ in range(2)
            ),
        )
        for i in range(candidates)
    ]
    return people, seats


def main(candidates: int = 1_000_000, plans: int = 5_000) -> dict[str, Any]:
    people, seats = instance(candidates, plans)
    lines = {("zsb", "ligong"): 150}
    started = time.perf_counter()
    outcomes = allocate(people, seats, lines, rounds=2)
    seconds = time.perf_counter() - started
    tracemalloc.start()  # a second run for memory: tracing slows it several times
    allocate(people, seats, lines, rounds=2)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    figures = {
        "candidates": candidates,
        "plans": len(seats),
        "admitted": sum(o.admitted for o in outcomes),
        "seconds": round(seconds, 2),
        "peak_mib": round(peak / 2**20),
        "rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    print(
        f"allocation: {figures['candidates']:,} candidates over {figures['plans']:,} plans, "
        f"{figures['admitted']:,} admitted in {seconds:.1f} s (target ≤ 1.5 s: not met yet); "
        f"peak {figures['peak_mib']} MiB traced, {figures['rss_mib']} MiB resident"
    )
    return figures


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:]))
