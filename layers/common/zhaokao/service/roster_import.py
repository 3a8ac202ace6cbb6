"""Roster import (学籍导入, R2): signed uploads, a splitter, chunk workers, a per-row report.

S3 (roster.csv lands) → roster-import queue → ``split`` → chunk messages on the
same queue → ``process_chunk`` (validate, upsert what changed, count once).
"""

from __future__ import annotations

import hashlib
import json
import secrets
import tempfile
import zipfile
from datetime import datetime
from typing import Any

from ..adapters import objects, queues
from ..api.review_schemas import ImportReport, ImportStarted, ImportStatus
from ..domain.auth import Principal
from ..domain.documents import inspect_photo
from ..domain.errors import DomainError, Forbidden, NotFound, RuleViolation
from ..domain.jobs import Job
from ..domain.roster import RowProblem, check_photo, read_rows, repeated_ids, validate_row
from ..domain.windows import CST, WindowName
from ..messages import RosterChunk, S3Event
from ..settings import settings
from ..storage import imports, roster, seasons

CHUNK_ROWS = 400  # ~135 KB a message: well inside SQS's 256 KB
MAX_CSV_BYTES = 16 * 1024 * 1024  # some 100,000 rows: a college's roster is a few thousand
MAX_PHOTOS = 50_000  # members of one photos zip
MAX_ZIP_BYTES = 2 * 1024 * 1024 * 1024


def _prefix(season_id: str, college: str, import_id: str) -> str:
    return f"rosters/{season_id}/{college}/{import_id}"


def _own_college(season_id: str, who: Principal) -> str:
    who.require("college_reviewer")
    policy = seasons.get_season(season_id).policy
    if not who.unit or policy.college(who.unit) is None:
        raise Forbidden("该账号不属于本考试季的生源高校", code="not_a_college")
    return who.unit


def start(season_id: str, who: Principal) -> ImportStarted:
    """R2.1: a new import and two signed upload forms (photos zip first, then the CSV)."""
    college = _own_college(season_id, who)
    season = seasons.get_season(season_id)
    if not season.policy.roster_required:
        raise RuleViolation("本考试季不导入学籍", code="no_roster")
    season.require_window(WindowName.roster_import)
    import_id = f"{datetime.now(CST):%Y%m%d%H%M%S}-{secrets.token_hex(4)}"
    imports.create(season_id, import_id, college, who.actor())
    prefix = _prefix(season_id, college, import_id)
    return ImportStarted(
        import_id=import_id,
        status="awaiting_upload",
        uploads={
            "photos": objects.upload_form(f"{prefix}/photos.zip", "application/zip", MAX_ZIP_BYTES),
            "roster": objects.upload_form(f"{prefix}/roster.csv", "text/csv", MAX_CSV_BYTES),
        },
        how="先上传照片压缩包（photos），再上传学籍CSV（roster）；CSV到达后开始处理",
    )


def _own_import(season_id: str, import_id: str, who: Principal) -> Job:
    college = _own_college(season_id, who)
    record = imports.get(season_id, import_id)
    if record.college_code != college:  # another college's import: nothing revealed
        raise NotFound("没有找到该导入批次", "import_id")
    return record


def status(season_id: str, import_id: str, who: Principal) -> ImportStatus:
    return ImportStatus.model_validate(imports.view(_own_import(season_id, import_id, who)))


def report(season_id: str, import_id: str, who: Principal, offset: int, limit: int) -> ImportReport:
    """R2.2: every row that did not land, with the field and the reason."""
    record = _own_import(season_id, import_id, who)
    prefix = f"{_prefix(season_id, record.college_code, import_id)}/report/"
    problems: list[dict[str, Any]] = []
    for key in sorted(objects.keys(prefix)):
        problems.extend(json.loads(objects.read(key) or b"[]"))
    problems.sort(key=lambda p: (p["line"], p["field"] or ""))
    return ImportReport.model_validate(
        {
            **imports.view(record),
            "problems": problems[offset : offset + limit],
            "problems_total": len(problems),
            "offset": offset,
            "limit": limit,
        }
    )


# -- workers -----------------------------------------------------------------


def on_message(message: RosterChunk | S3Event) -> None:
    """One roster-import queue message: an S3 upload event or a chunk of rows."""
    if isinstance(message, RosterChunk):
        process_chunk(message)
        return
    for key in message.landed():
        if key.endswith("/roster.csv"):
            split(key)


