"""考场编排 (R10.1, R10.2): every eligible candidate a site, a room and a seat, and an exam
number (准考证号) that says where — deterministic, and stable under a rerun.

The 准考证号 is 15 digits: the season's 2 (its year's last two), the exam county's 6, the
site's 2, the room's 3 and the seat's 2 — ``23 640104 01 001 07``.

Rules (seed 004 and the policy's ``exam_sites``): a county with fewer registrants than the
policy's minimum (200) gets no site "in principle" (原则上, seed 004 L68), its candidates
sit in the nearest adjacent county with room — and where no neighbour has room, in their
own county's site if it has one; a room holds one level and subject group; a college's
candidates are spread, never seated next to each other in roster order; accessible rooms go
first to those who asked. The same inputs give the same seats; a rerun keeps every seat it
can. Whoever cannot be placed is said per county, in words, beside everyone who was.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from .identity import ascii_digits


class Room(NamedTuple):
    number: int  # 1–999 within the site
    seats: int
    accessible: bool = False


class Site(NamedTuple):
    county: str  # 6 digits
    code: str  # 2 digits within the county
    name: str
    address: str
    rooms: tuple[Room, ...]


class Sitter(NamedTuple):
    """What placing a candidate reads: who, from where, which paper, which college."""

    candidate_id: str
    county: str
    group: str  # level and subject group: one room holds one
    college: str = ""  # spread apart; a county season's candidates have none
    accessible: bool = False


class Seat(NamedTuple):
    candidate_id: str
    county: str  # the exam county (may be a neighbour of the candidate's own)
    site: str
    room: int
    seat: int
    group: str

    def exam_number(self, season_code: str) -> str:
        return f"{season_code}{self.county}{self.site}{self.room:03d}{self.seat:02d}"


class CountyNote(NamedTuple):
    """What the operators are told of a county whose candidates do not simply sit at home:
    where they sit instead, or how many could not be placed, and why."""

    county: str
    sitters: int  # the candidates this note is about
    host: str | None  # where they sit; None: not placed
    reason: str


class Arrangement(NamedTuple):
    seats: dict[str, Seat]  # candidate id -> seat
    hosts: dict[str, str]  # a candidate's county -> the county where they sit
    kept: int  # seats of a previous run unchanged
    notes: tuple[CountyNote, ...] = ()

    @property
    def unplaced(self) -> int:
        return sum(n.sitters for n in self.notes if n.host is None)


def _order(season: str, sitters: Iterable[Sitter]) -> list[Sitter]:
    """The same inputs, the same order — but not the roster's: by a keyed hash, then
    interleaved by college so that neighbours in a room come from different colleges."""

    def key(s: Sitter) -> bytes:
        return hashlib.blake2b(f"{season}:{s.candidate_id}".encode(), digest_size=8).digest()

    colleges: dict[str, deque[Sitter]] = defaultdict(deque)
    for sitter in sorted(sitters, key=key):
        colleges[sitter.college].append(sitter)
    queues = sorted(colleges.values(), key=lambda q: (-len(q), q[0].candidate_id))
    out: list[Sitter] = []
    while queues:
        out.extend(q.popleft() for q in queues)
        queues = [q for q in queues if q]
    return out


def exam_counties(
    counts: Mapping[str, int],
    capacity: Mapping[str, int],
    neighbours: Mapping[str, Iterable[str]],
    minimum: int,
) -> tuple[dict[str, str], list[CountyNote]]:
    """R10.2: each registrants' county and the county they sit in: their own when it has
    ``minimum`` registrants and a site; else the nearest (by adjacency) that has both and
    room left, nearer first, then by code; else, the rule being one "in principle", their
    own county's site when it holds them all. A county left without a place is noted."""
    hosts = {c for c, n in counts.items() if n >= minimum and capacity.get(c, 0) > 0}
    room = {c: capacity[c] - counts[c] for c in hosts}
    placed = {c: c for c in hosts}
    notes: list[CountyNote] = []
    for county in sorted(c for c in counts if c not in hosts):
        n, host = counts[county], _nearest(county, neighbours, hosts, room, counts[county])
        small = f"报考不足{minimum}人不设考点" if n < minimum else "本县区未设考点"
        if host is not None:
            room[host] -= n
            notes.append(CountyNote(county, n, host, f"{small}，安排到相邻县区{host}考点"))
        elif capacity.get(county, 0) >= n:  # R10.2: 原则上不设 — no neighbour has room
            host = county
            notes.append(
                CountyNote(county, n, host, f"{small}，但相邻县区考点无空余座位，在本县区考点考试")
            )
        else:
            notes.append(CountyNote(county, n, None, f"{small}，相邻县区考点座位不足，无法安排"))
            continue
        placed[county] = host
    return placed, notes


