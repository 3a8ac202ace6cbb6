"""The base models of every request and response: unknown fields are refused (422),
and never answered.

Apart from the models themselves so a function imports only the models it uses.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict
from pydantic_core import PydanticCustomError


def _written(kind: str) -> BeforeValidator:
    """A date or time the client wrote as text: pydantic alone would read 0 as 1970."""

    def check(value: Any) -> Any:
        if not isinstance(value, str | date | None):
            raise PydanticCustomError(kind, "written as ISO 8601 text")
        return value

    return BeforeValidator(check)


Moment = Annotated[datetime, _written("datetime_type")]
Day = Annotated[date, _written("date_type")]


class Request(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)


class Response(BaseModel):
    model_config = ConfigDict(defer_build=True)


class View(BaseModel):
    """A response that names exactly the fields the service returns: one it lacks fails
    the response (a 500, logged), so the OpenAPI document cannot fall behind the code."""

    model_config = ConfigDict(extra="forbid", defer_build=True)
