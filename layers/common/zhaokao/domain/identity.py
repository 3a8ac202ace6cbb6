"""Identity numbers (居民身份证号码, GB 11643), mobile phones and names: normalise, validate,
mask. R3.5: one person is one identity whatever they type — every ID number, phone and name
is normalised here, once, before any check, key or lookup."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from stdnum.cn import ric

from .errors import InvalidField

_PHONE = re.compile(r"1[3-9][0-9]{9}", re.ASCII)
_ID = re.compile(r"[0-9]{17}[0-9X]", re.ASCII)
# Spaces and the separators people type inside a number (full-width ones NFKC made plain).
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―_.·()（）]+")
# GB/T 2260 province-level codes. Finer region codes are not checked: numbers
# issued under codes since retired stay valid for life.
_PROVINCES = frozenset(
    {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46}
    | {50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82}
)


def normalise_id_number(raw: str, field: str = "id_number") -> str:
    """R3.1/R2.2/R3.5: full-width digits and separators made plain, ``x`` upper-cased, then
    GB 11643: 18 characters, a known province, a real birth date, the check character."""
    value = _plain(raw).upper()
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


def ascii_digits(text: str) -> bool:
    """Plain 0-9 only: ``str.isdigit`` also takes ``²`` and ``⑨``, which ``int`` refuses
    (found by probing: a 500 from a score, a room count, a receipt's time)."""
    return text.isascii() and text.isdigit()


def id_key(raw: str) -> str:
    """An ID number as two rows are compared, valid or not: ``１２３ｘ`` is ``123X``."""
    return _plain(raw).upper()


def _plain(raw: str) -> str:
    """NFKC (full-width ６ → 6, ＋ → +), then no spaces or separators."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", raw or ""))


def normalise_phone(raw: str, field: str = "phone") -> str:
    """R3.5: full-width digits, spaces, dashes and the country code (+86, 0086) removed."""
    value = _plain(raw)
    for prefix in ("+86", "0086"):
        value = value.removeprefix(prefix)
    if len(value) == 13 and value.startswith("86"):
        value = value[2:]
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


# R3.5: a name is written in the characters of GB 18030-2022 — the Han ideographs of every
# CJK block, the supplementary planes' too (生僻字 such as 𠮷 and 䶮) — or in Latin letters
# (foreign residents), a minority name's parts joined by one middle dot.
_HAN = (
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0x20000, 0x2A6DF),
    (0x2A700, 0x2EE5F),
    (0x2F800, 0x2FA1F),
    (0x30000, 0x323AF),
)
_DOTS = "·•・‧∙⋅･"  # the middle dots people type, all made the one U+00B7
MIDDLE_DOT = "·"


def _name_character(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _HAN) or (char.isascii() and char.isalpha())


def normalise_name(raw: str, field: str = "name") -> str:
    """A name as the ID card writes it: NFKC, outer spaces dropped, every middle-dot variant
    made ``·``; refused: markup, control characters, a dot at either end or two together."""
    value = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", raw or "")).strip()
    value = "".join(MIDDLE_DOT if c in _DOTS else c for c in value)
    value = re.sub(r" ?([^\x00-\x7f]) ?", r"\1", value)  # spaces only between Latin letters
    if not value:
        raise InvalidField("请填写姓名", field)
    if value.startswith(MIDDLE_DOT) or value.endswith(MIDDLE_DOT) or MIDDLE_DOT * 2 in value:
        raise InvalidField("姓名中的间隔号“·”只能用在两部分之间", field)
    letters = value.replace(MIDDLE_DOT, "").replace(" ", "")  # what is counted and checked
    if not all(_name_character(c) for c in letters):
        raise InvalidField("姓名只能包含汉字、字母和间隔号“·”", field)
    if not 2 <= len(letters) <= 30:
        raise InvalidField("姓名应为2-30个字", field)
    return value
