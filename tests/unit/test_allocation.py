"""R12, R13 as properties over random instances: nobody admitted twice, no plan over its
seats, everyone admitted eligible and placed by the rules, the same output every run, and a
higher score never a worse outcome."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from zhaokao.domain.allocation import Applicant, Choice, allocate, eligible

SCHOOLS, MAJORS = ("s1", "s2", "s3"), ("m1", "m2", "m3")
LINES = {("zsb", "ligong"): 150}


@st.composite
def instances(draw):  # type: ignore[no-untyped-def]
    seats = {
        (s, m, "zsb", "ligong", "ordinary"): draw(st.integers(0, 3))
        for s in SCHOOLS
        for m in MAJORS
    }
    people = []
    for i in range(draw(st.integers(1, 30))):
        choices = tuple(
            Choice(
                s,
                tuple(draw(st.lists(st.sampled_from(MAJORS), min_size=1, max_size=2, unique=True))),
            )
            for s in draw(st.lists(st.sampled_from(SCHOOLS), min_size=1, max_size=2, unique=True))
        )
        total = draw(st.one_of(st.none(), st.integers(100, 300)))
        people.append(
            Applicant(
                f"c{i:02d}",
                "zsb",
                "ligong",
                "ordinary",
                total,
                draw(st.sampled_from((0, 10, 20))),
                (draw(st.integers(0, 150)), draw(st.integers(0, 150))),
                draw(st.booleans()) and i % 7 == 0,
                draw(st.booleans()),
                choices,
            )
        )
    return people, seats


@settings(max_examples=150, deadline=None)
@given(instances())
def test_the_rules_hold_on_any_instance(instance) -> None:  # type: ignore[no-untyped-def]
    people, seats = instance
    outcomes = allocate(people, seats, LINES, rounds=2)
    assert [o.id for o in outcomes] == sorted(p.id for p in people)  # one outcome each
    taken = Counter((o.school, o.major) for o in outcomes if o.admitted)
    for (school, major), n in taken.items():
        assert n <= seats[(school, major, "zsb", "ligong", "ordinary")]  # no plan over its seats
    by_id = {p.id: p for p in people}
    for o in outcomes:
        a = by_id[o.id]
        if o.admitted:
            assert eligible(a, LINES) is None
            choice = a.choices[o.round - 1]
            assert o.school == choice.school
            assert o.adjusted == (o.major not in choice.majors) and (a.adjust_ok or not o.adjusted)
        elif eligible(a, LINES) is not None:
            assert o.reason == eligible(a, LINES)
    assert allocate(list(reversed(people)), seats, LINES, rounds=2) == outcomes  # deterministic


@settings(max_examples=100, deadline=None)
@given(instances(), st.integers(1, 60))
def test_a_higher_score_is_never_a_worse_outcome(instance, raise_by: int) -> None:  # type: ignore[no-untyped-def]
    people, seats = instance
    a = people[0]
    if a.total is None:
        return
    before = allocate(people, seats, LINES, rounds=2)[0]
    better = [a._replace(total=a.total + raise_by), *people[1:]]
    after = next(o for o in allocate(better, seats, LINES, rounds=2) if o.id == a.id)
    if before.admitted:
        assert after.admitted and after.round <= before.round
        if after.round == before.round and not before.adjusted:
            majors = a.choices[before.round - 1].majors
            assert majors.index(after.major) <= majors.index(before.major)


def test_an_outcome_says_why() -> None:
    seats = {("s1", "m1", "zsb", "ligong", "ordinary"): 1}
    first = Applicant("a", "zsb", "ligong", total=200, choices=(Choice("s1", ("m1",)),))
    second = Applicant("b", "zsb", "ligong", total=190, choices=(Choice("s1", ("m1",)),))
    low = Applicant("c", "zsb", "ligong", total=120, bonus=20, choices=(Choice("s1", ("m1",)),))
    absent = Applicant("d", "zsb", "ligong", total=None)
    outcomes = {o.id: o for o in allocate([first, second, low, absent], seats, LINES, rounds=2)}
    assert outcomes["a"].admitted and outcomes["a"].reason == "第1轮录取"
    assert outcomes["b"].reason == "s1：m1（已满，最低录取200分），未服从调剂"
    assert outcomes["c"].reason == "成绩140分（含照顾20分）低于录取控制分数线150分"
    assert outcomes["d"].reason == "缺考"


def test_the_offline_command_runs_the_same_rules_on_files(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    import json

    from zhaokao import cli

    people = [
        {
            "id": "a",
            "level": "zsb",
            "category": "ligong",
            "total": 200,
            "bonus": 0,
            "subjects": [["政治", 80], ["英语", 60]],
            "exempt": False,
            "adjust_ok": True,
            "choices": [{"school": "s1", "majors": ["m1"]}],
        },
        {
            "id": "b",
            "level": "zsb",
            "category": "ligong",
            "total": 190,
            "bonus": 20,
            "subjects": [["政治", 70], ["英语", 60]],
            "adjust_ok": True,
            "choices": [{"school": "s1", "majors": ["m1"]}],
        },
        {"id": "c", "level": "zsb", "category": "ligong", "total": None, "choices": []},
    ]
    (tmp_path / "c.jsonl").write_text("\n".join(json.dumps(p) for p in people), encoding="utf-8")
    (tmp_path / "p.csv").write_text(
        "school,major,level,category,plan_type,seats\ns1,m1,zsb,ligong,,1\ns1,m2,zsb,ligong,,1\n",
        encoding="utf-8",
    )
    (tmp_path / "l.csv").write_text("level,category,line\nzsb,ligong,150\n", encoding="utf-8")
    out = tmp_path / "r.jsonl"
    args = [
        "allocate",
        "--candidates",
        str(tmp_path / "c.jsonl"),
        "--plans",
        str(tmp_path / "p.csv"),
    ]
    assert cli.main([*args, "--lines", str(tmp_path / "l.csv"), "--out", str(out)]) == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["id"], r["major"], r["adjusted"]) for r in rows] == [
        ("a", "m2", True),  # b ranks first (210 with the bonus against 200): a is adjusted
        ("b", "m1", False),
        ("c", None, False),
    ]
    first, printed = out.read_bytes(), capsys.readouterr().out
    digests = [line for line in printed.splitlines() if line.startswith("sha256 ")]
    assert [d.split()[1] for d in digests] == ["candidates", "plans", "lines", "results"]
    assert "3 candidates, 2 admitted (第1轮 2; by adjustment 1); seats left: ordinary 0" in printed
    cli.main([*args, "--lines", str(tmp_path / "l.csv"), "--out", str(out)])
    assert out.read_bytes() == first  # byte-identical on a rerun, and so are the digests
    assert [line for line in capsys.readouterr().out.splitlines() if "sha256" in line] == digests


@settings(max_examples=100, deadline=None)
@given(instances())
def test_one_choice_of_one_major_is_the_hospital_resident_solution(instance) -> None:  # type: ignore[no-untyped-def]
    """With one choice of one major each and no adjustment, the allocation is the
    resident-optimal stable matching: the `matching` package's, on the same instance."""
    from matching.games import HospitalResident

    people, seats = instance
    people = [
        a._replace(adjust_ok=False, choices=a.choices[0]._replace(majors=a.choices[0].majors[:1]))
        for a in people
    ]
    people = [a._replace(choices=(a.choices,)) for a in people]
    outcomes = allocate(people, seats, LINES, rounds=1)
    ours = {(o.school, o.major): set() for o in outcomes if o.admitted}
    for o in outcomes:
        if o.admitted:
            ours[(o.school, o.major)].add(o.id)

    def plan(a: Applicant) -> str:
        return f"{a.choices[0].school}/{a.choices[0].majors[0]}"

    applying = [
        a
        for a in sorted(people, key=Applicant.rank_key)
        if eligible(a, LINES) is None and seats[(*plan(a).split("/"), "zsb", "ligong", "ordinary")]
    ]
    if not applying:
        assert not ours
        return
    hospitals = {plan(a) for a in applying}
    game = HospitalResident.create_from_dictionaries(
        {a.id: [plan(a)] for a in applying},
        {h: [a.id for a in applying if plan(a) == h] for h in hospitals},
        {h: seats[(*h.split("/"), "zsb", "ligong", "ordinary")] for h in hospitals},
    )
    theirs = {
        tuple(str(h).split("/")): {str(r) for r in residents}
        for h, residents in game.solve(optimal="resident").items()
        if residents
    }
    assert ours == theirs


