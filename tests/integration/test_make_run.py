"""`make run`'s process: it comes up, prints its URLs, and stops cleanly on Ctrl-C."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time

from infra.local.template import ROOT


def test_the_local_cloud_starts_and_stops_on_ctrl_c() -> None:
    # Port 0: the process picks free ports itself, so none can be taken in between.
    env = {**os.environ, "ZHAOKAO_PORT": "0", "ZHAOKAO_MOTO_PORT": "0"}
    env.pop("AWS_ENDPOINT_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "infra.local"],
        cwd=ROOT,
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    lines: list[str] = []
    try:
        deadline = time.monotonic() + 60
        assert process.stdout is not None
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            lines.append(line)
            if "Ctrl-C stops it" in line or not line:
                break
        text = "".join(lines)
        assert re.search(r"SMS outbox\s+http://127\.0\.0\.1:\d+/local/outbox", text), text[-2000:]
        assert "hn-43001" in text and "hunan-zsb-2024" in text
        assert "/review.html" in text and "13700000001" in text  # files wait for review
        stopping = time.monotonic()
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
        assert time.monotonic() - stopping < 5  # Ctrl-C stops it at once (issue 11)
        assert "stopping" in process.stdout.read()
    finally:
        if process.poll() is None:
            process.kill()


def test_a_taken_port_is_said_clearly() -> None:
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        port = held.getsockname()[1]
        env = {**os.environ, "ZHAOKAO_PORT": str(port), "ZHAOKAO_MOTO_PORT": "0"}
        result = subprocess.run(
            [sys.executable, "-m", "infra.local"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 2
    assert f"port {port}" in result.stderr and "already in use" in result.stderr
