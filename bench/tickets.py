"""准考证 PDF (issue 15): CPU per page and pages per second in one process (target ≤ 5 ms
of CPU per page): reportlab with WenQuanYi Micro Hei (a TrueType subset), the JPEG passed
through and the QR code one path; and the fallback a rare glyph takes (fpdf2, Noto)."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

ROWS = [
    ("姓名", "马晓燕"),
    ("身份证号", "640***********0012"),
    ("准考证号", "236401040100101"),
    ("考点", "银川一中"),
    ("考点地址", "兴庆区文化东街1号"),
    ("考场", "第1考场"),
    ("座位号", "01"),
]
PAPERS = [("政治", "以考试院公布的时间表为准（150分钟）"), ("英语", "同上"), ("高数(一)", "同上")]


def main(pages: int = 50) -> dict[str, Any]:
    from infra.local.demo import demo_photo
    from zhaokao.render.tickets import Ticket, ticket_pdf

    photo, notes = demo_photo(), ["考生须持本人身份证、准考证按规定时间和地点参加考试。"] * 5

    def ticket(token: str, name: str = "马晓燕") -> Ticket:
        rows = [("姓名", name), *ROWS[1:]]
        return Ticket("准考证", rows, PAPERS, notes, photo, token, datetime.now())

    ticket_pdf(ticket("ZK1.warm.up"))  # imports and the font, once a process
    cpu, wall = time.process_time(), time.perf_counter()
    sizes = [len(ticket_pdf(ticket(f"ZK1.{i}.x"))) for i in range(pages)]
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    rare = time.process_time()
    ticket_pdf(ticket("ZK1.rare.x", "王𠮷"))  # a glyph the TrueType font lacks: fpdf2
    rare = time.process_time() - rare
    figures = {
        "pages": pages,
        "cpu_ms_per_page": round(cpu * 1000 / pages, 1),
        "pages_per_second": round(pages / wall, 1),
        "kib_per_page": round(sum(sizes) / pages / 1024, 1),
        "rare_name_ms": round(rare * 1000),
    }
    print(
        f"tickets: {figures['cpu_ms_per_page']} ms of CPU a page, {figures['pages_per_second']} "
        f"pages/s in one process, {figures['kib_per_page']} KiB each (target ≤ 5 ms); a name "
        f"the TrueType font lacks (王𠮷) takes the Noto path: {figures['rare_name_ms']} ms"
    )
    return figures
