"""Demo data for both seasons: presets, one account per staff role, a Hunan roster.

Everything here is synthetic: the ID numbers are made up (valid checksums only).
"""

from __future__ import annotations

import base64
import csv
import functools
import hashlib
import io
import random
import zipfile
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from typing import Any

from stdnum.cn import ric

from zhaokao.domain.candidate import Inspected
from zhaokao.domain.policy import load_policy
from zhaokao.domain.roster import COLUMNS
from zhaokao.domain.windows import CST

STAFF_PASSWORD = "Zhaokao2024"
# (username, role, unit, season) — R15.1: one account per staff role
STAFF = [
    ("operator", "operator", "authority", ""),
    ("hn-43001", "college_reviewer", "43001", "hunan-zsb-2024"),
    ("hn-43002", "college_reviewer", "43002", "hunan-zsb-2024"),
    ("hn-province", "provincial_reviewer", "province", "hunan-zsb-2024"),
    ("nx-640104", "county_reviewer", "640104", "ningxia-adult-2023"),
    ("school-demo", "school_admissions", "10530", ""),
]
CLOCKS = {"hunan-zsb-2024": "2024-01-29T10:00:00", "ningxia-adult-2023": "2023-09-05T10:00:00"}
PRESETS = ("hunan-zsb-2024", "ningxia-adult-2023")

_FAMILY = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
_GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰涛明超兰霞平刚桂华红玉梅辉鑫宇浩然子轩欣怡"
# A JPEG as the roster check sees it: start-of-image … end-of-image.


def totp_secret(username: str) -> str:
    """The demo staff's authenticator secret (synthetic, like their password): enrolled at
    seed, so ``python -m infra.local.totp <username>`` gives the current code."""
    digest = hashlib.sha256(f"zhaokao-demo-totp:{username}".encode()).digest()
    return base64.b32encode(digest[:20]).decode()


