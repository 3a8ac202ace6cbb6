"""录取 at a province's size, in-process (issue 16): 1,000,000 candidates with 2 schools × 2
majors over 5,000 plans — wall time and peak memory (targets ≤ 1.5 s, ≤ 1.5 GB).

The allocation reads its candidates as columns (a Cohort), as a run's Task does: its shard
file read straight into them. The time of that reading is printed apart."""

from __future__ import annotations

import random
import resource
import sys
import threading
import time
import tracemalloc
import warnings
from typing import Any

from zhaokao.domain import admission as files
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


def versus_matching(candidates: int) -> dict[str, float]:
    """The same one-choice instance through the matching package's hospital-resident
    solver and through ours: the time of each (issue 16: ours ≥ 1,000× faster). Each starts
    from plain data: theirs from dictionaries, ours from Applicants (columns made inside)."""
    from matching.games import HospitalResident

    people, seats = instance(candidates, max(candidates // 40, 5), seed=7)
    people = [
        a._replace(
            adjust_ok=False, choices=(a.choices[0]._replace(majors=a.choices[0].majors[:1]),)
        )
        for a in people
    ]
    lines = {("zsb", "ligong"): 150}
    ours = min(_timed(lambda: allocate(people, seats, lines, rounds=1)) for _ in range(5))
    applying = sorted(
        (a for a in people if (a.total or 0) + a.bonus >= 150), key=Applicant.rank_key
    )

    def plan(a: Applicant) -> str:
        return f"{a.choices[0].school}/{a.choices[0].majors[0]}"

    wanted = {plan(a) for a in applying}
    ranking = [a.id for a in applying]  # the authority's one ranking: every plan reads it
    residents = {a.id: [plan(a)] for a in applying}
    hospitals = {h: ranking for h in wanted}
    capacities = {h: seats[(*h.split("/"), "zsb", "ligong", "ordinary")] for h in wanted}
    theirs = _deep(lambda: _solve(HospitalResident, residents, hospitals, capacities))
    return {"ours_s": ours, "matching_s": theirs, "ratio": theirs / ours}


def _timed(work: Any) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def _solve(game: Any, residents: Any, hospitals: Any, capacities: Any) -> float:
    started = time.perf_counter()
    with warnings.catch_warnings():  # one per plan and candidate who did not choose it
        warnings.simplefilter("ignore")
        game.create_from_dictionaries(residents, hospitals, capacities).solve(optimal="resident")
    return time.perf_counter() - started


def _deep(work: Any) -> float:
    """The package copies its players recursively (deepcopy through every preference): at
    a few thousand candidates Python's default stack is too small, so it runs in a thread
    with a deep one."""
    result: list[float] = []
    threading.stack_size(1 << 30)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(1_000_000)
    try:
        thread = threading.Thread(target=lambda: result.append(work()))
        thread.start()
        thread.join()
    finally:
        sys.setrecursionlimit(limit)
        threading.stack_size(0)
    return result[0] if result else float("nan")


def main(candidates: int = 1_000_000, plans: int = 5_000, versus: int = 4_000) -> dict[str, Any]:
    """The allocation timed as a run's Task does it: the candidates file read straight into
    columns, then the rules on them."""
    people, seats = instance(candidates, plans)
    lines = {("zsb", "ligong"): 150}
    text = files.write_candidates(files.applicant_row(a) for a in people)
    del people
    started = time.perf_counter()
    cohort = files.read_cohort(text)
    read = time.perf_counter() - started
    started = time.perf_counter()
    outcomes = allocate(cohort, seats, lines, rounds=2)
    seconds = time.perf_counter() - started
    tracemalloc.start()  # a second run for memory: tracing slows it several times
    allocate(cohort, seats, lines, rounds=2)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    figures = {
        "candidates": candidates,
        "plans": len(seats),
        "admitted": sum(o.admitted for o in outcomes),
        "seconds": round(seconds, 4),
        "read_s": round(read, 4),
        "peak_mib": round(peak / 2**20),
        "rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    met = "met" if seconds <= 1.5 else "not met"
    print(
        f"allocation: {figures['candidates']:,} candidates over {figures['plans']:,} plans, "
        f"{figures['admitted']:,} admitted in {seconds:.2f} s (target ≤ 1.5 s: {met}), "
        f"after reading their file into columns in {read:.1f} s; "
        f"peak {figures['peak_mib']} MiB traced (target ≤ 1,536), "
        f"{figures['rss_mib']} MiB resident"
    )
    compared = versus_matching(versus)
    figures["versus_matching"] = compared
    print(
        f"against the matching package ({versus:,} candidates, one choice each): ours "
        f"{compared['ours_s'] * 1000:.1f} ms, matching {compared['matching_s']:.1f} s — "
        f"{compared['ratio']:,.0f}× (target ≥ 1,000×)"
    )
    return figures
