"""The current authenticator code of a demo staff account: ``python -m infra.local.totp nx-640104``.

The demo accounts come enrolled with synthetic secrets (``demo.totp_secret``); add one to an
authenticator app with the printed ``otpauth://`` URI, or read the code here.
"""

from __future__ import annotations

import sys

import pyotp

from .demo import STAFF, totp_secret


def main(argv: list[str]) -> int:
    names = [s[0] for s in STAFF]
    if len(argv) != 1 or argv[0] not in names:
        print(f"usage: python -m infra.local.totp <{'|'.join(names)}>", file=sys.stderr)
        return 2
    totp = pyotp.TOTP(totp_secret(argv[0]))
    print(totp.now())
    print(totp.provisioning_uri(name=argv[0], issuer_name="招考"), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
