"""The drill's synthetic candidates: who they are, and what each will do in the season —
decided up front from a seed, so a run is reproducible and the final check knows what
every candidate was meant to go through."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from stdnum.cn import ric

FAMILY = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰涛明超兰霞平刚桂华红玉梅辉鑫宇浩然子轩欣怡"


@dataclass
class Person:
    """One candidate: identity, fate (what they and the reviewers will do), and what the
    drill saw happen to them through the API."""

    n: int
    name: str
    id_number: str
    phone: str
    county: str
    category: str  # the subject category (科类) they sit
    choices: list[tuple[str, list[str]]]  # (school, majors) in order
    review: str = "approve"  # approve, reject, send_back (then approve on resubmission)
    pays: bool = True
    late_notice: bool = False  # paid, but the provider's notification never arrives
    duplicate_notice: bool = False  # the provider notifies twice
    absent: bool = False  # sits no paper
    scores: dict[str, int] = field(default_factory=dict)  # as imported
    college_major: str = ""  # Hunan: the 专科 major the roster lists
    # what the drill saw
    candidate_id: str = ""
    token: str = ""
    exam_number: str = ""
    seen: dict[str, Any] = field(default_factory=dict)
    app: Any = None  # their phone's app (app.App), from registration on


def id_number(rng: random.Random, county: str) -> str:
    birth = f"{rng.randint(1985, 2000)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    body = f"{county}{birth}{rng.randint(0, 999):03d}"
    return body + ric.calc_check_digit(body + "0")  # it reads all but the last character


def people(
    n: int,
    counties: list[str],
    categories: list[str],
    schools: dict[str, dict[str, list[str]]],  # category -> school -> majors
    born_in: dict[str, str] | None = None,  # county -> the region of the ID numbers issued
    seed: int = 2023,
) -> list[Person]:
    """``n`` candidates over ``counties``: about 1 in 12 refused at review, 1 in 10 sent
    back, 1 in 9 of the approved never pay, 1 in 15 absent; unique ID numbers and phones."""
    rng = random.Random(seed)
    out: list[Person] = []
    seen: set[str] = set()
    for i in range(n):
        county = counties[i % len(counties)]
        region = (born_in or {}).get(county, county)
        number = id_number(rng, region)
        while number in seen:
            number = id_number(rng, region)
        seen.add(number)
        category = categories[i % len(categories)]
        offered = list(schools[category].items())
        rng.shuffle(offered)
        choices = [(s, rng.sample(m, k=min(2, len(m)))) for s, m in offered[:2]]
        name = rng.choice(FAMILY) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))
        person = Person(i, name, number, f"1{rng.choice('3589')}{i:09d}", county, category, choices)
        roll = rng.random()
        person.review = "reject" if roll < 0.08 else "send_back" if roll < 0.18 else "approve"
        person.pays = rng.random() >= 0.11
        person.late_notice = person.pays and rng.random() < 0.05
        person.duplicate_notice = person.pays and not person.late_notice and rng.random() < 0.05
        person.absent = rng.random() < 0.066
        out.append(person)
    return out


def unique_scores(
    rng: random.Random, subjects: list[str], taken: set[tuple[int, ...]], full: int = 150
) -> dict[str, int]:
    """Scores whose tuple no other candidate has: with the tie-breaks read in order, no two
    candidates rank equal, so the allocation's order is the rules' alone."""
    while True:
        values = tuple(
            min(full, max(0, int(rng.gauss(full * 0.55, full * 0.18)))) for _ in subjects
        )
        if values not in taken:
            taken.add(values)
            return dict(zip(subjects, values, strict=True))
