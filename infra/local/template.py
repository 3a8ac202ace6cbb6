"""Read ``template.yaml`` for the local cloud: CloudFormation tags become plain dicts."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]


class _Loader(yaml.SafeLoader):
    pass


def _tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    if suffix == "Ref":
        return {"Ref": value}
    if suffix == "GetAtt" and isinstance(value, str):
        value = value.split(".", 1)
    return {f"Fn::{suffix}": value}


_Loader.add_multi_constructor("!", _tag)


def load(path: Path | None = None) -> dict[str, Any]:
    """The template (``ZHAOKAO_TEMPLATE`` names another copy: the IAM test's)."""
    path = path or Path(os.environ.get("ZHAOKAO_TEMPLATE") or ROOT / "template.yaml")
    return dict(yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader))


DEFAULT_ROUTE = "$default"


@dataclass
class Route:
    method: str
    path: str  # "/v1/seasons/{season_id}"
    function: str
    public: bool


@dataclass
class QueueSource:
    function: str
    queue: str  # logical id
    batch_size: int
    report_failures: bool


@dataclass
class Function:
    logical_id: str
    module: str  # "functions.register.app"
    attr: str  # "handler"
    timeout: int
    env: dict[str, Any] = field(default_factory=dict)


@dataclass
class Stack:
    template: dict[str, Any]
    resources: dict[str, Any]
    globals_env: dict[str, Any]
    functions: dict[str, Function]
    routes: list[Route]
    queue_sources: list[QueueSource]

    def of_type(self, kind: str) -> dict[str, dict[str, Any]]:
        return {k: v for k, v in self.resources.items() if v["Type"] == kind}


def stack(template: dict[str, Any] | None = None) -> Stack:
    template = template or load()
    resources = template["Resources"]
    fn_globals = template.get("Globals", {}).get("Function", {})
    default_timeout = int(fn_globals.get("Timeout", 3))
    functions, routes, sources = {}, [], []
    for logical, res in resources.items():
        if res["Type"] != "AWS::Serverless::Function":
            continue
        props = res["Properties"]
        package = props["CodeUri"].strip("/").replace("/", ".")
        module, attr = props["Handler"].rsplit(".", 1)
        functions[logical] = Function(
            logical,
            f"{package}.{module}",
            attr,
            int(props.get("Timeout", default_timeout)),
            props.get("Environment", {}).get("Variables", {}),
        )
        for event in props.get("Events", {}).values():
            ep = event["Properties"]
            if event["Type"] == "HttpApi":
                public = ep.get("Auth", {}).get("Authorizer") == "NONE"
                if "Path" not in ep:  # SAM's $default route: whatever no other route matches
                    routes.append(Route("ANY", DEFAULT_ROUTE, logical, public))
                else:
                    routes.append(Route(ep["Method"].upper(), ep["Path"], logical, public))
            elif event["Type"] == "SQS":
                queue = ep["Queue"]["Fn::GetAtt"][0]
                report = "ReportBatchItemFailures" in ep.get("FunctionResponseTypes", [])
                sources.append(QueueSource(logical, queue, int(ep.get("BatchSize", 10)), report))
    for res in resources.values():  # a queue's consumer, without SAM's policy on every queue
        if res["Type"] == "AWS::Lambda::EventSourceMapping":
            mp = res["Properties"]
            report = "ReportBatchItemFailures" in mp.get("FunctionResponseTypes", [])
            queue = mp["EventSourceArn"]["Fn::GetAtt"][0]
            batch = int(mp.get("BatchSize", 10))
            sources.append(QueueSource(mp["FunctionName"]["Ref"], queue, batch, report))
    env = fn_globals.get("Environment", {}).get("Variables", {})
    return Stack(template, resources, env, functions, routes, sources)
