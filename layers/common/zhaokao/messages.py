"""The messages between functions (SQS bodies): one pydantic model each, written by the
producer and read by the consumer, so that the two ends cannot drift apart. A message that
does not parse raises in its consumer: it is reported failed, and its queue's DLQ takes it
after the retries (R17.4)."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from urllib.parse import unquote_plus

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from .domain.payments import Paid

LAZY = ConfigDict(defer_build=True)  # validators built on a worker's first message, not at import


class Message(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


# -- ReviewRoutingQueue (R5, R6.3) ---------------------------------------------------------
class RouteSubmission(Message):
    """A submitted file to check and route, once per round (the record's version)."""

    candidate_id: str
    round: int


# -- PaymentQueue (R9.3) -------------------------------------------------------------------
class PaymentConfirmed(Message):
    """A payment the provider confirmed (a verified notification, or the settle job's query)."""

    out_trade_no: str
    transaction_id: str
    amount: int  # fen
    merchant_id: str
    success_time: str = ""

    @classmethod
    def of(cls, paid: Paid) -> PaymentConfirmed:
        return cls(**paid._asdict())

    def paid(self) -> Paid:
        return Paid(**self.model_dump())


# -- S3's ObjectCreated events (UploadQueue; RosterImportQueue) -----------------------------
class _S3Object(BaseModel):
    model_config = LAZY

    key: str  # URL-encoded, as S3 sends it


class _S3Entity(BaseModel):
    model_config = LAZY

    object: _S3Object


class _S3Record(BaseModel):
    model_config = LAZY

    s3: _S3Entity


class S3Event(BaseModel):
    """What we read of an S3 event notification: the keys that landed (s3:TestEvent has no
    records). S3 writes the rest of it; we read only this."""

    model_config = LAZY

    Records: list[_S3Record] = []

    def landed(self) -> list[str]:
        return [unquote_plus(r.s3.object.key) for r in self.Records]


S3_EVENT: TypeAdapter[S3Event] = TypeAdapter(S3Event)


# -- RosterImportQueue (R2.3); S3's ObjectCreated events come there too ---------------------
class RosterChunk(Message):
    """Rows of a college's roster file, validated and written by one worker call."""

    kind: Literal["roster_chunk"] = "roster_chunk"
    season_id: str
    import_id: str
    college: str
    chunk: int
    rows: list[tuple[int, dict[str, str]]]  # (line in the file, the row as read)
    photos: dict[str, str | None]  # photo file → None when well-formed, else why not
    repeats: dict[str, int]  # line → the earlier line with the same ID number


# -- ArrangementQueue (R10.1, R10.5, R11.1) ------------------------------------------------
class _Run(Message):
    season_id: str
    run_id: str  # "" for a notice outside any run


class PlanSeats(_Run):
    """Arrange everyone who sits, and queue their seats in chunks."""

    kind: Literal["plan"] = "plan"


class HoldSeats(_Run):
    """One chunk of a run's seats to hold (conditional writes: a seat is held once)."""

    kind: Literal["seats"] = "seats"
    chunk: int
    season_code: str  # the year's two digits in each 准考证号
    seats: list[dict[str, Any]]  # domain.arrangement.Seat fields


class PlanSchoolSeats(_Run):
    """Hunan: seat one school's applicants in its own exam."""

    kind: Literal["school-plan"] = "school-plan"
    school: str


class PlanTickets(_Run):
    """Make every seated candidate's 准考证 ahead of the window, in chunks."""

    kind: Literal["tickets-plan"] = "tickets-plan"


class MakeTickets(_Run):
    kind: Literal["tickets"] = "tickets"
    chunk: int
    candidates: list[str]


class PapersMoved(_Run):
    """R10.5: papers whose time moved; who sits them is told by SMS."""

    kind: Literal["papers-moved"] = "papers-moved"
    moved: dict[str, str]  # subject → what the candidate is told
    school: str | None = None  # Hunan: one school's exam


ArrangementMessage = Annotated[
    PlanSeats | HoldSeats | PlanSchoolSeats | PlanTickets | MakeTickets | PapersMoved,
    Field(discriminator="kind"),
]
ARRANGEMENT: TypeAdapter[ArrangementMessage] = TypeAdapter(ArrangementMessage, config=LAZY)

ROUTING: TypeAdapter[RouteSubmission] = TypeAdapter(RouteSubmission)
PAYMENT: TypeAdapter[PaymentConfirmed] = TypeAdapter(PaymentConfirmed)
ROSTER: TypeAdapter[RosterChunk | S3Event] = TypeAdapter(RosterChunk | S3Event, config=LAZY)
