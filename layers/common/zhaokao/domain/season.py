"""A season as the platform runs it: its policy and its clock (R1)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Literal, NamedTuple

from .candidate import SentBack
from .errors import WindowClosed
from .profile import ETHNIC_GROUPS
from .windows import CST, WINDOW_LABELS, WindowName

if TYPE_CHECKING:
    from .policy import Policy


class Season(NamedTuple):
    policy: Policy
    clock_offset: float | None = None  # seconds; set only where pinning is allowed
    version: int = 1

    @property
    def season_id(self) -> str:
        return self.policy.season_id

    def now(self, real_now: datetime | None = None) -> datetime:
        """The season's time: real time, or real time moved to a pinned instant (local cloud)."""
        now = (real_now or datetime.now(CST)).astimezone(CST)
        return now + timedelta(seconds=self.clock_offset) if self.clock_offset else now

    def require_window(self, name: WindowName, real_now: datetime | None = None) -> datetime:
        """R1.3: the season's now, after checking the action's window is open."""
        now = self.now(real_now)
        self.policy.require_window(name, now)
        return now

    def require_editing(
        self, status: str, returned: SentBack | None, real_now: datetime | None = None
    ) -> datetime:
        """R4.1/R6.2: a file is edited inside the profile window; one sent back is also
        corrected inside its own correction period (``returned``, set by the send-back)."""
        try:
            return self.require_window(WindowName.profile, real_now)
        except WindowClosed:
            now = self.now(real_now)
            if status != "returned" or not _before(returned, "correct_until", now):
                raise
            return now

    def require_deciding(
        self, window: WindowName, returned: SentBack | None, real_now: datetime | None = None
    ) -> datetime:
        """R6: a unit decides inside its review window; the unit that sent a file back also
        reviews the resubmission inside the period the send-back gave it."""
        try:
            return self.require_window(window, real_now)
        except WindowClosed:
            now = self.now(real_now)
            if not _before(returned, "review_until", now):
                raise
            return now

    def summary(self, real_now: datetime | None = None) -> dict[str, object]:
        """What GET /v1/seasons/{id} shows: the policy in brief, windows, the phase now."""
        p, now = self.policy, self.now(real_now)
        return {
            "season_id": p.season_id,
            "name": p.name,
            "province": p.province,
            "year": p.year,
            "roster_required": p.roster_required,
            "registration_unit": p.registration_unit,
            "registration_form": p.registration_form,
            "now": now.isoformat(timespec="seconds"),
            "clock_pinned": bool(self.clock_offset),
            "open_windows": [str(w) for w in p.phase(now)],
            "windows": [
                {
                    "name": str(name),
                    "label": WINDOW_LABELS[name],
                    "start": w.start.isoformat() if w.start else None,
                    "end": w.end.isoformat() if w.end else None,
                    "text": w.describe(),
                    "note": w.note,
                    "open": w.contains(now),
                }
                for name, w in p.windows.items()
            ],
            "categories": [
                {"code": c.code, "name": c.name, "exemption": c.exemption} for c in p.categories
            ],
            "bonus": [{"code": b.code, "name": b.name, "points": b.points} for b in p.bonus.items],
            "photo": p.photo.model_dump(),
            "levels": [{"code": lv.code, "name": lv.name} for lv in p.levels],
            "fees": p.fees.model_dump(),
            "texts": _texts(p),
            "subject_categories": [{"code": c.code, "name": c.name} for c in p.subject_categories],
            "preferences": p.preferences.model_dump(
                include={"plan_type_choice", "schools", "majors_per_school", "confirm_locks"}
            )
            | {
                "asks_adjustment": p.admission.asks_consent,
                "supplementary_round": p.admission.supplementary_round,
                "same_or_close": "same_or_close" in p.preferences.major_rules,
            },
            "colleges": [{"code": c.code, "name": c.name} for c in p.reference.colleges],
            "majors": [{"code": m.code, "name": m.name} for m in p.reference.majors],
            "counties": [{"code": c.code, "name": c.name} for c in p.reference.counties],
            "ethnic_groups": list(ETHNIC_GROUPS),
            "profile_fields": list(p.profile_fields),
            "guide": p.guide.model_dump(),
        }


Until = Literal["correct_until", "review_until"]


def _before(returned: SentBack | None, key: Until, now: datetime) -> bool:
    return bool(returned and now < datetime.fromisoformat(returned[key]))


def _texts(policy: Policy) -> dict[str, str]:
    from .labels import season_texts  # here: most cold starts never show a season

    return season_texts(policy)
