"""Request and response models of the HTTP API. Unknown fields are refused (422)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Request(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)


class OtpRequest(Request):
    phone: str = Field(min_length=1, max_length=20, description="手机号")


class Response(BaseModel):
    model_config = ConfigDict(defer_build=True)


class OtpSent(Response):
    sent_to: str
    resend_after: int


class RegistrationRequest(Request):
    name: str = Field(min_length=1, max_length=30, description="姓名")
    id_number: str = Field(min_length=1, max_length=24, description="居民身份证号码")
    phone: str = Field(min_length=1, max_length=20, description="手机号")
    otp: str = Field(min_length=1, max_length=8, description="短信验证码")
    password: str = Field(min_length=1, max_length=64)
    county_code: str | None = Field(default=None, description="户籍或居住证所在县（宁夏）")
    residence_permit: bool = Field(default=False, description="凭居住证报名（宁夏）")


class Registered(Response):
    candidate_id: str
    status: str


class TokenRequest(Request):
    season_id: str
    phone: str = Field(min_length=1, max_length=20)
    password: str = Field(min_length=1, max_length=64)


class StaffTokenRequest(Request):
    username: str = Field(min_length=1, max_length=128)
    password: str = Field(min_length=1, max_length=64)


class Tokens(Response):
    id_token: str
    access_token: str
    refresh_token: str | None = None
    expires_in: int
    token_type: str


class Me(Response):
    candidate_id: str
    season_id: str
    name: str
    id_number: str = Field(description="脱敏后的身份证号")
    phone: str = Field(description="脱敏后的手机号")
    college_code: str | None
    major_code: str | None
    county_code: str | None
    status: str
    registered_at: str
    version: int
