"""The one error shape of every 4xx and 5xx, for the OpenAPI document (the API builds
its error bodies in ``http.error_response``)."""

from __future__ import annotations

from pydantic import Field

from .base import View


class FieldError(View):
    field: str | None
    message: str


class ErrorDetail(View):
    code: str = Field(description="错误代码（英文，供程序判断）")
    message: str = Field(description="错误说明（中文，可直接显示）")
    field: str | None = Field(default=None, description="出错的字段")
    fields: list[FieldError] | None = Field(default=None, description="全部字段错误（校验失败时）")


class ErrorBody(View):
    """The one error shape of every 4xx and 5xx the platform's functions answer."""

    error: ErrorDetail


class GatewayMessage(View):
    """What API Gateway itself answers when it refuses a request before any function runs
    (a missing or invalid token, 401): HTTP APIs cannot shape these."""

    message: str
