"""The API fuzzed from its own OpenAPI document (schemathesis), on a local cloud of its own:
every operation, anonymously and as a candidate and each staff role. No answer may be a
5xx, outside its documented statuses and schemas, or accept what the schema refuses.

``python -m infra.fuzz`` (``make fuzz``) runs long; ``--examples 2 --max-time 10`` is the
bounded run inside ``make test``. Exit status 0 when every identity's run passed.
"""

from __future__ import annotations

import argparse
import logging
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[1]
CHECKS = ",".join(
    (
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
        "negative_data_rejection",
        "ignored_auth",
    )
)


def identities(cloud: Any) -> dict[str, str | None]:
    """A bearer token for each kind of caller (None: anonymous)."""
    import pyotp

    from .local.demo import (
        DEMO_CANDIDATE_PASSWORD,
        STAFF,
        STAFF_PASSWORD,
        submitted_files,
        totp_secret,
    )

    tokens: dict[str, str | None] = {"anonymous": None}
    _, phone = submitted_files()[0]
    body = {"season_id": "ningxia-adult-2023", "phone": phone, "password": DEMO_CANDIDATE_PASSWORD}
    tokens["candidate"] = _token(cloud, "/v1/auth/token", body)
    seen: set[str] = set()
    for username, role, _, _ in STAFF:
        if role not in seen:
            seen.add(role)
            code = pyotp.TOTP(totp_secret(username)).now()
            body = {"username": username, "password": STAFF_PASSWORD, "code": code}
            tokens[role] = _token(cloud, "/v1/auth/staff-token", body)
    return tokens


def _token(cloud: Any, path: str, body: dict[str, str]) -> str:
    r = requests.post(cloud.url + path, json=body, timeout=30)
    r.raise_for_status()
    return str(r.json()["access_token"])


def run(cloud: Any, name: str, token: str | None, examples: int, max_time: int, seed: int) -> int:
    command = [
        str(Path(sys.executable).with_name("st")),
        "run",
        f"{cloud.url}/v1/openapi.json",
        "--url",
        cloud.url,
        "--checks",
        CHECKS,
        "--max-examples",
        str(examples),
        "--max-time",
        str(max_time),
        "--seed",
        str(seed),
        "--workers",
        "1",  # hypothesis's lambda descriptions are not thread-safe (an AST recursion error)
        "--phases",
        "examples,coverage,fuzzing",
        "--request-timeout",
        "30",
        "--suppress-health-check",
        "all",
        "--report",
        "junit",
        "--report-dir",
        str(ROOT / "build" / "fuzz" / name),
    ]
    if token:
        command += ["--header", f"Authorization: Bearer {token}"]
    print(f"fuzz: {name}: {' '.join(command[1:4])} … ({examples} examples, {max_time} s)")
    started = time.monotonic()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    output = ROOT / "build" / "fuzz" / name / "output.txt"
    output.write_text(done.stdout + done.stderr, encoding="utf-8")
    seconds = time.monotonic() - started
    shown = done.stdout if done.returncode else "\n".join(done.stdout.splitlines()[-12:])
    print(f"fuzz: {name}: exit {done.returncode} in {seconds:.0f} s ({output})\n{shown}")
    return done.returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--examples", type=int, default=100, help="cases per operation")
    parser.add_argument("--max-time", type=int, default=120, help="seconds per identity")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--only", nargs="*", help="identities to run (default: all)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request otherwise
    os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")
    os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "ERROR")
    from .local.cloud import LocalCloud
    from .local.demo import seed

    cloud = LocalCloud(moto_port=0, port=0).start()
    try:
        seed(cloud)
        failed = [
            name
            for name, token in identities(cloud).items()
            if (not args.only or name in args.only)
            and run(cloud, name, token, args.examples, args.max_time, args.seed) != 0
        ]
    finally:
        cloud.stop()
    print(f"fuzz: {'failed: ' + ', '.join(failed) if failed else 'every identity passed'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
