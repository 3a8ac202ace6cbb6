"""``make run``: the local cloud with both seasons and demo data, until Ctrl-C."""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading

from .cloud import LocalCloud, PortTaken
from .demo import CLOCKS, DEMO_CANDIDATE_PASSWORD, STAFF, STAFF_PASSWORD, seed, submitted_files


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    for noisy in ("werkzeug", "botocore", "pynamodb"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    cloud = LocalCloud(
        host=os.environ.get("ZHAOKAO_HOST", "127.0.0.1"),
        moto_port=int(os.environ.get("ZHAOKAO_MOTO_PORT", "4566")),
        port=int(os.environ.get("ZHAOKAO_PORT", "8000")),
    )
    # Before anything is announced: a Ctrl-C from then on must stop cleanly.
    stopped = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):  # Ctrl-C, or a service manager's stop
        signal.signal(sig, lambda *_: stopped.set())
    try:
        cloud.start()
    except PortTaken as exc:
        print(f"zhaokao: {exc}", file=sys.stderr)
        return 2
    demo = seed(cloud)
    first = demo["graduates"][0]
    waiting = submitted_files()
    print(
        f"""
Zhaokao local cloud is up.

  web (candidate portal)   {cloud.url}/
  review workbench         {cloud.url}/review.html
  public notice            {cloud.url}/notice.html
  exam desk (operators)    {cloud.url}/exam.html
  admission (录取)         {cloud.url}/admission.html   (operators; school-demo for a school)
  ticket verification      {cloud.url}/verify.html
  API                      {cloud.url}/v1/seasons
  OpenAPI                  {cloud.url}/v1/openapi.json
  SMS outbox               {cloud.url}/local/outbox
  AWS endpoint (moto)      {cloud.endpoint}   (export AWS_ENDPOINT_URL={cloud.endpoint})

Seasons and their pinned clocks:
"""
        + "\n".join(f"  {s:<22} {at}" for s, at in CLOCKS.items())
        + f"""

Staff accounts (password {STAFF_PASSWORD}; each signs in with an authenticator code too —
the demo accounts come enrolled: `.venv/bin/python -m infra.local.totp <username>` prints
the current code and the otpauth:// URI to add the account to an authenticator app):
"""
        + "\n".join(f"  {u:<14} {g:<20} unit {unit}" for u, g, unit, _ in STAFF)
        + f"""

A listed graduate of college 43001 to register with (synthetic):
  {first.name}  {first.id_number}

Ningxia candidates whose files wait for county 640104 (password {DEMO_CANDIDATE_PASSWORD}):
"""
        + "\n".join(f"  {name}  {phone}" for name, phone in waiting)
        + f"""
  Sign in as one of them: the 志愿与缴费 tab takes preferences (both seasons' plan
  catalogues are loaded); once nx-640104 approves the file in the workbench, the
  fee is paid on the local provider's page ({cloud.url}/local/pay/…) for a receipt.

Ctrl-C stops it.""",
        flush=True,
    )
    while not stopped.wait(0.5):
        pass
    print("\nstopping…", flush=True)
    cloud.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
