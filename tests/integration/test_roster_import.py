"""R2 through the local cloud: signed uploads → S3 event → queue → workers → per-row report."""

from __future__ import annotations

import time
from contextlib import contextmanager
from typing import Any

import requests

from infra.local.demo import graduates, roster_files
from tests.support import PERSONAL, Api

SEASON = "/v1/seasons/hunan-zsb-2024"


@contextmanager
def clock(api: Api, season: str, at: str):
    """Pin a season's clock through the operator API (R1.3), then put it back."""
    operator = api.staff_token("operator")
    before = api.get(f"/v1/seasons/{season}").json()["now"]
    r = api.put(f"/v1/seasons/{season}/clock", operator, json={"at": at})
    assert r.status_code == 200, r.text
    try:
        yield
    finally:
        api.put(f"/v1/seasons/{season}/clock", operator, json={"at": before[:19]})


def upload(form: dict[str, Any], name: str, body: bytes, kind: str) -> None:
    r = requests.post(
        form["url"], data=form["fields"], files={"file": (name, body, kind)}, timeout=30
    )
    assert r.status_code in (200, 204), r.text


def run_import(
    api: Api, token: str, csv: bytes, photos: bytes, timeout: float = 120
) -> dict[str, Any]:
    started = api.post(f"{SEASON}/roster-imports", token)
    assert started.status_code == 201, started.text
    body = started.json()
    upload(body["uploads"]["photos"], "photos.zip", photos, "application/zip")
    upload(body["uploads"]["roster"], "roster.csv", csv, "text/csv")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = api.get(f"{SEASON}/roster-imports/{body['import_id']}", token).json()
        if status["status"] in ("done", "failed"):
            return status
        time.sleep(0.2)
    raise AssertionError(f"import did not finish: {status}")


def test_a_college_imports_its_roster_and_sees_every_bad_row(cloud, api: Api) -> None:
    people = graduates("43002", 1200, seed=7)
    PERSONAL.update(g.id_number for g in people)
    csv, photos = roster_files(people)
    lines = csv.decode().splitlines()

    def change(index: int, column: int, value: str) -> None:
        cells = lines[index].split(",")
        cells[column] = value
        lines[index] = ",".join(cells)

    change(5, 3, "999999")  # unknown major (line 6)
    change(9, 2, "43001")  # another college's student (line 10)
    lines.append(lines[3])  # the same ID twice (line 1202 repeats line 4)
    bad_id = lines[20].split(",")[1]
    change(20, 1, bad_id[:-1] + ("1" if bad_id[-1] != "1" else "2"))  # check digit (line 21)
    csv = ("\n".join(lines) + "\n").encode()
    token = api.staff_token("hn-43002")
    with clock(api, "hunan-zsb-2024", "2024-01-15T10:00:00"):
        first = run_import(api, token, csv, photos)
        assert first["status"] == "done", first
        assert first["total_rows"] == first["processed_rows"] == 1201
        assert (first["added"], first["failed"]) == (1197, 4)
        report = api.get(f"{SEASON}/roster-imports/{_id(api, token, first)}/report", token).json()
        by_line = {p["line"]: p for p in report["problems"]}
        assert set(by_line) == {6, 10, 21, 1202}
        assert by_line[6]["field"] == "major_code" and by_line[10]["field"] == "college_code"
        assert by_line[21]["field"] == "id_number" and "第4行" in by_line[1202]["message"]

        again = run_import(api, token, csv, photos)  # R2.2: the same file changes nothing
        assert (again["added"], again["updated"], again["unchanged"], again["failed"]) == (
            0,
            0,
            1197,
            4,
        )

        other = api.staff_token("hn-43001")  # R15.1: another college sees nothing
        assert api.get(f"{SEASON}/roster-imports/{first['import_id']}", other).status_code == 404
        candidate = api.post(f"{SEASON}/roster-imports", "x")
        assert candidate.status_code == 401


def _id(api: Api, token: str, status: dict[str, Any]) -> str:
    return str(status["import_id"])


def test_outside_the_import_window(api: Api) -> None:
    token = api.staff_token("hn-43001")
    r = api.post(f"{SEASON}/roster-imports", token)  # the demo clock is Jan 29: closed
    assert r.status_code == 403 and r.json()["error"]["code"] == "window_closed"
    assert "学籍导入" in r.json()["error"]["message"]


def test_a_file_without_the_columns_fails_with_a_reason(api: Api) -> None:
    token = api.staff_token("hn-43001")
    with clock(api, "hunan-zsb-2024", "2024-01-15T10:00:00"):
        no_photos = b"PK\x05\x06" + b"\x00" * 18  # an empty zip: S3 takes no empty file
        status = run_import(api, token, "姓名,身份证号\n张三,1\n".encode(), no_photos)
    assert status["status"] == "failed" and "缺少列" in status["error"]
