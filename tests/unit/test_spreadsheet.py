"""CSV exports staff open in Excel: no cell runs as a formula (found by probing)."""

from __future__ import annotations

import csv
import io

from zhaokao.domain.spreadsheet import cell, csv_text


def test_a_cell_excel_would_run_starts_with_an_apostrophe() -> None:
    for text in ("=1+1", "+86", "-2", "@SUM(A1)", "\t=1", "\r=1"):
        assert cell(text) == "'" + text
    assert cell("宁夏=1") == "宁夏=1" and cell(None) == "" and cell(610) == "610"


def test_the_file_is_excel_s_utf_8_with_crlf_and_reads_back() -> None:
    text = csv_text(["专业名称", "成绩"], [["=计算机", 188], ["软件工程", None]])
    assert text.startswith("\ufeff") and text.count("\r\n") == 3
    assert list(csv.reader(io.StringIO(text[1:]))) == [
        ["专业名称", "成绩"],
        ["'=计算机", "188"],
        ["软件工程", ""],
    ]
