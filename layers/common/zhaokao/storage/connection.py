"""One PynamoDB connection per process for transactions.

Each new ``Connection`` builds a botocore session and loads the DynamoDB model
(~15 ms of JSON): a warm function must reuse one, as the models themselves do.
"""

from __future__ import annotations

from functools import cache

from pynamodb.connection import Connection

from ..settings import settings


@cache
def connection() -> Connection:
    return Connection(region=settings().region)
