"""The season policy (R1): every rule of a season as data, validated at load.

One JSON document per season (presets in ``zhaokao/policies/``). The same code
reads both seasons; a third province is a new file. All times are Asia/Shanghai.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .errors import InvalidField, PolicyError, WindowClosed
from .windows import WINDOW_LABELS, WindowName, as_cst

if TYPE_CHECKING:
    from .sms import Message

SEASON_ID = r"^[a-z0-9]+(-[a-z0-9]+)*$"  # hunan-zsb-2024: what a season's id may be


class Strict(BaseModel):
    # defer_build: the schema is built on first use, not at import (cold start)
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Window(Strict):
    """A time window. ``start``/``end`` may be open where the seed gives only one side."""

    start: datetime | None = None
    end: datetime | None = None
    note: str | None = None

    @field_validator("start", "end")
    @classmethod
    def _cst(cls, value: datetime | None) -> datetime | None:
        return None if value is None else as_cst(value)

    @model_validator(mode="after")
    def _ordered(self) -> Window:
        if self.start and self.end and self.end <= self.start:
            raise ValueError("end must be after start")
        return self

    def contains(self, at: datetime) -> bool:
        return (self.start is None or at >= self.start) and (self.end is None or at < self.end)

    def describe(self) -> str:
        def fmt(t: datetime) -> str:
            return f"{t.year}年{t.month}月{t.day}日{t:%H:%M}"

        if self.start and self.end:
            return f"{fmt(self.start)}至{fmt(self.end)}"
        if self.start:
            return f"{fmt(self.start)}起"
        if self.end:
            return f"{fmt(self.end)}前"
        return "不限"


class Code(Strict):
    code: str = Field(min_length=1)
    name: str = Field(min_length=1)


class College(Code):
    """A source college (生源高校) — R2."""


class Major(Code):
    medical: bool = False


class County(Code):
    """A county-level unit (县/市/区) with its exam centre — R3.4, R6.2, R10.2."""

    neighbours: list[str] = []


class ReferenceData(Strict):
    colleges: list[College] = []
    majors: list[Major] = []
    counties: list[County] = []

    @model_validator(mode="after")
    def _unique_codes(self) -> ReferenceData:
        for name in ("colleges", "majors", "counties"):
            codes = [c.code for c in getattr(self, name)]
            if len(codes) != len(set(codes)):
                raise ValueError(f"{name}: duplicate code")
        return self


# R4.1: the profile's optional fields; a season asks for those it declares (profile_fields)
ProfileField = Literal[
    "education",
    "fresh_graduate",
    "merit_third_class",
    "medical_major",
    "medical_graduate",
    "medical_certificate",
    "lost_diploma",
    "hmt_or_foreign",
    "ethnicity",
    "current_student",
    "out_of_province_household",
    "accessible_room",
]


class Document(Strict):
    """A document a category requires (R4.2)."""

    code: str
    name: str
    required: bool = True
    when: str | None = None  # a condition in words, e.g. "荣立三等功及以上"
    content_types: list[str] = ["image/jpeg", "image/png", "application/pdf"]
    max_bytes: int = Field(default=5 * 1024 * 1024, gt=0)
    # seed 004: 现场审核通过后，考生…上传相关资料…的原件照片 — its slot opens once seen on site
    after_on_site: bool = False
    form: list[str] = []  # a blank form to print and have signed: its rows (e.g. 审批表)


class Step(Strict):
    """A step of a category's chain that the reviewing unit records with who and when
    (seed 004: 招生学校签署意见、县（市、区）教育考试中心审核、报宁夏教育考试院备案)."""

    code: str
    name: str
    before_decision: bool = True  # the unit approves only once it is recorded


class Category(Strict):
    """A registration category or plan type (计划类别 / 报考类别)."""

    code: str
    name: str
    exemption: bool = False  # 免试
    provincial_review: bool = False  # R6.1: also reviewed by the provincial unit
    fee_collected: bool = True
    documents: list[Document] = []
    # R6.1: refused alone, the candidate keeps this category (seed 000: 可填报普通计划)
    refused_keeps: str | None = None
    levels: list[str] = []  # the levels this category may apply for (empty: any)
    steps: list[Step] = []  # after the on-site look (``seen``), the chain's recorded steps
    # seed 000: 省外户籍生源考生以高职（专科）院校审核确认名单为准 — a profile flag that keeps
    # the provincial unit out, the home unit's review final
    provincial_review_unless: ProfileField | None = None
    unit_publishes: bool = False  # the home unit publishes its list (seed 000: 对审核名单进行公示)


class Photo(Strict):
    """R4.1: the standard photo (标准电子证照)."""

    source: Literal["candidate", "roster"] = "candidate"  # Hunan: the college imports it (R2)

    content_types: list[str] = ["image/jpeg"]
    max_bytes: int = Field(gt=0)
    min_width: int = Field(gt=0)
    min_height: int = Field(gt=0)
    max_width: int = Field(gt=0)
    max_height: int = Field(gt=0)


class Fees(Strict):
    """R9: amounts in yuan."""

    standard: int = Field(ge=0)
    exemption_approved: int | None = None
    exemption_rejected: int | None = None
    not_collected_for: list[str] = []
    refundable: bool = False
    withdraw_unpaid_at_deadline: bool = False
    after_approval: bool = False  # only a candidate review approved pays (R9.2)
    exemption_paid_apart: bool = False  # exemption applicants pay in exemption_payment
    payee: str | None = None  # who is paid, named on the receipt


class SendBack(Strict):
    """R6.2: a file sent back (退回修改) is corrected and resubmitted within
    ``correct_hours`` of the send-back, and the unit that sent it back reviews it within
    ``review_hours`` after that — whatever the season's windows say by then (a late
    provincial send-back must still be correctable)."""

    correct_hours: int = Field(gt=0, le=720)
    review_hours: int = Field(gt=0, le=720)


# R5: the automatic checks a season can apply, each implemented in domain/eligibility.RULES
RuleKind = Literal[
    "fresh_graduate",
    "roster_flag",
    "exam_ban",
    "previous_season",
    "level_education",
    "medical",
    "min_age",
    "lost_diploma",
    "exemption_on_site",
    "bonus_on_site",
    "claims_hold",
    "not_current_student",
]


class EligibilityRule(Strict):
    """One automatic check (R5). ``params`` carry the rule's figures."""

    id: str
    kind: RuleKind  # the rule as implemented (domain/eligibility.RULES); the id names its use
    requirement: str  # the SPEC id, e.g. "R5.1"
    description: str
    outcome_on_fail: Literal["fail", "on_site"] = "fail"
    params: dict[str, Any] = {}


