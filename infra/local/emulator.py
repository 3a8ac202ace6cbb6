"""moto at season scale (docs/moto-transactions.md): DynamoDB transactions, instance
tracking, request dispatch; and S3's events sent once the object is whole.

moto 5.2.5's ``transact_write_items`` deep-copies every table a transaction touches as
its rollback backup, and moto's ``BaseModel`` keeps every model instance it ever made —
each stored item, and each item of each copy — in a class-level list for its dashboard.
A transaction's cost grows with the table and memory grows with every write.

Here a transaction checks every condition first and cancels with DynamoDB's reasons
before anything is written; only then does it apply, keeping copies of the items it
names (not of the tables), so that an error while applying — a bad update expression,
an item over 400 KB — puts those items back and the transaction stays all or nothing.
The local cloud serialises DynamoDB requests (front.MotoGateway), so nothing interleaves.
Nothing is kept after the request.

moto stores a PUT or POST object, sends its ObjectCreated event, and only then sets the
object's metadata: a queue worker quick enough read an upload typed binary/octet-stream
(1 in 200 in a drill) and refused it. S3 sends the event once the object is complete; here
the events a request raises are held (``s3_events_held``) and sent when moto has answered.

moto's Step Functions answers SendTaskFailure without its ``cause``: the operator's reason
for 退回 a run never reached the run's record. It is passed on, as AWS does.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from moto.dynamodb.comparisons import get_filter_expression
from moto.dynamodb.exceptions import (
    MockValidationException,
    MultipleTransactionsException,
    TooManyTransactionsException,
    TransactionCanceledException,
    TransactWriteSingleOpException,
)
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.dynamo_type import DynamoType

OPS = {"ConditionCheck", "Put", "Delete", "Update"}
Reason = tuple[str, str, dict[str, Any] | None] | tuple[None, None, None]
_held = threading.local()  # the S3 events of the request this thread is answering


def _key(backend: DynamoDBBackend, op_type: str, op: dict[str, Any]) -> dict[str, Any]:
    if op_type != "Put":
        return dict(op["Key"])
    table = backend.get_table(op["TableName"])
    attrs = op["Item"]
    key = {table.hash_key_attr: attrs[table.hash_key_attr]}
    if table.range_key_attr is not None:
        key[table.range_key_attr] = attrs[table.range_key_attr]
    return key


def _check(backend: DynamoDBBackend, op: dict[str, Any], key: dict[str, Any]) -> Reason:
    """The op's condition against the item as stored: None, or DynamoDB's reason."""
    current = backend.get_item(op["TableName"], key)
    expression = op.get("ConditionExpression")
    if expression is None:
        return (None, None, None)
    condition = get_filter_expression(
        expression, op.get("ExpressionAttributeNames"), op.get("ExpressionAttributeValues")
    )
    if condition.expr(current):
        return (None, None, None)
    old = None
    if op.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD" and current:
        old = current.to_json()["Attributes"]
    return ("ConditionalCheckFailed", "The conditional request failed", old)


def _apply(backend: DynamoDBBackend, op_type: str, op: dict[str, Any], key: dict[str, Any]) -> None:
    table, names, values = (
        op["TableName"],
        op.get("ExpressionAttributeNames"),
        op.get("ExpressionAttributeValues"),
    )
    if op_type == "Put":
        backend.put_item(
            table, op["Item"], expression_attribute_names=names, expression_attribute_values=values
        )
    elif op_type == "Delete":
        backend.delete_item(
            table, key, expression_attribute_names=names, expression_attribute_values=values
        )
    elif op_type == "Update":
        backend.update_item(
            table,
            key,
            update_expression=op["UpdateExpression"],
            expression_attribute_names=names,
            expression_attribute_values=values,
        )


def _restore(backend: DynamoDBBackend, table_name: str, key: dict[str, Any], item: Any) -> None:
    table = backend.get_table(table_name)
    hash_value = DynamoType(key[table.hash_key_attr])
    range_value = DynamoType(key[table.range_key_attr]) if table.range_key_attr else None
    if item is None:
        table.delete_item(hash_value, range_value)
    elif range_value is not None:
        table.items[hash_value][range_value] = item
    else:
        table.items[hash_value] = item


def transact_write_items(self: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> None:
    """TransactWriteItems: all conditions checked first, then all writes, or none."""
    if len(transact_items) > 100:
        raise TooManyTransactionsException()
    ops: list[tuple[str, dict[str, Any], dict[str, Any]]] = []
    reasons: list[Reason] = []
    seen: set[tuple[str, str]] = set()
    for entry in transact_items:
        if len(entry) > 1:
            raise TransactWriteSingleOpException
        op_type, op = next(iter(entry.items()))
        if op_type not in OPS:
            raise MockValidationException("Unsupported transaction operation")
        try:
            key = _key(self, op_type, op)
            target = (str(op["TableName"]), str(dict(sorted(key.items()))))
            if target in seen:
                raise MultipleTransactionsException()
            seen.add(target)
            reasons.append(_check(self, op, key))
        except MockValidationException:
            raise  # the whole request is invalid, as DynamoDB answers it
        except Exception as exc:  # an unknown table, a missing key: this op's reason
            key, reasons = {}, [*reasons, (type(exc).__name__, str(exc), None)]
        ops.append((op_type, op, key))
    if any(code is not None for code, _, _ in reasons):
        raise TransactionCanceledException(reasons)

    written: list[tuple[str, dict[str, Any], Any]] = []
    for index, (op_type, op, key) in enumerate(ops):
        if op_type == "ConditionCheck":
            continue
        before = self.get_item(op["TableName"], key)
        written.append((op["TableName"], key, copy.deepcopy(before)))
        try:
            _apply(self, op_type, op, key)
        except Exception as exc:
            for table_name, item_key, item in reversed(written):
                _restore(self, table_name, item_key, item)
            if isinstance(exc, MockValidationException):
                raise
            failed: list[Reason] = [(None, None, None)] * len(ops)
            failed[index] = (type(exc).__name__, str(exc), None)
            raise TransactionCanceledException(failed) from None


def _untracked_new(cls: type, *args: Any, **kwargs: Any) -> Any:
    return object.__new__(cls)


def install() -> None:
    """Patch moto in this process (the local cloud's server runs in it)."""
    from moto import backends
    from moto.core.common_models import BaseModel

    DynamoDBBackend.transact_write_items = transact_write_items  # type: ignore[method-assign]
    # moto's dashboard list of every instance ever made: nothing may be kept per request
    BaseModel.__new__ = _untracked_new  # type: ignore[assignment, method-assign]
    # The request dispatcher lists moto's package folder (os.listdir, isdir on each entry)
    # for every request, under its one lock: list it once.
    modules = frozenset(backends.list_of_moto_modules())
    backends.list_of_moto_modules = lambda: modules  # type: ignore[assignment]
    _hold_s3_events()
    _task_failure_with_its_cause()


def _task_failure_with_its_cause() -> None:
    from moto.stepfunctions.responses import StepFunctionResponse

    def send_task_failure(self: Any) -> Any:
        from moto.core.responses import EmptyResult

        self.stepfunction_backend.send_task_failure(
            self._get_param("taskToken"),
            error=self._get_param("error"),
            cause=self._get_param("cause"),
        )
        return EmptyResult()

    StepFunctionResponse.send_task_failure = send_task_failure  # type: ignore[method-assign]


def _hold_s3_events() -> None:
    from moto.s3 import notifications

    send = notifications.send_event

    def send_or_hold(*args: Any, **kwargs: Any) -> None:
        held = getattr(_held, "events", None)
        if held is None:
            send(*args, **kwargs)
        else:
            held.append(lambda: send(*args, **kwargs))

    notifications.send_event = send_or_hold


@contextmanager
def s3_events_held() -> Iterator[None]:
    """Within: the S3 events moto raises wait; after: they are sent, the object whole.
    Reentrant: a handler run by this request calls moto in this thread (transport.py)."""
    if getattr(_held, "events", None) is not None:
        yield
        return
    _held.events = []
    try:
        yield
    finally:
        events, _held.events = _held.events, None
        for send in events:
            send()
