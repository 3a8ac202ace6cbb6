"""Roster import (学籍导入, R2): one row of a college's graduating roster, validated."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from typing import TYPE_CHECKING, NamedTuple

from .errors import DomainError
from .identity import id_key, normalise_id_number, normalise_name

if TYPE_CHECKING:
    from .policy import Policy

# R2.1: the columns of the roster file, in the Chinese the colleges use.
COLUMNS: dict[str, str] = {
    "name": "姓名",
    "id_number": "身份证号",
    "college_code": "院校代码",
    "major_code": "专业代码",
    "graduation_date": "预计毕业日期",
    "xuexin_registered": "学信网注册",
    "discipline_sanction": "未解除纪律处分",
    "criminal_measure": "刑事强制措施或服刑",
    "exam_ban": "暂停参加考试处罚期内",
    "eligibility_cancelled": "取消本次考试资格",
    "photo": "照片文件名",
}
FLAGS = ("discipline_sanction", "criminal_measure", "exam_ban", "eligibility_cancelled")
_YES = {"是", "Y", "y", "1", "true", "TRUE", "True"}
_NO = {"否", "N", "n", "0", "false", "FALSE", "False", ""}
JPEG_MAGIC = b"\xff\xd8\xff"


class RosterRow(NamedTuple):
    """A validated roster row (R2.1)."""

    name: str
    id_number: str
    college_code: str
    major_code: str
    graduation_date: date
    xuexin_registered: bool
    flags: tuple[str, ...]  # the exclusion flags that are set (R5.1)
    photo: str

    def digest(self) -> str:
        """A stable fingerprint: the same row gives the same digest (idempotent upsert, R2.2)."""
        text = "|".join(
            [
                self.name,
                self.id_number,
                self.college_code,
                self.major_code,
                self.graduation_date.isoformat(),
                str(self.xuexin_registered),
                ",".join(self.flags),
                self.photo,
            ]
        )
        return hashlib.sha256(text.encode()).hexdigest()[:32]


class RowProblem(NamedTuple):
    row: int  # 1-based line of the data row (the header is line 1)
    field: str | None
    message: str


class RowResult:
    """One data row: the row read, or what is wrong with it. (Plain classes, not
    dataclasses: this module is on every registration's import path.)"""

    __slots__ = ("line", "problems", "row")

    def __init__(self, line: int, row: RosterRow | None = None) -> None:
        self.line, self.row = line, row
        self.problems: list[RowProblem] = []


class RosterFileError(DomainError):
    """The file as a whole is unusable (no header, wrong columns)."""

    code = "roster_file_invalid"


def read_rows(text: str, columns: Mapping[str, str] = COLUMNS) -> list[tuple[int, dict[str, str]]]:
    """Split a CSV into (line number, raw row) pairs, checking the header once."""
    text = text.lstrip("\ufeff")  # Excel writes a BOM
    reader = csv.reader(io.StringIO(text, newline=None))  # CR, LF or CRLF line ends
    try:
        return _rows(reader, columns)
    except csv.Error as exc:  # a field past csv's size limit, a quote left open
        raise RosterFileError(f"第{reader.line_num}行无法读取：CSV格式有误", "file") from exc


def _rows(
    reader: Iterator[list[str]], columns: Mapping[str, str]
) -> list[tuple[int, dict[str, str]]]:
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise RosterFileError("文件为空", "file") from None
    by_label = {label: key for key, label in columns.items()}
    missing = [label for label in columns.values() if label not in header]
    if missing:
        raise RosterFileError(f"缺少列：{'、'.join(missing)}", "file")
    keys = [by_label.get(h) for h in header]
    rows = []
    for line, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        rows.append(
            (line, {k: v.strip() for k, v in zip(keys, values, strict=False) if k is not None})
        )
    return rows


def validate_row(
    line: int,
    raw: dict[str, str],
    policy: Policy,
    uploader_college: str,
    photo_problems: Mapping[str, str | None],
) -> RowResult:
    """R2.2: validate one row on its own; every problem is reported, not only the first."""
    result = RowResult(line)
    problems = result.problems

    def problem(field_name: str, message: str) -> None:
        problems.append(RowProblem(line, field_name, message))

    name = ""
    try:
        name = normalise_name(raw.get("name", ""))
    except DomainError as exc:
        problem("name", exc.message)
    id_number = ""
    try:
        id_number = normalise_id_number(raw.get("id_number", ""))
    except DomainError as exc:
        problem("id_number", exc.message)
    college = raw.get("college_code", "")
    if policy.college(college) is None:
        problem("college_code", f"未知院校代码 {college!r}")
    elif college != uploader_college:
        problem("college_code", "只能导入本校学生的学籍")
    major = raw.get("major_code", "")
    if policy.major(major) is None:
        problem("major_code", f"未知专业代码 {major!r}")
    graduation = _date(raw.get("graduation_date", ""))
    if graduation is None:
        problem("graduation_date", "预计毕业日期格式应为 YYYY-MM-DD")
    flags: list[str] = []
    xuexin = _flag(raw.get("xuexin_registered", ""))
    if xuexin is None:
        problem("xuexin_registered", "学信网注册应填“是”或“否”")
    for flag in FLAGS:
        value = _flag(raw.get(flag, ""))
        if value is None:
            problem(flag, f"{COLUMNS[flag]}应填“是”或“否”")
        elif value:
            flags.append(flag)
    photo_name = raw.get("photo", "")
    photo_problem = photo_problems.get(photo_name, "照片缺失（压缩包中没有该文件）")
    if photo_problem:
        problem("photo", photo_problem)
    if not problems:
        assert graduation is not None and xuexin is not None
        result.row = RosterRow(
            name=name,
            id_number=id_number,
            college_code=college,
            major_code=major,
            graduation_date=graduation,
            xuexin_registered=xuexin,
            flags=tuple(flags),
            photo=photo_name,
        )
    return result


def repeated_ids(rows: Iterable[tuple[int, dict[str, str]]]) -> Iterator[tuple[int, int]]:
    """The same ID twice in one file: (line, first line) for every later occurrence."""
    seen: dict[str, int] = {}
    for line, raw in rows:
        key = id_key(raw.get("id_number", ""))  # full-width digits are the same ID
        if key:
            first = seen.setdefault(key, line)
            if first != line:
                yield line, first


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value.replace("/", "-"))
    except ValueError:
        return None


def _flag(value: str) -> bool | None:
    if value in _YES:
        return True
    if value in _NO:
        return False
    return None


def check_photo(data: bytes, policy: Policy) -> str | None:
    """R2.2: a photo within the policy's size that is a JPEG (start and end markers)."""
    if len(data) > policy.photo.max_bytes:
        return f"照片超过{policy.photo.max_bytes // 1024}KB"
    if not (data.startswith(JPEG_MAGIC) and data.rstrip(b"\x00").endswith(b"\xff\xd9")):
        return "照片不是有效的JPEG文件"
    return None
