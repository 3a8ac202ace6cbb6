"""A candidate's app, built on the Python client generated from the served OpenAPI document
(infra/client.py) and nothing else of ours: each request and answer goes through the
client's models, so an answer the contract does not describe fails the drill.

Import this module after ``infra.client.generate()`` has put the package on sys.path."""

from __future__ import annotations

from types import ModuleType
from typing import Any

import httpx
from zhaokao_client import AuthenticatedClient, Client
from zhaokao_client.api.default import (
    admission_ticket,
    confirm_preferences,
    me,
    my_admission,
    my_scores,
    payment_status,
    refresh,
    register,
    request_otp,
    request_score_review,
    save_preferences,
    save_profile,
    sign_in,
    start_payment,
    submit,
    timeline,
    upload,
)
from zhaokao_client.models import (
    OtpRequest,
    PreferencesRequest,
    ProfileRequest,
    RefreshRequest,
    RegistrationRequest,
    ScoreReviewRequest,
    SubmitRequest,
    TokenRequest,
    UploadRequest,
)

from .client import Refused

TIMEOUT = httpx.Timeout(60)


class App:
    """One candidate's phone: from an address of its own, through the CDN with its edge
    secret; when its access token has expired (401) it renews it with the refresh token,
    as the web client does, and tries once more."""

    def __init__(self, base: str, edge: str, address: str) -> None:
        self.headers = {"X-Zhaokao-Edge": edge, "X-Forwarded-For": address}
        self.base = base
        self.public = Client(base_url=base, headers=self.headers, timeout=TIMEOUT)
        self.signed: AuthenticatedClient | None = None
        self.refresh_token = ""

    def call(self, operation: ModuleType, expect: tuple[int, ...] = (200,), **kw: Any) -> Any:
        """The operation's answer, parsed into the client's model (a file: its bytes)."""
        client = self.signed or self.public
        answer = operation.sync_detailed(client=client, **kw)
        if answer.status_code == 401 and self.refresh_token:
            self._renew()
            answer = operation.sync_detailed(client=self.signed, **kw)
        if answer.status_code not in expect:
            name = operation.__name__.rsplit(".", 1)[1]
            raise Refused(f"{name}: {answer.status_code} {answer.content[:300]!r}")
        return answer

    def parsed(self, operation: ModuleType, expect: tuple[int, ...] = (200,), **kw: Any) -> Any:
        return self.call(operation, expect, **kw).parsed

    # -- the candidate's steps, each one operation of the contract ---------------------------
    def ask_code(self, season_id: str, phone: str) -> None:
        self.call(request_otp, (200, 202), season_id=season_id, body=OtpRequest(phone=phone))

    def register(self, season_id: str, body: dict[str, Any]) -> str:
        done = self.parsed(
            register, (201,), season_id=season_id, body=RegistrationRequest.from_dict(body)
        )
        return str(done.candidate_id)

    def sign_in(self, season_id: str, phone: str, password: str) -> str:
        body = TokenRequest(season_id=season_id, phone=phone, password=password)
        self.signed, self.refresh_token = None, ""
        return self._hold(self.parsed(sign_in, body=body))

    def _renew(self) -> None:
        body = RefreshRequest(refresh_token=self.refresh_token)
        self.signed, self.refresh_token = None, ""
        self._hold(self.parsed(refresh, body=body))

    def _hold(self, tokens: Any) -> str:
        self.refresh_token = str(tokens.refresh_token)
        self.signed = AuthenticatedClient(
            base_url=self.base, token=tokens.access_token, headers=self.headers, timeout=TIMEOUT
        )
        return str(tokens.access_token)

    def me(self) -> dict[str, Any]:
        return dict(self.parsed(me).to_dict())

    def save_profile(self, body: dict[str, Any]) -> None:
        self.call(save_profile, body=ProfileRequest.from_dict(body))

    def upload_form(self, code: str, content_type: str) -> dict[str, Any]:
        body = UploadRequest(code=code, content_type=content_type)
        return dict(self.parsed(upload, (201,), body=body).to_dict())

    def submit(self, version: int) -> None:
        self.call(submit, body=SubmitRequest(version=version))

    def choose(self, body: dict[str, Any]) -> dict[str, Any]:
        saved = self.parsed(save_preferences, body=PreferencesRequest.from_dict(body))
        return dict(saved.to_dict())

    def confirm_preferences(self, version: int) -> None:
        self.call(confirm_preferences, body=SubmitRequest(version=version))

    def start_payment(self) -> dict[str, Any]:
        return dict(self.parsed(start_payment, (200, 201)).to_dict())

    def payment(self) -> dict[str, Any]:
        return dict(self.parsed(payment_status).to_dict())

    def timeline(self) -> list[dict[str, Any]]:
        return [step.to_dict() for step in self.parsed(timeline)]

    def ticket(self) -> bytes:
        return bytes(self.call(admission_ticket).content)

    def scores(self) -> dict[str, Any]:
        return dict(self.parsed(my_scores).to_dict())

    def ask_score_review(self, subject: str) -> None:
        self.call(request_score_review, (201,), body=ScoreReviewRequest(subject=subject))

    def admission(self) -> dict[str, Any]:
        """The result; one not in the run (422) says why, as the page does."""
        answer = self.call(my_admission, (200, 422))
        if answer.status_code == 422:
            return {"not_in_run": answer.parsed.error.message}
        return dict(answer.parsed.to_dict())
