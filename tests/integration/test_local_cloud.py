"""The local cloud behaves like the AWS pieces it stands in for."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

import boto3
import jwt
import pytest

from infra.local import iam
from infra.local.cloud import LocalCloud, PortTaken, check_port
from infra.local.pollers import Poller
from infra.local.template import Function, QueueSource
from tests.support import Api


def test_lambda_invoke_api_runs_our_handlers(cloud) -> None:
    """Step Functions' Task states reach our code through this endpoint."""
    lam = boto3.client("lambda", region_name="us-east-1", endpoint_url=cloud.endpoint)
    event = {
        "version": "2.0",
        "routeKey": "GET /v1/seasons",
        "rawPath": "/v1/seasons",
        "rawQueryString": "",
        "headers": {},
        "isBase64Encoded": False,
        "requestContext": {
            "http": {
                "method": "GET",
                "path": "/v1/seasons",
                "sourceIp": "127.0.0.1",
                "protocol": "HTTP/1.1",
                "userAgent": "t",
            },
            "stage": "$default",
            "requestId": "r",
            "routeKey": "GET /v1/seasons",
        },
    }
    result = lam.invoke(FunctionName="RegisterFunction", Payload=json.dumps(event).encode())
    assert result["StatusCode"] == 200 and "FunctionError" not in result
    body = json.loads(json.loads(result["Payload"].read())["body"])
    assert {s["season_id"] for s in body} >= {"hunan-zsb-2024", "ningxia-adult-2023"}


def test_the_authorizer_checks_signature_issuer_and_audience(cloud, api: Api) -> None:
    token = api.staff_token("operator")
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["roles"] == ["operator"]
    forged = jwt.encode({**claims, "roles": ["operator"]}, "x" * 32, algorithm="HS256")
    assert api.get("/v1/seasons/hunan-zsb-2024/audit", forged).status_code == 401
    assert api.get("/v1/seasons/hunan-zsb-2024/audit", token).status_code == 200
    assert api.get("/v1/seasons/hunan-zsb-2024/audit").status_code == 401


def test_a_taken_port_is_named(cloud) -> None:
    with pytest.raises(PortTaken) as err:
        check_port("127.0.0.1", cloud.port)
    assert str(cloud.port) in str(err.value)
    with pytest.raises(PortTaken):
        LocalCloud(moto_port=cloud.moto_port, port=0).start()


def test_poller_reports_partial_failures_and_the_dlq_takes_poison(cloud) -> None:
    """Good messages are handled once; poison reaches the DLQ after maxReceiveCount."""
    sqs = cloud.client("sqs")
    dlq = sqs.create_queue(QueueName="probe-dlq")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    queue = sqs.create_queue(
        QueueName="probe",
        Attributes={
            "VisibilityTimeout": "1",
            "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 2}),
        },
    )["QueueUrl"]
    seen: list[str] = []

    def handler(event: dict[str, Any], _context: Any) -> dict[str, Any]:
        failures = []
        for record in event["Records"]:
            body = json.loads(record["body"])
            if body.get("poison"):
                failures.append({"itemIdentifier": record["messageId"]})
            else:
                seen.append(body["n"])
        return {"batchItemFailures": failures}

    cloud.runtime.inject("ProbeFunction", Function("ProbeFunction", "x", "handler", 3), handler)
    # the mapping receives and deletes with the function's role: the probe's is on its queue
    grant = iam.Statement(("sqs:ReceiveMessage", "sqs:DeleteMessage"), ("*:probe",))
    cloud.iam.statements["ProbeFunction"] = [grant]
    for n in range(8):
        sqs.send_message(QueueUrl=queue, MessageBody=json.dumps({"n": n, "poison": n in (3, 6)}))
    stop = threading.Event()
    source = QueueSource("ProbeFunction", "probe", 10, True)
    poller = Poller(sqs, cloud.runtime, source, queue, "arn:probe", stop)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        poller.poll_once(wait=1)
        dead = int(
            sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["ApproximateNumberOfMessages"])[
                "Attributes"
            ]["ApproximateNumberOfMessages"]
        )
        if dead == 2:
            break
    del cloud.iam.statements["ProbeFunction"]
    assert sorted(seen) == [0, 1, 2, 4, 5, 7]  # each good one exactly once
    assert dead == 2


def test_unknown_routes_methods_and_tokens_answer_in_the_one_error_shape(api: Api) -> None:
    missing = api.get("/v1/nowhere")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    wrong = api.call("DELETE", "/v1/seasons")  # no route key: the $default route answers
    assert wrong.status_code == 404 and wrong.json()["error"]["code"] == "not_found"
    anonymous = api.get("/v1/me")
    assert anonymous.status_code == 401 and anonymous.json()["error"]["code"] == "unauthorized"
