"""Environment of every function, validated once (names of tables, queues, the pool…).

Defaults are the logical ids of ``template.yaml``: the local cloud names its
resources after them, so tests and the local cloud need no configuration.
"""

from __future__ import annotations

import os
from functools import cache

from pydantic import BaseModel, Field


class Settings(BaseModel):
    region: str = "us-east-1"
    seasons_table: str = "SeasonsTable"
    candidates_table: str = "CandidatesTable"
    uniques_table: str = "UniquesTable"
    otp_table: str = "OtpTable"
    roster_table: str = "RosterTable"
    imports_table: str = "ImportsTable"
    audit_table: str = "AuditTable"
    bucket: str = "zhaokao-local"
    roster_queue_url: str = ""
    user_pool_id: str = ""
    user_pool_client_id: str = ""
    # Keys the HMACs and encryption of ID numbers and phones (R17.2). In AWS it
    # comes from the stack's NoEcho parameter; locally a fixed development key.
    pii_key: str = Field(default="local-development-key-not-for-production", min_length=16)
    # R1.3: pinning a season's clock is for the local cloud and drills only.
    allow_clock_pinning: bool = False


_ENV = {name: "ZHAOKAO_" + name.upper() for name in Settings.model_fields}
_ENV["region"] = "AWS_REGION"


@cache
def settings() -> Settings:
    values = {name: os.environ[var] for name, var in _ENV.items() if os.environ.get(var)}
    if "region" not in values and os.environ.get("AWS_DEFAULT_REGION"):
        values["region"] = os.environ["AWS_DEFAULT_REGION"]
    return Settings.model_validate(values)
