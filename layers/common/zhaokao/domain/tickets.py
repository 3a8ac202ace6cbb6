"""准考证 (R10.3): what a ticket lists, and the token its QR code carries — signed, so that
an invigilator's phone tells a real ticket from a forged, altered or another season's."""

from __future__ import annotations

import base64
import json
from typing import TYPE_CHECKING, Any

from .credentials import same_secret
from .errors import InvalidField

if TYPE_CHECKING:
    from collections.abc import Callable

    from .policy import Policy, Session


def papers(policy: Policy, group: str) -> list[tuple[str, str]]:
    """Each subject of the candidate's group (``level`` or ``level-category``) and when it
    is sat; where the policy has no timetable yet, it says so (seed 004: 时间表为图片)."""
    names = {s.code: s.name for s in policy.exam.subjects}
    minutes = policy.exam.minutes_by_level.get(group.partition("-")[0])
    sessions = {s.subject: s for s in policy.exam.timetable}
    out = []
    for code in subjects_of(policy, group):
        session = sessions.get(code)
        if session is not None:
            sat = when(session)
        else:
            sat = "以考试院公布的时间表为准" + (f"（{minutes}分钟）" if minutes else "")
        out.append((names.get(code, code), sat))
    return out


def subjects_of(policy: Policy, group: str) -> list[str]:
    """The subject codes a group (``level`` or ``level-category``) sits."""
    level, _, category = group.partition("-")
    found = [g for g in policy.exam.groups if g.level == level and (g.category or "") == category]
    return list(found[0].subjects) if found else []


def when(session: Session) -> str:
    """A paper's time as a ticket and an SMS say it: 10月21日 09:00—11:30."""
    return f"{session.start:%m月%d日 %H:%M}—{session.end:%H:%M}"


def changed_papers(before: list[Session], after: list[Session]) -> dict[str, str]:
    """R10.5: the papers whose time moved (a paper first given its time is no change): the
    subject and what the candidate is told."""
    old = {s.subject: s for s in before}
    return {
        s.subject: when(s)
        for s in after
        if s.subject in old and (old[s.subject].start, old[s.subject].end) != (s.start, s.end)
    }


def token(season_id: str, exam_number: str, candidate_id: str, sign: Callable[[str], str]) -> str:
    """The QR code's text: the ticket's identity and its signature (an HMAC of ours)."""
    body = (
        base64.urlsafe_b64encode(
            json.dumps(
                {"s": season_id, "n": exam_number, "c": candidate_id}, separators=(",", ":")
            ).encode()
        )
        .decode()
        .rstrip("=")
    )
    return f"ZK1.{body}.{sign(body)[:32]}"


def qr_text(ticket_token: str, web_url: str) -> str:
    """What the QR code holds: a link to the verification page with the token after '#'
    (never sent to a server by the browser), or the bare token without a web address."""
    return f"{web_url.rstrip('/')}/verify.html#{ticket_token}" if web_url else ticket_token


def _token_of(text: str) -> str:
    """The token in a QR code's text: the link's fragment, or the text itself."""
    return text.strip().rpartition("#")[2]


def read_token(text: str, season_id: str, sign: Callable[[str], str]) -> dict[str, Any]:
    """The ticket a token names; refused when forged, altered or of another season."""
    parts = _token_of(text).split(".")
    if len(parts) != 3 or parts[0] != "ZK1":
        raise InvalidField("不是本平台的准考证二维码", "token", code="bad_token")
    _, body, signature = parts
    if not same_secret(signature, sign(body)[:32]):
        raise InvalidField("二维码无效：签名不符（伪造或被改动）", "token", code="bad_token")
    claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    if claims.get("s") != season_id:
        raise InvalidField("该准考证不属于本考试季", "token", code="other_season")
    return {"exam_number": claims["n"], "candidate_id": claims["c"]}
