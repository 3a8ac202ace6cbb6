"""The local cloud's DynamoDB transactions (issue 11, docs/moto-transactions.md): all or
nothing with DynamoDB's cancellation reasons, one winner under concurrency, and nothing
kept per request — without copying whole tables."""

from __future__ import annotations

import concurrent.futures as cf
import itertools
from typing import Any

import pytest
from botocore.exceptions import ClientError

_tables = itertools.count()


def new_table(ddb: Any) -> str:
    """A fresh table of the local cloud, keyed by ``k``: its name."""
    name = f"probe{next(_tables)}"
    ddb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    return name


@pytest.fixture
def table(cloud: Any) -> tuple[Any, str]:
    """A fresh table of the local cloud (through its endpoint, as our code reaches it)."""
    ddb = cloud.client("dynamodb")
    name = new_table(ddb)
    ddb.put_item(TableName=name, Item={"k": {"S": "a"}, "v": {"N": "1"}})
    return ddb, name


def _items(ddb: Any, name: str) -> dict[str, Any]:
    return {i["k"]["S"]: i for i in ddb.scan(TableName=name, ConsistentRead=True)["Items"]}


def _put(name: str, key: str, **extra: Any) -> dict[str, Any]:
    return {"Put": {"TableName": name, "Item": {"k": {"S": key}, "v": {"N": "9"}}, **extra}}


def _reasons(err: pytest.ExceptionInfo[ClientError]) -> list[str]:
    return [r["Code"] for r in err.value.response["CancellationReasons"]]


def test_a_failed_condition_cancels_everything_with_dynamodbs_reasons(table) -> None:
    ddb, name = table
    before = _items(ddb, name)
    fails = {
        "ConditionExpression": "attribute_not_exists(k)",
        "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
    }
    with pytest.raises(ClientError) as err:
        ddb.transact_write_items(TransactItems=[_put(name, "b"), _put(name, "a", **fails)])
    assert err.value.response["Error"]["Code"] == "TransactionCanceledException"
    assert _reasons(err) == ["None", "ConditionalCheckFailed"]
    assert err.value.response["CancellationReasons"][1]["Item"]["v"] == {"N": "1"}  # ALL_OLD
    assert _items(ddb, name) == before  # "b" was not written


def test_a_failed_condition_check_op_cancels_the_writes(table) -> None:
    ddb, name = table
    check = {
        "ConditionCheck": {
            "TableName": name,
            "Key": {"k": {"S": "a"}},
            "ConditionExpression": "v = :two",
            "ExpressionAttributeValues": {":two": {"N": "2"}},
        }
    }
    delete = {"Delete": {"TableName": name, "Key": {"k": {"S": "a"}}}}
    with pytest.raises(ClientError) as err:
        ddb.transact_write_items(TransactItems=[_put(name, "c"), check])
    assert _reasons(err) == ["None", "ConditionalCheckFailed"]
    assert set(_items(ddb, name)) == {"a"}
    with pytest.raises(ClientError) as err:  # the same item twice: the request is invalid
        ddb.transact_write_items(TransactItems=[_put(name, "a"), delete])
    assert err.value.response["Error"]["Code"] == "ValidationException"
    assert set(_items(ddb, name)) == {"a"}


def test_an_error_while_applying_puts_back_what_was_written(table) -> None:
    """Conditions pass, then the third op's update fails: the first two are undone."""
    ddb, name = table
    before = _items(ddb, name)
    bad_update = {
        "Update": {
            "TableName": name,
            "Key": {"k": {"S": "d"}},
            "UpdateExpression": "SET v = v + :one",  # v absent on a new item
            "ExpressionAttributeValues": {":one": {"N": "1"}},
        }
    }
    change_a = {
        "Update": {
            "TableName": name,
            "Key": {"k": {"S": "a"}},
            "UpdateExpression": "SET v = :five",
            "ExpressionAttributeValues": {":five": {"N": "5"}},
        }
    }
    with pytest.raises(ClientError) as err:
        ddb.transact_write_items(TransactItems=[_put(name, "e"), change_a, bad_update])
    assert err.value.response["Error"]["Code"] == "ValidationException"
    assert _items(ddb, name) == before  # "e" gone again, "a" as it was
    huge = {"Put": {"TableName": name, "Item": {"k": {"S": "f"}, "x": {"S": "x" * 410_000}}}}
    with pytest.raises(ClientError):
        ddb.transact_write_items(TransactItems=[change_a, huge])
    assert _items(ddb, name) == before


def test_concurrent_transactions_on_one_item_have_exactly_one_winner(cloud, table) -> None:
    _, name = table

    def attempt(n: int) -> bool:
        client = cloud.client("dynamodb")
        item = {
            "TableName": name,
            "Item": {"k": {"S": "one"}, "by": {"N": str(n)}},
            "ConditionExpression": "attribute_not_exists(k)",
        }
        try:
            client.transact_write_items(TransactItems=[{"Put": item}, _put(name, f"own{n}")])
            return True
        except ClientError as exc:
            assert _reasons_of(exc) == ["ConditionalCheckFailed", "None"]
            return False

    with cf.ThreadPoolExecutor(max_workers=16) as pool:
        won = list(pool.map(attempt, range(32)))
    assert won.count(True) == 1
    items = _items(cloud.client("dynamodb"), name)
    winner = int(items["one"]["by"]["N"])
    assert {k for k in items if k.startswith("own")} == {f"own{winner}"}  # losers wrote nothing


def _reasons_of(exc: ClientError) -> list[str]:
    return [r["Code"] for r in exc.response["CancellationReasons"]]


def _rss_mb() -> int:
    with open("/proc/self/status") as status:
        return int(status.read().split("VmRSS:")[1].split()[0]) // 1024


def test_memory_stays_flat_and_no_transaction_copies_its_table(
    cloud: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """10,000 transactions in-process (the backend our server serves): moto 5.2.5 as
    shipped copies the table for each and keeps every copy — here nothing is kept, and the
    only copy a write makes is of the one item it replaces (its speed is make bench's)."""
    import copy

    from moto.dynamodb.models import dynamodb_backends
    from moto.dynamodb.models.table import Table

    ddb = cloud.client("dynamodb")
    name = new_table(ddb)
    backend = dynamodb_backends["123456789012"]["us-east-1"]
    for n in range(5000):
        backend.put_item(name, {"k": {"S": f"row{n}"}, "v": {"S": "x" * 200}})

    def transactions(count: int) -> None:
        for i in range(count):
            hot = {"Put": {"TableName": name, "Item": {"k": {"S": "hot"}, "n": {"N": str(i)}}}}
            backend.transact_write_items([hot])

    copied: list[type] = []
    deepcopy = copy.deepcopy

    def watched(value: Any, *args: Any) -> Any:
        copied.append(type(value))
        return deepcopy(value, *args)

    monkeypatch.setattr(copy, "deepcopy", watched)
    transactions(500)
    assert copied and Table not in copied  # an item before its write, never a table
    rss = _rss_mb()
    transactions(10_000)
    assert _rss_mb() - rss < 30, (rss, _rss_mb())