def split(csv_key: str) -> None:
    """Read the file once: check the header, repeated IDs and photos, queue the chunks."""
    _, season_id, college, import_id, _ = csv_key.split("/")
    record = imports.get(season_id, import_id)
    data = objects.read(csv_key)
    if data is None or record.file_digest:
        return  # gone, or already split (a redelivered event)
    digest = hashlib.sha256(data).hexdigest()
    policy = seasons.get_season(season_id).policy
    try:
        rows = read_rows(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        imports.failed(season_id, import_id, "文件应为UTF-8编码的CSV")
        return
    except DomainError as exc:
        imports.failed(season_id, import_id, exc.message)
        return
    photos = _photo_checks(f"{_prefix(season_id, college, import_id)}/photos.zip", policy)
    repeats = dict(repeated_ids(rows))
    chunks = [rows[i : i + CHUNK_ROWS] for i in range(0, len(rows), CHUNK_ROWS)]
    if not imports.started(season_id, import_id, digest, len(rows), len(chunks)):
        return
    queues.send_all(
        settings().roster_queue_url,
        [
            RosterChunk(
                season_id=season_id,
                import_id=import_id,
                college=college,
                chunk=n,
                rows=chunk,
                photos={
                    raw["photo"]: photos[raw["photo"]]
                    for _, raw in chunk
                    if raw.get("photo") in photos
                },
                repeats={str(line): repeats[line] for line, _ in chunk if line in repeats},
            )
            for n, chunk in enumerate(chunks)
        ],
    )


def _photo_checks(zip_key: str, policy: Any) -> dict[str, str | None]:
    """Each photo in the zip checked once: None when well-formed, else the reason.

    R17.4: the archive is read from the function's disk, not its memory; at most
    MAX_PHOTOS members; each member read no further than a photo may be long, whatever
    its header claims — a zip bomb costs at most one photo's size per member."""
    with tempfile.TemporaryDirectory() as folder:
        path = objects.download(zip_key, f"{folder}/photos.zip")
        return check_archive(path, policy) if path else {}


def check_archive(path: str, policy: Any) -> dict[str, str | None]:
    """The photos of a zip on disk, each checked within the bounds of R17.4."""
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        return {}
    with archive:
        members = [info for info in archive.infolist() if not info.is_dir()]
        if len(members) > MAX_PHOTOS:
            return {}  # every row's photo then reads as missing, with its reason
        checks: dict[str, str | None] = {}
        limit = policy.photo.max_bytes
        for info in members:
            name = info.filename.rsplit("/", 1)[-1]
            try:
                with archive.open(info) as member:
                    data = member.read(limit + 1)
            except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError):
                checks[name] = "照片文件损坏，无法读取"
                continue
            checks[name] = check_photo(data, policy)
        return checks


def _photos_kept(results: list[Any], zip_key: str, policy: Any, prefix: str) -> dict[str, str]:
    """R2.2 with R4.1's rule: each changed row's photo inspected as an upload is (format, size,
    pixel dimensions, a full decode) and its clean copy kept for the reviewers (seed 000:
    院校…对报名资格…照片等进行实时审核). A refused photo refuses its row, saying why.
    Returns each kept row's ID hash and photo key."""
    source = objects.ranged(zip_key)
    kept: dict[str, str] = {}
    if source is None or not results:
        return kept
    with zipfile.ZipFile(source) as archive:
        members = {i.filename.rsplit("/", 1)[-1]: i for i in archive.infolist() if not i.is_dir()}
        for result in results:
            name = result.row.photo
            with archive.open(members[name]) as member:
                data = member.read(policy.photo.max_bytes + 1)
            checked = inspect_photo(data, policy.photo)
            if not checked.accepted or checked.cleaned is None:
                problem = RowProblem(result.line, "photo", f"照片{name}：{checked.reason}")
                result.problems.append(problem)
                result.row = None
                continue
            id_hash = roster.id_hash(result.row.id_number)
            kept[id_hash] = f"{prefix}/photos/{id_hash}.jpg"
            objects.write(kept[id_hash], checked.cleaned, "image/jpeg")
    return kept


def process_chunk(msg: RosterChunk) -> None:
    """Validate a chunk, upsert only what changed, then count the chunk once."""
    season_id, import_id, college = msg.season_id, msg.import_id, msg.college
    policy = seasons.get_season(season_id).policy
    results = [validate_row(line, raw, policy, college, msg.photos) for line, raw in msg.rows]
    for result in results:
        first = msg.repeats.get(str(result.line))
        if first and result.row:
            result.row = None
            result.problems.append(
                RowProblem(result.line, "id_number", f"身份证号与第{first}行重复")
            )
    good = {roster.id_hash(r.row.id_number): r for r in results if r.row}
    known = roster.existing(season_id, good)
    counts = {"added": 0, "updated": 0, "unchanged": 0, "failed": 0}
    changed = []
    zip_key = f"{_prefix(season_id, college, import_id)}/photos.zip"
    for key, result in good.items():
        assert result.row is not None
        digest, owner = known.get(key, (None, None))
        if owner and owner != college:
            result.problems.append(
                RowProblem(result.line, "id_number", "该身份证号已由其他院校导入")
            )
            result.row = None
        elif digest == result.row.digest():
            counts["unchanged"] += 1
        else:
            changed.append(result)
    kept = _photos_kept(changed, zip_key, policy, _prefix(season_id, college, import_id))
    written = []
    for key, photo_key in kept.items():
        result = good[key]
        assert result.row is not None
        counts["updated" if known.get(key) else "added"] += 1
        written.append((result.row, photo_key))
    roster.upsert(season_id, written)
    problems = [p._asdict() for r in results for p in r.problems]
    counts["failed"] = len({p["row"] for p in problems})
    report = json.dumps(
        [{"line": p["row"], "field": p["field"], "message": p["message"]} for p in problems],
        ensure_ascii=False,
    ).encode()
    objects.write(
        f"{_prefix(season_id, college, import_id)}/report/{msg.chunk:05d}.json",
        report,
        "application/json",
    )
    imports.chunk_done(season_id, import_id, msg.chunk, len(results), counts)
