"""PynamoDB models, one per table of ``template.yaml`` (a test keeps them in step)."""

from __future__ import annotations

from pynamodb.attributes import (
    BooleanAttribute,
    JSONAttribute,
    ListAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
    UTCDateTimeAttribute,
    VersionAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from ..settings import settings

_S = settings()


class _Meta:
    region = _S.region


class SeasonRecord(Model):
    """A season and its policy. All seasons share one partition so listing is a Query."""

    class Meta(_Meta):
        table_name = _S.seasons_table

    kind = UnicodeAttribute(hash_key=True, default="season")
    season_id = UnicodeAttribute(range_key=True)
    policy = UnicodeAttribute()  # the policy document, JSON
    clock_offset = NumberAttribute(null=True)  # seconds added to real time (local cloud only)
    updated_at = UTCDateTimeAttribute()
    version = VersionAttribute()


class UnitIndex(GlobalSecondaryIndex["CandidateRecord"]):
    """A unit's candidates (college in Hunan, county in Ningxia): review and lists."""

    class Meta:
        index_name = "by_unit"
        projection = AllProjection()

    unit_key = UnicodeAttribute(hash_key=True)  # "<season_id>#<unit code>"
    registered_at = UTCDateTimeAttribute(range_key=True)


class CandidateRecord(Model):
    """A candidate (考生) of one season."""

    class Meta(_Meta):
        table_name = _S.candidates_table

    candidate_id = UnicodeAttribute(hash_key=True)
    season_id = UnicodeAttribute()
    unit_key = UnicodeAttribute()
    name = UnicodeAttribute()
    id_hash = UnicodeAttribute()
    id_cipher = UnicodeAttribute()
    id_masked = UnicodeAttribute()
    phone_hash = UnicodeAttribute()
    phone_cipher = UnicodeAttribute()
    phone_masked = UnicodeAttribute()
    college_code = UnicodeAttribute(null=True)
    major_code = UnicodeAttribute(null=True)
    county_code = UnicodeAttribute(null=True)
    residence_permit = BooleanAttribute(default=False)
    status = UnicodeAttribute()
    profile = JSONAttribute(null=True)  # R4.1: what the candidate filled in
    documents = JSONAttribute(null=True)  # R4.2: code -> the inspection of its last upload
    checks = JSONAttribute(null=True)  # R5.4: the automatic checks, with reasons
    approvals = JSONAttribute(null=True)  # R7/R12: exemption and bonus as approved (privileged)
    returned = JSONAttribute(null=True)  # R6.2: the last send-back (domain/review.SendBack)
    integrity = JSONAttribute(null=True)  # 诚信: violations recorded (domain/integrity)
    on_site_steps = JSONAttribute(null=True)  # step -> who and when (domain/review.chain)
    exam_number = UnicodeAttribute(null=True)  # R10.1: the 准考证号 of the seat held
    exam_seat = JSONAttribute(null=True)  # its county, site, room, seat and group
    scores = JSONAttribute(null=True)  # R11: subject -> score, None when 缺考
    score_reviews = JSONAttribute(null=True)  # 成绩复核: subject -> request and outcome
    preferences = JSONAttribute(null=True)  # R8: the choice that counts (the last saved)
    preferences_no = NumberAttribute(default=0)  # how many times it was saved
    preferences_confirmed = BooleanAttribute(default=False)  # Ningxia: confirmed, locked
    registered_at = UTCDateTimeAttribute()
    pledged_at = UTCDateTimeAttribute(null=True)  # 报考须知 and 诚信承诺书 accepted, when
    password_hash = UnicodeAttribute(null=True)  # argon2id (domain/credentials.py)
    not_before = NumberAttribute(default=0)  # sign-ins before this (epoch ms) are revoked
    version = VersionAttribute()
    by_unit = UnitIndex()


class UniqueRecord(Model):
    """A sentinel that makes a value unique (R3.2) or an effect happen once.

    Keys: ``phone#<season>#<hmac>``, ``id#<season>#<hmac>``, ``chunk#<import>#<n>``,
    ``sat#<season>#<hmac>`` (sat the exam), ``ban#<hmac>`` (an exam ban, ``until``),
    ``seat#<season>#<exam number>`` (a seat, held by one candidate).
    """

    class Meta(_Meta):
        table_name = _S.uniques_table

    key = UnicodeAttribute(hash_key=True)
    owner = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    until = UnicodeAttribute(null=True)  # ``ban#``: the last day of the ban (ISO date)


class OtpRecord(Model):
    """The one-time code of a phone in a season (R3.3). Only its hash is kept."""

    class Meta(_Meta):
        table_name = _S.otp_table

    key = UnicodeAttribute(hash_key=True)  # "<season>#<phone hmac>"
    code_hash = UnicodeAttribute()
    sent_at = NumberAttribute()
    expires_at = NumberAttribute()
    attempts = NumberAttribute(default=0)
    consumed = BooleanAttribute(default=False)
    day = UnicodeAttribute()
    day_count = NumberAttribute(default=1)
    expires = TTLAttribute()


class CounterRecord(Model):
    """R17.4: codes sent in an hour — from one client address, or one shard of a season's
    total. Beside the codes, and dropped by the same TTL."""

    class Meta(_Meta):
        table_name = _S.otp_table

    key = UnicodeAttribute(hash_key=True)  # "client#<season>#<hour>#<address hmac>" | "budget#…"
    # stored as "count"; a name of its own, as Model.count is the query count
    sent = NumberAttribute(default=0, attr_name="count")
    expires = TTLAttribute()


class ChallengeRecord(Model):
    """R17.4: a 图形验证码 shown once; only the hash of its answer is kept."""

    class Meta(_Meta):
        table_name = _S.otp_table

    key = UnicodeAttribute(hash_key=True)  # "challenge#<id>"
    answer_hash = UnicodeAttribute()
    expires_at = NumberAttribute()
    used = BooleanAttribute(null=True)
    expires = TTLAttribute()


class RosterRecord(Model):
    """One graduate of a college's roster (R2)."""

    class Meta(_Meta):
        table_name = _S.roster_table

    season_id = UnicodeAttribute(hash_key=True)
    id_hash = UnicodeAttribute(range_key=True)
    name = UnicodeAttribute()
    id_cipher = UnicodeAttribute()
    id_masked = UnicodeAttribute()
    college_code = UnicodeAttribute()
    major_code = UnicodeAttribute()
    graduation_date = UnicodeAttribute()
    xuexin_registered = BooleanAttribute()
    flags = ListAttribute(of=UnicodeAttribute, default=list)
    photo_key = UnicodeAttribute()
    row_digest = UnicodeAttribute()


class ImportRecord(Model):
    """A roster import (R2.3), an arrangement or a bulk of tickets: progress and totals."""

    class Meta(_Meta):
        table_name = _S.imports_table

    season_id = UnicodeAttribute(hash_key=True)
    import_id = UnicodeAttribute(range_key=True)
    college_code = UnicodeAttribute()
    status = UnicodeAttribute()  # awaiting_upload, processing, done, failed
    created_by = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    finished_at = UTCDateTimeAttribute(null=True)
    file_digest = UnicodeAttribute(null=True)
    total_rows = NumberAttribute(default=0)
    chunks_total = NumberAttribute(default=0)
    chunks_done = NumberAttribute(default=0)
    processed_rows = NumberAttribute(default=0)
    added = NumberAttribute(default=0)
    updated = NumberAttribute(default=0)
    unchanged = NumberAttribute(default=0)
    failed = NumberAttribute(default=0)
    error = UnicodeAttribute(null=True)
    notes = JSONAttribute(null=True)  # an arrangement's word per county (domain CountyNote)


class AuditRecord(Model):
    """R16.1: who, when, what, before and after — one item per state change."""

    class Meta(_Meta):
        table_name = _S.audit_table

    subject = UnicodeAttribute(hash_key=True)  # "season#<id>", "candidate#<id>", …
    at_id = UnicodeAttribute(range_key=True)  # "<ISO time>#<random>": ordered by time
    actor = UnicodeAttribute()
    action = UnicodeAttribute()
    before = JSONAttribute(null=True)
    after = JSONAttribute(null=True)
    reason = UnicodeAttribute(null=True)


class QueueIndex(GlobalSecondaryIndex["WorkItemRecord"]):
    """A unit's pending work, oldest first. Sparse: a decided item leaves it."""

    class Meta:
        index_name = "by_queue"
        projection = AllProjection()

    queue_key = UnicodeAttribute(hash_key=True)  # "<season_id>#<unit>" while pending
    queued_at = UnicodeAttribute(range_key=True)  # ISO time of submission


class UnitWorkIndex(GlobalSecondaryIndex["WorkItemRecord"]):
    """Every work item of a unit, pending or decided."""

    class Meta:
        index_name = "by_unit"
        projection = AllProjection()

    unit_key = UnicodeAttribute(hash_key=True)  # "<season_id>#<unit>"
    queued_at = UnicodeAttribute(range_key=True)


class WorkItemRecord(Model):
    """One unit's review of one candidate's submission (R6)."""

    class Meta(_Meta):
        table_name = _S.review_table

    candidate_id = UnicodeAttribute(hash_key=True)
    unit = UnicodeAttribute(range_key=True)  # a college, a county, or "province"
    season_id = UnicodeAttribute()
    unit_key = UnicodeAttribute()
    queue_key = UnicodeAttribute(null=True)
    queued_at = UnicodeAttribute()
    round = NumberAttribute()  # the candidate's version when routed: resubmission is a new round
    state = UnicodeAttribute()
    on_site = BooleanAttribute(default=False)
    category = UnicodeAttribute()
    name = UnicodeAttribute()
    id_masked = UnicodeAttribute()
    flags = ListAttribute(of=UnicodeAttribute, default=list)  # why on site / failed, in Chinese
    candidate_version = NumberAttribute()  # kept current by every decision: batch approval reads it
    decided_by = UnicodeAttribute(null=True)
    decided_at = UTCDateTimeAttribute(null=True)
    reason = UnicodeAttribute(null=True)
    by_queue = QueueIndex()
    by_unit = UnitWorkIndex()


class NoticeRecord(Model):
    """The public notice (公示, R7): entries ``entry#<id>``, complaints ``complaint#<id>``."""

    class Meta(_Meta):
        table_name = _S.notices_table

    season_id = UnicodeAttribute(hash_key=True)
    key = UnicodeAttribute(range_key=True)
    candidate_id = UnicodeAttribute()
    body = JSONAttribute()  # what the public sees (entry) or what was filed (complaint)
    state = UnicodeAttribute()  # entry: listed, revoked; complaint: open, upheld, dismissed
    created_at = UTCDateTimeAttribute()
    version = VersionAttribute()


class CatalogueRecord(Model):
    """A season's plan catalogue (``plan#<school>#<major>#<type>``) and Hunan's major
    links (``link#<college major>#<bachelor major>``)."""

    class Meta(_Meta):
        table_name = _S.catalogue_table

    season_id = UnicodeAttribute(hash_key=True)
    key = UnicodeAttribute(range_key=True)
    body = JSONAttribute()


class PreferenceRecord(Model):
    """One saved version of a candidate's preferences (R8: history, restore)."""

    class Meta(_Meta):
        table_name = _S.preferences_table

    candidate_id = UnicodeAttribute(hash_key=True)
    no = NumberAttribute(range_key=True)
    choice = JSONAttribute()
    saved_at = UTCDateTimeAttribute()
    actor = UnicodeAttribute()
    restored_from = NumberAttribute(null=True)


class PendingIndex(GlobalSecondaryIndex["PaymentRecord"]):
    """Orders still PENDING, per season (sparse): what the query-order job settles."""

    class Meta:
        index_name = "pending"
        projection = AllProjection()

    pending_season = UnicodeAttribute(hash_key=True)
    at = UTCDateTimeAttribute(range_key=True)


class LedgerDayIndex(GlobalSecondaryIndex["PaymentRecord"]):
    """Ledger entries by the day the provider says they were paid: reconciliation."""

    class Meta:
        index_name = "by_day"
        projection = AllProjection()

    day = UnicodeAttribute(hash_key=True)  # "YYYY-MM-DD" (UTC, as the statement)
    key = UnicodeAttribute(range_key=True)


class PaymentRecord(Model):
    """Payments (R9.3), one table: ``order#<out_trade_no>`` (PENDING → PAID),
    ``txn#<transaction id>`` (applied once), ``paid#<candidate>`` (one payment counts),
    ``ledger#<transaction id>``, ``duplicate#<transaction id>`` (to refund) and
    ``notice#<id>`` (every notification as received) and ``orderof#<candidate>`` (which
    order is the candidate's now: ``out_trade_no``)."""

    class Meta(_Meta):
        table_name = _S.payments_table

    key = UnicodeAttribute(hash_key=True)
    kind = UnicodeAttribute()
    candidate_id = UnicodeAttribute(null=True)
    season_id = UnicodeAttribute(null=True)
    amount = NumberAttribute(null=True)  # fen
    status = UnicodeAttribute(null=True)
    transaction_id = UnicodeAttribute(null=True)
    paid_at = UnicodeAttribute(null=True)  # the provider's success time, on a PAID order
    out_trade_no = UnicodeAttribute(null=True)  # on ``orderof#``: the candidate's order now
    body = JSONAttribute(null=True)
    at = UTCDateTimeAttribute()
    pending_season = UnicodeAttribute(null=True)  # set while an order is PENDING
    day = UnicodeAttribute(null=True)  # set on ledger entries
    pending = PendingIndex()
    by_day = LedgerDayIndex()


class StaffRecord(Model):
    """A staff account (``staff#<username>``): role and scope, password, second factor."""

    class Meta(_Meta):
        table_name = _S.accounts_table

    key = UnicodeAttribute(hash_key=True)
    username = UnicodeAttribute()
    role = UnicodeAttribute()
    unit = UnicodeAttribute(null=True)  # college, county, "province", school, "authority"
    season = UnicodeAttribute(null=True)
    password_hash = UnicodeAttribute()
    totp_cipher = UnicodeAttribute(null=True)  # the authenticator's secret, encrypted
    totp_pending = UnicodeAttribute(null=True)  # a secret offered, not yet confirmed
    totp_step = NumberAttribute(default=0)  # the last time step used: a code works once
    recovery = UnicodeSetAttribute(null=True)  # HMACs of the unused recovery codes
    disabled = BooleanAttribute(default=False)
    not_before = NumberAttribute(default=0)  # sign-ins before this (epoch ms) are revoked
    created_at = UTCDateTimeAttribute()
    created_by = UnicodeAttribute()
    version = NumberAttribute(default=1)  # counted by each update (all are conditional)


class SessionRecord(Model):
    """A sign-in (``session#<family>``): the refresh token's current secret, as a digest."""

    class Meta(_Meta):
        table_name = _S.accounts_table

    key = UnicodeAttribute(hash_key=True)
    subject = UnicodeAttribute()  # the candidate id or the staff username
    kind = UnicodeAttribute()  # candidate, staff
    secret_hash = UnicodeAttribute()
    uses = NumberAttribute(default=0)
    issued_at = NumberAttribute()  # epoch ms of the sign-in
    revoked = BooleanAttribute(default=False)
    expires = TTLAttribute()


class ThrottleRecord(Model):
    """Failed sign-ins of one account or client (``throttle#<scope>#<hmac>``), R17.4."""

    class Meta(_Meta):
        table_name = _S.accounts_table

    key = UnicodeAttribute(hash_key=True)
    failures = NumberAttribute(default=0, attr_name="count")  # Model.count is the query count
    last = NumberAttribute(default=0)  # epoch s of the last failure
    expires = TTLAttribute()


class MessageRecord(Model):
    """An SMS's delivery receipt (R16.2), written when the gateway reports it: the message's
    own id names its season and kind, so sending writes nothing. The phone only masked."""

    class Meta(_Meta):
        table_name = _S.messages_table

    out_id = UnicodeAttribute(hash_key=True)
    biz_id = UnicodeAttribute()
    kind = UnicodeAttribute()
    season_id = UnicodeAttribute()
    phone_masked = UnicodeAttribute()
    status = UnicodeAttribute()  # delivered, failed
    error = UnicodeAttribute(null=True)
    reported_at = UTCDateTimeAttribute()
    expires = TTLAttribute()


ALL_MODELS: tuple[type[Model], ...] = (
    StaffRecord,
    SessionRecord,
    ThrottleRecord,
    MessageRecord,
    SeasonRecord,
    CandidateRecord,
    UniqueRecord,
    OtpRecord,
    RosterRecord,
    ImportRecord,
    AuditRecord,
    WorkItemRecord,
    NoticeRecord,
    CatalogueRecord,
    PreferenceRecord,
    PaymentRecord,
)


class SchoolIndex(GlobalSecondaryIndex["AdmissionRecord"]):
    """A run's admitted list of one school (R13, R15): ``<run_id>#<school>``; sparse."""

    class Meta:
        index_name = "by_school"
        projection = AllProjection()

    school_key = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)


