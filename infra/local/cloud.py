"""The local cloud: moto's server, every resource of ``template.yaml``, our handlers.

``LocalCloud(...).start()`` is what ``make run`` and the test suite both use.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import socket
import threading
import uuid
from dataclasses import dataclass, field
from typing import Any

import requests
from werkzeug.serving import BaseWSGIServer, make_server

from . import alarms, iam, transport
from .front import Authorizer, Front, MotoGateway
from .payprovider import PaymentProvider
from .pollers import Poller
from .runtime import Runtime
from .smsgateway import SmsGateway
from .template import ROOT, Stack, stack

log = logging.getLogger("zhaokao.local")
REGION = "us-east-1"
ACCOUNT = "123456789012"
STACK_ARN = f"arn:aws:cloudformation:{REGION}:{ACCOUNT}:stack/zhaokao-local"


class PortTaken(RuntimeError):
    pass


def check_port(host: str, port: int) -> None:
    if port == 0:
        return
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            raise PortTaken(
                f"port {port} on {host} is already in use — stop what holds it "
                f"or choose another with ZHAOKAO_PORT / ZHAOKAO_MOTO_PORT"
            ) from None


@dataclass
class LocalCloud:
    host: str = "127.0.0.1"
    moto_port: int = 4566
    port: int = 8000
    pollers_per_queue: int = 2
    stack: Stack = field(default_factory=stack)
    refs: dict[str, str] = field(default_factory=dict)
    _servers: list[BaseWSGIServer] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    pollers: list[Poller] = field(default_factory=list)

    # -- lifecycle -------------------------------------------------------------
    def start(self, poll: bool = True) -> LocalCloud:
        check_port(self.host, self.moto_port)
        check_port(self.host, self.port)
        _credentials()
        from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

        from . import emulator

        emulator.install()  # transactions without table copies, nothing kept per request

        self.runtime = Runtime(self.stack.functions)
        gateway = MotoGateway(DomainDispatcherApplication(create_backend_app), self.runtime)
        moto = self._serve(gateway, self.moto_port)
        self.moto_port = moto.server_port
        self.endpoint = f"http://{self.host}:{self.moto_port}"
        os.environ["AWS_ENDPOINT_URL"] = self.endpoint
        os.environ["MOTO_PORT"] = str(self.moto_port)  # where moto's ASL interpreter calls Lambda
        transport.install(self.endpoint, gateway)  # our handlers' calls skip the socket
        requests.post(
            f"{self.endpoint}/moto-api/config",
            json={"stepfunctions": {"execute_state_machine": True}},
            timeout=10,
        ).raise_for_status()
        self.provision()
        # The front's address is the tokens' issuer: known once it listens.
        authorizer = Authorizer()
        config = {"local": True, "outbox": "/local/outbox", "api": "/v1"}
        mounts = {"/local/pay/": self.payments, "/local/sms/": self.sms}
        front = Front(self.runtime, self.stack.routes, authorizer, self.sms.outbox, config, mounts)
        self.front = front
        server = self._serve(front, self.port)
        self.port = server.server_port
        self.url = f"http://{self.host}:{self.port}"
        self.refs["PublicApiUrl"] = self.url
        self.refs["PayBaseUrl"] = f"{self.url}/local/pay"
        self.refs["SmsGatewayUrl"] = f"{self.url}/local/sms"
        # a stack id of its own each start: the edge secret derived from it is never shipped
        self.refs["AWS::StackId"] = f"{STACK_ARN}/{uuid.uuid4()}"
        self.sms.callback_url = f"{self.url}/v1/sms/receipts"
        self._cors()
        self._configure_functions()
        self._state_machines()
        self.iam = iam.install(iam.Enforcer(iam.policies(self.stack.template, self.refs)))
        self._rotate_secrets()
        authorizer.trust(self.url)
        self.alarms = alarms.start(self)
        if poll:
            self.start_pollers()
        return self

    def _serve(self, app: Any, port: int) -> BaseWSGIServer:
        server = make_server(self.host, port, app, threaded=True)
        server.daemon_threads = True  # type: ignore[attr-defined]
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self._servers.append(server)
        return server

    def start_pollers(self) -> None:
        import boto3

        # a session of its own: made after iam.install, its calls as a function are checked
        sqs = boto3.session.Session().client("sqs", region_name=REGION, endpoint_url=self.endpoint)
        for source in self.stack.queue_sources:
            url, arn = self.refs[source.queue], self.refs[f"{source.queue}.Arn"]
            for _ in range(self.pollers_per_queue):
                poller = Poller(sqs, self.runtime, source, url, arn, self._stop)
                poller.start()
                self.pollers.append(poller)

    def stop(self) -> None:
        self._stop.set()
        for poller in [*self.pollers, self.alarms]:
            poller.join(timeout=5)
        for server in reversed(self._servers):
            server.shutdown()
            server.server_close()

    def client(self, service: str) -> Any:
        import boto3

        return boto3.client(service, region_name=REGION, endpoint_url=self.endpoint)

    # -- resources of template.yaml --------------------------------------------
    def provision(self) -> None:
        self._tables()
        self._queues()
        self._bucket()
        for logical in self.stack.of_type("AWS::SNS::Topic"):
            self.refs[logical] = self.client("sns").create_topic(Name=logical)["TopicArn"]
        self._kms_keys()
        self.payments = PaymentProvider()
        self.sms = SmsGateway()
        self.refs["SmsProvider"] = "gateway"
        merchant = {
            "merchant_id": self.payments.merchant_id,
            "api_key": base64.b64encode(self.payments.api_key).decode(),
            "provider_public_key": self.payments.public_key_pem,
        }  # what the operator puts in the secrets after the first deploy
        self._secrets(
            {
                "SmsGatewaySecret": json.dumps(self.sms.credentials),
                "PaymentProviderSecret": json.dumps(merchant),
            }
        )

    def _kms_keys(self) -> None:
        kms = self.client("kms")
        for logical, res in self.stack.of_type("AWS::KMS::Key").items():
            key = kms.create_key(Description=res["Properties"].get("Description", logical))
            self.refs[logical] = key["KeyMetadata"]["KeyId"]
            self.refs[f"{logical}.Arn"] = key["KeyMetadata"]["Arn"]
            if res["Properties"].get("EnableKeyRotation"):
                kms.enable_key_rotation(KeyId=self.refs[logical])
        for res in self.stack.of_type("AWS::KMS::Alias").values():
            p = iam.Resolver(self.stack.template, self.refs).value(res["Properties"])
            kms.create_alias(AliasName=p["AliasName"], TargetKeyId=p["TargetKeyId"])

    def _secrets(self, values: dict[str, str]) -> None:
        """Each secret of the template; what CloudFormation would generate, unless given."""
        import secrets

        manager = self.client("secretsmanager")
        for logical in self.stack.of_type("AWS::SecretsManager::Secret"):
            value = values.get(logical, secrets.token_urlsafe(24))
            self.refs[logical] = manager.create_secret(Name=logical, SecretString=value)["ARN"]

    def _rotate_secrets(self) -> None:
        """What Secrets Manager does for each rotation schedule the template declares with
        RotateImmediatelyOnUpdate: run the rotation function's four steps once."""
        for res in self.stack.of_type("AWS::SecretsManager::RotationSchedule").values():
            p = res["Properties"]
            self.rotate(p["SecretId"]["Ref"], p["RotationLambdaARN"]["Fn::GetAtt"][0])

    def rotate(self, secret: str, function: str) -> None:
        import uuid

        token = str(uuid.uuid4())
        for step in ("createSecret", "setSecret", "testSecret", "finishSecret"):
            event = {"Step": step, "SecretId": self.refs[secret], "ClientRequestToken": token}
            self.runtime.invoke(function, event)

    def _tables(self) -> None:
        ddb = self.client("dynamodb")
        for logical, res in self.stack.of_type("AWS::DynamoDB::Table").items():
            p = res["Properties"]
            args: dict[str, Any] = {
                "TableName": logical,
                "AttributeDefinitions": p["AttributeDefinitions"],
                "KeySchema": p["KeySchema"],
                "BillingMode": p.get("BillingMode", "PAY_PER_REQUEST"),
            }
            if p.get("GlobalSecondaryIndexes"):
                args["GlobalSecondaryIndexes"] = p["GlobalSecondaryIndexes"]
            ddb.create_table(**args)
            ttl = p.get("TimeToLiveSpecification")
            if ttl:
                ddb.update_time_to_live(TableName=logical, TimeToLiveSpecification=ttl)
            self.refs[logical] = logical

    def _queues(self) -> None:
        sqs = self.client("sqs")
        queues = self.stack.of_type("AWS::SQS::Queue")
        # dead-letter queues first: the others name them
        order = sorted(queues, key=lambda q: "RedrivePolicy" in queues[q].get("Properties", {}))
        for logical in order:
            p = queues[logical].get("Properties", {})
            attributes = {"VisibilityTimeout": str(p.get("VisibilityTimeout", 30))}
            if "MessageRetentionPeriod" in p:
                attributes["MessageRetentionPeriod"] = str(p["MessageRetentionPeriod"])
            redrive = p.get("RedrivePolicy")
            if redrive:
                target = redrive["deadLetterTargetArn"]["Fn::GetAtt"][0]
                attributes["RedrivePolicy"] = json.dumps(
                    {
                        "deadLetterTargetArn": self.refs[f"{target}.Arn"],
                        "maxReceiveCount": int(redrive["maxReceiveCount"]),
                    }
                )
            url = sqs.create_queue(QueueName=logical, Attributes=attributes)["QueueUrl"]
            self.refs[logical] = url
            self.refs[f"{logical}.Arn"] = f"arn:aws:sqs:{REGION}:{ACCOUNT}:{logical}"

    def _bucket(self) -> None:
        s3 = self.client("s3")
        for logical, res in self.stack.of_type("AWS::S3::Bucket").items():
            p = res["Properties"]
            name = p.get("BucketName", logical.lower())
            bucket = iam.Resolver(self.stack.template, self.refs).value(name)
            s3.create_bucket(Bucket=bucket)  # the template's name: its policies name it
            self.refs[logical] = bucket
            configs = []
            for q in p.get("NotificationConfiguration", {}).get("QueueConfigurations", []):
                rules = q.get("Filter", {}).get("S3Key", {}).get("Rules", [])
                configs.append(
                    {
                        "QueueArn": self.refs[q["Queue"]["Fn::GetAtt"][0] + ".Arn"],
                        "Events": [q["Event"]],
                        "Filter": {"Key": {"FilterRules": rules}},
                    }
                )
            if configs:
                s3.put_bucket_notification_configuration(
                    Bucket=bucket, NotificationConfiguration={"QueueConfigurations": configs}
                )

    def _cors(self) -> None:
        """Each bucket's CORS rules, the web client's origin being the local front's."""
        s3 = self.client("s3")
        for logical, res in self.stack.of_type("AWS::S3::Bucket").items():
            cors = res["Properties"].get("CorsConfiguration")
            if cors:
                rules = [  # CloudFormation says MaxAge where the S3 API says MaxAgeSeconds
                    {
                        **{("MaxAgeSeconds" if k == "MaxAge" else k): v for k, v in rule.items()},
                        "AllowedOrigins": [self.url],
                    }
                    for rule in cors["CorsRules"]
                ]
                s3.put_bucket_cors(
                    Bucket=self.refs[logical], CORSConfiguration={"CORSRules": rules}
                )

    def _configure_functions(self) -> None:
        """Set each handler's environment from the template's, as Lambda would."""
        for name, value in self.stack.globals_env.items():
            os.environ[name] = self._value(value)
        os.environ["ZHAOKAO_ALLOW_CLOCK_PINNING"] = "true"  # R1.3: local cloud only
        os.environ["ZHAOKAO_WEB_URL"] = self.url  # the front serves web/ as the CDN would
        os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")
        from zhaokao.adapters import secrets
        from zhaokao.adapters.clients import reset
        from zhaokao.settings import settings

        settings.cache_clear()
        secrets.forget()
        reset()

    def _state_machines(self) -> None:
        """Each state machine of the template, its definition's substitutions resolved: moto
        interprets it, calling our functions through MotoGateway's invoke."""
        resolver = iam.Resolver(self.stack.template, self.refs)
        sfn = self.client("stepfunctions")
        for logical, res in self.stack.of_type("AWS::Serverless::StateMachine").items():
            p = res["Properties"]
            definition = (ROOT / p["DefinitionUri"]).read_text(encoding="utf-8")
            for name, value in resolver.value(p.get("DefinitionSubstitutions", {})).items():
                definition = definition.replace("${" + name + "}", str(value))
            name = resolver.value(p["Name"])
            role = f"arn:aws:iam::{ACCOUNT}:role/{logical}Role"
            arn = sfn.create_state_machine(name=name, definition=definition, roleArn=role)[
                "stateMachineArn"
            ]
            self.refs[logical] = self.refs[f"{logical}.Arn"] = arn

    @property
    def edge_secret(self) -> str:
        """What the web client's CDN would send in X-Zhaokao-Edge (template.yaml)."""
        return self.refs["AWS::StackId"].split("/")[2]

    def _value(self, value: Any) -> Any:
        if isinstance(value, dict) and "Ref" in value:
            return self.refs[value["Ref"]]
        if isinstance(value, dict) and "Fn::GetAtt" in value:
            logical, attr = value["Fn::GetAtt"]
            return self.refs[f"{logical}.{attr}"]
        if isinstance(value, dict) and "Fn::Split" in value:
            separator, text = value["Fn::Split"]
            return self._value(text).split(separator)
        if isinstance(value, dict) and "Fn::Select" in value:
            index, items = value["Fn::Select"]
            return self._value(items)[int(index)]
        if isinstance(value, dict):  # Fn::Sub and the rest, as IAM's resolver reads them
            return str(iam.Resolver(self.stack.template, self.refs).value(value))
        return str(value)


def _credentials() -> None:
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "local")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "local")
    os.environ["AWS_DEFAULT_REGION"] = REGION
    os.environ["AWS_REGION"] = REGION
    os.environ.setdefault("MOTO_ALLOW_NONEXISTENT_REGION", "true")
