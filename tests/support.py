"""State and helpers the tests share (one module, so one copy: conftest imports it too)."""

from __future__ import annotations

import itertools
import logging
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

import requests

TIERS: set[str] = set()  # the tiers this session collected: unit, integration, web, standalone


def whole_suite() -> bool:
    """A judgement over everything the suite did (every grant used, every operation seen)
    holds only when every tier ran; a tier run alone (``make unit``, …) skips it."""
    return {"unit", "integration", "web", "standalone"} <= TIERS


ARTIFACTS = Path(__file__).resolve().parent / "artifacts"  # screenshots of the web tests
SERVICE_LOGGERS = (
    "register",
    "review",
    "admit",
    "roster-import",
    "review-routing",
    "upload-inspection",
    "zhaokao-service",
    "zhaokao.local",
)


class Capture(logging.Handler):
    """Keeps log lines of the session, formatted as shipped (JSON for powertools)."""

    lines: ClassVar[list[str]] = []  # shared by every capture of the session

    def __init__(self, formatter: logging.Formatter | None = None) -> None:
        super().__init__(level=logging.INFO)
        if formatter:
            self.setFormatter(formatter)

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.lines.append(self.format(record))
        except Exception:  # a formatting failure must not hide the rest
            self.lines.append(str(record.msg))


CAPTURE = Capture()


def watch_service_loggers() -> None:
    """Copy every line our functions log, with the formatter they ship with."""
    for name in SERVICE_LOGGERS:
        logger = logging.getLogger(name)
        shipped = next((h for h in logger.handlers if not isinstance(h, Capture)), None)
        if not any(isinstance(h, Capture) for h in logger.handlers):
            logger.addHandler(Capture(shipped.formatter if shipped else None))


# Every ID number and phone a test uses, so the last test can look for them in the logs.
PERSONAL: set[str] = set()


_fresh = iter(range(60, 120))


# The demo's college majors and a bachelor plan (school, major) linked as same or close
CLOSE = {
    "510201": ("10530", "080901"),
    "530302": ("10530", "120203K"),
    "460104": ("10554", "080202"),
    "570102": ("10542", "040106"),
    "520201": ("10541", "101101"),
    "520410": ("10541", "100501K"),
}


def fresh_graduate(cloud: Any) -> Any:
    """A listed graduate no other test registers."""
    return cloud.demo["graduates"][next(_fresh)]


_totp_used: dict[str, int] = {}


def totp_code(username: str) -> str:
    """A code of a demo staff member's authenticator that was not used yet: the server takes
    each time step once and accepts one step of drift either way, so the next unused step
    from the current one on is valid; past that, wait for the clock. (Never the previous
    step: the server's clock may cross into the next one before it checks the code.)"""
    import pyotp

    from infra.local.demo import totp_secret

    totp = pyotp.TOTP(totp_secret(username))
    while True:
        now = int(time.time()) // 30
        step = max(now, _totp_used.get(username, -10) + 1)
        if step <= now + 1:
            _totp_used[username] = step
            return str(totp.at(step * 30))
        time.sleep(1)


_addresses = itertools.count(1)


def fresh_address() -> str:
    n = next(_addresses)
    return f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"