def create_staff(
    username: str, role: str, unit: str, season: str | None, password: str, enrolled: bool = True
) -> None:
    """A staff account as an operator creates it, its authenticator bound (demo, bench)."""
    from zhaokao.domain.auth import Account
    from zhaokao.domain.credentials import hash_password
    from zhaokao.storage import accounts, pii

    account = Account(username, role, season or None, unit)
    accounts.create_staff(account, hash_password(password), "local-cloud:demo")
    if enrolled:
        secret = pii.encrypt(totp_secret(username))
        accounts.update_staff(
            username, "local-cloud:demo", "second_factor:enrol", totp_cipher=secret
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
    photos, photo = io.BytesIO(), demo_photo()
    with zipfile.ZipFile(photos, "w", zipfile.ZIP_STORED) as archive:
        for g in people:
            archive.writestr(f"{g.id_number}.jpg", photo)
    return out.getvalue().encode("utf-8"), photos.getvalue()


def seed(cloud: Any, roster_size: int = 50) -> dict[str, Any]:
    """Install both presets, the staff accounts, a roster for college 43001, the clocks."""
    from zhaokao.adapters import objects
    from zhaokao.domain.roster import RosterRow
    from zhaokao.storage import roster, seasons

    for season_id in PRESETS:
        seasons.install(preset(season_id), "local-cloud:demo")
        cloud.sms.register(preset(season_id))  # the authority's signature and templates
    for username, role, unit, season in STAFF:
        create_staff(username, role, unit, season, STAFF_PASSWORD)
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
    objects.write("rosters/hunan-zsb-2024/43001/demo/photo.jpg", demo_photo(), "image/jpeg")
    roster.upsert(
        "hunan-zsb-2024", [(r, "rosters/hunan-zsb-2024/43001/demo/photo.jpg") for r in rows]
    )
    seed_catalogues()
    seed_exam_sites()
    for season_id, at in CLOCKS.items():
        seasons.pin_clock(
            season_id, datetime.fromisoformat(at).replace(tzinfo=CST), "local-cloud:demo"
        )
    return {"graduates": people}


DEMO_CANDIDATE_PASSWORD = "demo1234"
# (name, ID body without its check character, phone, bonus claims): Ningxia candidates of
# county 640104 whose files wait for the county's review when ``make run`` starts.
NINGXIA_FILES = [
    ("马晓燕", "64010419900307002", "13700000001", []),
    ("李明华", "64010419881123001", "13700000002", []),
    ("杨建国", "64010419850214003", "13700000003", ["veteran"]),  # a bonus: called on site
]
NINGXIA_PROFILE = {  # a complete 专升本 profile of county 640104 (demo and benches)
    "native_place": "宁夏银川",
    "mailing_address": {
        "recipient": "本人",
        "phone": "13700000000",
        "province": "宁夏",
        "city": "银川市",
        "address": "兴庆区解放西街1号",
        "postcode": "750001",
    },
    "category": "ordinary",
    "level": "zsb",
    "education": "college",  # the other fields as the form leaves them (domain OPTIONAL_FIELDS)
}


def submitted_files() -> list[tuple[str, str]]:
    """Register, complete and submit the NINGXIA_FILES the way a candidate would (through
    storage, not HTTP) and queue their routing: the county's queue is not empty on the
    first visit. Returns (name, phone) of each."""
    from zhaokao.adapters import objects, queues
    from zhaokao.domain.credentials import hash_password
    from zhaokao.domain.registration import NewCandidate
    from zhaokao.messages import RouteSubmission
    from zhaokao.settings import settings
    from zhaokao.storage import candidates, lifecycle

    season = "ningxia-adult-2023"
    photo, record_pdf = demo_photo(), b"%PDF-1.4\n%demo\n%%EOF\n"
    messages, people = [], []
    for name, body, phone, bonus in NINGXIA_FILES:
        candidate = NewCandidate(
            candidate_id=f"demo-{phone}",
            season_id=season,
            unit="640104",
            name=name,
            id_number=body + ric.calc_check_digit(body + "0"),
            phone=phone,
            college_code=None,
            major_code=None,
            county_code="640104",
            residence_permit=False,
            status="registered",
            registered_at=datetime.now(CST),
            password_hash=hash_password(DEMO_CANDIDATE_PASSWORD),
        )
        candidates.create(candidate)
        actor = f"candidate:{candidate.candidate_id}"
        record = lifecycle.update_profile(
            candidates.get(candidate.candidate_id),
            {**NINGXIA_PROFILE, "bonus_claims": bonus},
            actor,
            1,
        )
        files = {}
        for code, data, kind in (
            ("photo", photo, "image/jpeg"),
            ("xuexin_record", record_pdf, "application/pdf"),
        ):
            key = f"documents/{season}/{candidate.candidate_id}/{code}/demo"
            objects.write(key, data, kind)
            files[code] = demo_inspected(key, len(data), kind)
        record = lifecycle.change(record, None, "system:demo", sets={"documents": files})
        record = lifecycle.change(record, "submit", actor)
        messages.append(
            RouteSubmission(candidate_id=record.candidate_id, round=int(record.version))
        )
        people.append((name, phone))
    queues.send_all(settings().routing_queue_url, messages)
    return people


def demo_inspected(key: str, size: int, kind: str) -> Inspected:
    """A demo document as the upload worker would have recorded it: accepted, kept at ``key``."""
    return Inspected(
        status="accepted",
        reason="文件检查通过",
        content_type=kind,
        bytes=size,
        width=None,
        height=None,
        uploaded_at=datetime.now(CST).isoformat(timespec="seconds"),
        upload="demo",
        key=key,
    )


@functools.cache
def demo_photo() -> bytes:
    """A standard photo (R4.1: 358×441, a real JPEG): what the demo's graduates send."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (358, 441), (196, 214, 235)).save(out, format="JPEG", quality=85)
    return out.getvalue()


# A demonstration plan catalogue for each season (the authority imports its own, R8).
CATALOGUE = {
    "hunan-zsb-2024": (
        "院校代码,院校名称,专业代码,专业名称,计划类别,层次,计划数,医学类\n"
        "10530,湘潭大学,080901,计算机科学与技术,ordinary,zsb,60,否\n"
        "10530,湘潭大学,080901,计算机科学与技术,retired_soldier,zsb,5,否\n"
        "10530,湘潭大学,120203K,会计学,ordinary,zsb,40,否\n"
        "10542,湖南师范大学,040106,学前教育,ordinary,zsb,30,否\n"
        "10541,湖南中医药大学,100501K,中医学,ordinary,zsb,20,是\n"
        "10541,湖南中医药大学,101101,护理学,ordinary,zsb,50,是\n"
        "10554,湖南工程学院,080202,机械设计制造及其自动化,ordinary,zsb,45,否\n"
        "10554,湖南工程学院,080202,机械设计制造及其自动化,xianghu_craftsman,zsb,10,否\n",
        "专科专业代码,本科专业代码,相同专业\n"
        "510201,080901,否\n"
        "530302,120203K,否\n"
        "570102,040106,是\n"
        "520201,101101,是\n"
        "520410,100501K,否\n"
        "460104,080202,否\n",
    ),
    "ningxia-adult-2023": (
        "院校代码,院校名称,专业代码,专业名称,计划类别,层次,计划数,医学类\n"
        "10749,宁夏大学,080901,计算机科学与技术,ligong,zsb,80,否\n"
        "10749,宁夏大学,080902,软件工程,ligong,zsb,60,否\n"
        "10749,宁夏大学,120203K,会计学,jingguan,zsb,70,否\n"
        "11407,北方民族大学,080703,通信工程,ligong,zsb,40,否\n"
        "11407,北方民族大学,080901,计算机科学与技术,ligong,zsb,45,否\n"
        "11407,北方民族大学,030101K,法学,faxue,zsb,50,否\n"
        "10752,宁夏医科大学,101101,护理学,yixue,zsb,90,是\n"
        "10752,宁夏医科大学,100501K,中医学,wenshi,zsb,30,是\n"
        "10749,宁夏大学,120203K,会计学,,gqb,40,否\n"
        "11407,北方民族大学,050201,英语,,gqz,35,否\n",
        "",
    ),
}


# Ningxia's demonstration exam sites: Yinchuan's three districts (R10.2). Each has far
# fewer than 200 registrants in a demo, so each sits at home: no neighbour has a site to
# spare (原则上不设考点, seed 004 L68) — and an operator's 开始编排 seats them at once.
EXAM_SITES = (
    "县区代码,考点代码,考点名称,地址,考场数,每场座位数,无障碍考场数\n"
    "640104,01,银川市第一中学,兴庆区文化东街1号,4,30,1\n"
    "640105,01,银川市西夏区第一中学,西夏区怀远路1号,2,30,0\n"
    "640106,01,银川市金凤区第一中学,金凤区宁安大街1号,2,30,0\n"
)


def seed_exam_sites() -> None:
    from zhaokao.domain.arrangement import site_rows
    from zhaokao.storage import arrangement

    policy = preset("ningxia-adult-2023")
    assert policy.exam_sites is not None
    counties = {c.code for c in policy.reference.counties}
    sites, problems = site_rows(EXAM_SITES, counties, policy.exam_sites.room_seats)
    assert not problems, problems
    arrangement.replace_sites("ningxia-adult-2023", sites)


def seed_catalogues() -> None:
    """Both seasons' demonstration catalogues, read by the same row rules as an import."""
    from zhaokao.domain import catalogue as rows
    from zhaokao.storage import catalogue

    for season_id, (plans_csv, links_csv) in CATALOGUE.items():
        plans, problems = rows.plans(plans_csv, preset(season_id))
        assert not problems, problems
        catalogue.replace_plans(season_id, plans)
        if links_csv:
            links, problems = rows.links(links_csv)
            assert not problems, problems
            catalogue.replace_links(season_id, links)
