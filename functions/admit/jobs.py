"""Scheduled payment jobs (R9.2, R9.3): ``{"job": "settle" | "withdraw" | "reconcile"}``."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

from zhaokao.service import payment_jobs

logger = Logger(service="payments")


@logger.inject_lambda_context(log_event=True)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return payment_jobs.run(str(event["job"]), event.get("day"))
