"""Identity numbers (居民身份证号码, GB 11643) and mobile phones: normalise, validate, mask."""

from __future__ import annotations

import re
from datetime import date

from stdnum.cn import ric
from stdnum.exceptions import ValidationError

from .errors import InvalidField

_PHONE = re.compile(r"1[3-9]\d{9}")


def normalise_id_number(raw: str, field: str = "id_number") -> str:
    """R3.1/R2.2: strip spaces, upper-case the check character, verify the GB 11643 checksum."""
    value = re.sub(r"\s+", "", raw or "").upper()
    if not value:
        raise InvalidField("请填写身份证号码", field)
    try:
        return str(ric.validate(value))
    except ValidationError as exc:
        reason = "身份证号码校验位错误" if len(value) == 18 else "身份证号码应为18位"
        raise InvalidField(reason, field) from exc


def birth_date(id_number: str) -> date:
    return ric.get_birth_date(id_number)  # type: ignore[no-any-return]


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


def mask_name(name: str) -> str:
    """Public lists show the family name and hide the rest (张*, 欧阳**)."""
    if len(name) <= 1:
        return name
    keep = 2 if len(name) >= 4 else 1
    return name[:keep] + "*" * (len(name) - keep)
