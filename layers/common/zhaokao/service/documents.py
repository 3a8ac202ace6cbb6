"""Uploads of the photo and category documents (R4.1–R4.3): signed POST, then inspection."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from aws_lambda_powertools import Logger

from ..adapters import objects
from ..api.review_schemas import CandidateFile
from ..api.schemas import Me, UploadForm
from ..domain import documents as inspection
from ..domain.auth import Principal
from ..domain.candidate import Candidate, Inspected
from ..domain.errors import Conflict, InvalidField, RuleViolation
from ..domain.lifecycle import EDITABLE, require_editable
from ..domain.profile import PHOTO, documents_for, missing_for_submission
from ..domain.review import SEEN
from ..domain.windows import CST
from ..messages import S3Event
from ..storage import candidates, lifecycle, pii, seasons

if TYPE_CHECKING:
    from ..domain.policy import Document, Policy

logger = Logger(service="zhaokao-service")  # shared code: one JSON logger of its own
INSPECTOR = "system:upload-inspection"
_EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}


def _allowed(policy: Policy, record: Candidate) -> dict[str, Document | None]:
    """The codes this candidate may upload: the photo (when theirs to give) and R4.2's list."""
    codes: dict[str, Document | None] = {}
    if policy.photo.source == "candidate":
        codes[PHOTO] = None
    for doc in documents_for(policy, record.profile, bool(record.residence_permit)):
        codes[doc.code] = doc
    return codes


def candidate_view(record: Candidate, policy: Policy) -> Me:
    """A candidate's own record (masked) with what to upload and what still stops submission."""
    needed = (
        [
            {
                "code": PHOTO,
                "name": "标准证件照",
                "required": True,
                "content_types": policy.photo.content_types,
                "max_bytes": policy.photo.max_bytes,
            }
        ]
        if policy.photo.source == "candidate"
        else []
    )
    for code, doc in _allowed(policy, record).items():
        if doc is not None:
            needed.append(
                {
                    "code": code,
                    "name": doc.name,
                    "required": doc.required,
                    "content_types": doc.content_types,
                    "max_bytes": doc.max_bytes,
                    "after_on_site": doc.after_on_site,
                    "form": doc.form,
                }
            )
    missing = missing_for_submission(
        policy, record.profile, bool(record.residence_permit), record.documents
    )
    return Me(
        **own_file(record).model_dump(),
        exam_number=record.exam_number,  # the candidate's own 准考证号, once seated
        uploads_needed=needed,
        missing=missing,
    )


def own_file(record: Candidate) -> CandidateFile:
    """A candidate's record as they and their reviewers read it: the ID number and phone
    masked (R17.2), the storage keys of the uploads kept inside."""
    return CandidateFile(
        candidate_id=record.candidate_id,
        season_id=record.season_id,
        name=record.name,
        id_number=record.id_masked,
        phone=record.phone_masked,
        college_code=record.college_code,
        major_code=record.major_code,
        county_code=record.county_code,
        status=record.status,
        editable=record.status in EDITABLE,  # R4.4: the client asks, never restates the rule
        profile=pii.shown(record.profile) or None,  # None: nothing filled in yet
        documents={
            code: {k: v for k, v in doc.items() if k != "key"}
            for code, doc in record.documents.items()
        },
        checks=list(record.checks),
        approvals=record.approvals,
        correct_until=record.returned["correct_until"]
        if record.returned and record.status == "returned"
        else None,
        integrity=list(record.integrity["violations"]) if record.integrity else [],
        on_site_steps=record.on_site_steps,
        registered_at=record.registered_at.astimezone(CST).isoformat(timespec="seconds"),
        pledged_at=record.pledged_at.astimezone(CST).isoformat(timespec="seconds")
        if record.pledged_at
        else None,
        version=record.version,
    )


