"""The admission run's Task steps (infra/statemachines/admission.asl.json): one function,
the step named by the state machine. A transient failure of a service we call is raised
as ``Transient``, which the state machine retries; anything else fails the run."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext
from botocore.exceptions import BotoCoreError, ClientError
from pynamodb.exceptions import PynamoDBException

from zhaokao.service import admission

logger = Logger(service="admission")


class Transient(Exception):
    """A call to S3, DynamoDB or Step Functions failed: worth a retry."""


@logger.inject_lambda_context(log_event=False)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    step = event["step"]
    logger.info("step", extra={"step": step, "run_id": event.get("run_id")})
    try:
        return dict(admission.STEPS[step](event))
    except (ClientError, BotoCoreError, PynamoDBException, FileNotFoundError) as exc:
        logger.warning("transient failure", extra={"step": step, "error": str(exc)})
        raise Transient(f"{step}: {exc}") from exc
