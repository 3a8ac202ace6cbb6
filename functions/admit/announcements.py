"""Scheduled announcements (R16.2): tickets printable, scores released — each told once."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

from zhaokao.service import announcements

logger = Logger(service="announcements")


@logger.inject_lambda_context(log_event=True)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return announcements.run()