@st.composite
def mixed_instances(draw):  # type: ignore[no-untyped-def]
    """Several levels, categories and plan types (one without a line), ragged and sometimes
    huge subject scores (the rank then needs more than one 63-bit word), exemptions."""
    groups = [
        (lv, cat, pt)
        for lv in ("zsb", "gz")
        for cat in ("ligong", "wenshi")
        for pt in ("ordinary", "tekun")
    ]
    seats = {(s, m, *g): draw(st.integers(0, 2)) for s in SCHOOLS for m in MAJORS for g in groups}
    huge = draw(st.booleans())
    people = []
    for i in range(draw(st.integers(0, 40))):
        level, category, plan_type = draw(st.sampled_from(groups))
        schools = draw(st.lists(st.sampled_from(SCHOOLS), max_size=3, unique=True))
        people.append(
            Applicant(
                f"c{i:02d}",
                level,
                category,
                plan_type,
                draw(st.one_of(st.none(), st.integers(100, 300))),
                draw(st.sampled_from((0, 10))),
                tuple(draw(st.lists(st.integers(0, 2**21 if huge else 150), max_size=3))),
                draw(st.booleans()) and i % 5 == 0,
                draw(st.booleans()),
                tuple(
                    Choice(
                        s,
                        tuple(
                            draw(
                                st.lists(
                                    st.sampled_from(MAJORS), min_size=1, max_size=3, unique=True
                                )
                            )
                        ),
                    )
                    for s in schools
                ),
            )
        )
    return people, seats


