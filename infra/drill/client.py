"""The drill's HTTP clients: the public API as a web or mobile client reaches it — each
candidate from an address of their own, forwarded by the CDN with its edge secret — and
staff who sign in with a password and the authenticator they bound on first sign-in."""

from __future__ import annotations

import itertools
import re
import threading
import time
from typing import Any

import pyotp
import requests

STAFF_PASSWORD = "Drill2024pass"
CANDIDATE_PASSWORD = "drill12345"


class Refused(AssertionError):
    """The API answered what the drill did not expect: the step and the answer."""


class Api:
    def __init__(self, base: str, edge: str) -> None:
        self.base, self.edge = base, edge
        self.local = threading.local()  # one connection pool per worker thread
        self.addresses = itertools.count(1)

    @property
    def http(self) -> requests.Session:
        if not hasattr(self.local, "session"):
            self.local.session = requests.Session()
        return self.local.session  # type: ignore[no-any-return]

    def call(
        self,
        method: str,
        path: str,
        token: str | None = None,
        expect: int | tuple[int, ...] = 200,
        **kw: Any,
    ) -> requests.Response:
        headers = {
            "X-Zhaokao-Edge": self.edge,
            "X-Forwarded-For": self.address(),
            **kw.pop("headers", {}),
        }
        if token:
            headers["Authorization"] = f"Bearer {token}"
        url = path if path.startswith("http") else self.base + path
        r = self.http.request(method, url, headers=headers, timeout=60, **kw)
        wanted = (expect,) if isinstance(expect, int) else expect
        if r.status_code not in wanted:
            raise Refused(f"{method} {path}: {r.status_code} {r.text[:300]}")
        return r

    def address(self) -> str:
        """A client address not seen before (the CDN forwards it)."""
        n = next(self.addresses)
        return f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"

    def get(self, path: str, token: str | None = None, **kw: Any) -> Any:
        return self.call("GET", path, token, **kw).json()

    def post(self, path: str, token: str | None = None, **kw: Any) -> Any:
        r = self.call("POST", path, token, **kw)
        return r.json() if r.content else None

    def put(self, path: str, token: str | None = None, **kw: Any) -> Any:
        return self.call("PUT", path, token, **kw).json()

    def code_sent_to(self, phone: str) -> str:
        """The newest verification code the phone received (the local gateway's outbox)."""
        for _ in range(100):
            for sms in self.get("/local/outbox", params={"phone": phone}):
                found = re.search(r"验证码为?(\d{6})", sms["text"])
                if found:
                    return found[1]
            time.sleep(0.05)
        raise Refused(f"no code reached {phone[:3]}****{phone[-4:]}")


class Staff:
    """A staff member: created by an operator, bound to an authenticator at first sign-in,
    then signed in with password and a fresh code (each code works once)."""

    def __init__(self, api: Api, username: str, secret: str | None = None) -> None:
        self.api, self.username = api, username
        self.totp = pyotp.TOTP(secret) if secret else None
        self.last_step = -1
        self.token, self.until = "", 0.0
        self.lock = threading.Lock()

    def enrol(self) -> None:
        login = {"username": self.username, "password": STAFF_PASSWORD}
        offer = self.api.post("/v1/auth/totp/enrolment", json=login)
        self.totp = pyotp.TOTP(offer["secret"])
        self.api.post("/v1/auth/totp/activation", json={**login, "code": self._code()})

    def _code(self) -> str:
        """A code not used yet: the server takes each 30 s step once and one step of drift,
        so after this step's code comes the next one's; past that, wait for the clock."""
        assert self.totp is not None
        while True:
            now = int(time.time()) // 30
            step = max(now, self.last_step + 1)
            if step <= now + 1:
                self.last_step = step
                return str(self.totp.at(step * 30))
            time.sleep(0.5)

    def bearer(self) -> str:
        with self.lock:
            if time.time() < self.until:
                return self.token
            body = {"username": self.username, "password": STAFF_PASSWORD, "code": self._code()}
            tokens = self.api.post("/v1/auth/staff-token", json=body)
            self.token, self.until = tokens["access_token"], time.time() + tokens["expires_in"] - 60
            return self.token
