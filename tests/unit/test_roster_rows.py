"""R2.2: each roster row validated on its own, every problem named."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from infra.local.demo import demo_photo
from zhaokao.domain.errors import DomainError
from zhaokao.domain.policy import load_policy
from zhaokao.domain.roster import COLUMNS, check_photo, read_rows, repeated_ids, validate_row

POLICY = load_policy(
    json.loads(
        resources.files("zhaokao").joinpath("policies/hunan-zsb-2024.json").read_text("utf-8")
    )
)
GOOD = {
    "name": "王芳",
    "id_number": "11010519491231002X",
    "college_code": "43001",
    "major_code": "510201",
    "graduation_date": "2024-06-30",
    "xuexin_registered": "是",
    "discipline_sanction": "否",
    "criminal_measure": "否",
    "exam_ban": "否",
    "eligibility_cancelled": "是",
    "photo": "a.jpg",
}


def check(**changes: str):
    return validate_row(2, {**GOOD, **changes}, POLICY, "43001", {"a.jpg": None})


def test_a_good_row() -> None:
    result = check()
    assert result.row is not None and not result.problems
    assert result.row.flags == ("eligibility_cancelled",)
    assert result.row.digest() == check().row.digest()  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("id_number", "110105194912310021"),
        ("college_code", "99999"),
        ("college_code", "43002"),  # another college's row
        ("major_code", "000000"),
        ("graduation_date", "2024-13-01"),
        ("xuexin_registered", "maybe"),
        ("exam_ban", "?"),
        ("photo", "missing.jpg"),
        ("name", ""),
    ],
)
def test_each_bad_field_is_named(field: str, value: str) -> None:
    result = check(**{field: value})
    assert result.row is None
    assert [p.field for p in result.problems] == [field]


def test_all_problems_of_a_row_are_reported() -> None:
    result = check(major_code="x", graduation_date="soon")
    assert {p.field for p in result.problems} == {"major_code", "graduation_date"}


def test_photos() -> None:
    assert check_photo(demo_photo(), POLICY) is None
    assert check_photo(b"<html>not a photo</html>", POLICY) == "照片不是有效的JPEG文件"
    big = demo_photo()[:-2] + b"\x00" * 300_000 + b"\xff\xd9"
    assert "超过" in (check_photo(big, POLICY) or "")


def test_file_header_and_repeats() -> None:
    header = ",".join(COLUMNS.values())
    rows = read_rows(
        "\ufeff"
        + header
        + "\n"
        + ",".join(GOOD.values())
        + "\n\n"
        + ",".join(GOOD.values()).replace("x", "X")
        + "\n"
    )
    assert [line for line, _ in rows] == [2, 4]
    assert list(repeated_ids(rows)) == [(4, 2)]
    wide = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")  # found by probing
    again = [(2, GOOD), (3, {**GOOD, "id_number": GOOD["id_number"].translate(wide)})]
    assert list(repeated_ids(again)) == [(3, 2)]
    with pytest.raises(DomainError) as err:
        read_rows("姓名,身份证号\n")
    assert "缺少列" in err.value.message
