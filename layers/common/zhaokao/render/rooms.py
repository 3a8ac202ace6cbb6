"""考场名单 for invigilators (R10.2): one A4 page a room — seat, photo, name, masked ID and
准考证号, in seat order, with a column to sign in."""

from __future__ import annotations

import io
from typing import NamedTuple

from .fonts import SC, cjk_font

MARGIN, ROW = 14, 8.2  # millimetres: 30 seats fit a page


class Line(NamedTuple):
    seat: int
    name: str
    id_masked: str
    exam_number: str
    photo: bytes | None


def rooms_pdf(title: str, rooms: dict[int, list[Line]]) -> bytes:
    from fpdf import FPDF  # an operator's print, not a cold start's

    pdf = FPDF(format="A4", unit="mm")
    pdf.set_auto_page_break(auto=False)
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.add_font("cjk", fname=str(cjk_font()), collection_font_number=SC)
    widths = (12, 10, 30, 48, 46, 36)  # seat, photo, name, ID, 准考证号, signature
    for room, lines in sorted(rooms.items()):
        pdf.add_page()
        pdf.set_font("cjk", size=14)
        pdf.cell(0, 9, f"{title}　第{room}考场考生名单", align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("cjk", size=9)
        for label, width in zip(
            ("座号", "照片", "姓名", "身份证号", "准考证号", "考生签名"), widths, strict=True
        ):
            pdf.cell(width, 7, label, border=1, align="C")
        pdf.ln()
        for line in sorted(lines):
            y = pdf.get_y()
            pdf.cell(widths[0], ROW, f"{line.seat:02d}", border=1, align="C")
            pdf.cell(widths[1], ROW, "", border=1)
            if line.photo:
                pdf.image(
                    io.BytesIO(line.photo), x=MARGIN + widths[0] + 1.5, y=y + 0.4, h=ROW - 0.8
                )
            for text, width in zip(
                (line.name, line.id_masked, line.exam_number, ""), widths[2:], strict=True
            ):
                pdf.cell(width, ROW, text, border=1)
            pdf.ln()
    return bytes(pdf.output())
