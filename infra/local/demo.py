"""Demo data for both seasons: presets, one account per staff role, a Hunan roster.

Everything here is synthetic: the ID numbers are made up (valid checksums only).
"""

from __future__ import annotations

import csv
import io
import random
import zipfile
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from typing import Any

from stdnum.cn import ric

from zhaokao.domain.policy import load_policy
from zhaokao.domain.roster import COLUMNS
from zhaokao.domain.windows import CST

STAFF_PASSWORD = "Zhaokao2024"
# (username, group, unit, season) — R15.1: one account per staff role
STAFF = [
    ("operator", "operator", "authority", ""),
    ("hn-43001", "college_reviewer", "43001", "hunan-zsb-2024"),
    ("hn-43002", "college_reviewer", "43002", "hunan-zsb-2024"),
    ("hn-province", "provincial_reviewer", "hunan", "hunan-zsb-2024"),
    ("nx-640104", "county_reviewer", "640104", "ningxia-adult-2023"),
    ("school-demo", "school_admissions", "10530", ""),
]
CLOCKS = {"hunan-zsb-2024": "2024-01-29T10:00:00", "ningxia-adult-2023": "2023-09-05T10:00:00"}
PRESETS = ("hunan-zsb-2024", "ningxia-adult-2023")

_FAMILY = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
_GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰涛明超兰霞平刚桂华红玉梅辉鑫宇浩然子轩欣怡"
# A JPEG as the roster check sees it: start-of-image … end-of-image.
DEMO_PHOTO = (
    b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    + b"\x00" * 64
    + b"\xff\xd9"
)


def preset(season_id: str) -> Any:
    text = resources.files("zhaokao").joinpath(f"policies/{season_id}.json").read_text("utf-8")
    return load_policy(text)


@dataclass(frozen=True)
class Graduate:
    name: str
    id_number: str
    college: str
    major: str


def id_number(rng: random.Random, region: str = "430102") -> str:
    birth = f"{rng.randint(2000, 2004)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    body = f"{region}{birth}{rng.randint(0, 999):03d}"
    return body + ric.calc_check_digit(body + "0")  # it reads all but the last character


def graduates(college: str, count: int, seed: int = 2024) -> list[Graduate]:
    rng, seen, out = random.Random(f"{college}:{seed}"), set(), []
    majors = ["510201", "530302", "460104", "570102", "520201", "520410"]
    region = "4301" + college[-2:]  # a region per college: no ID shared across colleges
    while len(out) < count:
        number = id_number(rng, region)
        if number in seen:
            continue
        seen.add(number)
        name = rng.choice(_FAMILY) + "".join(rng.choice(_GIVEN) for _ in range(rng.randint(1, 2)))
        out.append(Graduate(name, number, college, majors[len(out) % len(majors)]))
    return out


def roster_files(people: list[Graduate]) -> tuple[bytes, bytes]:
    """The CSV (R2.1 columns) and the zip of photos a college uploads."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS.values())
    for g in people:
        writer.writerow(
            [
                g.name,
                g.id_number,
                g.college,
                g.major,
                "2024-06-30",
                "是",
                "否",
                "否",
                "否",
                "否",
                f"{g.id_number}.jpg",
            ]
        )
    photos = io.BytesIO()
    with zipfile.ZipFile(photos, "w", zipfile.ZIP_STORED) as archive:
        for g in people:
            archive.writestr(f"{g.id_number}.jpg", DEMO_PHOTO)
    return out.getvalue().encode("utf-8"), photos.getvalue()


def seed(cloud: Any, roster_size: int = 50) -> dict[str, Any]:
    """Install both presets, the staff accounts, a roster for college 43001, the clocks."""
    from zhaokao.adapters import accounts
    from zhaokao.domain.roster import RosterRow
    from zhaokao.storage import roster, seasons

    for season_id in PRESETS:
        seasons.install(preset(season_id), "local-cloud:demo")
    for username, group, unit, season in STAFF:
        attributes = {"unit": unit, **({"season": season} if season else {})}
        accounts.create(username, STAFF_PASSWORD, group, attributes)
    people = graduates("43001", roster_size)
    rows = [
        RosterRow(
            g.name,
            g.id_number,
            g.college,
            g.major,
            datetime(2024, 6, 30).date(),
            True,
            (),
            f"{g.id_number}.jpg",
        )
        for g in people
    ]
    roster.upsert("hunan-zsb-2024", [(r, f"demo/{r.photo}") for r in rows])
    for season_id, at in CLOCKS.items():
        seasons.pin_clock(
            season_id, datetime.fromisoformat(at).replace(tzinfo=CST), "local-cloud:demo"
        )
    return {"graduates": people}