# R8.1, R8.2: the rules a chosen major can be held to (domain/preferences.MAJOR_RULES)
MajorRule = Literal["same_or_close", "medical_exact", "medical_prerequisite"]


class PreferenceRules(Strict):
    """R8."""

    plan_type_choice: bool = False  # R8.1: the candidate chooses among the plan types
    plan_types: list[str] = []  # R8.1: the categories that are plan types (计划类别)
    ordinary_plan_includes: list[str] = []  # categories whose plan is the ordinary one
    level: str | None = None  # every plan's level when the season has none to choose (Hunan)
    subject_category_levels: list[str] = []  # R8.2: levels that choose a subject category
    schools: int = Field(ge=1)
    majors_per_school: int = Field(ge=1)
    major_rules: list[MajorRule] = []  # what each chosen major must satisfy
    medical_exceptions: list[tuple[str, str]] = []
    non_medical_forbidden_category: str | None = None
    confirm_locks: bool = False
    changes_until_deadline: bool = True


class Subject(Strict):
    code: str
    name: str


class SubjectGroup(Strict):
    """R10.1: the subjects of one level (and subject category)."""

    level: str
    category: str | None = None
    covers: str | None = None
    subjects: list[str]


class Session(Strict):
    subject: str
    start: datetime
    end: datetime

    @field_validator("start", "end")
    @classmethod
    def _cst(cls, value: datetime) -> datetime:
        return as_cst(value)


