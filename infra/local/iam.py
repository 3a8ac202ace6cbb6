"""Each handler runs locally with the permissions its function has in ``template.yaml``.

The policies are expanded as SAM expands them (its own translator for the policy
templates, intrinsic functions resolved against the local resources), and every AWS call
a handler makes is checked — IAM action and resource ARN — before moto sees it: a call
outside them fails with AccessDenied exactly as in AWS, so a missing permission fails a
test. Calls made outside any handler (the tests' own set-up, the demo data, the CLI) are
an administrator's and are not checked.

The check is a botocore ``before-parameter-build`` handler; the calling function is the
one ``runtime.invoke`` is running in this thread. The same hook plays injected faults
(``Faults``): a throttled call, a service error, for the fault-injection tests.
"""

from __future__ import annotations

import fnmatch
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError

from .runtime import current_function

PARTITION, REGION, ACCOUNT = "aws", "us-east-1", "123456789012"
_NO_VALUE = object()


# -- the template's policies, expanded ------------------------------------------------------
@dataclass(frozen=True)
class Statement:
    actions: tuple[str, ...]
    resources: tuple[str, ...]
    conditions: tuple[tuple[str, str, tuple[str, ...]], ...] = ()  # (operator, key, values)

    def allows(self, action: str, resource: str, context: dict[str, str] | None = None) -> bool:
        return (
            any(_glob(a, action, case=False) for a in self.actions)
            and any(_glob(r, resource, case=True) for r in self.resources)
            and all(
                _condition(op, key, values, context or {}) for op, key, values in self.conditions
            )
        )


def _condition(operator: str, key: str, values: tuple[str, ...], context: dict[str, str]) -> bool:
    """The condition operators our policies use; a key the request lacks fails it, as in IAM."""
    if key not in context:
        return False
    if operator == "StringLike":
        return any(_glob(v, context[key], case=True) for v in values)
    if operator == "StringEquals":
        return context[key] in values
    raise ValueError(f"condition operator {operator} is not modelled locally")


def _glob(pattern: str, value: str, case: bool) -> bool:
    if not case:
        pattern, value = pattern.lower(), value.lower()
    return fnmatch.fnmatchcase(value, pattern)


class Resolver:
    """CloudFormation's intrinsic functions over the local cloud's resources."""

    def __init__(self, template: dict[str, Any], refs: dict[str, str]) -> None:
        self.template, self.refs = template, refs
        self.conditions = template.get("Conditions", {})

    def ref(self, name: str) -> Any:
        pseudo = {
            "AWS::Partition": PARTITION,
            "AWS::Region": REGION,
            "AWS::AccountId": ACCOUNT,
            "AWS::URLSuffix": "amazonaws.com",
            "AWS::NoValue": _NO_VALUE,
        }
        if name in pseudo:
            return pseudo[name]
        if name in self.refs:
            return self.refs[name]
        parameter = self.template.get("Parameters", {}).get(name)
        if parameter is not None:
            return parameter.get("Default", "")
        if name in self.template["Resources"]:
            return name  # locally a resource's name is its logical id (a function's, …)
        raise KeyError(f"no value for Ref {name}")

    def attribute(self, logical: str, attr: str) -> str:
        kind = self.template["Resources"][logical]["Type"]
        if f"{logical}.{attr}" in self.refs:
            return self.refs[f"{logical}.{attr}"]
        if kind == "AWS::DynamoDB::Table" and attr == "Arn":
            return f"arn:{PARTITION}:dynamodb:{REGION}:{ACCOUNT}:table/{self.refs[logical]}"
        if kind == "AWS::SQS::Queue" and attr == "QueueName":
            return self.refs[f"{logical}.Arn"].rsplit(":", 1)[1]
        if kind == "AWS::S3::Bucket" and attr == "Arn":
            return f"arn:{PARTITION}:s3:::{self.refs[logical]}"
        if kind == "AWS::Serverless::Function" and attr == "Arn":
            return f"arn:{PARTITION}:lambda:{REGION}:{ACCOUNT}:function:{logical}"
        raise KeyError(f"no value for GetAtt {logical}.{attr}")

    def condition(self, name: str) -> bool:
        return bool(self.value(self.conditions[name]))

    def value(self, node: Any) -> Any:
        if isinstance(node, list):
            return [v for v in (self.value(n) for n in node) if v is not _NO_VALUE]
        if not isinstance(node, dict):
            return node
        if len(node) == 1:
            ((key, arg),) = node.items()
            if key == "Ref":
                return self.ref(arg)
            if key == "Fn::GetAtt":
                logical, attr = arg if isinstance(arg, list) else arg.split(".", 1)
                return self.attribute(logical, attr)
            if key == "Fn::Sub":
                return self._sub(arg)
            if key == "Fn::If":
                name, yes, no = arg
                return self.value(yes if self.condition(name) else no)
            if key == "Fn::Equals":
                first, second = (self.value(a) for a in arg)
                return first == second
            if key == "Fn::Not":
                return not self.value(arg[0])
            if key == "Fn::Join":
                separator, parts = arg
                return separator.join(str(p) for p in self.value(parts))
        return {
            k: v for k, v in ((k, self.value(v)) for k, v in node.items()) if v is not _NO_VALUE
        }

    def _sub(self, arg: Any) -> str:
        text, names = (arg, {}) if isinstance(arg, str) else (arg[0], self.value(arg[1]))

        def one(m: re.Match[str]) -> str:
            name = m[1]
            if name in names:
                return str(names[name])
            if "." in name and not name.startswith("AWS::"):
                return self.attribute(*name.split(".", 1))
            return str(self.ref(name))

        return re.sub(r"\$\{([^}!]+)\}", one, text)


