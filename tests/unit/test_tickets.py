"""准考证 (R10.3): the fast path when the TrueType font has every glyph, Noto when not —
a name with 𠮷 is printed, never a blank box; a token verifies only as it was signed."""

from __future__ import annotations

from datetime import datetime

import pypdfium2 as pdfium
import pytest

from infra.local.demo import demo_photo
from zhaokao.domain.errors import InvalidField
from zhaokao.domain.tickets import read_token, token
from zhaokao.render.tickets import Ticket, ticket_pdf

ROWS = [("姓名", "马晓燕"), ("准考证号", "236401040100101")]


def ticket(name: str) -> Ticket:
    rows = [("姓名", name), *ROWS[1:]]
    return Ticket(
        "准考证",
        rows,
        [("政治", "以考试院公布的时间表为准")],
        ["须知"],
        demo_photo(),
        "ZK1.a.b",
        datetime(2023, 10, 16, 9),
    )


def text_of(data: bytes) -> str:
    return str(pdfium.PdfDocument(data)[0].get_textpage().get_text_range())


@pytest.mark.parametrize("name,font", [("马晓燕", b"WenQuanYi"), ("王𠮷", b"NotoSansCJK")])
def test_every_name_prints_by_the_fast_path_or_the_one_with_every_glyph(
    name: str, font: bytes
) -> None:
    data = ticket_pdf(ticket(name))
    assert font in data and name in text_of(data)  # the font embedded; the name printed


def test_a_token_is_refused_when_forged_altered_or_of_another_season() -> None:
    def sign(body: str) -> str:
        return "s" + body[::-1]

    good = token("nx-2023", "236401040100101", "c1", sign)
    assert read_token(good, "nx-2023", sign) == {
        "exam_number": "236401040100101",
        "candidate_id": "c1",
    }
    for bad, season in (
        (good[:-2] + "xx", "nx-2023"),
        ("ZK1.e30.", "nx-2023"),
        (good, "hn-2024"),
        ("hello", "nx-2023"),
    ):
        with pytest.raises(InvalidField):
            read_token(bad, season, sign)
