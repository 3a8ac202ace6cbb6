"""Found by probing the local cloud: six causes of a 500 on bad input. Each now answers a
4xx naming what was wrong — non-ASCII where a signature is compared, digits ``int`` cannot
read, a CSV whose lines end in CR alone."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.integration.test_arrangement import SITES
from tests.support import Api

NX = "/v1/seasons/ningxia-adult-2023"
SEASON = "ningxia-hostile-2023"
BASE = f"/v1/seasons/{SEASON}"


@pytest.fixture(scope="module")
def operator(cloud: Any, api: Api) -> Iterator[str]:
    """Ningxia's policy under a season of its own, for the imports below."""
    from zhaokao.storage import seasons

    ningxia = seasons.get_season("ningxia-adult-2023")
    seasons.install(ningxia.policy.model_copy(update={"season_id": SEASON}), "test")
    yield api.staff_token("operator")


def test_signatures_that_are_not_ascii_are_refused_not_crashed(api: Api, phone: str) -> None:
    edge = api.post(f"{NX}/otp", json={"phone": phone}, headers={"X-Zhaokao-Edge": "é"})
    assert edge.status_code in (200, 202), edge.text  # not believed: the peer's address
    headers = {"Content-Type": "application/json", "X-Sms-Signature": "é", "X-Sms-Timestamp": "²"}
    receipt = api.post("/v1/sms/receipts", data=b"[]", headers=headers)
    assert receipt.status_code == 401, receipt.text
    reviewer = api.staff_token("nx-640104")
    page = api.get(f"{NX}/review/items", reviewer, params={"page": "e30.é"})
    assert page.status_code == 422 and page.json()["error"]["field"] == "page", page.text
    verify = api.get(f"{NX}/tickets/verify", reviewer, params={"token": "ZK1.e30.é"})
    assert verify.status_code == 422 and verify.json()["error"]["field"] == "token", verify.text


def test_digits_int_cannot_read_are_a_problem_of_their_row(api: Api, operator: str) -> None:
    rows = SITES + "640106,02,第二考点,银川市,²,30,0\n"
    sites = api.post(f"{BASE}/exam-sites/sites", operator, json={"csv": rows})
    assert sites.status_code == 200 and sites.json()["imported"] == 0, sites.text
    assert {"row": 5, "field": "rooms"} in [
        {"row": p["row"], "field": p["field"]} for p in sites.json()["problems"]
    ]
    scores = "准考证号,科目代码,成绩,缺考\n236401050100101,zhengzhi,⑨,否\n"
    r = api.post(f"{BASE}/scores", operator, json={"csv": scores})
    assert r.status_code == 200 and r.json()["imported"] == 0, r.text
    assert "score" in {p["field"] for p in r.json()["problems"]}


def test_a_csv_whose_lines_end_in_cr_alone_reads_as_lines(api: Api, operator: str) -> None:
    mac = SITES.replace("\n", "\r")
    r = api.post(f"{BASE}/exam-sites/sites", operator, json={"csv": mac})
    assert r.status_code == 200 and not r.json()["problems"], r.text
    open_quote = 'county,"x\n' + "a" * 200_000
    broken = api.post(f"{BASE}/exam-sites/sites", operator, json={"csv": open_quote})
    assert broken.status_code == 422 and broken.json()["error"]["field"] == "file", broken.text
