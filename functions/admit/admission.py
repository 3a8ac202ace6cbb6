"""The admission run's Task steps (infra/statemachines/admission.asl.json): one function,
the step named by the state machine. A call to AWS that may succeed when asked again
(throttled, a 5xx, the connection lost) is raised as ``Transient``, which the state machine
retries; anything else — AccessDenied, a validation error — fails the run at once."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

from zhaokao.service import admission_steps
from zhaokao.storage.outcomes import retryable

logger = Logger(service="admission")


class Transient(Exception):
    """A call to S3, DynamoDB or Step Functions failed in a way worth a retry."""


@logger.inject_lambda_context(log_event=False)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    step = event["step"]
    logger.info("step", extra={"step": step, "run_id": event.get("run_id")})
    try:
        return dict(admission_steps.STEPS[step](event))
    except Exception as exc:
        if not retryable(exc):
            logger.exception("step failed", extra={"step": step})
            raise  # caught by the state machine: the run fails, its error says why
        logger.warning("transient failure", extra={"step": step, "error": str(exc)})
        raise Transient(f"{step}: {exc}") from exc
