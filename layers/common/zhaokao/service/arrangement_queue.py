"""The arrangement queue's consumer (R10.1, R10.5, R11.1): each message, read as its model
(a body that is not one raises), given to the step that does it — the province's
arrangement and tickets (arrangement) or a school's own exam (school_exams)."""

from __future__ import annotations

from ..messages import (
    ArrangementMessage,
    HoldSeats,
    MakeTickets,
    PapersMoved,
    PlanSchoolSeats,
    PlanSeats,
    PlanTickets,
)
from . import arrangement, school_exams


def on_message(message: ArrangementMessage) -> str:
    season_id, run_id = message.season_id, message.run_id
    match message:
        case PlanSeats():
            return arrangement.plan(season_id, run_id)
        case PlanTickets():
            return arrangement.plan_tickets(season_id, run_id)
        case MakeTickets():
            return arrangement.make_tickets(season_id, run_id, message.chunk, message.candidates)
        case PapersMoved():
            return arrangement.tell_papers_moved(season_id, message.moved, message.school)
        case PlanSchoolSeats():
            return school_exams.plan_seats(season_id, run_id, message.school)
        case HoldSeats():
            return arrangement.hold_seats(message)