def policies(template: dict[str, Any], refs: dict[str, str]) -> dict[str, list[Statement]]:
    """Every function's Allow statements, as SAM would put them on its role."""
    from samtranslator.policy_template_processor.processor import PolicyTemplatesProcessor

    processor = PolicyTemplatesProcessor(
        PolicyTemplatesProcessor.get_default_policy_templates_json()
    )
    resolver = Resolver(template, refs)
    out: dict[str, list[Statement]] = {}
    for logical, res in template["Resources"].items():
        if res["Type"] != "AWS::Serverless::Function":
            continue
        statements: list[Statement] = []
        for entry in resolver.value(res["Properties"].get("Policies", [])):
            if isinstance(entry, str):
                raise ValueError(f"{logical}: managed policy {entry} is not modelled locally")
            if "Statement" not in entry:  # a SAM policy template: expanded as SAM does
                ((name, parameters),) = entry.items()
                entry = resolver.value(processor.convert(name, parameters))
            for statement in entry["Statement"]:
                if statement.get("Effect") != "Allow":
                    raise ValueError(f"{logical}: only Allow statements are modelled")
                statements.append(
                    Statement(
                        _tuple(statement["Action"]),
                        _tuple(statement["Resource"]),
                        tuple(
                            (operator, key, _tuple(values))
                            for operator, keys in statement.get("Condition", {}).items()
                            for key, values in keys.items()
                        ),
                    )
                )
        out[logical] = statements
    return out


def _tuple(value: Any) -> tuple[str, ...]:
    return tuple(value if isinstance(value, list) else [value])


# -- what a call asks for -----------------------------------------------------------------
def _table(name: str) -> str:
    return f"arn:{PARTITION}:dynamodb:{REGION}:{ACCOUNT}:table/{name}"


_TRANSACT = {
    "Put": "PutItem",
    "Update": "UpdateItem",
    "Delete": "DeleteItem",
    "ConditionCheck": "ConditionCheckItem",
    "Get": "GetItem",
}
_S3_ACTIONS = {
    "HeadObject": "GetObject",
    "ListObjectsV2": "ListBucket",
    "ListObjects": "ListBucket",
    "HeadBucket": "ListBucket",
    "DeleteObjects": "DeleteObject",
    "CopyObject": "PutObject",
}


def condition_keys(service: str, params: dict[str, Any]) -> dict[str, str]:
    """The condition keys a call carries that our policies read."""
    if service == "s3" and "Prefix" in params:
        return {"s3:prefix": str(params["Prefix"])}
    return {}


