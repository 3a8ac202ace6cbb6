"""``make bench``: every benchmark at full size, against a local cloud of its own."""

from __future__ import annotations

import logging
import sys

from bench import auth, coldstart, payments, preferences, registration, review, roster, scale
from bench.registration import quiet_logs


def main() -> int:
    logging.basicConfig(level=logging.WARNING)
    print("== cold start (python -X importtime, bytecode compiled)")
    coldstart.main(runs=9)
    print("\n== sign-in (passwords, tokens)")
    auth.main(times=30)

    from infra.local.cloud import LocalCloud
    from infra.local.demo import seed

    cloud = LocalCloud(moto_port=0, port=0).start()
    for name in cloud.stack.functions:  # each function's module (and its logger) loaded
        cloud.runtime.warm(name)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # the servers' access lines
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
        print("\n== the local cloud at season size (stops it)")
        scale.main(cloud)
    return 0


if __name__ == "__main__":
    sys.exit(main())
