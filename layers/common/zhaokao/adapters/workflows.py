"""Step Functions: a run started by its name, and the approval step's callback."""

from __future__ import annotations

import json
from typing import Any

from .clients import client


def start(state_machine: str, name: str, payload: dict[str, Any]) -> str:
    """Start an execution named ``name``: Step Functions runs a name once per state machine,
    so a second start of one run is never a second run."""
    answer = client("stepfunctions").start_execution(
        stateMachineArn=state_machine, name=name, input=json.dumps(payload)
    )
    return str(answer["executionArn"])


# What Step Functions answers for a task token already used: the task was closed (its
# execution went on, or ended). Our tokens come from the state machine alone.
_CLOSED = ("TaskTimedOut", "TaskDoesNotExist", "InvalidToken")


def resume(token: str, output: dict[str, Any]) -> None:
    """Let the step waiting on ``token`` go on, once: a second resume of one step (two
    callers who each saw the last condition met) is refused by Step Functions, and is
    nothing to do."""
    from botocore.exceptions import ClientError

    try:
        client("stepfunctions").send_task_success(taskToken=token, output=json.dumps(output))
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") not in _CLOSED:
            raise


def stop(token: str, error: str, cause: str) -> None:
    client("stepfunctions").send_task_failure(taskToken=token, error=error, cause=cause)
