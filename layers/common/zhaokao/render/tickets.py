"""准考证 on A4 (R10.3): photo, who, where, when, the 考生须知 and a QR code of the signed
token — black on white, legible when photocopied."""

from __future__ import annotations

import io
import threading
from datetime import datetime
from typing import NamedTuple

from .fonts import SC, cjk_font

MARGIN, LABEL, ROW = 18, 32, 9  # millimetres
PHOTO_W, PHOTO_H, QR = 30, 40, 30


class Ticket(NamedTuple):
    title: str
    rows: list[tuple[str, str]]  # 姓名, 身份证号, 准考证号, 考点…
    papers: list[tuple[str, str]]  # subject, when
    instructions: list[str]  # 考生须知
    photo: bytes | None
    token: str  # the QR code's text
    printed_at: datetime

    def footer(self) -> str:
        return f"打印时间：{self.printed_at:%Y-%m-%d %H:%M}（北京时间）  二维码供监考人员核验"

    def texts(self) -> list[str]:
        cells = [t for row in self.rows + self.papers for t in row]
        return [self.title, *cells, *self.instructions, self.footer()]


def ticket_pdf(ticket: Ticket) -> bytes:
    """A ticket: by reportlab with the TrueType font (about 5 ms a page) when that font has
    every character on it, else by fpdf2 with Noto Sans CJK (a name with 𠮷 or 䶮)."""
    from .fonts import truetype_font

    found = truetype_font()
    wide = {ord(ch) for text in ticket.texts() for ch in text if ord(ch) > 127}
    if found is not None and wide <= found[1]:
        with _REPORTLAB:
            return _ticket_reportlab(found[0], ticket)
    return _ticket_fpdf(ticket)


# reportlab keeps a registered font's subset state in the font object itself: two pages made
# at once mix their subsets (KeyError). A Lambda instance makes one at a time; the local
# cloud runs its instances as threads of one process (found by the season drill).
_REPORTLAB = threading.Lock()


def _ticket_reportlab(font: object, t: Ticket) -> bytes:
    import segno
    from reportlab import rl_config
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    rl_config.useA85 = 0  # the photo passes through as JPEG, not re-encoded as text
    if "ticket-cjk" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("ticket-cjk", str(font), subfontIndex=0))
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4, pageCompression=0)  # 4.3 ms, not 5.3; 53 KiB, not 34
    page.setTitle(t.title)
    width, height = A4
    left, right = MARGIN * mm, width - MARGIN * mm
    page.setFont("ticket-cjk", 17)
    page.drawCentredString(width / 2, height - MARGIN * mm - 8 * mm, t.title)
    top = height - MARGIN * mm - 16 * mm
    photo_x, photo_y = right - PHOTO_W * mm, top - PHOTO_H * mm
    if t.photo:
        image = ImageReader(io.BytesIO(t.photo))
        page.drawImage(image, photo_x, photo_y, PHOTO_W * mm, PHOTO_H * mm)
    page.rect(photo_x, photo_y, PHOTO_W * mm, PHOTO_H * mm)
    matrix = segno.make(t.token, error="m").matrix
    _qr(page, matrix, right - QR * mm, photo_y - 4 * mm, QR * mm)
    page.setFont("ticket-cjk", 11)
    y, value_x, table_right = top, left + LABEL * mm, photo_x - 4 * mm
    for label, value in t.rows:
        page.rect(left, y - ROW * mm, table_right - left, ROW * mm)
        page.line(value_x, y, value_x, y - ROW * mm)
        page.drawString(left + 2 * mm, y - 6 * mm, label)
        page.drawString(value_x + 2 * mm, y - 6 * mm, value)
        y -= ROW * mm
    y = min(y, top - (PHOTO_H + QR + 8) * mm) - 4 * mm
    page.setFont("ticket-cjk", 12)
    page.drawString(left, y, "考试科目及时间")
    y -= 3 * mm
    page.setFont("ticket-cjk", 11)
    for subject, when in t.papers:
        y -= ROW * mm
        page.rect(left, y, right - left, ROW * mm)
        page.line(left + (LABEL + 20) * mm, y, left + (LABEL + 20) * mm, y + ROW * mm)
        page.drawString(left + 2 * mm, y + 3 * mm, subject)
        page.drawString(left + (LABEL + 22) * mm, y + 3 * mm, when)
    y -= 12 * mm
    page.setFont("ticket-cjk", 12)
    page.drawString(left, y, "考生须知")
    page.setFont("ticket-cjk", 10)
    per_line = int((right - left) / 10)  # characters of 10 pt in a line
    for i, line in enumerate(t.instructions, start=1):
        text = f"{i}．{line}"
        for start in range(0, len(text), per_line):
            y -= 6 * mm
            page.drawString(left, y, text[start : start + per_line])
    page.setFont("ticket-cjk", 8)
    page.drawRightString(right, MARGIN * mm - 4 * mm, t.footer())
    page.showPage()
    page.save()
    return out.getvalue()