def _nearest(
    county: str,
    neighbours: Mapping[str, Iterable[str]],
    hosts: set[str],
    room: Mapping[str, int],
    needed: int,
) -> str | None:
    """The nearest host county (breadth first over the adjacency) with ``needed`` seats left."""
    seen, frontier = {county}, deque([county])
    while frontier:
        here = frontier.popleft()
        for next_county in sorted(neighbours.get(here, ())):
            if next_county in seen:
                continue
            seen.add(next_county)
            if next_county in hosts and room[next_county] >= needed:
                return next_county
            frontier.append(next_county)
    return None


def arrange(
    season: str,
    sitters: list[Sitter],
    sites: list[Site],
    neighbours: Mapping[str, Iterable[str]],
    minimum: int,
    previous: Mapping[str, Seat] | None = None,
) -> Arrangement:
    """Every sitter a seat (R10.1), keeping each previous seat that still fits."""
    capacity: Counter[str] = Counter()
    for site in sites:
        capacity[site.county] += sum(r.seats for r in site.rooms)
    counts = Counter(s.county for s in sitters)
    hosts, notes = exam_counties(counts, capacity, neighbours, minimum)
    by_host: dict[str, list[Sitter]] = defaultdict(list)
    for sitter in sitters:
        if sitter.county in hosts:
            by_host[hosts[sitter.county]].append(sitter)
    seats: dict[str, Seat] = {}
    kept = 0
    for host in sorted(by_host):
        placed, kept_here = _seat_county(
            season, host, by_host[host], [s for s in sites if s.county == host], previous or {}
        )
        seats.update(placed)
        kept += kept_here
        if left := len(by_host[host]) - len(placed):
            notes.append(
                CountyNote(
                    host, left, None, f"考点座位不足（按层次科类分场后还差{left}个座位），无法安排"
                )
            )
    return Arrangement(seats, hosts, kept, tuple(notes))


class _Room:
    __slots__ = ("accessible", "free", "group", "number", "site")

    def __init__(self, site: str, room: Room) -> None:
        self.site, self.number, self.accessible = site, room.number, room.accessible
        self.free = list(range(room.seats, 0, -1))  # popped from the end: seat 1 first
        self.group: str | None = None


class _Rooms:
    """A county's rooms in order: each group fills its rooms one by one; an accessible room
    goes to one who asked first, and to the others only when nothing else is left."""

    def __init__(self, rooms: list[_Room]) -> None:
        self.unused = {
            a: deque(r for r in rooms if r.group is None and r.accessible == a)
            for a in (True, False)
        }
        self.started: dict[tuple[str, bool], deque[_Room]] = defaultdict(deque)
        for room in rooms:  # rooms a rerun kept seats in: their group's first
            if room.group is not None:
                self.started[(room.group, room.accessible)].append(room)

    def take(self, group: str, accessible: bool) -> _Room | None:
        for want in (True,) if accessible else (False, True):
            started = self.started[(group, want)]
            while started and not started[0].free:
                started.popleft()
            if started:
                return started[0]
            if self.unused[want]:
                room = self.unused[want].popleft()
                room.group = group
                started.append(room)
                return room
        return None


def _seat_county(
    season: str, county: str, sitters: list[Sitter], sites: list[Site], previous: Mapping[str, Seat]
) -> tuple[dict[str, Seat], int]:
    rooms = {
        (site.code, room.number): _Room(site.code, room)
        for site in sorted(sites, key=lambda s: s.code)
        for room in sorted(site.rooms, key=lambda r: r.number)
    }
    seats: dict[str, Seat] = {}
    for sitter in sitters:  # a rerun: the seats that still fit stay
        old = previous.get(sitter.candidate_id)
        room = rooms.get((old.site, old.room)) if old and old.county == county else None
        fits = old and room and old.group == sitter.group and room.group in (None, old.group)
        if fits and old and room and old.seat in room.free:
            room.free.remove(old.seat)
            room.group = old.group
            seats[sitter.candidate_id] = old
    kept = len(seats)
    groups: dict[str, list[Sitter]] = defaultdict(list)
    for sitter in sitters:
        if sitter.candidate_id not in seats:
            groups[sitter.group].append(sitter)
    free = _Rooms(list(rooms.values()))
    for group in sorted(groups):
        queue = _order(season, groups[group])
        for sitter in [s for s in queue if s.accessible] + [s for s in queue if not s.accessible]:
            room = free.take(group, sitter.accessible)
            if room is None:
                continue  # no seat left for this group: counted and said by arrange()
            seat = Seat(sitter.candidate_id, county, room.site, room.number, room.free.pop(), group)
            seats[sitter.candidate_id] = seat
    return seats, kept


