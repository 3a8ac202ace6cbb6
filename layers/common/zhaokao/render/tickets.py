"""准考证 on A4 (R10.3): photo, who, where, when, the 考生须知 and a QR code of the signed
token — black on white, legible when photocopied."""

from __future__ import annotations

import io
from datetime import datetime

from .fonts import SC, cjk_font

MARGIN, LABEL, ROW = 18, 32, 9  # millimetres
PHOTO_W, PHOTO_H, QR = 30, 40, 30


def ticket_pdf(
    title: str,
    rows: list[tuple[str, str]],
    papers: list[tuple[str, str]],
    instructions: list[str],
    photo: bytes | None,
    token: str,
    printed_at: datetime,
) -> bytes:
    import segno
    from fpdf import FPDF  # a printing route's import, not a cold start's

    pdf = FPDF(format="A4", unit="mm")
    pdf.set_auto_page_break(auto=False)
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.add_font("cjk", fname=str(cjk_font()), collection_font_number=SC)
    pdf.set_title(title)
    pdf.add_page()
    pdf.set_font("cjk", size=18)
    pdf.cell(0, 12, title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    top, width = pdf.get_y(), pdf.w - 2 * MARGIN
    if photo:
        pdf.image(io.BytesIO(photo), x=MARGIN + width - PHOTO_W, y=top, w=PHOTO_W, h=PHOTO_H)
    pdf.rect(MARGIN + width - PHOTO_W, top, PHOTO_W, PHOTO_H)
    qr = io.BytesIO()
    segno.make(token, error="m").save(qr, kind="png", scale=4, border=1)
    pdf.image(io.BytesIO(qr.getvalue()), x=MARGIN + width - QR, y=top + PHOTO_H + 4, w=QR, h=QR)
    pdf.set_font("cjk", size=11)
    value_width = width - LABEL - PHOTO_W - 4
    for label, value in rows:
        pdf.set_fill_color(240, 240, 240)
        pdf.cell(LABEL, ROW, label, border=1, fill=True)
        pdf.cell(value_width, ROW, value, border=1, new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(max(pdf.get_y(), top + PHOTO_H + QR + 8))
    pdf.set_font("cjk", size=12)
    pdf.cell(0, 9, "考试科目及时间", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=11)
    for subject, when in papers:
        pdf.cell(LABEL + 20, ROW, subject, border=1)
        pdf.cell(width - LABEL - 20, ROW, when, border=1, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("cjk", size=12)
    pdf.cell(0, 9, "考生须知", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=10)
    for i, line in enumerate(instructions, start=1):
        pdf.multi_cell(
            width, 6, f"{i}．{line}", new_x="LMARGIN", new_y="NEXT"
        )  # no space: CJK wraps anywhere
    pdf.set_font("cjk", size=8)
    pdf.set_y(-MARGIN + 2)
    pdf.cell(
        0, 5, f"打印时间：{printed_at:%Y-%m-%d %H:%M}（北京时间）  二维码供监考人员核验", align="R"
    )
    return bytes(pdf.output())
