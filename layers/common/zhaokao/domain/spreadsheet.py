"""The CSV files staff download and open in Excel (R17.2): UTF-8 with its byte-order mark,
CRLF line ends, and no cell Excel would run as a formula.

A reviewer's reason or a major's name that starts with ``=``, ``+``, ``-`` or ``@`` (or a
tab or carriage return, which Excel skips before one) is a formula to Excel:
``=HYPERLINK(...)`` in a refusal reason became a link in the county's export. Such a cell
is written with a leading apostrophe, as OWASP's advice on CSV injection says; Excel shows
the text as typed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def csv_text(header: Iterable[str], rows: Iterable[Iterable[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([cell(v) for v in row] for row in rows)
    return "\ufeff" + out.getvalue()
