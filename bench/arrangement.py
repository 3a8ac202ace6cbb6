"""考场编排 at a province's size, in-process (issue 15): 500,000 candidates over 2,000 sites
in 100 counties — wall time and peak memory (targets: ≤ 10 s, ≤ 2 GB)."""

from __future__ import annotations

import resource
import time
import tracemalloc
from typing import Any

from zhaokao.domain.arrangement import Room, Site, Sitter, arrange

GROUPS = ("gqb", "gqz", "zsb-wenshi", "zsb-ligong", "zsb-jingguan", "zsb-yixue", "zsb-jiaoyu")


def province(candidates: int, sites: int, counties: int = 100) -> tuple[list[Sitter], list[Site]]:
    """A made-up province: counties of unequal size (a few under 200 registrants), sites
    with 10 rooms of 30 and 40% spare seats, seven papers, 30 colleges."""
    codes = [f"64{c:04d}" for c in range(counties)]
    weights = [1 + (c * 7919) % 13 for c in range(counties)]
    total = sum(weights)
    sitters: list[Sitter] = []
    for c, county in enumerate(codes):
        share = candidates * weights[c] // total if c else 150  # one county under the minimum
        sitters += [
            Sitter(f"{county}-{i:06d}", county, GROUPS[i % len(GROUPS)], f"k{i % 30}", i % 997 == 0)
            for i in range(share)
        ]
    per_county = [0] * counties
    for i in range(sites):
        per_county[i % counties] += 1
    counts = {county: 0 for county in codes}
    for s in sitters:
        counts[s.county] += 1
    out: list[Site] = []
    for c, county in enumerate(codes):
        rooms_needed = (counts[county] * 14 // 10) // 30 + 2 * len(GROUPS)  # partly filled rooms
        n = max(per_county[c], 1)
        per_site = max(rooms_needed // n + 1, 1)
        out += [
            Site(
                county,
                f"{s:02d}",
                f"考点{s}",
                "—",
                tuple(Room(r, 30, r == 1) for r in range(1, per_site + 1)),
            )
            for s in range(1, n + 1)
        ]
    return sitters, out


def main(candidates: int = 500_000, sites: int = 2_000) -> dict[str, Any]:
    sitters, all_sites = province(candidates, sites)
    neighbours = {
        f"64{c:04d}": [f"64{(c + 1) % 100:04d}", f"64{(c - 1) % 100:04d}"] for c in range(100)
    }
    tracemalloc.start()
    started = time.perf_counter()
    done = arrange("23", sitters, all_sites, neighbours, 200)
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures = {
        "candidates": len(sitters),
        "sites": len(all_sites),
        "seated": len(done.seats),
        "seconds": round(seconds, 2),
        "peak_mib": round(peak / 2**20),
        "rss_mib": round(rss),
    }
    print(
        f"arrangement: {figures['seated']:,} of {figures['candidates']:,} candidates over "
        f"{figures['sites']:,} sites in {seconds:.1f} s; peak {figures['peak_mib']} MiB traced, "
        f"{figures['rss_mib']} MiB resident (targets ≤ 10 s, ≤ 2 GB)"
    )
    return figures
