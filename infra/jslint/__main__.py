"""`python -m infra.jslint`: ESLint's findings on web/*.js, and its exit code."""

import sys

from . import lint

done = lint("web")
print(done.stdout or "ESLint: web/*.js clean\n", done.stderr, sep="", end="")
sys.exit(done.returncode)