def upload_form(who: Principal, code: str, content_type: str) -> UploadForm:
    """R4.3: a signed POST for one file — one key, one content type, the policy's size."""
    who.require("candidate")
    record = candidates.get(who.username)
    season = seasons.get_season(record.season_id)
    season.require_editing(record.status, record.returned)
    allowed = _allowed(season.policy, record)
    if code not in allowed:
        raise InvalidField("本类别无需上传该材料（请先保存报考类别等信息）", "code")
    rule = allowed[code]
    _require_open(record, rule)
    types = season.policy.photo.content_types if rule is None else rule.content_types
    max_bytes = season.policy.photo.max_bytes if rule is None else rule.max_bytes
    if content_type not in types:
        raise InvalidField(f"只接受以下格式：{'、'.join(types)}", "content_type")
    key = (
        f"uploads/{record.season_id}/{record.candidate_id}/{code}/"
        f"{secrets.token_hex(8)}.{_EXTENSIONS.get(content_type, 'bin')}"
    )
    form = objects.upload_form(key, content_type, max_bytes)
    return UploadForm(
        code=code, key=key, max_bytes=max_bytes, url=form["url"], fields=form["fields"]
    )


def _after_on_site(rule: Document | None) -> bool:
    return bool(rule and rule.after_on_site)


def _require_open(record: Candidate, rule: Document | None) -> None:
    """R4.4: uploads before submission or after a send-back — except the originals' photos
    that seed 004 has uploaded once the county has seen them on site (现场审核后上传)."""
    if not _after_on_site(rule):
        require_editable(record.status)
    elif record.status != "on_site" or SEEN not in record.on_site_steps:
        raise RuleViolation("该材料须在现场审核（核验原件）后上传", "code", code="before_on_site")


def on_upload_event(event: S3Event) -> list[str]:
    """The upload queue's S3 events: inspect each object that landed."""
    return [inspect_upload(key) for key in event.landed()]


def inspect_upload(key: str) -> str:
    """Check what landed (magic bytes, full decode, pixel size), keep a clean copy without
    metadata, drop the raw upload, and record the result — accepted or why not."""
    _, season_id, candidate_id, code, name = key.split("/")
    found = objects.read_typed(key)
    if found is None:
        return "gone"  # a redelivered event for an upload already handled
    data, declared = found
    season = seasons.get_season(season_id)
    record = candidates.get(candidate_id)
    rule = _allowed(season.policy, record).get(code, None)
    if code == PHOTO:
        result = inspection.inspect_photo(data, season.policy.photo)
    elif rule is None:
        result = inspection.Inspection(False, "本类别无需上传该材料")
    else:
        result = inspection.inspect_document(data, declared, rule)
    entry = Inspected(
        status="accepted" if result.accepted else "rejected",
        reason=result.reason,
        content_type=result.content_type,
        bytes=len(data),
        width=result.width,
        height=result.height,
        uploaded_at=datetime.now(UTC).isoformat(timespec="seconds"),
        upload=name,  # which upload this inspection is of
    )
    if result.accepted and result.cleaned is not None:
        entry["key"] = f"documents/{season_id}/{candidate_id}/{code}/{name}"
        objects.write(entry["key"], result.cleaned, str(result.content_type))
    _record(candidate_id, code, entry, editable_only=not _after_on_site(rule))
    objects.delete(key)  # the raw upload may carry metadata (EXIF, GPS): not kept
    return str(entry["status"])


def _record(candidate_id: str, code: str, entry: Inspected, editable_only: bool) -> None:
    """On the candidate, versioned and audited; a concurrent profile save is retried."""
    for _ in range(3):
        record = candidates.get(candidate_id)
        documents = {**record.documents, code: entry}
        try:
            lifecycle.change(
                record,
                None,
                INSPECTOR,
                audit_action=f"document:{code}",
                reason=str(entry["reason"]),
                sets={"documents": documents},
                editable_only=editable_only,
            )
            return
        except Conflict as exc:
            if exc.code != "stale_version":
                logger.warning("upload after submission ignored", extra={"code": code})
                return  # R4.4: submitted files are locked; the upload changes nothing
    raise Conflict("记录繁忙，请稍后重试", "documents", code="stale_version")
