"""What differs between the seasons the drill walks: how the season is created, its
counties, categories, plans and sites, what a candidate fills in and which papers they
sit. Everything else is the same walk (walk.py)."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

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
    "10530": "湘潭大学",
    "10554": "湖南工程学院",
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

    reviewer_role = "county_reviewer"  # who reviews a unit's candidates

    def create(self, drill: Drill) -> None:
        raise NotImplementedError

    def seats(self) -> dict[tuple[str, str, str], int]:
        """Each category's seats about half its candidates, spread over its majors:
        (category, school, major) -> seats."""
        out = {}
        for category, schools in self.schools.items():
            majors = sum(len(m) for m in schools.values())
            seats = max(1, math.ceil(self.n / len(self.categories) * 0.5 / majors))
            for school, codes in schools.items():
                out.update({(category, school, major): seats for major in codes})
        return out

    def plans_csv(self) -> str:
        rows = ["院校代码,院校名称,专业代码,专业名称,计划类别,层次,计划数,医学类"]
        rows += [
            f"{school},{SCHOOL_NAMES[school]},{major},专业{major},{self.plan_type(category)},"
            f"{self.plan_level},{seats},否"
            for (category, school, major), seats in self.seats().items()
        ]
        return "\n".join(rows) + "\n"

    def plan_type(self, category: str) -> str:
        """The catalogue's 计划类别 of a category's plans (Ningxia's are its 科类)."""
        return category

    def assign(self, people: list[Person]) -> None:
        """What a season adds to its synthetic people (Hunan: the college major)."""

    def registration(self, p: Person) -> dict[str, Any]:
        return {"county_code": p.county}

    def prepare(self, drill: Drill) -> None:
        """Operators' setup of the exam: the sites, and the timetable."""
        drill.api.post(
            f"{drill.base}/exam-sites/sites", drill.operator(), json={"csv": self.sites_csv()}
        )
        drill.api.put(f"{drill.base}/timetable", drill.operator(), json=drill.timetable())

    def before_registration(self, drill: Drill) -> None:
        """What happens before candidates register (Hunan: the colleges' rosters)."""

    def arrange(self, drill: Drill) -> None:
        """考场编排 by the operators: one run over the season."""
        drill.wait_seated(f"{drill.base}/arrangements", drill.operator())

    def score_files(self, drill: Drill) -> list[tuple[str, list[Person]]]:
        """Who imports whose scores: the operators, everyone's."""
        return [(drill.operator(), drill.seated())]

    def number_ok(self, p: Person) -> bool:
        """The 准考证号 says where: the exam county's 6 digits after the year's 2."""
        return p.exam_number[2:8] in self.counties

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


class Hunan(SeasonPlan):
    """湖南专升本 (seed 000), created from the 2024 preset one year on: the colleges import
    their rosters, candidates register as listed graduates, the colleges review, each
    candidate chooses one school and one major close to their own (相同或相近), and the
    schools set their own exams, seat their applicants and import their scores (R10.4)."""

    reviewer_role = "college_reviewer"
    LINKS: ClassVar[dict[str, str]] = {
        "510201": "080901",
        "530302": "120203K",
        "460104": "080202",
    }  # 专科 -> 本科

    def __init__(self, n: int) -> None:
        super().__init__(
            season_id="hunan-zsb-2025",
            counties=["43001", "43002"],  # the colleges: Hunan's review units
            categories=[""],
            schools={"": {"10530": ["080901", "120203K"], "10554": ["080901", "080202"]}},
            papers={"": ["yy", "zh"]},
            level="zsb",
            plan_level="zsb",
            resend_document=False,
            rounds=1,
            tie_breaks=[],
            n=n,
            born_in={"43001": "430102", "43002": "430103"},
        )

    def create(self, drill: Drill) -> None:
        body = {"season_id": self.season_id, "from_season": "hunan-zsb-2024", "years": 1}
        drill.api.post("/v1/seasons", drill.operator(), json=body, expect=201)

    def plan_type(self, category: str) -> str:
        return "ordinary"

    def assign(self, people: list[Person]) -> None:
        """Each graduate's college major, and one school offering a major close to it."""
        majors = list(self.LINKS)
        offered = self.schools[""]
        for p in people:
            p.college_major = majors[p.n % len(majors)]
            bachelor = self.LINKS[p.college_major]
            schools = [s for s, m in offered.items() if bachelor in m]
            p.choices = [(schools[p.n % len(schools)], [bachelor])]

    def registration(self, p: Person) -> dict[str, Any]:
        return {}  # the college comes from the roster

    def prepare(self, drill: Drill) -> None:
        """The majors' links, and an admissions account for each school."""
        links = ["专科专业代码,本科专业代码,相同专业"]
        links += [f"{a},{b},否" for a, b in self.LINKS.items()]
        body = {"csv": "\n".join(links) + "\n"}
        drill.api.post(f"{drill.base}/catalogue/links", drill.operator(), json=body)
        for school in self.schools[""]:
            drill.add_staff(f"drill-school-{school}", "school_admissions", school, None)

    def before_registration(self, drill: Drill) -> None:
        """Each college imports its graduates (the roster, with photos) before registration."""
        from infra.local.demo import Graduate, roster_files

        w = next(w for w in drill.summary["windows"] if w["name"] == "roster_import")
        drill.clock(datetime.fromisoformat(w["end"]).replace(tzinfo=None) - timedelta(days=3))
        for college in self.counties:
            listed = [
                Graduate(p.name, p.id_number, college, p.college_major)
                for p in drill.people
                if p.county == college
            ]
            csv, photos = roster_files(listed)
            reviewer = drill.staff[college].bearer()
            started = drill.api.post(f"{drill.base}/roster-imports", reviewer, expect=201)
            drill.post_form(started["uploads"]["photos"], "photos.zip", photos)
            drill.post_form(started["uploads"]["roster"], "roster.csv", csv)
            url = f"{drill.base}/roster-imports/{started['import_id']}"
            done = drill.until(partial(drill.api.get, url, reviewer), ("done", "failed"))
            if done["status"] != "done" or done["failed"]:
                raise RuntimeError(f"roster of {college}: {done}")

    def applicants(self, drill: Drill, school: str) -> list[Person]:
        return [p for p in drill.registered() if p.choices[0][0] == school]

    def arrange(self, drill: Drill) -> None:
        """Each school enters its exam — two papers five days after the tickets print, at
        its campus, rooms of 30 for its applicants — and seats its paid, approved ones."""
        day = drill.at("ticket_printing", 0) + timedelta(days=5)
        for school in self.schools[""]:
            rooms = math.ceil(len(self.applicants(drill, school)) / 30) + 1
            papers = [
                {
                    "subject": code,
                    "name": name,
                    "start": (day + timedelta(hours=9 + 5 * i)).isoformat(),
                    "end": (day + timedelta(hours=11 + 5 * i)).isoformat(),
                    "full_marks": 150,
                }
                for i, (code, name) in enumerate((("yy", "大学英语"), ("zh", "专业综合")))
            ]
            exam = {
                "place": f"{SCHOOL_NAMES[school]}本部",
                "address": f"{SCHOOL_NAMES[school]}校内",
                "rooms": [30] * rooms,
                "papers": papers,
                "reason": "本校专升本考试安排",
            }
            staff = drill.staff[f"drill-school-{school}"].bearer()
            drill.api.put(f"{drill.base}/schools/{school}/exam", staff, json=exam)
            drill.wait_seated(f"{drill.base}/schools/{school}/seating", staff)

    def score_files(self, drill: Drill) -> list[tuple[str, list[Person]]]:
        """R11.1: each school imports its own applicants' scores."""
        return [
            (
                drill.staff[f"drill-school-{school}"].bearer(),
                [p for p in self.applicants(drill, school) if p.exam_number],
            )
            for school in self.schools[""]
        ]

    def number_ok(self, p: Person) -> bool:
        """The school's 5 digits after the year's 2, then its place's 3 (R10.4)."""
        return p.exam_number[2:7] == p.choices[0][0] and p.exam_number[7:10] == "001"

    def profile(self, p: Person, version: int) -> dict[str, Any]:
        address = {**ADDRESS, "province": "湖南省", "city": "长沙市", "postcode": "410082"}
        return {"version": version, "native_place": "湖南长沙", "mailing_address": address}

    def preferences(self, p: Person) -> dict[str, Any]:
        return {
            "plan_type": "ordinary",
            "schools": [{"school": s, "majors": m} for s, m in p.choices],
        }


PLANS: dict[str, type[SeasonPlan]] = {"ningxia": Ningxia, "hunan": Hunan, "third": Third}