class SchoolPaper(Session):
    """R10.4: one paper of a school's own exam, as the school enters it."""

    subject: str = Field(pattern=r"^[A-Za-z0-9_]{1,20}$")  # the code its scores name
    name: str = Field(min_length=1, max_length=30)
    full_marks: int = Field(gt=0, le=1000)


class SchoolExam(Strict):
    """R10.4 (seed 000 L86 "按照报考学校要求"): where and when a school examines its own
    applicants — its papers, its place and its rooms (seats per room)."""

    place: str = Field(min_length=1, max_length=60)
    address: str = Field(min_length=1, max_length=100)
    rooms: list[Annotated[int, Field(gt=0, le=100)]] = Field(min_length=1, max_length=500)
    papers: list[SchoolPaper] = Field(min_length=1, max_length=10)

    @model_validator(mode="after")
    def _papers(self) -> SchoolExam:
        """A domain error, not a ValueError: pydantic lets it through, naming the field."""
        for i, paper in enumerate(self.papers):
            if paper.end <= paper.start:
                raise InvalidField("结束时间须晚于开始时间", f"papers[{i}].end")
            if any(p.subject == paper.subject for p in self.papers[:i]):
                raise InvalidField("同一科目只能有一个考试时间", f"papers[{i}].subject")
        return self


class Exam(Strict):
    set_by_schools: bool = False  # R10.4: each school sets its own exam (Hunan)
    schools: dict[str, SchoolExam] = {}  # school code -> its exam, as the school entered it
    full_marks: int | None = Field(default=None, gt=0)
    note: str | None = None
    minutes_by_level: dict[str, int] = {}
    subjects: list[Subject] = []
    groups: list[SubjectGroup] = []
    timetable: list[Session] = []
    timetable_note: str | None = None
    instructions: list[str] = []  # 考生须知, printed on the admission ticket (R10.3)


class ExamSites(Strict):
    """R10.2."""

    min_registrants_per_county: int = Field(ge=0)
    room_seats: int = Field(gt=0)


class Derivable(Strict):
    """What the record itself shows about a claim (R5.3: checked, not trusted)."""

    born_by: date | None = None  # the ID number's birth date on or before
    ethnic_minority: bool = False  # the profile's 民族 is not 汉族


class Bonus(Strict):
    code: str
    name: str
    points: int = Field(gt=0)
    holds_if: Derivable | None = None  # a claim the record can confirm, or refute


class BonusRules(Strict):
    """R12.1: only the highest applies."""

    combine: Literal["max"] = "max"
    items: list[Bonus] = []


class Exemption(Strict):
    code: str
    name: str


class PublicNotice(Strict):
    """R7.1."""

    working_days: int = Field(gt=0)
    keep_months: int = Field(gt=0)
    name_masking: Literal["none", "given_name"] = "given_name"
    complaint_unit: str  # R7.2: who takes complaints (受理举报的单位)
    complaint_note: str | None = None


class Contact(Strict):
    name: str = Field(min_length=1)  # e.g. 宁夏教育考试院官网
    value: str = Field(min_length=1)  # an address, a telephone number


class Guide(Strict):
    """What a candidate reads before registering: 报考须知 and the 诚信承诺书 they accept
    (recorded with the time), and where to ask (the seeds' words). The season's 通知公告 are
    its windows, each with the notice's own words, and those announced later."""

    terms: list[str] = Field(min_length=1)  # 报考须知, one paragraph each
    pledge: list[str] = Field(min_length=1)  # 诚信承诺书
    contacts: list[Contact] = []


