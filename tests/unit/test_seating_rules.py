"""R10.1, R10.2: seats for everyone, once; counties under the minimum sit next door; the
same inputs give the same seats and a rerun keeps them."""

from __future__ import annotations

import itertools
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from zhaokao.domain.arrangement import CountyNote, Room, Site, Sitter, arrange, exam_counties

NEIGHBOURS = {"640104": ["640105"], "640105": ["640104", "640106"], "640106": ["640105"]}


def sites(county: str, count: int, rooms: int = 10, accessible: int = 1) -> list[Site]:
    return [
        Site(
            county,
            f"{i:02d}",
            f"第{i}考点",
            "银川市",
            tuple(Room(r, 30, r <= accessible) for r in range(1, rooms + 1)),
        )
        for i in range(1, count + 1)
    ]


def people(
    county: str, count: int, groups: tuple[str, ...] = ("zsb-ligong",), start: int = 0
) -> list[Sitter]:
    return [
        Sitter(f"{county}-{i}", county, groups[i % len(groups)], f"college-{i % 5}")
        for i in range(start, start + count)
    ]


def test_a_county_of_199_gets_no_site_and_one_of_200_does() -> None:
    counts = {"640104": 600, "640105": 199, "640106": 200}
    capacity = {"640104": 900, "640105": 300, "640106": 300}
    hosts, notes = exam_counties(counts, capacity, NEIGHBOURS, 200)
    assert hosts == {"640104": "640104", "640105": "640104", "640106": "640106"}
    assert notes == [
        CountyNote("640105", 199, "640104", "报考不足200人不设考点，安排到相邻县区640104考点")
    ]


def test_a_small_county_with_no_neighbour_with_room_is_named_not_fatal() -> None:
    hosts, notes = exam_counties({"640104": 290, "640105": 20}, {"640104": 300}, NEIGHBOURS, 200)
    assert hosts == {"640104": "640104"}  # everyone else still sits
    assert notes == [
        CountyNote("640105", 20, None, "报考不足200人不设考点，相邻县区考点座位不足，无法安排")
    ]


def test_small_counties_sit_at_home_when_no_neighbour_can_take_them() -> None:
    """原则上不设考点 (seed 004 L68): in principle — a county under the minimum whose
    neighbours have no site keeps its own, as a small season's demo does."""
    hosts, notes = exam_counties(
        {"640104": 12, "640105": 5}, {"640104": 60, "640105": 60}, NEIGHBOURS, 200
    )
    assert hosts == {"640104": "640104", "640105": "640105"}
    assert [(n.county, n.host) for n in notes] == [("640104", "640104"), ("640105", "640105")]
    assert "在本县区考点考试" in notes[0].reason


def test_who_cannot_be_seated_is_counted_per_county_and_the_rest_sit() -> None:
    sitters = people("640104", 250) + people("640106", 30)
    done = arrange("23", sitters, sites("640104", 1, rooms=8), NEIGHBOURS, 200)
    assert len(done.seats) == 240 and done.unplaced == 40
    assert {(n.county, n.sitters, n.host) for n in done.notes} == {
        ("640106", 30, None),  # no site of its own, and its neighbour is far away
        ("640104", 10, None),  # 8 rooms of 30 for 250
    }


def test_everyone_sits_once_a_room_holds_one_group_and_colleges_alternate() -> None:
    sitters = people("640104", 500, ("gqz", "zsb-ligong", "zsb-wenshi")) + people("640105", 50)
    done = arrange("23", sitters, sites("640104", 3), NEIGHBOURS, 200)
    seats = done.seats
    assert set(seats) == {s.candidate_id for s in sitters}
    assert len({(s.county, s.site, s.room, s.seat) for s in seats.values()}) == len(sitters)
    assert {s.county for s in seats.values()} == {"640104"}  # 640105's 50 sit next door
    rooms: dict[tuple[str, int], set[str]] = {}
    for s in seats.values():
        rooms.setdefault((s.site, s.room), set()).add(s.group)
    assert all(len(groups) == 1 for groups in rooms.values())
    college = {s.candidate_id: s.college for s in sitters}
    by_seat = sorted(seats.values(), key=lambda s: (s.site, s.room, s.seat))
    neighbours_same = sum(
        college[a.candidate_id] == college[b.candidate_id]
        for a, b in itertools.pairwise(by_seat)
        if (a.site, a.room) == (b.site, b.room)
    )
    assert neighbours_same == 0
    assert seats["640104-0"].exam_number("23").startswith("23640104")
    assert len(seats["640104-0"].exam_number("23")) == 15


def test_accessible_rooms_go_first_to_who_asked() -> None:
    sitters = people("640104", 250)
    sitters[7] = sitters[7]._replace(accessible=True)
    seats = arrange(
        "23", sitters, sites("640104", 1, rooms=10, accessible=1), NEIGHBOURS, 200
    ).seats
    assert seats[sitters[7].candidate_id].room == 1  # the site's accessible room


def test_the_same_inputs_give_the_same_seats_and_a_rerun_moves_nobody_needlessly() -> None:
    sitters = people("640104", 400, ("gqz", "zsb-ligong"))
    first = arrange("23", sitters, sites("640104", 2), NEIGHBOURS, 200)
    assert arrange("23", list(reversed(sitters)), sites("640104", 2), NEIGHBOURS, 200) == first
    later = [s for s in sitters if s.candidate_id not in {"640104-3", "640104-9"}]
    later += people("640104", 5, ("gqz",), start=1000)  # late registrations, two withdrawn
    again = arrange("23", later, sites("640104", 2), NEIGHBOURS, 200, previous=first.seats)
    assert again.kept == 398
    assert all(again.seats[c] == first.seats[c] for c in first.seats if c in again.seats)
    assert len({(s.site, s.room, s.seat) for s in again.seats.values()}) == len(later)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["640104", "640105", "640106"]),
            st.sampled_from(["a", "b", "c"]),
            st.booleans(),
        ),
        min_size=1,
        max_size=300,
    ),
)
def test_no_seat_twice_and_no_candidate_twice(rows: list[tuple[str, str, bool]]) -> None:
    sitters = [
        Sitter(f"c{i}", county, group, f"k{i % 4}", acc)
        for i, (county, group, acc) in enumerate(rows)
    ]
    all_sites = sites("640104", 2, rooms=12) + sites("640106", 1, rooms=12)
    done = arrange("23", sitters, all_sites, NEIGHBOURS, 0)
    taken = Counter((s.county, s.site, s.room, s.seat) for s in done.seats.values())
    assert len(done.seats) + done.unplaced == len(sitters)  # each seated once, or counted
    assert set(done.seats) <= {s.candidate_id for s in sitters}
    assert not taken or max(taken.values()) == 1
