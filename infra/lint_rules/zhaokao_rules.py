"""cfn-lint rules for what Zhaokao promises of its cloud (``cfn-lint --append-rules``):
every queue has a DLQ and every DLQ an alarm; every table keeps its data; no IAM grant on
``*`` where a resource can be named."""

from __future__ import annotations

from typing import Any

from cfnlint.rules import CloudFormationLintRule, RuleMatch

# Actions AWS only grants on "*": an SMS to a phone number has no ARN; metrics and traces;
# a Step Functions task token's callback.
STAR_ONLY = {
    "sns:publish",
    "states:sendtasksuccess",
    "states:sendtaskfailure",
    "cloudwatch:putmetricdata",
    "xray:puttracesegments",
    "xray:puttelemetryrecords",
}


def _resources(cfn: Any, kind: str) -> dict[str, Any]:
    return {k: v for k, v in cfn.template.get("Resources", {}).items() if v.get("Type") == kind}


def _queue_of(dimension_value: Any) -> str | None:
    if isinstance(dimension_value, dict) and "Fn::GetAtt" in dimension_value:
        target = dimension_value["Fn::GetAtt"]
        return str(target[0] if isinstance(target, list) else target.split(".")[0])
    return None


class QueuesHaveDlqsWithAlarms(CloudFormationLintRule):
    id = "E9001"
    shortdesc = "Every queue has a DLQ, and every DLQ an alarm"
    description = "A consumer's poison messages land in a DLQ whose depth alarms the operators."
    tags = ["zhaokao", "sqs"]  # noqa: RUF012 - cfn-lint reads a list

    def match(self, cfn: Any) -> list[RuleMatch]:
        queues = _resources(cfn, "AWS::SQS::Queue")
        dlqs = {
            _queue_of(q.get("Properties", {})["RedrivePolicy"]["deadLetterTargetArn"])
            for q in queues.values()
            if "RedrivePolicy" in q.get("Properties", {})
        }
        alarmed = {
            _queue_of(d.get("Value"))
            for a in _resources(cfn, "AWS::CloudWatch::Alarm").values()
            if a["Properties"].get("MetricName") == "ApproximateNumberOfMessagesVisible"
            for d in a["Properties"].get("Dimensions", [])
        }
        matches = []
        for name, queue in queues.items():
            if name in dlqs and name not in alarmed:
                matches.append(RuleMatch(["Resources", name], f"{name} (a DLQ) has no depth alarm"))
            if name not in dlqs and "RedrivePolicy" not in queue.get("Properties", {}):
                matches.append(RuleMatch(["Resources", name], f"{name} has no DLQ"))
        return matches


class TablesKeepTheirData(CloudFormationLintRule):
    id = "E9002"
    shortdesc = "Every table keeps its data"
    description = "Retain on delete and replace, deletion protection, point-in-time recovery."
    tags = ["zhaokao", "dynamodb"]  # noqa: RUF012 - cfn-lint reads a list

    def match(self, cfn: Any) -> list[RuleMatch]:
        matches = []
        for name, table in _resources(cfn, "AWS::DynamoDB::Table").items():
            props = table.get("Properties", {})
            missing = [
                what
                for what, ok in (
                    ("DeletionPolicy: Retain", table.get("DeletionPolicy") == "Retain"),
                    ("UpdateReplacePolicy: Retain", table.get("UpdateReplacePolicy") == "Retain"),
                    ("DeletionProtectionEnabled", props.get("DeletionProtectionEnabled") is True),
                    (
                        "point-in-time recovery",
                        props.get("PointInTimeRecoverySpecification", {}).get(
                            "PointInTimeRecoveryEnabled"
                        )
                        is True,
                    ),
                )
                if not ok
            ]
            if missing:
                matches.append(RuleMatch(["Resources", name], f"{name} lacks {', '.join(missing)}"))
        return matches


class NoStarWhereAResourceHasAName(CloudFormationLintRule):
    id = "E9003"
    shortdesc = "No grant on * where a resource can be named"
    description = "Least privilege: a function's statements name their resources."
    tags = ["zhaokao", "iam"]  # noqa: RUF012 - cfn-lint reads a list

    def match(self, cfn: Any) -> list[RuleMatch]:
        matches = []
        for name, res in cfn.template.get("Resources", {}).items():
            for path, statement in _statements(res):
                resources = statement.get("Resource", [])
                resources = resources if isinstance(resources, list) else [resources]
                actions = statement.get("Action", [])
                actions = actions if isinstance(actions, list) else [actions]
                if "*" in resources and not {str(a).lower() for a in actions} <= STAR_ONLY:
                    matches.append(
                        RuleMatch(
                            ["Resources", name, *path],
                            f"{name}: {actions} on * (name the resource)",
                        )
                    )
        return matches


def _statements(res: dict[str, Any]) -> list[tuple[list[Any], dict[str, Any]]]:
    """The Allow statements of a function's policies and of IAM roles and policies."""
    props = res.get("Properties", {})
    documents: list[tuple[list[Any], Any]] = []
    if res.get("Type") == "AWS::Serverless::Function":
        documents = [
            (["Properties", "Policies", i], p) for i, p in enumerate(props.get("Policies", []))
        ]
    elif res.get("Type") == "AWS::IAM::Role":
        documents = [
            (["Properties", "Policies", i, "PolicyDocument"], p.get("PolicyDocument", {}))
            for i, p in enumerate(props.get("Policies", []))
        ]
    elif res.get("Type") in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
        documents = [(["Properties", "PolicyDocument"], props.get("PolicyDocument", {}))]
    found = []
    for path, document in documents:
        for branch in _branches(document):
            for j, statement in enumerate(
                branch.get("Statement", []) if isinstance(branch, dict) else []
            ):
                if isinstance(statement, dict) and statement.get("Effect") == "Allow":
                    found.append(([*path, "Statement", j], statement))
    return found


def _branches(document: Any) -> list[Any]:
    """A document, or each side of an Fn::If that chooses it."""
    if isinstance(document, dict) and "Fn::If" in document:
        return [b for side in document["Fn::If"][1:] for b in _branches(side)]
    return [document]
