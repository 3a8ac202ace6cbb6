"""A browser's signed POST upload, checked as S3 checks it (moto stores it unchecked).

The form carries a policy (base64 JSON: an expiry and conditions) signed with SigV4 by
whoever made the form. S3 refuses the upload when the signature does not match, the policy
has expired, a condition fails (the key, the content type, the size range), or the form
has a field no condition covers — so one candidate cannot write into another's upload path
by editing the form, locally either.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime
from typing import Any
from xml.sax.saxutils import escape

UNSIGNED = {"x-amz-signature", "file", "policy"}  # the fields no condition names


class Refused(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message

    def xml(self) -> bytes:
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f"<Error><Code>{self.code}</Code><Message>{escape(self.message)}</Message></Error>"
        ).encode()


def check(bucket: str, fields: dict[str, str], size: int, secrets: dict[str, str]) -> None:
    """Raise ``Refused`` unless this form may put a file of ``size`` bytes in ``bucket``."""
    fields = {k.lower() if k.lower().startswith("x-amz-") else k: v for k, v in fields.items()}
    encoded = fields.get("policy", "")
    _verify_signature(encoded, fields, secrets)
    try:
        policy = json.loads(base64.b64decode(encoded))
    except ValueError:
        raise Refused(400, "InvalidPolicyDocument", "Invalid Policy: Invalid JSON.") from None
    expires = datetime.fromisoformat(policy["expiration"].replace("Z", "+00:00"))
    if expires <= datetime.now(UTC):
        raise Refused(403, "AccessDenied", "Invalid according to Policy: Policy expired.")
    values = {**{k.lower(): v for k, v in fields.items()}, "bucket": bucket}
    covered = {"bucket"}
    for condition in policy.get("conditions", []):
        covered |= _condition(condition, values, size)
    extra = {k.lower() for k in fields} - covered - UNSIGNED
    extra = {k for k in extra if not k.startswith("x-ignore-")}
    if extra:
        name = sorted(extra)[0]
        raise Refused(
            403,
            "AccessDenied",
            f"Invalid according to Policy: Extra input fields: {name}",
        )


def _verify_signature(encoded: str, fields: dict[str, str], secrets: dict[str, str]) -> None:
    credential = fields.get("x-amz-credential", "")
    parts = credential.split("/")
    if fields.get("x-amz-algorithm") != "AWS4-HMAC-SHA256" or len(parts) != 5:
        raise Refused(400, "InvalidArgument", "POST requires a SigV4 credential and signature")
    access_key, day, region, service, _ = parts
    secret = secrets.get(access_key)
    if secret is None:
        raise Refused(
            403, "InvalidAccessKeyId", "The AWS access key Id you provided does not exist"
        )
    key = f"AWS4{secret}".encode()
    for part in (day, region, service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    expected = hmac.new(key, encoded.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, fields.get("x-amz-signature", "")):
        raise Refused(
            403,
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided.",
        )


def _condition(condition: Any, values: dict[str, str], size: int) -> set[str]:
    """Check one condition; the field names it covers."""
    if isinstance(condition, dict):
        ((name, wanted),) = condition.items()
        _expect(values.get(name.lower()) == wanted, f'["eq", "${name}", "{wanted}"]')
        return {name.lower()}
    op, *args = condition
    op = op.lower()
    if op == "content-length-range":
        low, high = int(args[0]), int(args[1])
        if size > high:
            raise Refused(
                400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size"
            )
        if size < low:
            raise Refused(
                400,
                "EntityTooSmall",
                "Your proposed upload is smaller than the minimum allowed size",
            )
        return set()
    name, wanted = str(args[0]).lstrip("$").lower(), str(args[1])
    given = values.get(name)
    if op == "eq":
        _expect(given == wanted, json.dumps(condition))
    elif op == "starts-with":
        _expect(given is not None and given.startswith(wanted), json.dumps(condition))
    else:
        raise Refused(400, "InvalidPolicyDocument", f"Invalid Policy: unknown condition {op}")
    return {name}


def _expect(holds: bool, condition: str) -> None:
    if not holds:
        raise Refused(
            403,
            "AccessDenied",
            f"Invalid according to Policy: Policy Condition failed: {condition}",
        )