class Api:
    """A thin client of the local cloud's HTTP front. Each call comes from an address of its
    own, forwarded as the web client's CDN forwards a viewer's (codes are limited per client
    address, R17.4), unless ``client`` names one."""

    def __init__(self, base: str, edge: str) -> None:
        self.base = base
        self.edge = edge
        self.http = requests.Session()
        self._staff: dict[str, tuple[str, str, float]] = {}

    def call(
        self,
        method: str,
        path: str,
        token: str | None = None,
        client: str | None = None,
        **kw: Any,
    ) -> requests.Response:
        headers = {**self.forwarded(client), **kw.pop("headers", {})}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return self.http.request(method, self.base + path, headers=headers, timeout=30, **kw)

    def forwarded(self, client: str | None = None) -> dict[str, str]:
        """The headers of the CDN forwarding a viewer at ``client`` (a fresh one if None)."""
        return {"X-Zhaokao-Edge": self.edge, "X-Forwarded-For": client or fresh_address()}

    def get(self, path: str, token: str | None = None, **kw: Any) -> requests.Response:
        return self.call("GET", path, token, **kw)

    def post(self, path: str, token: str | None = None, **kw: Any) -> requests.Response:
        return self.call("POST", path, token, **kw)

    def put(self, path: str, token: str | None = None, **kw: Any) -> requests.Response:
        return self.call("PUT", path, token, **kw)

    def staff_token(self, username: str) -> str:
        """A demo staff member's access token, signed in once per session (a code of the
        authenticator works once) and renewed with the refresh token when near expiry."""
        token, refresh, until = self._staff.get(username, ("", "", 0.0))
        if time.time() < until:
            return token
        if refresh:
            r = self.post("/v1/auth/refresh", json={"refresh_token": refresh})
        else:
            from infra.local.demo import STAFF_PASSWORD

            body = {"username": username, "password": STAFF_PASSWORD, "code": totp_code(username)}
            r = self.post("/v1/auth/staff-token", json=body)
        assert r.status_code == 200, r.text
        tokens = r.json()
        until = time.time() + tokens["expires_in"] - 60
        self._staff[username] = (tokens["access_token"], tokens["refresh_token"], until)
        return str(tokens["access_token"])

    def register(self, g: Any, phone: str, season: str = "hunan-zsb-2024") -> tuple[str, str]:
        """Register a listed graduate with a fresh code and sign in: (candidate id, token)."""
        return self.register_person(season, g.name, g.id_number, phone)

    def register_person(
        self, season: str, name: str, id_number: str, phone: str, **extra: str
    ) -> tuple[str, str]:
        """Register with a fresh code (password abc12345) and sign in: (candidate id, token).
        ``extra``: the form's other fields (a Ningxia county)."""
        assert self.post(f"/v1/seasons/{season}/otp", json={"phone": phone}).status_code == 200
        body = {
            "name": name,
            "id_number": id_number,
            "phone": phone,
            "otp": self.last_code(phone),
            "password": "abc12345",
            "pledge": True,
            **extra,
        }
        r = self.post(f"/v1/seasons/{season}/registrations", json=body)
        assert r.status_code == 201, r.text
        signed = self.post(
            "/v1/auth/token", json={"season_id": season, "phone": phone, "password": "abc12345"}
        )
        return str(r.json()["candidate_id"]), str(signed.json()["access_token"])

    def last_code(self, phone: str) -> str:
        masked = phone[:3] + "****" + phone[-4:]
        for sms in self.get("/local/outbox").json():
            if sms["to"] == masked:
                return re.search(r"验证码为?(\d{6})", sms["text"])[1]  # type: ignore[index]
        raise AssertionError(f"no code sent to {masked}")


def preset_policy(season_id: str) -> dict[str, Any]:
    """A preset policy document as JSON data, to change in a test."""
    import json
    from importlib import resources

    text = resources.files("zhaokao").joinpath(f"policies/{season_id}.json").read_text("utf-8")
    return dict(json.loads(text))


def jpeg(width: int = 358, height: int = 441, exif: bool = True) -> bytes:
    """A standard photo as a phone takes it: a real JPEG, with EXIF unless told."""
    import io

    from PIL import Image

    image = Image.new("RGB", (width, height), (200, 210, 230))
    out = io.BytesIO()
    if exif:
        tags = Image.Exif()
        tags[0x010F] = "PhoneMaker"  # Make
        tags[0x0132] = "2023:09:01 10:00:00"  # DateTime
        image.save(out, format="JPEG", exif=tags.tobytes())
    else:
        image.save(out, format="JPEG")
    return out.getvalue()


def nx_person(seed: int) -> tuple[str, str]:
    """A made-up Ningxia adult (name, ID number), born in 1990."""
    from stdnum.cn import ric

    body = f"640104199001{seed % 28 + 1:02d}{seed % 1000:03d}"
    return f"马{'晓燕明华'[seed % 4]}", body + ric.calc_check_digit(body + "0")


def register_ningxia(api: Api, phone: str, seed: int) -> tuple[str, str]:
    """A Ningxia candidate of county 640104, signed in: (candidate id, token)."""
    name, number = nx_person(seed)
    PERSONAL.add(number)
    return api.register_person("ningxia-adult-2023", name, number, phone, county_code="640104")


