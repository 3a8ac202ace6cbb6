"""A form on A4 (报名信息表 / 报名信息确认表): title, the candidate's photo, a table of
rows, and the lines to sign — black on white, printable as it is."""

from __future__ import annotations

import io
from datetime import datetime

from .fonts import SC, cjk_font

MARGIN, LABEL_WIDTH, ROW = 18, 42, 9  # millimetres
PHOTO_W, PHOTO_H = 30, 40  # a 1-inch photo's proportions (358×441)


def form_pdf(
    title: str,
    subtitle: str,
    rows: list[tuple[str, str]],
    photo: bytes | None,
    signatures: list[str],
    printed_at: datetime,
) -> bytes:
    from fpdf import FPDF  # a printing route's import, not a cold start's

    pdf = FPDF(format="A4", unit="mm")
    pdf.set_auto_page_break(auto=True, margin=MARGIN)
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.add_font("cjk", fname=str(cjk_font()), collection_font_number=SC)
    pdf.set_title(title)
    pdf.add_page()
    pdf.set_font("cjk", size=17)
    pdf.cell(0, 10, title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=10)
    pdf.cell(0, 7, subtitle, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    top, width = pdf.get_y(), pdf.w - 2 * MARGIN
    _photo(pdf, photo, MARGIN + width - PHOTO_W, top)
    pdf.set_font("cjk", size=11)
    for i, (label, value) in enumerate(rows):
        beside = pdf.get_y() < top + PHOTO_H  # the rows beside the photo are narrower
        value_width = width - LABEL_WIDTH - (PHOTO_W + 3 if beside else 0)
        pdf.set_fill_color(240, 240, 240)
        pdf.cell(LABEL_WIDTH, ROW, label, border=1, fill=True)
        pdf.multi_cell(value_width, ROW, value or "—", border=1, new_x="LMARGIN", new_y="NEXT")
        if i == 0:
            pdf.set_y(max(pdf.get_y(), top + ROW))
    pdf.set_y(max(pdf.get_y(), top + PHOTO_H) + 10)
    for line in signatures:
        pdf.cell(0, 10, line, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=8)
    pdf.set_auto_page_break(auto=False)  # the footer sits in the bottom margin
    pdf.set_y(-MARGIN + 2)
    pdf.cell(0, 5, f"打印时间：{printed_at:%Y-%m-%d %H:%M}（北京时间）", align="R")
    return bytes(pdf.output())


def _photo(pdf: object, photo: bytes | None, x: float, y: float) -> None:
    from fpdf import FPDF

    assert isinstance(pdf, FPDF)
    if photo:
        pdf.image(io.BytesIO(photo), x=x, y=y, w=PHOTO_W, h=PHOTO_H)
    pdf.rect(x, y, PHOTO_W, PHOTO_H)
    if not photo:
        pdf.set_xy(x, y + PHOTO_H / 2 - 3)
        pdf.set_font("cjk", size=9)
        pdf.cell(PHOTO_W, 6, "照片", align="C")
        pdf.set_xy(pdf.l_margin, y)
