"""The personal-data rewrap job (R17.5): ``{"resume": <where the last run stopped>}``.

Scheduled daily and invoked by operators after a rotation until it answers ``done``."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

from zhaokao.service import rewrap

logger = Logger(service="pii-rewrap")


@logger.inject_lambda_context(log_event=False)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    result = rewrap.run(event.get("resume"), context.get_remaining_time_in_millis)
    logger.info("rewrapped", extra={"rewrapped": result["rewrapped"], "done": result["done"]})
    return result