ADDRESS = {
    "recipient": "马晓燕",
    "phone": "13900001111",
    "province": "宁夏",
    "city": "银川市",
    "address": "兴庆区解放西街1号",
    "postcode": "750001",
}


def upload(api: Api, token: str, code: str, data: bytes, content_type: str) -> dict[str, Any]:
    """Ask for a signed form, post the file straight to S3, wait for its inspection."""
    form = api.post("/v1/me/uploads", token, json={"code": code, "content_type": content_type})
    assert form.status_code == 201, form.text
    f = form.json()
    posted = requests.post(f["url"], data=f["fields"], files={"file": ("f", data)}, timeout=30)
    assert posted.status_code in (200, 204), posted.text
    name = f["key"].rsplit("/", 1)[1]
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        docs = api.get("/v1/me", token).json().get("documents") or {}
        if docs.get(code, {}).get("upload") == name:
            return dict(docs[code])
        time.sleep(0.2)
    raise AssertionError(f"{code} was not inspected in 30 s")


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SEEDS = itertools.count(400)  # Ningxia people of the tests
SITTERS = itertools.count(7000)  # the arrangement tests' candidates: one counter, however imported


def ningxia_profile(version: int, **extra: Any) -> dict[str, Any]:
    return {
        "version": version,
        "native_place": "宁夏银川",
        "mailing_address": ADDRESS,
        "level": "zsb",
        "education": "college",
        **extra,
    }


def ready(api: Api, phone: str, **extra: Any) -> tuple[str, str, int]:
    """A Ningxia candidate with profile, photo and 学信网 record: ready to submit."""
    cid, token = register_ningxia(api, phone, next(SEEDS))
    me = api.get("/v1/me", token).json()
    saved = api.put("/v1/me/profile", token, json=ningxia_profile(me["version"], **extra))
    assert saved.status_code == 200, saved.text
    assert upload(api, token, "photo", jpeg(), "image/jpeg")["status"] == "accepted"
    assert upload(api, token, "xuexin_record", PDF, "application/pdf")["status"] == "accepted"
    return cid, token, api.get("/v1/me", token).json()["version"]


def wait_status(api: Api, token: str, wanted: str, seconds: float = 20) -> dict[str, Any]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        me = api.get("/v1/me", token).json()
        if me["status"] == wanted:
            return dict(me)
        time.sleep(0.1)
    raise AssertionError(f"status is {me['status']}, not {wanted}")


