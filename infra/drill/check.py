"""The drill's final check: what every candidate's end state must be, worked out from the
rules as the seeds and SPEC state them — not from the code that made the states — and
compared with what each candidate reads through the API.

registered → reviewed (refused, or approved — after a correction when sent back) → paid
or withdrawn (R9.2) → seated once, with a 15-digit 准考证号 (R10.1) → the scores imported,
a 复核's change shown (R11) → admitted where R13.2's sequential preferences put them, or
not and why: below the line, absent, or outside the run."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from .people import Person
from .walk import WORKERS, Drill


@dataclass
class Verdict:
    checked: int = 0
    wrong: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)


def expected_admission(drill: Drill, rounds: int) -> dict[str, tuple[str, str, int]]:
    """R13.2, read plainly: in round k each school takes, highest score first, the eligible
    candidates whose k-th choice it is and who are not yet admitted, each into the first of
    their majors with a seat left. Eligible: approved, paid, sat, total at or above the line
    of their level and category. Equal totals are ordered by the policy's tie-break papers,
    then by candidate id (docs/allocation-files.md)."""
    seats = Counter(drill.plan.seats())
    eligible = [
        p
        for p in drill.people
        if p.scores
        and p.seen.get("final_status") == "approved"
        and sum(p.scores.values()) >= drill.lines[(drill.plan.level, p.category)]
    ]
    tie_breaks = drill.plan.tie_breaks
    eligible.sort(  # equal on every tie-break: the candidate id, ascending (the files' rule)
        key=lambda p: (
            -sum(p.scores.values()),
            *(-p.scores.get(s, 0) for s in tie_breaks),
            p.candidate_id,
        )
    )
    placed: dict[str, tuple[str, str, int]] = {}
    for k in range(rounds):
        for p in eligible:
            if p.candidate_id in placed or k >= len(p.choices):
                continue
            school, majors = p.choices[k]
            major = next((m for m in majors if seats[(p.category, school, m)] > 0), None)
            if major is not None:
                seats[(p.category, school, major)] -= 1
                placed[p.candidate_id] = (school, major, k + 1)
    return placed


def check(drill: Drill) -> Verdict:
    verdict = Verdict()

    def read(p: Person) -> None:  # the final states, read afresh
        p.seen["final_status"] = p.app.me()["status"]
        p.seen["payment"] = p.app.payment()["status"]
        timeline = p.app.timeline()
        p.seen["paid_steps"] = sum(1 for s in timeline if s["action"] == "payment:paid")
        p.seen["timeline"] = [s["action"] for s in timeline]

    with ThreadPoolExecutor(WORKERS) as pool:  # as many clients as the walk's
        list(pool.map(read, drill.registered()))
    admitted = expected_admission(drill, drill.plan.rounds)
    numbers = Counter(p.exam_number for p in drill.people if p.exam_number)
    for p in drill.people:
        verdict.checked += 1
        for problem in _problems(drill, p, admitted, numbers):
            verdict.wrong.append(f"{p.candidate_id or p.phone}: {problem}")
    verdict.lost += lost_after_drain(drill)
    return verdict


def _problems(
    drill: Drill, p: Person, admitted: dict[str, tuple[str, str, int]], numbers: Counter[str]
) -> list[str]:
    if not p.token:
        return ["never registered"]
    status, out = p.seen["final_status"], []
    approved = p.review != "reject"
    want_status = "rejected" if not approved else "approved" if p.pays else "withdrawn"
    if status != want_status:
        out.append(f"status {status}, the rules say {want_status}")
    paid = approved and p.pays
    if (p.seen["payment"] == "PAID") != paid or p.seen["paid_steps"] != int(paid):
        out.append(
            f"payment {p.seen['payment']} applied {p.seen['paid_steps']} times; paid: {paid}"
        )
    if paid != bool(p.exam_number):
        out.append(f"seat {p.exam_number or 'none'}; should sit: {paid}")
    if p.exam_number and (
        len(p.exam_number) != 15
        or numbers[p.exam_number] != 1
        or not drill.plan.number_ok(p)
        or not p.seen.get("ticket")
    ):
        out.append(f"准考证号 {p.exam_number} (ticket printed: {p.seen.get('ticket', False)})")
    if p.exam_number:
        out += _scores(p)
    result = p.seen.get("admission", {})
    if not paid:
        if "not_in_run" not in result:
            out.append(f"outside the run, but read {result}")
        return out
    want = admitted.get(p.candidate_id)
    got = (
        (result.get("school"), result.get("major"), result.get("round"))
        if result.get("admitted")
        else None
    )
    if got != want:
        steps = p.seen["timeline"]
        out.append(f"admission {got}, the rules say {want} ({result.get('reason')}; {steps})")
    if not result.get("admitted") and not result.get("reason"):
        out.append("not admitted, and not told why")
    return out


def _scores(p: Person) -> list[str]:
    seen = p.seen.get("scores") or {}
    shown = {s["subject"]: (s["score"], s["absent"]) for s in seen.get("subjects", [])}
    want = {s: (v, False) for s, v in p.scores.items()} if p.scores else None
    if want is not None and shown != want:
        return [f"scores {shown}, imported {want}"]
    if p.absent and not all(absent for _, absent in shown.values()):
        return [f"absent, but scores {shown}"]
    return []


def _lost(drill: Drill) -> list[str]:
    """Nothing waits in a queue or a DLQ; the provider's every success is applied once."""
    sqs, lost = drill.cloud.client("sqs"), []
    for url in sqs.list_queues().get("QueueUrls", []):
        a = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        waiting = int(a["ApproximateNumberOfMessages"]) + int(
            a["ApproximateNumberOfMessagesNotVisible"]
        )
        if waiting:
            lost.append(f"{url.rsplit('/', 1)[1]}: {waiting} messages")
    succeeded = sum(1 for o in drill.cloud.payments.orders.values() if o.state == "SUCCESS")
    applied = sum(1 for p in drill.people if p.seen.get("payment") == "PAID")
    if succeeded != applied:
        lost.append(f"payments: {succeeded} succeeded at the provider, {applied} applied")
    return lost


def lost_after_drain(drill: Drill, seconds: float = 30) -> list[str]:
    """Queues drain as their workers finish: wait, then say what is left."""
    import time

    deadline = time.monotonic() + seconds
    while True:
        lost = _lost(drill)
        if not lost or time.monotonic() > deadline:
            return lost
        time.sleep(0.5)