def _qr(page: object, matrix: object, x: float, top: float, size: float) -> None:
    """The QR code as one path, each run of dark modules in a row one rectangle (no image to
    encode, a third of the numbers to write)."""
    rows = [list(row) for row in matrix]  # type: ignore[attr-defined]
    cell = size / (len(rows) + 2)
    path = page.beginPath()  # type: ignore[attr-defined]
    for r, row in enumerate(rows):
        c = 0
        while c < len(row):
            if not row[c]:
                c += 1
                continue
            start = c
            while c < len(row) and row[c]:
                c += 1
            path.rect(x + (start + 1) * cell, top - (r + 2) * cell, (c - start) * cell, cell)
    page.drawPath(path, stroke=0, fill=1)  # type: ignore[attr-defined]


def _ticket_fpdf(t: Ticket) -> bytes:
    import segno
    from fpdf import FPDF  # a printing route's import, not a cold start's

    pdf = FPDF(format="A4", unit="mm")
    pdf.set_auto_page_break(auto=False)
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.add_font("cjk", fname=str(cjk_font()), collection_font_number=SC)
    pdf.set_title(t.title)
    pdf.add_page()
    pdf.set_font("cjk", size=18)
    pdf.cell(0, 12, t.title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    top, width = pdf.get_y(), pdf.w - 2 * MARGIN
    if t.photo:
        pdf.image(io.BytesIO(t.photo), x=MARGIN + width - PHOTO_W, y=top, w=PHOTO_W, h=PHOTO_H)
    pdf.rect(MARGIN + width - PHOTO_W, top, PHOTO_W, PHOTO_H)
    qr = io.BytesIO()
    segno.make(t.token, error="m").save(qr, kind="png", scale=4, border=1)
    pdf.image(io.BytesIO(qr.getvalue()), x=MARGIN + width - QR, y=top + PHOTO_H + 4, w=QR, h=QR)
    pdf.set_font("cjk", size=11)
    value_width = width - LABEL - PHOTO_W - 4
    for label, value in t.rows:
        pdf.set_fill_color(240, 240, 240)
        pdf.cell(LABEL, ROW, label, border=1, fill=True)
        pdf.cell(value_width, ROW, value, border=1, new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(max(pdf.get_y(), top + PHOTO_H + QR + 8))
    pdf.set_font("cjk", size=12)
    pdf.cell(0, 9, "考试科目及时间", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=11)
    for subject, when in t.papers:
        pdf.cell(LABEL + 20, ROW, subject, border=1)
        pdf.cell(width - LABEL - 20, ROW, when, border=1, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("cjk", size=12)
    pdf.cell(0, 9, "考生须知", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=10)
    for i, line in enumerate(t.instructions, start=1):  # no space after the number:
        pdf.multi_cell(width, 6, f"{i}．{line}", new_x="LMARGIN", new_y="NEXT")  # wraps anywhere
    pdf.set_font("cjk", size=8)
    pdf.set_y(-MARGIN + 2)
    pdf.cell(0, 5, t.footer(), align="R")
    return bytes(pdf.output())