def sms_containing(api: Api, words: str, seconds: float = 10) -> str:
    """The outbox's SMS containing ``words``: a worker may send it just after the state
    change a test waited for."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for sms in api.get("/local/outbox").json():
            if words in sms["text"]:
                return str(sms["text"])
        time.sleep(0.1)
    raise AssertionError(f"no SMS says {words!r}")


@contextmanager
def season_clock(season_id: str, at: str) -> Iterator[None]:
    """Move a season's clock (e.g. into its review window), and back to the demo's after."""
    from infra.local.demo import CLOCKS
    from zhaokao.domain.windows import CST
    from zhaokao.storage import seasons

    def pin(when: str) -> None:
        seasons.pin_clock(season_id, datetime.fromisoformat(when).replace(tzinfo=CST), "test")

    pin(at)
    try:
        yield
    finally:
        if season_id in CLOCKS:  # the demo's pinned time; another season runs on real time
            pin(CLOCKS[season_id])
        else:
            seasons.pin_clock(season_id, None, "test")


def hunan_clock(at: str) -> Any:
    return season_clock("hunan-zsb-2024", at)


def approved_person(
    cid: str, season_id: str, unit: str, person: tuple[str, str], phone: str, **fields: Any
) -> Any:
    """A candidate written as review leaves one, approved (a fixture's shortcut past the
    pipeline, which is tested on its own): ``person`` is the name and ID number."""
    from zhaokao.domain.registration import NewCandidate
    from zhaokao.storage import candidates

    name, id_number = person
    now = datetime.now(UTC)
    created = NewCandidate(cid, season_id, name, id_number, phone, unit, now, status="approved")
    candidates.create(created._replace(**fields))
    return candidates.get(cid)


def approve(cid: str, category: str = "ordinary", exemption: bool = False) -> None:
    """Review's outcome, reached by the lifecycle's own steps (the review pipeline is tested
    elsewhere): submitted, routed, approved with what review approves."""
    from zhaokao.storage import candidates, lifecycle

    record = candidates.get(cid)
    approvals = {"category": category, "exemption": exemption, "bonus_points": 0, "revoked": False}
    for action in ("submit", "route"):
        record = lifecycle.change(record, action, "test")
    lifecycle.change(record, "approve", "test", sets={"approvals": approvals})


def as_viewer(page: Any, cloud: Any, client: str | None = None) -> Any:
    """The page's API calls reach the API as through the web client's CDN, from a viewer
    at ``client`` (an address of the page's own if None): codes are limited per client."""
    forwarded = {"x-zhaokao-edge": cloud.edge_secret, "x-forwarded-for": client or fresh_address()}
    page.route(
        f"{cloud.url}/v1/**",
        lambda route: route.continue_(headers={**route.request.headers, **forwarded}),
    )
    return page


# The viewports of the web tests: a flow marked both_sizes runs at each (tests/web/conftest)
SIZES = {"desktop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}
SIZE = "desktop"


def open_page(
    browser: Any, cloud: Any, path: str, height: int = 1200, client: str | None = None
) -> Any:
    """A page of the web client in headless Chromium, once its script is ready: 1366 wide
    (``height`` tall), or a phone's 390×844 when the test runs at that size."""
    viewport = SIZES["phone"] if SIZE == "phone" else {"width": 1366, "height": height}
    page = browser.new_page(viewport=viewport, locale="zh-CN")
    as_viewer(page, cloud, client)
    page.goto(cloud.url + path)
    page.wait_for_selector("body[data-ready=true]")
    return page


_desks = itertools.count(1)


def staff_sign_in(page: Any, username: str) -> None:
    """A demo staff member signs in on a workbench with password and code — as an account of
    the same role, unit and season made for this sign-in: an authenticator's code works once
    and each 30 s step gives two, so signing in as the demo account itself would wait for
    the clock whenever the suite signs it in more often than that."""
    from infra.local.demo import STAFF, STAFF_PASSWORD, create_staff

    _, role, unit, season = next(s for s in STAFF if s[0] == username)
    desk = f"{username}-desk{next(_desks)}"
    create_staff(desk, role, unit, season, STAFF_PASSWORD)
    page.fill("#staff-login [name=username]", desk)
    page.fill("#staff-login [name=password]", STAFF_PASSWORD)
    page.fill("#staff-login [name=code]", totp_code(desk))
    page.click("#staff-login button[type=submit]")


def sign_in(page: Any, season: str, phone: str) -> None:
    """A candidate signs in on the portal (password abc12345) and sees the record."""
    page.select_option("#season", season)
    page.wait_for_function("document.querySelector('#phase').textContent.length > 0")
    page.click("button[data-tab=login]")
    page.fill("#login [name=phone]", phone)
    page.fill("#login [name=password]", "abc12345")
    page.click("#login button[type=submit]")
    page.wait_for_selector("#my-file:not([hidden])")


def drained(cloud: Any, queue: str, seconds: float = 30) -> None:
    """Wait until a queue holds nothing, neither waiting nor in flight: every message it
    got was handled (before a "nothing else happened" check, instead of a fixed sleep)."""
    sqs, url = cloud.client("sqs"), cloud.refs[queue]
    names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=names)["Attributes"]
        if not any(int(found[n]) for n in names):
            return
        time.sleep(0.05)
    raise AssertionError(f"{queue} was not drained in {seconds} s")


class Answers:
    """Every answer the API gave during the suite, by operation: the contract test checks
    each against the OpenAPI document (its status listed, its body in that status's schema)."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str, int, bytes]] = []
        self.lock = threading.Lock()

    def watch(self, front: Any) -> None:
        answer = front.api

        def api(request: Any) -> Any:
            found = front.match(request.method, request.path)
            response = answer(request)
            if found is not None and request.path.startswith("/v1/"):
                route = found[0]
                with self.lock:
                    self.seen.append(
                        (route.method, route.path, response.status_code, response.get_data())
                    )
            return response

        front.api = api


ANSWERS = Answers()
