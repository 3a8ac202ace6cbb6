"""``make drill``: a whole season walked through the public API of a freshly started local
cloud, checked at the end. ``SEASON=ningxia|hunan|third`` (default ningxia), ``N``
candidates (default 2,000), ``DRILL_OUT=<dir>`` for the admission run's exact inputs and
what every candidate read, ``DRILL_MEMORY=0`` to leave memory untraced (faster). It prints
a table of phases, each function's longest invocation and the memory it took, and last:

    drill <season>: <N> candidates, <C> checked, <W> wrong, <L> lost, <S> s

It exits 1 when anything is wrong or lost."""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")  # the handlers' lines: not the drill's
os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")


def main() -> int:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn
    from rich.table import Table

    from ..client import generate

    client = tempfile.TemporaryDirectory(prefix="zhaokao-client-")  # gone when the drill ends
    generate(Path(client.name))  # the candidates' app is built on it
    from .check import check
    from .seasons import PLANS
    from .walk import Drill

    season = os.environ.get("SEASON", "ningxia")
    n = int(os.environ.get("N", "2000"))
    if season not in PLANS:
        print(f"drill: SEASON is one of {', '.join(PLANS)}", file=sys.stderr)
        return 2
    for noisy in ("werkzeug", "botocore", "pynamodb", "zhaokao.local"):
        logging.getLogger(noisy).setLevel(logging.ERROR)
    console = Console(stderr=True)
    started = time.perf_counter()
    if os.environ.get("DRILL_MEMORY", "1") != "0":  # each invocation's memory (slower)
        tracemalloc.start()
    cloud = start_cloud()
    hashing = count_hashing()
    try:
        with Progress(
            "{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=not console.is_terminal,
        ) as progress:
            drill = Drill(cloud, PLANS[season](n), n, progress)
            drill.walk()
            verdict = check(drill)
        if out := os.environ.get("DRILL_OUT"):
            drill.write_inputs(Path(out))
    finally:
        cloud.stop()
    seconds = time.perf_counter() - started
    cpu = time.process_time()
    table = Table("phase", "count", "seconds", "per second", "errors", title=f"drill {season}")
    for phase in drill.phases:
        rate = phase.count / phase.seconds if phase.seconds else 0
        table.add_row(
            phase.name,
            str(phase.count),
            f"{phase.seconds:.1f}",
            f"{rate:.1f}",
            str(len(phase.errors)),
        )
    Console().print(table)
    traced = tracemalloc.is_tracing()
    for name, (longest, peak) in sorted(cloud.runtime.invocations.items()):
        memory = f"{peak / 2**20:.1f} MB" if traced else "untraced"
        print(f"invocation {name}: longest {longest:.2f} s, peak {memory}")
    print(
        f"password hashing (argon2id, production parameters): {hashing['count']} hashes and "
        f"checks, {hashing['seconds']:.1f} s of CPU — {hashing['seconds'] / cpu:.0%} of the "
        f"run's {cpu:.0f} s of CPU"
    )
    print(f"writes retried after 409 stale_version: {len(drill.stale)}")
    errors = [e for phase in drill.phases for e in phase.errors]
    for line in (errors + verdict.wrong + verdict.lost)[:30]:
        print(f"  {line}")
    wrong = len(verdict.wrong) + len(errors)
    print(
        f"drill {season}: {n} candidates, {verdict.checked} checked, {wrong} wrong, "
        f"{len(verdict.lost)} lost, {seconds:.0f} s",
        flush=True,
    )
    return 1 if wrong or verdict.lost else 0


def count_hashing() -> dict[str, float]:
    """The CPU that password hashing takes, counted around the functions that do it (the
    handlers run in this process): the share of a drill that argon2id is."""
    import threading

    from zhaokao.domain import credentials, registration

    total = {"count": 0, "seconds": 0.0}
    lock = threading.Lock()

    def counted(function):  # type: ignore[no-untyped-def]
        def run(*args, **kwargs):  # type: ignore[no-untyped-def]
            started = time.thread_time()
            try:
                return function(*args, **kwargs)
            finally:
                with lock:
                    total["count"] += 1
                    total["seconds"] += time.thread_time() - started

        return run

    credentials.verify_password = counted(credentials.verify_password)
    credentials.hash_password = counted(credentials.hash_password)
    registration.hash_password = credentials.hash_password  # it imported the name
    return total


def start_cloud():  # type: ignore[no-untyped-def]
    """A fresh local cloud, as a deploy leaves it: the presets installed and the first
    operator created (`zhaokao season install`, `zhaokao staff create`)."""
    from infra.local.cloud import LocalCloud
    from infra.local.demo import PRESETS, preset
    from zhaokao.domain.auth import Account
    from zhaokao.domain.credentials import hash_password
    from zhaokao.storage import accounts, seasons

    from .client import STAFF_PASSWORD

    cloud = LocalCloud(moto_port=0, port=0).start()
    # the handlers log and emit metrics to stdout as in Lambda; here stdout is the drill's:
    # each function loaded now, as Lambda's init would, and its loggers told to keep quiet
    os.environ.update(POWERTOOLS_LOG_LEVEL="WARNING", POWERTOOLS_METRICS_DISABLED="true")
    for name in cloud.stack.functions:
        cloud.runtime.warm(name)
    for logger in list(logging.root.manager.loggerDict.values()):
        if isinstance(logger, logging.Logger) and not logger.name.startswith("infra"):
            logger.setLevel(logging.WARNING)
    for season_id in PRESETS:
        seasons.install(preset(season_id), "drill")
        cloud.sms.register(preset(season_id))  # the authority's signature and templates
    accounts.create_staff(
        Account("drill-ops", "operator", None, None), hash_password(STAFF_PASSWORD), "drill"
    )
    return cloud


if __name__ == "__main__":
    sys.exit(main())