def requested(service: str, operation: str, params: dict[str, Any]) -> list[tuple[str, str]]:
    """The (IAM action, resource ARN) pairs IAM evaluates for one call."""
    if service == "dynamodb":
        if operation in ("TransactWriteItems", "TransactGetItems"):
            return [
                (f"dynamodb:{_TRANSACT[kind]}", _table(op["TableName"]))
                for item in params["TransactItems"]
                for kind, op in item.items()
            ]
        if operation in ("BatchGetItem", "BatchWriteItem"):
            return [(f"dynamodb:{operation}", _table(t)) for t in params["RequestItems"]]
        resource = _table(params["TableName"])
        if params.get("IndexName"):
            resource += f"/index/{params['IndexName']}"
        return [(f"dynamodb:{operation}", resource)]
    if service == "sqs":
        url = params.get("QueueUrl") or params.get("QueueName", "")
        name = url.rstrip("/").rsplit("/", 1)[-1]
        action = operation.removesuffix("Batch")
        return [(f"sqs:{action}", f"arn:{PARTITION}:sqs:{REGION}:{ACCOUNT}:{name}")]
    if service == "s3":
        action = _S3_ACTIONS.get(operation, operation)
        bucket = f"arn:{PARTITION}:s3:::{params.get('Bucket', '')}"
        if "Key" in params and action != "ListBucket":
            return [(f"s3:{action}", f"{bucket}/{params['Key']}")]
        if operation == "DeleteObjects":
            keys = [o["Key"] for o in params.get("Delete", {}).get("Objects", [])]
            return [(f"s3:{action}", f"{bucket}/{k}") for k in keys]
        return [(f"s3:{action}", bucket)]
    if service == "secretsmanager":
        return [(f"secretsmanager:{operation}", str(params.get("SecretId", "*")))]
    if service == "kms":
        key = params.get("KeyId")
        if key is None and "CiphertextBlob" in params:  # IAM names the key inside the blob
            from moto.kms.utils import _deserialize_ciphertext_blob  # the emulator's format

            key = _deserialize_ciphertext_blob(params["CiphertextBlob"]).key_id
        key = str(key or "*")
        if not key.startswith(("arn:", "alias/", "*")):
            key = f"arn:{PARTITION}:kms:{REGION}:{ACCOUNT}:key/{key}"
        return [(f"kms:{operation}", key)]
    if service == "sns":
        target = params.get("TopicArn") or params.get("TargetArn") or "*"
        return [(f"sns:{operation}", str(target))]
    if service == "states":  # Step Functions; a task token's callback names nothing
        target = params.get("stateMachineArn") or params.get("executionArn") or "*"
        return [(f"states:{operation}", str(target))]
    return [(f"{service}:{operation}", "*")]


# -- the check, and injected faults ---------------------------------------------------------
@dataclass
class Fault:
    function: str
    operation: str
    code: str
    message: str = "injected"
    times: int = 1
    reasons: list[str] | None = None  # a cancelled transaction's reasons


@dataclass
class Faults:
    """Failures to play, in order: the next matching call of ``function`` gets ``code``."""

    pending: list[Fault] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, fault: Fault) -> None:
        with self.lock:
            self.pending.append(fault)

    def take(self, function: str, operation: str) -> Fault | None:
        with self.lock:
            for fault in self.pending:
                if fault.function == function and fault.operation == operation:
                    fault.times -= 1
                    if fault.times <= 0:
                        self.pending.remove(fault)
                    return fault
        return None

    def clear(self) -> None:
        with self.lock:
            self.pending.clear()


_DENIED = {"sqs": "AccessDenied", "s3": "AccessDenied"}
# Grants used only by signing a browser's POST form, which names no key to the enforcer:
# (function, action, the resource's end)
SIGNED_FORMS = {
    ("RegisterFunction", "s3:PutObject", "/uploads/*"),  # a candidate's documents
    ("ReviewFunction", "s3:PutObject", "/rosters/*"),  # a college's roster files (R2.3)
}


