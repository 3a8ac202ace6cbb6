"""ID numbers (GB 11643) and phones: normalise, validate, mask."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from infra.local.demo import id_number
from zhaokao.domain.errors import InvalidField
from zhaokao.domain.identity import (
    mask_id_number,
    mask_name,
    mask_phone,
    normalise_id_number,
    normalise_phone,
)


@given(st.integers(min_value=0, max_value=2**32))
def test_valid_numbers_pass_and_a_changed_check_digit_fails(seed: int) -> None:
    number = id_number(random.Random(seed))
    assert normalise_id_number(number) == number
    wrong = number[:-1] + ("0" if number[-1] != "0" else "1")
    with pytest.raises(InvalidField) as err:
        normalise_id_number(wrong)
    assert err.value.field == "id_number"


def test_lower_x_and_spaces_are_normalised() -> None:
    number = "11010519491231002X"
    assert normalise_id_number(" 110105 19491231 002x ") == number


@pytest.mark.parametrize(
    "bad", ["", "123", "11010519491231002", "110105194912310029", "A10105194912310021"]
)
def test_bad_id_numbers(bad: str) -> None:
    with pytest.raises(InvalidField):
        normalise_id_number(bad)


@pytest.mark.parametrize("raw", ["13800138000", "+86 138-0013-8000", "138 0013 8000"])
def test_phones(raw: str) -> None:
    assert normalise_phone(raw) == "13800138000"


@pytest.mark.parametrize("bad", ["", "12800138000", "1380013800", "138001380001", "abc"])
def test_bad_phones(bad: str) -> None:
    with pytest.raises(InvalidField) as err:
        normalise_phone(bad)
    assert err.value.field == "phone"


def test_masks() -> None:
    assert mask_id_number("11010519491231002X") == "110***********002X"
    assert mask_phone("13800138000") == "138****8000"
    assert mask_name("张三") == "张*" and mask_name("欧阳娜娜") == "欧阳**"
    assert mask_name("王小明") == "王**" and mask_name("司马光") == "司马*"


# -- R3.5: one person is one identity whatever they type -------------------------------
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from zhaokao.domain.identity import normalise_name  # noqa: E402

FULL_WIDTH = str.maketrans("0123456789Xx+", "０１２３４５６７８９ＸＸ＋")


@pytest.mark.parametrize(
    "typed",
    [
        "11010519491231002X".translate(FULL_WIDTH),  # wholly full-width
        "１１０１０５ 1949 1231 002X",
        "110105-19491231-002x",
        "\u300011010519491231002X\u3000",  # ideographic spaces
        "11010519491231002ｘ",  # a full-width small x
    ],
)
def test_every_spelling_of_one_id_number_is_one_number(typed: str) -> None:
    assert normalise_id_number(typed) == "11010519491231002X"


@pytest.mark.parametrize(
    "typed",
    [
        "13800138000".translate(FULL_WIDTH),
        "+86 138 0013 8000",
        "＋８６１３８００１３８０００",
        "0086-138-0013-8000",
        "8613800138000",
        "(138) 0013-8000",
    ],
)
def test_every_spelling_of_one_phone_is_one_phone(typed: str) -> None:
    assert normalise_phone(typed) == "13800138000"


@given(st.sampled_from(["11010519491231002X", "640104199003070022"]), st.integers(0, 3))
def test_normalising_twice_changes_nothing(number: str, spaces: int) -> None:
    once = normalise_id_number(number[:6] + " " * spaces + number[6:])
    assert normalise_id_number(once) == once


@pytest.mark.parametrize(
    "typed,name",
    [
        ("吉𠮷", "吉𠮷"),  # U+20BB7, CJK Extension B
        ("刘䶮", "刘䶮"),  # U+4DAE, Extension A
        ("阿卜杜热合曼·买买提明", "阿卜杜热合曼·买买提明"),
        ("阿卜杜热合曼•买买提明", "阿卜杜热合曼·买买提明"),  # bullet
        ("阿卜杜热合曼・买买提明", "阿卜杜热合曼·买买提明"),  # katakana middle dot
        ("阿卜杜热合曼‧买买提明", "阿卜杜热合曼·买买提明"),  # hyphenation point
        (" 王 芳 ", "王芳"),
        ("ＪＯＨＮ  Smith", "JOHN Smith"),
    ],
)
def test_names_of_every_character_and_dot(typed: str, name: str) -> None:
    assert normalise_name(typed) == name


@pytest.mark.parametrize(
    "typed",
    ["", "王", "·买买提", "买买提·", "买··提", "<b>王芳</b>", "王\x07芳", "王芳\u200b", "王芳1"],
)
def test_names_refused(typed: str) -> None:
    with pytest.raises(InvalidField) as err:
        normalise_name(typed)
    assert err.value.field == "name"
