"""``make bench``: every benchmark at full size, against a local cloud of its own."""

from __future__ import annotations

import logging
import sys

from bench import auth, coldstart, payments, preferences, registration, review, roster


def main() -> int:
    logging.basicConfig(level=logging.WARNING)
    print("== cold start (python -X importtime, bytecode compiled)")
    coldstart.main(runs=9)
    print("\n== sign-in (passwords, tokens)")
    auth.main(times=30)

    from infra.local.cloud import LocalCloud
    from infra.local.demo import seed

    cloud = LocalCloud(moto_port=0, port=0).start()
    try:
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
    finally:
        cloud.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
