"""Environment of every function, read and checked once (tables, queues, the pool…).

Defaults are the logical ids of ``template.yaml``: the local cloud names its
resources after them, so tests and the local cloud need no configuration.
A plain class, not a pydantic model nor a dataclass: every cold start defines it, and
a dataclass of this size costs 2 ms to make. The annotated class attributes are the
fields and their defaults.
"""

from __future__ import annotations

import os
from functools import cache


class Settings:
    region: str = "us-east-1"
    seasons_table: str = "SeasonsTable"
    candidates_table: str = "CandidatesTable"
    uniques_table: str = "UniquesTable"
    otp_table: str = "OtpTable"
    roster_table: str = "RosterTable"
    imports_table: str = "ImportsTable"
    audit_table: str = "AuditTable"
    review_table: str = "ReviewTable"
    notices_table: str = "NoticesTable"
    catalogue_table: str = "CatalogueTable"
    preferences_table: str = "PreferencesTable"
    admissions_table: str = "AdmissionsTable"
    # 录取 (R13): the admission run's state machine (its ARN: named, so no template cycle)
    admission_state_machine: str = ""
    bucket: str = "zhaokao-local"
    roster_queue_url: str = ""
    routing_queue_url: str = ""
    arrangement_queue_url: str = ""
    payment_queue_url: str = ""
    payments_table: str = "PaymentsTable"
    # R9.3: the payment provider's API, and a secret with the merchant's account (the id,
    # the API key that decrypts notifications, the provider's key that verifies them)
    pay_base_url: str = ""
    payment_secret: str = "PaymentProviderSecret"
    web_url: str = ""  # the web client's address: a ticket's QR code links its verify page
    public_api_url: str = ""  # where the provider sends notifications (…/v1/payments/notify)
    accounts_table: str = "AccountsTable"  # staff accounts, sign-in sessions, backoff
    messages_table: str = "MessagesTable"  # SMS sent and their delivery receipts
    # The token signing keys (R17.5): a Secrets Manager secret, read once per cold start.
    # Tokens name the public API URL as their issuer.
    token_keys_secret: str = "TokenKeysSecret"
    # SMS (R16.2, R17.5): a domestic gateway (credentials in a secret) or, in global
    # regions, SNS.
    sms_provider: str = "gateway"
    sms_gateway_url: str = ""
    sms_secret: str = "SmsGatewaySecret"
    # ID numbers and phones (R17.2): a secret with the HMAC key and the KMS-wrapped data
    # keys, and the KMS key that wraps them (storage/pii.py).
    pii_secret: str = "PiiSecret"
    pii_kms_key: str = "alias/zhaokao-pii"
    # R17.4: what the web client's CDN sends in X-Zhaokao-Edge; only then is the viewer's
    # address it adds to X-Forwarded-For believed (api/http.client_address).
    edge_secret: str = ""
    # R1.3: pinning a season's clock is for the local cloud and drills only.
    allow_clock_pinning: bool = False

    def __init__(self, **values: object) -> None:
        for name, value in values.items():
            if name not in Settings.__annotations__:
                raise TypeError(f"unknown setting {name}")
            setattr(self, name, value)


def _env_name(field: str) -> str:
    return "AWS_REGION" if field == "region" else "ZHAOKAO_" + field.upper()


@cache
def settings() -> Settings:
    values: dict[str, object] = {}
    for name, kind in Settings.__annotations__.items():
        raw = os.environ.get(_env_name(name)) or (
            os.environ.get("AWS_DEFAULT_REGION") if name == "region" else None
        )
        if raw:
            values[name] = raw.lower() in ("1", "true", "yes") if kind == "bool" else raw
    return Settings(**values)