# -- what operators import (R10.2): sites and the county adjacency, a problem per field --
SITE_COLUMNS = {
    "county": "县区代码",
    "code": "考点代码",
    "name": "考点名称",
    "address": "地址",
    "rooms": "考场数",
    "seats": "每场座位数",
    "accessible": "无障碍考场数",
}
ADJACENCY_COLUMNS = {"county": "县区代码", "neighbour": "相邻县区代码"}
Problem = dict[str, object]  # {"row", "field", "message"}


def site_rows(text: str, counties: set[str], room_seats: int) -> tuple[list[Site], list[Problem]]:
    """Every valid site row (rooms numbered from 1, the first ``accessible`` of them
    accessible), and a problem for each field of each invalid row."""
    from .roster import read_rows

    out: list[Site] = []
    problems: list[Problem] = []
    seen: dict[tuple[str, str], int] = {}
    for line, row in read_rows(text, SITE_COLUMNS):
        found = []
        if row.get("county") not in counties:
            found.append(("county", "县区代码不是本考试季的县（市、区）"))
        if not (len(row.get("code", "")) == 2 and ascii_digits(row["code"])):
            found.append(("code", "考点代码应为2位数字"))
        elif (row.get("county", ""), row["code"]) in seen:
            first = seen[(row.get("county", ""), row["code"])]
            found.append(("code", f"考点代码与第{first}行重复"))
        for key in ("name", "address"):
            if not row.get(key):
                found.append((key, f"{SITE_COLUMNS[key]}不能为空"))
        numbers = {k: row.get(k, "") for k in ("rooms", "seats", "accessible")}
        if not all(ascii_digits(v) for v in numbers.values()):
            found += [
                (k, f"{SITE_COLUMNS[k]}应为整数") for k, v in numbers.items() if not ascii_digits(v)
            ]
        else:
            rooms, seats, accessible = (int(numbers[k]) for k in ("rooms", "seats", "accessible"))
            if not 1 <= rooms <= 999:
                found.append(("rooms", "考场数应为1至999"))
            if not 1 <= seats <= room_seats:
                found.append(("seats", f"每场座位数应为1至{room_seats}"))
            if accessible > rooms:
                found.append(("accessible", "无障碍考场数不能多于考场数"))
        if found:
            problems += [{"row": line, "field": f, "message": m} for f, m in found]
            continue
        seen[(row["county"], row["code"])] = line
        out.append(
            Site(
                row["county"],
                row["code"],
                row["name"],
                row["address"],
                tuple(Room(n, seats, n <= accessible) for n in range(1, rooms + 1)),
            )
        )
    return out, problems


def adjacency_rows(text: str, counties: set[str]) -> tuple[dict[str, list[str]], list[Problem]]:
    """The county adjacency, both ways: a pair names each county once."""
    from .roster import read_rows

    out: dict[str, set[str]] = defaultdict(set)
    problems: list[Problem] = []
    for line, row in read_rows(text, ADJACENCY_COLUMNS):
        found = [
            (key, f"{ADJACENCY_COLUMNS[key]}不是本考试季的县（市、区）")
            for key in ("county", "neighbour")
            if row.get(key) not in counties
        ]
        if not found and row["county"] == row["neighbour"]:
            found.append(("neighbour", "相邻县区不能是自己"))
        if found:
            problems += [{"row": line, "field": f, "message": m} for f, m in found]
            continue
        out[row["county"]].add(row["neighbour"])
        out[row["neighbour"]].add(row["county"])
    return {county: sorted(n) for county, n in sorted(out.items())}, problems


# -- R10.4: exams the schools set (Hunan) -----------------------------------------------
SCHOOL_SITE = "001"  # a school examines at its one place: its numbers are 15 digits too


def seat_school(
    school: str,
    rooms: list[int],
    group: str,
    sitters: Iterable[str],
    previous: Mapping[str, Seat],
) -> tuple[list[Seat], int]:
    """A school's applicants in its rooms (seats per room, in the school's order): a seat
    held before is kept while its room still has it; the others fill the free seats in an
    order that mixes colleges (a hash of the candidate, not the roster's order). Returns the
    seats and how many applicants the rooms could not hold."""
    ids = sorted(sitters, key=lambda c: hashlib.sha256(c.encode()).hexdigest())
    kept = {
        c: seat._replace(group=group)
        for c in ids
        if (seat := previous.get(c))
        and (seat.county, seat.site) == (school, SCHOOL_SITE)
        and seat.room <= len(rooms)
        and seat.seat <= rooms[seat.room - 1]
    }
    taken = {(s.room, s.seat) for s in kept.values()}
    free = deque(
        (room, n)
        for room, size in enumerate(rooms, 1)
        for n in range(1, size + 1)
        if (room, n) not in taken
    )
    seats, unplaced = list(kept.values()), 0
    for c in ids:
        if c in kept:
            continue
        if not free:
            unplaced += 1
            continue
        room, n = free.popleft()
        seats.append(Seat(c, school, SCHOOL_SITE, room, n, group))
    return seats, unplaced
