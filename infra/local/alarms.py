"""The template's queue alarms, evaluated locally as CloudWatch evaluates them.

Every alarm of ``template.yaml`` is created in the emulator's CloudWatch; those on an SQS
queue's metric (a DLQ's depth, the age of its oldest message) are evaluated every few
seconds from the queue itself, and a breach sets the alarm's state and notifies its
actions (the operators' SNS topic), once per breach.
"""

from __future__ import annotations

import threading
from typing import Any

from .iam import Resolver

_COMPARE = {
    "GreaterThanThreshold": lambda v, t: v > t,
    "GreaterThanOrEqualToThreshold": lambda v, t: v >= t,
    "LessThanThreshold": lambda v, t: v < t,
}
_SQS_METRICS = {
    "ApproximateNumberOfMessagesVisible": "ApproximateNumberOfMessages",
}


class Alarms(threading.Thread):
    def __init__(self, cloud: Any, every: float = 2.0) -> None:
        super().__init__(name="alarms", daemon=True)
        self.cloud, self.every = cloud, every
        self.resolver = Resolver(cloud.stack.template, cloud.refs)
        self.states: dict[str, str] = {}
        self.history: list[tuple[str, str]] = []  # (alarm, state) transitions, for tests
        self.definitions = {
            logical: self.resolver.value(res["Properties"])
            for logical, res in cloud.stack.of_type("AWS::CloudWatch::Alarm").items()
        }
        self.definitions = {n: p for n, p in self.definitions.items() if "MetricName" in p}
        watch = cloud.client("cloudwatch")
        for name, p in self.definitions.items():  # metric-math alarms are AWS's alone
            watch.put_metric_alarm(
                AlarmName=name,
                AlarmDescription=p.get("AlarmDescription", ""),
                Namespace=p["Namespace"],
                MetricName=p["MetricName"],
                Dimensions=p.get("Dimensions", []),
                **(
                    {"ExtendedStatistic": p["ExtendedStatistic"]}
                    if "ExtendedStatistic" in p
                    else {"Statistic": p.get("Statistic", "Maximum")}
                ),
                Period=int(p["Period"]),
                EvaluationPeriods=int(p["EvaluationPeriods"]),
                Threshold=float(p["Threshold"]),
                ComparisonOperator=p["ComparisonOperator"],
                AlarmActions=p.get("AlarmActions", []),
            )

    def run(self) -> None:
        while not self.cloud._stop.wait(self.every):
            try:
                self.evaluate()
            except Exception:  # keep evaluating, as CloudWatch does
                if self.cloud._stop.is_set():
                    return

    def evaluate(self) -> None:
        sqs = self.cloud.client("sqs")
        for name, p in self.definitions.items():
            attribute = _SQS_METRICS.get(p["MetricName"])
            if p["Namespace"] != "AWS/SQS" or attribute is None:
                continue  # measured by AWS only (Lambda errors, API latency, …)
            queue = next(d["Value"] for d in p["Dimensions"] if d["Name"] == "QueueName")
            url = self.cloud.refs[queue]
            value = float(
                sqs.get_queue_attributes(QueueUrl=url, AttributeNames=[attribute])["Attributes"][
                    attribute
                ]
            )
            breached = _COMPARE[p["ComparisonOperator"]](value, float(p["Threshold"]))
            self._set(name, "ALARM" if breached else "OK", value, p)

    def _set(self, name: str, state: str, value: float, p: dict[str, Any]) -> None:
        if self.states.get(name, "OK") == state:
            return
        self.states[name] = state
        self.history.append((name, state))
        reason = f"{p['MetricName']} = {value:g} (threshold {p['Threshold']})"
        self.cloud.client("cloudwatch").set_alarm_state(
            AlarmName=name, StateValue=state, StateReason=reason
        )
        if state == "ALARM":
            for topic in p.get("AlarmActions", []):
                self.cloud.client("sns").publish(
                    TopicArn=topic, Subject=f"ALARM: {name}", Message=f"{name}: {reason}"
                )

    def fired(self, name: str) -> bool:
        return (name, "ALARM") in self.history


def start(cloud: Any) -> Alarms:
    alarms = Alarms(cloud)
    alarms.start()
    return alarms
