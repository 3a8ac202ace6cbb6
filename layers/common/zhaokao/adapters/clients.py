"""boto3 clients: created once per process, on first use; tests reset them with ``reset``."""

from __future__ import annotations

from functools import cache
from typing import Any

from ..settings import settings


@cache
def client(service: str) -> Any:
    import boto3  # imported on first use: a route that needs no client does not pay for it
    from botocore.config import Config

    # S3 forms and URLs signed with SigV4: the China regions (and every region opened since
    # 2014) accept no other.
    config = Config(signature_version="s3v4") if service == "s3" else None
    return boto3.session.Session().client(service, region_name=settings().region, config=config)


def reset() -> None:
    client.cache_clear()
