"""``make bench``: every benchmark at full size, against a local cloud of its own."""

from __future__ import annotations

import logging
import subprocess
import sys

from bench import (
    admission,
    allocation,
    arrangement,
    auth,
    coldstart,
    payments,
    preferences,
    registration,
    review,
    roster,
    scores,
    tickets,
)
from bench.registration import quiet_cloud, quiet_logs


def main() -> int:
    logging.basicConfig(level=logging.WARNING)
    print("== cold start (python -X importtime, bytecode compiled)")
    over = [r["module"] for r in coldstart.main(runs=9) if r["ours_ms"] > coldstart.BUDGET_MS]
    print("\n== sign-in (passwords, tokens)")
    auth.main(times=30)
    print("\n== exam arrangement (in-process)")
    arrangement.main()
    print("\n== admission tickets (in-process)")
    tickets.main()
    print("\n== admission allocation (in-process)")
    allocation.main()

    from infra.local.demo import seed

    cloud = quiet_cloud()
    with quiet_logs():  # figures only: the functions' JSON lines are written, not shown
        seed(cloud)
        print("\n== registration")
        registration.main(cloud, count=1000)
        print("\n== roster import")
        roster.main(cloud, rows=20_000)
        print("\n== review routing")
        review.main(cloud, messages=1000, submissions=100)
        print("\n== preferences")
        preferences.main(cloud, saves=200)
        print("\n== payments")
        payments.main(cloud, messages=500)
        print("\n== score import")
        scores.main(cloud, candidates=2000)
        print("\n== admission run (snapshot to publication)")
        admission.main(cloud, candidates=100_000)
    cloud.stop()
    print(
        "\n== the local cloud at season size (a cloud of its own, as make run starts)", flush=True
    )
    subprocess.run([sys.executable, "-m", "bench.scale"], check=True)
    if over:  # a speed goal is asserted here, on a quiet machine — never in tests/
        print(f"\ncold start over its {coldstart.BUDGET_MS:.0f} ms budget: {', '.join(over)}")
        return 1
    return 0


def one(name: str, *sizes: str) -> int:
    """``python -m bench <name> [size …]``: one in-process benchmark, at the sizes given."""
    modules = {"allocation": allocation, "arrangement": arrangement, "tickets": tickets}
    modules[name].main(*(int(s) for s in sizes))
    return 0


if __name__ == "__main__":
    sys.exit(one(*sys.argv[1:]) if sys.argv[1:] else main())