class Admission(Strict):
    """R13."""

    mode: Literal["sequential_preferences", "per_major_by_score"]
    rounds: int = Field(ge=1)
    # After total + bonus and the raw total, ties go by these subjects in order, then by the
    # candidate's id (domain/allocation.py); a subject a candidate did not sit is skipped.
    tie_breaks: list[str] = []
    adjustment_requires_consent: bool = True  # R13.4: 调剂 only for who consented
    supplementary_round: bool = False  # R13.3: 征集志愿 for the seats left in special plans
    # R13.1: a proposed line is the score at which the eligible reach this many times the
    # seats of their level and category — a suggestion for the operators, never applied
    line_ratio: float = Field(default=1.2, ge=1.0, le=5.0)
    note: str | None = None

    @property
    def asks_consent(self) -> bool:
        """R13.4: a season that adjusts only who consented asks each candidate (服从调剂)."""
        return self.adjustment_requires_consent and self.mode == "sequential_preferences"


class SmsTemplate(Strict):
    """A template the SMS gateway approved (R17.5): its code and its text with ${params}."""

    code: str = Field(min_length=1)
    text: str = Field(min_length=1, max_length=300)


class CodeLimits(Strict):
    """R17.4: codes beyond each phone's own limits (R3.3). One client address asks
    ``client_free`` codes an hour freely, then each needs a 图形验证码, and at most
    ``client_max``; the season sends at most ``hourly_budget`` an hour, and the operators
    hear of it when ``warn_share`` of that is spent."""

    client_free: int = Field(ge=1)
    client_max: int = Field(ge=1)
    hourly_budget: int = Field(ge=1)
    warn_share: float = Field(gt=0, lt=1)

    @model_validator(mode="after")
    def _ordered(self) -> CodeLimits:
        if self.client_max < self.client_free:
            raise ValueError("client_max: must not be below client_free")
        return self


class Sms(Strict):
    """R16.2, R17.5: the authority's registered signature (签名) and one approved template
    per kind of message (``domain/sms.PARAMS``), each naming exactly that kind's parameters."""

    signature: str = Field(min_length=2, max_length=12)
    templates: dict[str, SmsTemplate]
    limits: CodeLimits

    @model_validator(mode="after")
    def _every_kind(self) -> Sms:
        from .sms import PARAMS, placeholders

        for kind, params in PARAMS.items():
            template = self.templates.get(kind)
            if template is None:
                raise ValueError(f"templates.{kind}: missing")
            if placeholders(template.text) != set(params):
                raise ValueError(f"templates.{kind}: the text must name exactly {list(params)}")
        unknown = set(self.templates) - set(PARAMS)
        if unknown:
            raise ValueError(f"templates: unknown kinds {sorted(unknown)}")
        return self


class Level(Code):
    """R8.2: 高起本 / 高起专 / 专升本."""

    requires: str  # the education a candidate must hold


