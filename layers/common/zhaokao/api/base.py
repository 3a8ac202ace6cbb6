"""The base models of every request and response: unknown fields are refused (422).

Apart from the models themselves so a function imports only the models it uses.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Request(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)


class Response(BaseModel):
    model_config = ConfigDict(defer_build=True)