class Enforcer:
    def __init__(self, statements: dict[str, list[Statement]]) -> None:
        self.statements, self.faults = statements, Faults()
        self.denials: list[tuple[str, str, str]] = []  # (function, action, resource), for tests
        self.used: set[tuple[str, str, str]] = set()  # what each function was allowed and did

    def __call__(self, params: dict[str, Any], model: Any, context: Any = None, **_: Any) -> None:
        function = current_function.get()
        if function is None:
            return  # an administrator's call: the tests' set-up, the demo, the CLI
        service = model.service_model.signing_name
        if (context or {}).get("is_presign_request"):
            self._signed(function, service, model.name, params)
            return
        fault = self.faults.take(function, model.name)
        if fault is not None:
            raise _error(model.name, fault.code, fault.message, fault.reasons)
        allowed = self.statements.get(function, [])
        keys = condition_keys(service, params)
        for action, resource in requested(service, model.name, params):
            self.used.add((function, action, resource))
            if not any(s.allows(action, resource, keys) for s in allowed):
                self.denials.append((function, action, resource))
                raise _denied(model.name, service, function, action, resource)
        if service == "s3" and model.name in ("GetObject", "HeadObject"):
            self._missing_is_forbidden(function, model.name, params, allowed)

    def _signed(self, function: str, service: str, operation: str, params: dict[str, Any]) -> None:
        """A signed URL is checked now: AWS checks the signer's permission when it is used.
        A signed POST form names no key here (botocore signs it as CreateBucket): S3 checks
        it when the browser posts (s3post), and its grant is in ``SIGNED_FORMS``."""
        if operation == "CreateBucket":
            return
        for action, resource in requested(service, operation, params):
            self.used.add((function, action, resource))
            if not any(s.allows(action, resource) for s in self.statements.get(function, [])):
                self.denials.append((function, action, resource))
                raise _denied(operation, service, function, action, resource)

    def unused(self) -> list[str]:
        """Every grant (action on resource, per statement) no call of its function needed:
        after the suite, what least privilege should cut (R17.5)."""
        out = []
        for function, statements in self.statements.items():
            calls = [(a, r) for f, a, r in self.used if f == function]
            for statement in statements:
                for action in statement.actions:
                    for resource in statement.resources:
                        if any(
                            (function, action) == (f, a) and resource.endswith(end)
                            for f, a, end in SIGNED_FORMS
                        ):
                            continue
                        if not any(
                            _glob(action, a, case=False) and _glob(resource, r, case=True)
                            for a, r in calls
                        ):
                            out.append(f"{function}: {action} on {resource}")
        return sorted(set(out))

    def _missing_is_forbidden(
        self, function: str, operation: str, params: dict[str, Any], allowed: list[Statement]
    ) -> None:
        """S3 answers a missing object with 403 AccessDenied, not 404 NoSuchKey, to a caller
        who may not list where it would be (s3:ListBucket for its prefix): it does not tell
        what exists to whom cannot list it. Code that reads a missing object as "not there"
        needs that listing grant (docs/adr/0014-missing-objects.md)."""
        bucket, key = str(params.get("Bucket", "")), str(params.get("Key", ""))
        listing = f"arn:{PARTITION}:s3:::{bucket}"
        from moto.s3.models import s3_backends

        held = s3_backends[ACCOUNT][PARTITION].buckets.get(bucket)
        if held is not None and held.keys.get(key) is not None:
            return
        if any(s.allows("s3:ListBucket", listing, {"s3:prefix": key}) for s in allowed):
            self.used.add((function, "s3:ListBucket", listing))
            return  # S3 says NoSuchKey (404): moto answers as it does
        self.denials.append((function, "s3:ListBucket", f"{listing} (prefix {key})"))
        code = "403" if operation == "HeadObject" else "AccessDenied"  # HEAD has no body
        raise ClientError(
            {
                "Error": {"Code": code, "Message": "Access Denied"},
                "ResponseMetadata": {"HTTPStatusCode": 403},
            },
            operation,
        )


def _denied(operation: str, service: str, function: str, action: str, resource: str) -> ClientError:
    message = (
        f"User: arn:{PARTITION}:sts::{ACCOUNT}:assumed-role/{function}Role/{function}"
        f" is not authorized to perform: {action} on resource: {resource} because "
        "no identity-based policy allows the action"
    )
    return _error(operation, _DENIED.get(service, "AccessDeniedException"), message)


def _error(
    operation: str, code: str, message: str, reasons: list[str] | None = None
) -> ClientError:
    response: dict[str, Any] = {
        "Error": {"Code": code, "Message": message},
        "ResponseMetadata": {"HTTPStatusCode": 400},
    }
    if reasons is not None:
        response["CancellationReasons"] = [{"Code": r} for r in reasons]
    return ClientError(response, operation)  # type: ignore[arg-type]


def install(enforcer: Enforcer) -> Callable[..., None]:
    """Every botocore client made in this process from now on is checked."""
    from botocore.handlers import BUILTIN_HANDLERS

    BUILTIN_HANDLERS[:] = [h for h in BUILTIN_HANDLERS if not isinstance(h[1], Enforcer)]
    BUILTIN_HANDLERS.append(("before-parameter-build", enforcer))
    return enforcer
