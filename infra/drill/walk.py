"""A whole season walked through the public HTTP API, phase by phase, as its people would:
operators set it up, candidates register and complete their files, reviewers decide,
candidates choose and pay, operators arrange, print, score and admit, and every candidate
reads their result. Each phase is timed; the final check (check.py) reads the outcome."""

from __future__ import annotations

import io
import json
import random
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import requests

from .app import App
from .client import CANDIDATE_PASSWORD, STAFF_PASSWORD, Api, Refused, Staff
from .people import Person, people, unique_scores
from .seasons import SeasonPlan

WORKERS = 8
RESULT_FIELDS = (
    "admitted",
    "round",
    "school",
    "major",
    "adjusted",
    "reason",
)  # concurrent clients: the local cloud's front serves each in a thread


@dataclass
class Phase:
    name: str
    count: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)


class Drill:
    def __init__(self, cloud: Any, plan: SeasonPlan, n: int, progress: Any) -> None:
        self.cloud, self.plan, self.n = cloud, plan, n
        self.api = Api(cloud.url, cloud.edge_secret)
        self.progress = progress  # rich.progress.Progress, or a stand-in
        self.phases: list[Phase] = []
        self.staff: dict[str, Staff] = {}
        self.season_id = plan.season_id
        self.base = f"/v1/seasons/{plan.season_id}"
        self.people = people(n, plan.counties, plan.categories, plan.schools, plan.born_in)
        plan.assign(self.people)
        self.run_id = ""
        self.lines: dict[tuple[str, str], int] = {}
        self.stale: list[str] = []  # writes retried after a 409 stale_version

    # -- phases ------------------------------------------------------------------------
    def phase(self, name: str, items: Iterable[Any], step: Callable[[Any], None]) -> Phase:
        """``step`` over ``items`` by WORKERS clients; an exception is the item's error."""
        todo = list(items)
        phase = Phase(name, len(todo))
        task = self.progress.add_task(name, total=len(todo) or 1)
        started = time.perf_counter()

        def one(item: Any) -> None:
            try:
                step(item)
            except Exception as exc:  # a step that broke is the drill's finding, not its end
                phase.errors.append(f"{name}: {type(exc).__name__}: {exc}")
            finally:
                self.progress.advance(task)

        with ThreadPoolExecutor(WORKERS) as pool:
            list(pool.map(one, todo))
        if not todo:
            self.progress.advance(task)
        phase.seconds = time.perf_counter() - started
        self.phases.append(phase)
        return phase

    def once(self, name: str, step: Callable[[], None]) -> None:
        self.phase(name, [None], lambda _: step())

    def clock(self, at: datetime) -> None:
        self.api.put(f"{self.base}/clock", self.operator(), json={"at": at.isoformat()})

    def at(self, window: str, hours: float = 1) -> datetime:
        """A moment inside a window of the season (its start, plus ``hours``)."""
        w = next(w for w in self.summary["windows"] if w["name"] == window)
        return datetime.fromisoformat(w["start"]).replace(tzinfo=None) + timedelta(hours=hours)

    def after(self, window: str, hours: float = 1) -> datetime:
        w = next(w for w in self.summary["windows"] if w["name"] == window)
        return datetime.fromisoformat(w["end"]).replace(tzinfo=None) + timedelta(hours=hours)

    def operator(self) -> str:
        return self.staff["operator"].bearer()

    def release(self, window: str, when: Callable[[], datetime]) -> None:
        """A window the season's notice leaves to the authority (Hunan's score release and
        admission query): the operators announce it, from ``when()``, two weeks long."""
        if any(w["name"] == window for w in self.summary["windows"]):
            return
        start = when()
        body = {
            "start": start.isoformat(timespec="minutes"),
            "end": (start + timedelta(days=14)).isoformat(timespec="minutes"),
            "reason": "另行通知",
        }
        self.api.put(f"{self.base}/windows/{window}", self.operator(), json=body)
        self.summary = self.api.get(self.base)

    def add_staff(self, name: str, role: str, unit: str, season: str | None) -> None:
        """A staff account an operator creates; its holder binds an authenticator."""
        body = {"username": name, "role": role, "unit": unit, "password": STAFF_PASSWORD}
        if season:
            body["season"] = season
        self.api.post("/v1/staff", self.operator(), json=body, expect=201)
        self.staff[name] = Staff(self.api, name)
        self.staff[name].enrol()

    def post_form(self, form: dict[str, Any], name: str, data: bytes) -> None:
        """A file sent straight to storage with a signed form, as a browser does."""
        posted = requests.post(
            form["url"], data=form["fields"], files={"file": (name, data)}, timeout=60
        )
        if posted.status_code not in (200, 204):
            raise Refused(f"upload {name}: {posted.status_code}")

    def until(self, read: Callable[[], Any], states: tuple[str, ...], tries: int = 3000) -> Any:
        """What ``read`` answers once its status is one of ``states`` (polled)."""
        for _ in range(tries):
            got = read()
            if got["status"] in states:
                return got
            time.sleep(0.1)
        raise Refused(f"still {got['status']}: {got}")

    def wait_seated(self, url: str, token: str) -> None:
        """A seating run started and followed to its end: everyone placed, or the error."""
        run = self.api.post(url, token, expect=202)
        run = self.until(lambda: self.api.get(f"{url}/{run['run_id']}", token), ("done", "failed"))
        if run["status"] != "done" or run["unplaced"]:
            raise Refused(f"seating: {run}")

    # -- the season -----------------------------------------------------------------------
    def walk(self) -> None:
        self.once("setup", self.setup)
        self.once("before registration", lambda: self.plan.before_registration(self))
        self.clock(self.at("registration"))
        self.phase("register", self.people, self.register)
        self.phase("profile", self.registered(), self.complete)
        self.clock(self.at("review", 2))
        self.phase("review", self.registered(), self.review)
        self.phase(
            "resubmit", [p for p in self.registered() if p.review == "send_back"], self.resubmit
        )
        self.phase(
            "review again",
            [p for p in self.registered() if p.review == "send_back"],
            self.review_again,
        )
        if not self.choose_at_registration:
            self.clock(self.at("preferences"))
            self.phase("choose", self.approved(), self.choose)
        self.clock(self.at("payment", 2))
        self.phase("pay", self.approved(), self.pay)
        self.clock(self.after("payment"))
        self.once("settle and withdraw", self.settle_and_withdraw)
        self.once("arrange", self.arrange)
        self.clock(self.at("ticket_printing"))
        self.phase("tickets", self.seated(), self.ticket)
        self.once("scores", self.import_scores)
        self.release("score_release", lambda: self.after("ticket_printing", 24 * 20))
        self.clock(self.at("score_release", 10))
        self.phase("read scores", self.seated(), self.read_scores)
        self.once("score review", self.score_review)
        self.once("admission", self.admit)
        self.release("admission_query", lambda: self.at("score_release", 24 * 20))
        self.clock(self.at("admission_query"))
        self.phase("read result", [p for p in self.people if p.token], self.read_result)

    def registered(self) -> list[Person]:
        return [p for p in self.people if p.token]

    def approved(self) -> list[Person]:
        return [
            p
            for p in self.registered()
            if p.review != "reject" and p.seen.get("status") == "approved"
        ]

    def seated(self) -> list[Person]:
        return [p for p in self.people if p.exam_number]

    def setup(self) -> None:
        """The deploy's first operator binds an authenticator; operators create the season,
        its reviewers, its catalogue and its exam sites."""
        self.staff["operator"] = first = Staff(self.api, "drill-ops")
        first.enrol()
        self.plan.create(self)
        self.summary = self.api.get(self.base)
        self.choose_at_registration = self.at("preferences", 0) <= self.at("registration", 0)
        for unit in self.plan.counties:
            self.add_staff(f"drill-{unit}", self.plan.reviewer_role, unit, self.season_id)
            self.staff[unit] = self.staff[f"drill-{unit}"]
        self.api.post(
            f"{self.base}/catalogue/plans", self.operator(), json={"csv": self.plan.plans_csv()}
        )
        self.plan.prepare(self)

    def timetable(self) -> dict[str, Any]:
        """Every paper on the two days after the tickets print: mornings, then afternoons."""
        day = self.at("ticket_printing", 0) + timedelta(days=5)
        subjects = list(dict.fromkeys(s for papers in self.plan.papers.values() for s in papers))
        sessions = []
        for i, subject in enumerate(subjects):
            start = day + timedelta(days=i // 2, hours=9 + 6 * (i % 2))
            end = start + timedelta(minutes=150)
            sessions.append(
                {"subject": subject, "start": start.isoformat(), "end": end.isoformat()}
            )
        return {"sessions": sessions, "reason": "按考试院公布的时间表录入"}

    # -- candidates -----------------------------------------------------------------------
    def register(self, p: Person) -> None:
        p.app = App(self.cloud.url, self.cloud.edge_secret, self.api.address())
        p.app.ask_code(self.season_id, p.phone)
        body = {
            "name": p.name,
            "id_number": p.id_number,
            "phone": p.phone,
            "otp": self.api.code_sent_to(p.phone),
            "password": CANDIDATE_PASSWORD,
            "pledge": True,
            **self.plan.registration(p),
        }
        p.candidate_id = p.app.register(self.season_id, body)
        self.sign_in(p)

    def sign_in(self, p: Person) -> None:
        p.token = p.app.sign_in(self.season_id, p.phone, CANDIDATE_PASSWORD)

    def me(self, p: Person) -> dict[str, Any]:
        me = p.app.me()
        p.seen["status"] = me["status"]
        return me

    def complete(self, p: Person) -> None:
        """Profile, the documents the season asks for, preferences when their window is
        open already (Ningxia: chosen at registration), then 提交/确认."""
        self.fresh(p, lambda v: p.app.save_profile(self.plan.profile(p, v)))
        for doc in self.me(p)["uploads_needed"]:
            if doc["required"]:
                self.upload(p, doc["code"], doc["content_types"])
        if self.choose_at_registration:
            self.choose(p)
        self.fresh(p, p.app.submit)

    def choose(self, p: Person) -> None:
        """志愿: saved on the version read, confirmed where confirming locks them."""
        choice = self.plan.preferences(p)
        saved = self.fresh(p, lambda v: p.app.choose({"version": v, **choice}))
        if self.summary["preferences"]["confirm_locks"]:
            p.app.confirm_preferences(saved["version"])

    def fresh(self, p: Person, write: Callable[[int], Any]) -> Any:
        """A write on the version just read; on 409 stale_version, read again and retry, as
        the web client asks its user to (刷新后重试) — each retry is counted."""
        for attempt in range(3):
            try:
                return write(self.me(p)["version"])
            except Refused as exc:
                if "stale_version" not in str(exc) or attempt == 2:
                    raise
                self.stale.append(f"{p.candidate_id}: {exc}")
        return None

    def upload(self, p: Person, code: str, types: list[str]) -> None:
        kind = "image/jpeg" if "image/jpeg" in types else types[0]
        form = p.app.upload_form(code, kind)
        self.post_form(form, "f", PHOTO if kind == "image/jpeg" else PDF)
        name = form["key"].rsplit("/", 1)[1]
        for _ in range(600):
            doc = (self.me(p).get("documents") or {}).get(code, {})
            if doc.get("upload") == name:
                if doc.get("status") != "accepted":
                    raise Refused(f"upload {code}: {doc}")
                return
            time.sleep(0.05)
        raise Refused(f"upload {code} was never inspected")

    # -- reviewers -------------------------------------------------------------------------
    def wait_routed(self, p: Person) -> dict[str, Any]:
        for _ in range(600):
            me = self.me(p)
            if me["status"] in ("under_review", "on_site", "rejected"):
                return me
            time.sleep(0.05)
        raise Refused(f"{p.candidate_id} never reached review ({p.seen['status']})")

    def review(self, p: Person) -> None:
        self.decide(p, p.review)

    def decide(self, p: Person, decision: str) -> None:
        """The unit's reviewer opens the file and decides on the version read."""
        self.wait_routed(p)
        reviewer = self.staff[p.county].bearer()
        url = f"{self.base}/review/candidates/{p.candidate_id}"
        body = {
            "decision": decision,
            "version": self.api.get(url, reviewer)["candidate"]["version"],
        }
        if decision != "approve":
            body["reason"] = (
                "学历证书电子注册备案表不清晰" if decision == "send_back" else "不符合报考条件"
            )
        self.api.post(f"{url}/decision", reviewer, json=body)
        self.me(p)

    def resubmit(self, p: Person) -> None:
        if self.plan.resend_document:
            self.upload(p, "xuexin_record", ["application/pdf"])
        self.fresh(p, p.app.submit)

    def review_again(self, p: Person) -> None:
        self.decide(p, "approve")

    # -- fees ----------------------------------------------------------------------------------
    def pay(self, p: Person) -> None:
        if not p.pays:
            return
        order = p.app.start_payment()
        provider = self.cloud.payments
        if p.late_notice:  # paid at the provider; its notification is lost on the way
            provider.settle(provider.order(order["out_trade_no"]))
            return
        self.api.call("POST", order["pay_url"], data={})
        for _ in range(600):
            if p.app.payment()["status"] == "PAID":
                break
            time.sleep(0.05)
        else:
            raise Refused(f"{p.candidate_id}: never PAID")
        if p.duplicate_notice:  # the provider says it again: applied once
            notice = provider.notification(provider.order(order["out_trade_no"]))
            self.api.call(
                "POST",
                "/v1/payments/notify",
                data=notice["body"].encode(),
                headers=notice["headers"],
            )

    def settle_and_withdraw(self) -> None:
        """What the schedules do after the payment window: settle orders whose notification
        never came (queried at the provider), then withdraw who did not pay (R9.2)."""
        self.cloud.runtime.invoke("PaymentJobsFunction", {"job": "settle"})
        self.cloud.runtime.invoke("PaymentJobsFunction", {"job": "withdraw"})
        for p in self.registered():
            self.me(p)

    # -- the exam ------------------------------------------------------------------------------
    def arrange(self) -> None:
        self.plan.arrange(self)
        for p in self.registered():
            p.exam_number = self.me(p).get("exam_number") or ""

    def ticket(self, p: Person) -> None:
        if not p.app.ticket().startswith(b"%PDF"):
            raise Refused(f"ticket of {p.candidate_id} is not a PDF")
        p.seen["ticket"] = True

    def import_scores(self) -> None:
        rng, taken = random.Random(f"{self.season_id}:scores"), set()
        for importer, sitters in self.plan.score_files(self):
            rows = ["准考证号,科目代码,成绩,缺考"]
            for p in sitters:
                subjects = self.plan.subjects(p)
                if p.absent:
                    rows += [f"{p.exam_number},{s},,是" for s in subjects]
                    continue
                p.scores = unique_scores(rng, subjects, taken)
                rows += [f"{p.exam_number},{s},{v},否" for s, v in p.scores.items()]
            csv = "\n".join(rows) + "\n"
            report = self.api.post(f"{self.base}/scores", importer, json={"csv": csv})
            if report.get("problems"):
                raise Refused(f"scores: {report['problems'][:3]}")

    def read_scores(self, p: Person) -> None:
        p.seen["scores"] = p.app.scores()

    def score_review(self) -> None:
        """One candidate asks for a 复核 of a paper; the operators find 5 points missed."""
        asker = next((p for p in self.seated() if p.scores), None)
        if asker is None:
            raise Refused("nobody was scored: no 复核 to ask for")
        subject = next(iter(asker.scores))
        start = self.at("score_release", 1)
        window = {
            "start": start.isoformat(timespec="minutes"),
            "end": (start + timedelta(days=7)).isoformat(timespec="minutes"),
            "reason": "复核通知",
        }
        self.api.put(f"{self.base}/windows/score_review", self.operator(), json=window)
        asker.app.ask_score_review(subject)
        asker.scores[subject] = min(150, asker.scores[subject] + 5)
        outcome = {"score": asker.scores[subject], "note": "漏计一题5分"}
        self.api.post(
            f"{self.base}/candidates/{asker.candidate_id}/score-reviews/{subject}",
            self.operator(),
            json=outcome,
        )
        asker.seen["scores"] = asker.app.scores()
        asker.seen["reviewed"] = subject

    # -- admission -------------------------------------------------------------------------
    def admit(self) -> None:
        """Lines at the score that admits about the plans' seats; a run; each school's list
        approved; published — the count confirmed when nobody is admitted."""
        self.lines = self.plan.lines(self)
        rows = [{"level": lv, "category": c, "line": n} for (lv, c), n in self.lines.items()]
        self.api.put(f"{self.base}/admission/lines", self.operator(), json={"lines": rows})
        run = self.api.post(f"{self.base}/admission/runs", self.operator(), json={}, expect=202)
        self.run_id = run["run_id"]
        run = self.wait_run(lambda r: r["status"] != "running")
        if run["status"] != "awaiting_approval":
            raise Refused(f"admission run: {run['status']} {run.get('error')}")
        for school in run["schools"]:
            self.api.post(
                f"{self.base}/admission/runs/{self.run_id}/approvals",
                self.operator(),
                json={"school": school["school"]},
            )
        if not run["schools"]:
            self.api.post(
                f"{self.base}/admission/runs/{self.run_id}/publication",
                self.operator(),
                json={"admitted": 0},
            )
        run = self.wait_run(lambda r: r["status"] != "awaiting_approval")
        if run["status"] != "published" or not run["in_force"]:
            raise Refused(f"admission run not published: {run['status']}")

    def wait_run(self, done: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
        for _ in range(3000):
            run = self.api.get(f"{self.base}/admission/runs/{self.run_id}", self.operator())
            if done(run):
                return run  # type: ignore[no-any-return]
            time.sleep(0.1)
        raise Refused("admission run did not move on")

    def read_result(self, p: Person) -> None:
        p.seen["admission"] = p.app.admission()

    # -- afterwards -------------------------------------------------------------------------
    def write_inputs(self, out: Path) -> None:
        """DRILL_OUT: what the run allocated, in the allocator's file formats, and what every
        candidate read — so anyone can recompute the allocation and compare."""
        out.mkdir(parents=True, exist_ok=True)
        s3 = self.cloud.client("s3")
        bucket = self.cloud.refs["UploadBucket"]
        prefix = f"admission/{self.season_id}/{self.run_id}/"
        listed = s3.list_objects_v2(Bucket=bucket, Prefix=prefix).get("Contents", [])
        candidates = []
        for obj in listed:
            name = obj["Key"].removeprefix(prefix)
            body = s3.get_object(Bucket=bucket, Key=obj["Key"])["Body"].read()
            if name.startswith("candidates/"):
                candidates.append(body.decode())
            elif name in ("plans.csv", "lines.csv"):
                (out / name).write_bytes(body)
        (out / "candidates.jsonl").write_text("".join(candidates), "utf-8")
        with (out / "published.jsonl").open("w", encoding="utf-8") as f:  # the results format
            for p in sorted(self.registered(), key=lambda p: p.candidate_id):
                seen = p.seen.get("admission", {})
                if "not_in_run" in seen:
                    continue
                row = {"id": p.candidate_id, **{k: seen.get(k) for k in RESULT_FIELDS}}
                f.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")


def _jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (358, 441), (200, 210, 230)).save(out, format="JPEG")
    return out.getvalue()


PHOTO = _jpeg()
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
