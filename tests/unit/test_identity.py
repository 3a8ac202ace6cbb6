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
