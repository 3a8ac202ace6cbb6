"""A candidate (考生) of one season as the domain reads it: every part of the record typed, and
validated when storage reads it, so a malformed item fails where it is read, not deep in a
rule. Storage alone knows how it is kept (storage/candidates.py)."""

from __future__ import annotations

from datetime import datetime
from typing import NotRequired

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, with_config
from typing_extensions import TypedDict  # on 3.11 pydantic validates only this TypedDict

# A key nobody wrote is a fault, not data to drop; validators are built on first use, not
# at import (a cold start pays only for what a request reads)
Strict = ConfigDict(extra="forbid", defer_build=True)


@with_config(Strict)
class Address(TypedDict):
    """录取通知书邮寄地址 (R4.1): its phone kept as the other phones are (R17.2)."""

    recipient: str
    phone: str  # masked once stored
    phone_cipher: NotRequired[str]  # absent only in a profile not yet stored
    province: str
    city: str
    address: str
    postcode: str


@with_config(Strict)
class Competition(TypedDict):
    """竞赛获奖信息 (R4.2, Hunan)."""

    event: str
    item: str
    award_level: str
    award_date: str


@with_config(Strict)
class Profile(TypedDict, total=False):
    """信息完善 (R4.1, R4.2): what the candidate filled in; the season asks for some of it."""

    native_place: str
    mailing_address: Address
    category: str
    level: str | None
    education: str | None
    lost_diploma: bool
    medical_certificate: bool
    bonus_claims: list[str]
    competition: Competition | None
    fresh_graduate: bool
    merit_third_class: bool
    medical_major: bool
    medical_graduate: bool
    hmt_or_foreign: bool
    ethnicity: str | None
    current_student: bool
    out_of_province_household: bool
    accessible_room: bool


@with_config(Strict)
class Inspected(TypedDict):
    """R4.2: the inspection of a document's last upload (domain/documents.Inspection)."""

    status: str  # accepted | rejected
    reason: str
    content_type: str | None
    bytes: int
    width: int | None
    height: int | None
    uploaded_at: str
    upload: str  # which upload this is the inspection of
    key: NotRequired[str]  # the clean copy kept, when accepted


@with_config(Strict)
class CheckResult(TypedDict):
    """R5.4: one automatic check (domain/eligibility.Check) with its rule's description."""

    rule: str
    requirement: str
    outcome: str
    reason: str
    description: str


@with_config(Strict)
class Approvals(TypedDict, total=False):
    """R7/R12: the category (an exemption or not) and the bonus as review approved them."""

    category: str
    category_name: str
    exemption: bool
    bonus: str | None
    bonus_name: str | None
    bonus_points: int
    revoked: bool  # a complaint upheld (R7.2)
    refused_category: str  # the category a unit refused alone (R6.1)


@with_config(Strict)
class SentBack(TypedDict):
    """R6.2: the last send-back: until when to correct, until when to review, who passed."""

    by: str
    at: str
    correct_until: str
    review_until: str
    passed: str  # the units that passed the file, comma-separated


@with_config(Strict)
class ViolationRecord(TypedDict):
    """诚信: a violation as the record keeps it and the candidate reads it."""

    kind: str
    label: str
    decision_no: str
    description: str
    ban_until: str | None
    cancels_qualification: bool
    voids_scores: bool
    recorded_at: str
    recorded_by: str


@with_config(Strict)
class Integrity(TypedDict):
    violations: list[ViolationRecord]
    scores_void: bool  # R11: the scores read as void
    cancelled: bool  # R12: admission leaves the candidate out


@with_config(Strict)
class StepDone(TypedDict):
    """现场审核 and a category's chain: one step, who recorded it and when."""

    name: str
    by: str
    at: str


@with_config(Strict)
class ExamSeat(TypedDict):
    """R10.1: the seat held (domain/arrangement.Seat without the candidate)."""

    county: str
    site: str
    room: int
    seat: int
    group: str


@with_config(Strict)
class ScoreReview(TypedDict, total=False):
    """成绩复核 of one subject: the request, then its outcome."""

    state: str  # open | changed | unchanged
    requested_at: str
    score_before: int | None
    score_after: int | None
    note: str
    decided_by: str
    decided_at: str


@with_config(Strict)
class SchoolChoice(TypedDict):
    school: str
    majors: list[str]


@with_config(Strict)
class SupplementaryChoice(TypedDict):
    """征集志愿 (Hunan): the one choice filed in the supplementary window."""

    school: str
    major: str
    plan_type: str
    filed_at: str


@with_config(Strict)
class Choice(TypedDict, total=False):
    """R8: the choice that counts (the last saved)."""

    level: str | None
    subject_category: str | None
    plan_type: str | None
    schools: list[SchoolChoice]
    adjust: bool
    supplementary: SupplementaryChoice


PROFILE = TypeAdapter(Profile)

Scores = dict[str, int | None]  # R11: subject -> score, None when 缺考


class Candidate(BaseModel):
    """A candidate of one season: who, where in the lifecycle, and each part of the file.
    ``version`` is the record's as read: every change is conditional on it (R16.1)."""

    model_config = Strict

    candidate_id: str
    season_id: str
    unit_key: str
    name: str
    id_hash: str
    id_cipher: str
    id_masked: str
    phone_hash: str
    phone_cipher: str
    phone_masked: str
    college_code: str | None = None
    major_code: str | None = None
    county_code: str | None = None
    residence_permit: bool = False
    status: str
    profile: Profile = Field(default_factory=lambda: Profile())
    documents: dict[str, Inspected] = Field(default_factory=dict)
    checks: list[CheckResult] = Field(default_factory=list)
    approvals: Approvals | None = None
    returned: SentBack | None = None
    integrity: Integrity | None = None
    on_site_steps: dict[str, StepDone] = Field(default_factory=dict)
    exam_number: str | None = None
    exam_seat: ExamSeat | None = None
    scores: Scores = Field(default_factory=dict)
    score_reviews: dict[str, ScoreReview] = Field(default_factory=dict)
    preferences: Choice = Field(default_factory=lambda: Choice())
    preferences_no: int = 0
    preferences_confirmed: bool = False
    registered_at: datetime
    pledged_at: datetime | None = None
    password_hash: str | None = None
    not_before: int = 0
    version: int

    @property
    def category(self) -> str:
        """The category the candidate applied in (ordinary unless they chose one)."""
        return self.profile.get("category", "ordinary")

    @property
    def unit(self) -> str:
        """The unit the candidate registered with (a college or a county)."""
        return self.unit_key.split("#", 1)[1]


class Changes(TypedDict, total=False):
    """The parts of a file a change may set beside its status; the status and the version
    change only through the lifecycle (storage/lifecycle.change, R16.1)."""

    profile: Profile
    documents: dict[str, Inspected]
    checks: list[CheckResult]
    approvals: Approvals
    returned: SentBack
    integrity: Integrity
    on_site_steps: dict[str, StepDone]
    scores: Scores
    score_reviews: dict[str, ScoreReview]
    preferences: Choice
    preferences_no: int
    preferences_confirmed: bool
    phone_hash: str
    phone_cipher: str
    phone_masked: str
