"""Identity numbers (居民身份证号码, GB 11643) and mobile phones: normalise, validate, mask."""

from __future__ import annotations

import re
from datetime import date

from stdnum.cn import ric

from .errors import InvalidField

_PHONE = re.compile(r"1[3-9]\d{9}")
_ID = re.compile(r"\d{17}[\dX]")
# GB/T 2260 province-level codes. Finer region codes are not checked: numbers
# issued under codes since retired stay valid for life.
_PROVINCES = frozenset(
    {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46}
    | {50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82}
)


def normalise_id_number(raw: str, field: str = "id_number") -> str:
    """R3.1/R2.2: strip spaces, upper-case the check character, then GB 11643:
    18 characters, a known province, a real birth date, the ISO 7064 check character."""
    value = re.sub(r"\s+", "", raw or "").upper()
    if not value:
        raise InvalidField("请填写身份证号码", field)
    if not _ID.fullmatch(value):
        raise InvalidField("身份证号码应为18位（末位可为X）", field)
    if int(value[:2]) not in _PROVINCES:
        raise InvalidField("身份证号码的地区码无效", field)
    try:
        born = birth_date(value)
    except ValueError:
        born = None
    if born is None or born.year < 1900 or born > date.today():
        raise InvalidField("身份证号码中的出生日期无效", field)
    if ric.calc_check_digit(value) != value[-1]:
        raise InvalidField("身份证号码校验位错误", field)
    return value


def birth_date(id_number: str) -> date:
    return date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))


def normalise_phone(raw: str, field: str = "phone") -> str:
    value = re.sub(r"[\s-]+", "", raw or "")
    if value.startswith("+86"):
        value = value[3:]
    if not _PHONE.fullmatch(value):
        raise InvalidField("手机号码应为11位中国大陆手机号", field)
    return value


def mask_id_number(id_number: str) -> str:
    """R17.2: the first 3 and the last 4 characters stay (430***********123X)."""
    return id_number[:3] + "*" * (len(id_number) - 7) + id_number[-4:]


def mask_phone(phone: str) -> str:
    """R17.2: 138****5678."""
    return phone[:3] + "****" + phone[-4:]


_COMPOUND_SURNAMES = frozenset(
    "欧阳司马上官诸葛东方皇甫尉迟公孙慕容长孙宇文司徒夏侯令狐端木百里呼延独孤南宫西门"[i : i + 2]
    for i in range(0, 40, 2)
)


def mask_name(name: str) -> str:
    """Public lists keep the surname and hide the given name (张*, 欧阳**)."""
    if len(name) <= 1:
        return name
    keep = 2 if name[:2] in _COMPOUND_SURNAMES and len(name) > 2 else 1
    return name[:keep] + "*" * (len(name) - keep)
