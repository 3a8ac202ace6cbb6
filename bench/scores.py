"""成绩导入 through the local cloud (issue 15): rows per second of one operator's CSV — each
row's 准考证号 found through its seat (BatchGet), each candidate's subjects written once,
versioned and audited."""

from __future__ import annotations

import time
from typing import Any

import requests

from bench.registration import token_for
from bench.review import NINGXIA, ready_candidates


def seated(count: int) -> list[str]:
    """Candidates with a seat, as an arrangement run leaves them (seat sentinel, number)."""
    from datetime import UTC, datetime

    from zhaokao.storage.models import CandidateRecord, UniqueRecord

    numbers = []
    for i, cid in enumerate(ready_candidates(count, status="approved")):
        number = f"23640105{int(time.time()) % 100:02d}{i // 30 + 1:03d}{i % 30 + 1:02d}"
        seat = {
            "county": "640105",
            "site": "01",
            "room": i // 30 + 1,
            "seat": i % 30 + 1,
            "group": "zsb-ligong",
        }
        CandidateRecord.get(cid).update(
            actions=[CandidateRecord.exam_number.set(number), CandidateRecord.exam_seat.set(seat)]
        )
        UniqueRecord(key=f"seat#{NINGXIA}#{number}", owner=cid, created_at=datetime.now(UTC)).save()
        numbers.append(number)
    return numbers


def main(cloud: Any, candidates: int = 1000) -> dict[str, Any]:
    numbers = seated(candidates)
    rows = ["准考证号,科目代码,成绩,缺考"] + [
        f"{n},{subject},{(i * 37 + k * 11) % 151},否"
        for i, n in enumerate(numbers)
        for k, subject in enumerate(("zhengzhi", "yingyu", "gaoshu_1"))
    ]
    token = token_for("operator", "operator")
    started = time.perf_counter()
    answer = requests.post(
        f"{cloud.url}/v1/seasons/{NINGXIA}/scores",
        json={"csv": "\n".join(rows)},
        headers={"Authorization": f"Bearer {token}"},
        timeout=600,
    )
    seconds = time.perf_counter() - started
    body = answer.json()
    figures = {
        "status": answer.status_code,
        "rows": len(rows) - 1,
        "imported": body.get("imported"),
        "seconds": round(seconds, 2),
        "rows_per_second": round((len(rows) - 1) / seconds),
    }
    print(
        f"score import: {figures['imported']} rows of {candidates} candidates in "
        f"{seconds:.1f} s ({figures['rows_per_second']} rows/s) through the local cloud"
    )
    return figures
