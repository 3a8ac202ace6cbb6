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


def resume(token: str, output: dict[str, Any]) -> None:
    client("stepfunctions").send_task_success(taskToken=token, output=json.dumps(output))


def stop(token: str, error: str, cause: str) -> None:
    client("stepfunctions").send_task_failure(taskToken=token, error=error, cause=cause)
