"""What differs between the seasons the drill walks: how the season is created, its
counties, categories, plans and sites, what a candidate fills in and which papers they
sit. Everything else is the same walk (walk.py)."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .people import Person
    from .walk import Drill

ROOT = Path(__file__).resolve().parents[2]
ADDRESS = {
    "recipient": "收件人",
    "phone": "13900001111",
    "province": "宁夏",
    "city": "银川市",
    "address": "兴庆区解放西街1号",
    "postcode": "750001",
}
SCHOOL_NAMES = {
    "10749": "宁夏大学",
    "10750": "宁夏师范学院",
    "90001": "示范大学",
    "90002": "示范职业学院",
}


@dataclass
class SeasonPlan:
    season_id: str
    counties: list[str]
    categories: list[str]
    schools: dict[str, dict[str, list[str]]]  # category -> school -> majors
    papers: dict[str, list[str]]  # category -> subjects
    level: str
    plan_level: str  # the catalogue's 层次 column
    resend_document: bool  # a send-back asks for a document again
    rounds: int  # of the sequential preferences (R13.2)
    tie_breaks: list[str]  # papers that order equal totals, as the policy lists them
    n: int = 0
    born_in: dict[str, str] | None = None  # county -> a real region for its ID numbers

    def create(self, drill: Drill) -> None:
        raise NotImplementedError

    def plans_csv(self) -> str:
        """Each category's seats about half its candidates, spread over its majors."""
        rows = ["院校代码,院校名称,专业代码,专业名称,计划类别,层次,计划数,医学类"]
        for category, schools in self.schools.items():
            majors = sum(len(m) for m in schools.values())
            seats = max(1, math.ceil(self.n / len(self.categories) * 0.5 / majors))
            for school, codes in schools.items():
                for major in codes:
                    rows.append(
                        f"{school},{SCHOOL_NAMES[school]},{major},专业{major},{category},"
                        f"{self.plan_level},{seats},否"
                    )
        return "\n".join(rows) + "\n"

    def sites_csv(self) -> str:
        rooms = math.ceil(self.n / len(self.counties) / 30) + 1
        rows = ["县区代码,考点代码,考点名称,地址,考场数,每场座位数,无障碍考场数"]
        rows += [f"{c},01,{c}第一考点,{c}考点路1号,{rooms},30,0" for c in self.counties]
        return "\n".join(rows) + "\n"

    def profile(self, p: Person, version: int) -> dict[str, Any]:
        return {
            "version": version,
            "native_place": "宁夏银川",
            "mailing_address": ADDRESS,
            "level": self.level,
            "education": "college",
        }

    def preferences(self, p: Person) -> dict[str, Any]:
        return {
            "level": self.level,
            "subject_category": p.category,
            "adjust": False,
            "schools": [{"school": s, "majors": m} for s, m in p.choices],
        }

    def subjects(self, p: Person) -> list[str]:
        return self.papers[p.category]

    def lines(self, drill: Drill) -> dict[tuple[str, str], int]:
        """Per category, the total that four in five of its scored candidates reach."""
        out = {}
        for category in self.categories:
            totals = sorted(
                (
                    sum(p.scores.values())
                    for p in drill.people
                    if p.scores and p.category == category
                ),
                reverse=True,
            )
            out[(self.level, category)] = totals[int(len(totals) * 0.8)] if totals else 0
        return out


class Ningxia(SeasonPlan):
    """宁夏成人高考 专升本 (seed 004), created from the 2023 preset one year on."""

    def __init__(self, n: int) -> None:
        super().__init__(
            season_id="ningxia-adult-2024",
            counties=["640104", "640105", "640106"],
            categories=["ligong", "jingguan"],
            schools={
                "ligong": {"10749": ["080901", "080902", "080903"], "10750": ["080901", "080703"]},
                "jingguan": {"10749": ["120203K", "120204"], "10750": ["020301K", "120203K"]},
            },
            papers={
                "ligong": ["zhengzhi", "yingyu", "gaoshu_1"],
                "jingguan": ["zhengzhi", "yingyu", "gaoshu_2"],
            },
            level="zsb",
            plan_level="zsb",
            resend_document=True,
            rounds=2,
            tie_breaks=["yingyu", "zhengzhi"],  # the preset's, for 专升本's papers
            n=n,
        )

    def create(self, drill: Drill) -> None:
        body = {"season_id": self.season_id, "from_season": "ningxia-adult-2023", "years": 1}
        drill.api.post("/v1/seasons", drill.operator(), json=body, expect=201)


class Third(SeasonPlan):
    """The invented third season (tests/fixtures/third-season.json): policy as data — its
    own windows (review, then preferences and payment later), documents, fee and papers,
    one level without subject categories, three rounds of preferences."""

    FIXTURE = ROOT / "tests" / "fixtures" / "third-season.json"

    def __init__(self, n: int) -> None:
        policy = json.loads(self.FIXTURE.read_text("utf-8"))
        super().__init__(
            season_id=policy["season_id"],
            counties=[c["code"] for c in policy["reference"]["counties"]],
            categories=[""],
            schools={"": {"90001": ["1001", "1002", "1003"], "90002": ["1001", "1003"]}},
            papers={"": ["yuwen", "shuxue", "yingyu"]},
            level=policy["preferences"]["level"],
            plan_level=policy["preferences"]["level"],
            resend_document=False,
            rounds=policy["admission"]["rounds"],
            tie_breaks=policy["admission"]["tie_breaks"],
            n=n,
            born_in={c["code"]: "110105" for c in policy["reference"]["counties"]},  # invented
        )

    def create(self, drill: Drill) -> None:
        """Not a preset: installed from its file, as `zhaokao season install <file>` does."""
        from zhaokao.domain.policy import load_policy
        from zhaokao.storage import seasons

        policy = load_policy(self.FIXTURE.read_text("utf-8"))
        seasons.install(policy, "drill")
        drill.cloud.sms.register(policy)

    def profile(self, p: Person, version: int) -> dict[str, Any]:
        return {
            "version": version,
            "native_place": "示范市",
            "mailing_address": ADDRESS,
            "education": "high_school",
        }

    def preferences(self, p: Person) -> dict[str, Any]:
        return {"schools": [{"school": s, "majors": m} for s, m in p.choices]}


PLANS: dict[str, type[SeasonPlan]] = {"ningxia": Ningxia, "third": Third}
