"""Secrets Manager's rotation of the token signing keys (R17.5, ADR 8): one step per call,
``{"Step", "SecretId", "ClientRequestToken"}``. Every step can run again harmlessly.
An operator's ``{"Revoke": true}`` replaces a leaked token key set at once (docs/runbook.md)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

from zhaokao.adapters import keys

logger = Logger(service="key-rotation")


@logger.inject_lambda_context(log_event=False)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any] | None:
    if event.get("Revoke") is True:
        kids = keys.revoke()
        logger.warning("token keys revoked and replaced", extra={"kids": kids})
        return {"revoked": True, "kids": kids}
    logger.info("rotation step", extra={"step": event["Step"]})
    keys.rotation_step(str(event["Step"]), str(event["SecretId"]), str(event["ClientRequestToken"]))
    return None