class AdmissionRecord(Model):
    """录取 (R13-R15): runs (``runs#<season>`` / run id), each candidate's outcome in a run
    (``result#<run>`` / candidate id), the season's published run (``published#<season>``)
    and its cancelled qualifications (``sanctions#<season>`` / candidate id, R16.1).
    A run's results are written before they are published; publishing switches one pointer.
    """

    class Meta(_Meta):
        table_name = _S.admissions_table

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    # a run
    status = UnicodeAttribute(
        null=True
    )  # running, awaiting_approval, published, superseded, failed, done
    what_if = BooleanAttribute(null=True)  # a trial: never published
    stage = UnicodeAttribute(null=True)  # main, or supplementary (征集志愿, R13.3)
    base_run = UnicodeAttribute(null=True)  # a supplementary run's published main run
    lines = JSONAttribute(null=True)  # [[level, category, line], …] as the run read them
    digests = JSONAttribute(null=True)
    summary = JSONAttribute(null=True)
    schools = JSONAttribute(null=True)  # school -> admitted count
    approvals = JSONAttribute(null=True)  # school -> who approved its list, and when
    task_token = UnicodeAttribute(null=True)  # the approval step's callback
    error = UnicodeAttribute(null=True)
    superseded_by = UnicodeAttribute(null=True)  # a later publication replaced this one
    created_by = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute(null=True)
    finished_at = UTCDateTimeAttribute(null=True)
    # the published pointer
    run_id = UnicodeAttribute(null=True)
    # one candidate's outcome
    outcome = JSONAttribute(null=True)  # domain/allocation.Outcome, and the score it read
    school_key = UnicodeAttribute(null=True)
    letter = JSONAttribute(null=True)  # R14: the admission letter's mailing
    recheck = JSONAttribute(null=True)  # R14.1: the new student's re-check
    reason = UnicodeAttribute(null=True)  # a sanction's: the violation and its decision
    version = VersionAttribute()
    by_school = SchoolIndex()