def plainly(people, seats, lines, rounds):  # type: ignore[no-untyped-def]
    """The rules of R13.2 and R13.4 read plainly, one candidate at a time: the oracle of the
    packed, column-wise implementation."""
    left, placed = dict(seats), {}
    depth = max((len(a.subjects) for a in people), default=0)  # a subject not sat counts 0

    def rank(a: Applicant) -> tuple[object, ...]:
        return a._replace(subjects=a.subjects + (0,) * (depth - len(a.subjects))).rank_key()

    ranked = sorted((a for a in people if eligible(a, lines) is None), key=rank)
    for r in range(rounds):
        for a in ranked:
            if a.id in placed or r >= len(a.choices):
                continue
            school, majors = a.choices[r]

            def plan(major: str) -> tuple[str, ...]:
                return (school, major, a.level, a.category, a.plan_type)  # noqa: B023

            major = next((m for m in majors if left.get(plan(m), 0) > 0), None)
            adjusted = major is None and a.adjust_ok
            if adjusted:
                offered = sorted(k[1] for k in seats if k[0] == school and k[2:] == plan("")[2:])
                major = max(offered, key=lambda m: left[plan(m)], default=None)  # lowest on ties
                major = major if major and left[plan(major)] > 0 else None
            if major:
                left[plan(major)] -= 1
                placed[a.id] = (r + 1, school, major, adjusted)
    return placed


@settings(max_examples=300, deadline=None)
@given(mixed_instances(), st.sampled_from(({("zsb", "ligong"): 150, ("gz", "wenshi"): 180}, {})))
def test_the_fast_implementation_is_the_rules_read_plainly(instance, lines) -> None:  # type: ignore[no-untyped-def]
    people, seats = instance
    outcomes = allocate(people, seats, lines, rounds=3)
    assert {o.id: (o.round, o.school, o.major, o.adjusted) for o in outcomes if o.admitted} == (
        plainly(people, seats, lines, rounds=3)
    )


@settings(max_examples=100, deadline=None)
@given(mixed_instances())
def test_a_candidates_file_read_into_columns_allocates_as_its_applicants(instance) -> None:  # type: ignore[no-untyped-def]
    """A run's Task reads its shard file straight into columns: the same outcomes as the
    Applicants the file was written from."""
    from zhaokao.domain import admission as files

    people, seats = instance
    text = files.write_candidates(files.applicant_row(a) for a in people)
    lines = {("zsb", "ligong"): 150, ("gz", "wenshi"): 180}
    assert allocate(files.read_cohort(text), seats, lines, rounds=3) == allocate(
        people, seats, lines, rounds=3
    )