class Policy(Strict):
    """A season: everything the platform needs to run it (R1.1)."""

    season_id: str = Field(pattern=SEASON_ID, max_length=64)
    name: str
    province: str
    year: int = Field(ge=2000, le=2100)
    sources: list[str] = []
    roster_required: bool  # R3.1: name and ID must match an imported roster row
    registration_unit: Literal["college", "county"]  # who owns the candidate (R3.4, R6)
    registration_form: str = "报名信息表"  # what the printed registration is called
    windows: dict[WindowName, Window]
    reference: ReferenceData = ReferenceData()
    levels: list[Level] = []
    subject_categories: list[Code] = []
    categories: list[Category]
    profile_fields: list[ProfileField] = []
    photo: Photo
    common_documents: list[Document] = []
    fees: Fees
    eligibility: list[EligibilityRule]
    send_back: SendBack
    preferences: PreferenceRules
    exam: Exam
    exam_sites: ExamSites | None = None
    bonus: BonusRules = BonusRules()
    exemptions: list[Exemption] = []
    public_notice: PublicNotice
    admission: Admission
    sms: Sms
    guide: Guide

    @model_validator(mode="after")
    def _consistent(self) -> Policy:
        codes = {c.code for c in self.categories}
        for code in self.fees.not_collected_for:
            if code not in codes:
                raise ValueError(f"fees.not_collected_for: unknown category {code!r}")
        for category in self.categories:
            if category.refused_keeps is not None and category.refused_keeps not in codes:
                raise ValueError(f"categories.{category.code}.refused_keeps: unknown category")
        if not self.levels and not self.preferences.level:
            raise ValueError("preferences.level: a season without levels names its plans' level")
        subjects = {s.code for s in self.exam.subjects}
        for code in self.admission.tie_breaks:
            if code not in subjects:
                raise ValueError(f"admission.tie_breaks: unknown subject {code!r}")
        if self.roster_required and not self.reference.colleges:
            raise ValueError("reference.colleges: a roster season needs its colleges")
        return self

    # R1.3 ------------------------------------------------------------------
    def require_window(self, name: WindowName, at: datetime) -> None:
        """Raise WindowClosed naming the window unless ``at`` lies inside it."""
        label = WINDOW_LABELS[name]
        window = self.windows.get(name)
        if window is None:
            raise WindowClosed(f"{label}时间尚未公布")
        if not window.contains(as_cst(at)):
            raise WindowClosed(f"不在{label}时间内（{label}时间：{window.describe()}）")

    def phase(self, at: datetime) -> list[WindowName]:
        """The windows open at ``at`` (a season may have several open at once)."""
        at = as_cst(at)
        return [name for name, w in self.windows.items() if w.contains(at)]

    def message(self, kind: str, **params: object) -> Message:
        """A text message of this season (R16.2): its signature, template and parameters."""
        from .sms import compose

        template = self.sms.templates[kind]
        return compose(self.sms.signature, template.code, template.text, kind, **params)

    def home_units(self) -> list[College] | list[County]:
        """R3.4, R6: the units that own candidates — the colleges or the counties."""
        if self.registration_unit == "college":
            return self.reference.colleges
        return self.reference.counties

    def college(self, code: str) -> College | None:
        return next((c for c in self.reference.colleges if c.code == code), None)

    def major(self, code: str) -> Major | None:
        return next((m for m in self.reference.majors if m.code == code), None)

    def shifted(self, season_id: str, years: int) -> Policy:
        """Next year's season (R1): every date moved by ``years``, the rules unchanged."""
        data = self.model_dump(mode="json")
        data["season_id"], data["year"] = season_id, self.year + years
        data["name"] = self.name.replace(str(self.year), str(self.year + years))
        for rule in data["eligibility"]:
            if "previous_season" in rule["params"]:  # R5.2: the new season's previous is this one
                rule["params"]["previous_season"] = self.season_id
        return load_policy(_shift_dates(data, years))


def _shift_dates(node: Any, years: int) -> Any:
    if isinstance(node, dict):
        return {k: _shift_dates(v, years) for k, v in node.items()}
    if isinstance(node, list):
        return [_shift_dates(v, years) for v in node]
    if isinstance(node, str) and len(node) >= 10 and node[4] == "-" and node[7] == "-":
        try:
            parsed = datetime.fromisoformat(node)
        except ValueError:
            return node
        moved = _add_years(parsed, years)
        return moved.isoformat() if "T" in node else moved.date().isoformat()
    return node


def _add_years(value: datetime, years: int) -> datetime:
    try:
        return value.replace(year=value.year + years)
    except ValueError:  # 29 February
        return value.replace(year=value.year + years, day=28)


def load_policy(data: dict[str, Any] | str | bytes) -> Policy:
    """Validate a policy document; a failure names the field path and the reason (R1.1)."""
    try:
        if isinstance(data, str | bytes):
            return Policy.model_validate_json(data)
        return Policy.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            path = ".".join(str(p) for p in err["loc"]) or "(document)"
            problems.append(f"{path}: {err['msg']}")
        raise PolicyError("invalid season policy — " + "; ".join(problems)) from None
    except json.JSONDecodeError as exc:  # pragma: no cover - model_validate_json wraps it
        raise PolicyError(f"invalid season policy — not JSON: {exc}") from None
