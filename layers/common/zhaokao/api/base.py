"""The base models of every request and response: unknown fields are refused (422),
and never answered.

Apart from the models themselves so a function imports only the models it uses.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Request(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)


class Response(BaseModel):
    model_config = ConfigDict(defer_build=True)


class View(BaseModel):
    """A response that names exactly the fields the service returns: one it lacks fails
    the response (a 500, logged), so the OpenAPI document cannot fall behind the code."""

    model_config = ConfigDict(extra="forbid", defer_build=True)
