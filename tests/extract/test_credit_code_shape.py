"""统一社会信用代码 read from a scan with a letter the code never uses (issue 11: no silent errors). On a heavy
scan (TUNE coop 9810) 91CWMH2PPYM1MTRGEC was read …YMIMT… at high confidence, and went out silent."""

from __future__ import annotations

import pytest

from haizhi.extractors.layout import Cell, Layout, Page, Table
from haizhi.extractors.mapper import map_layout
from haizhi.pipeline.core.fields import COOP


def _read(code: str, method: str = "ocr") -> tuple[object, set]:
    p = Page(number=1, width=612, height=792, method=method)
    conf = 0.97 if method == "ocr" else 1.0
    p.tables = [Table(page=1, bbox=(90, 100, 520, 160), cells=[
        Cell(text="机构名称（中文）", row=0, col=0, bbox=(90, 100, 250, 130), confidence=conf),
        Cell(text="苏州众创技术转移研究院", row=0, col=1, bbox=(250, 100, 520, 130), confidence=conf),
        Cell(text="统一社会信用代码（境外注册机构填写注册号）", row=1, col=0, bbox=(90, 130, 250, 160), confidence=conf),
        Cell(text=code, row=1, col=1, bbox=(250, 130, 520, 160), confidence=conf)])]
    rec = map_layout(Layout(pages=[p]), COOP)
    return rec.fields["credit_code"], {f.field for f in rec.findings}


def test_a_letter_the_code_never_uses_is_put_back_and_named() -> None:
    value, named = _read("91CWMH2PPYMIMTRGEC")  # 1 read as I; the check digit does not confirm it
    assert value == "91CWMH2PPYM1MTRGEC"
    assert "credit_code" in named


@pytest.mark.parametrize("read", ["9111OOOO600037341L", "91110000600O37341L", "9111000060003734IL"])
def test_letters_put_back_that_the_check_digit_confirms_are_not_named(read: str) -> None:
    value, named = _read(read)  # a registered code (check digit L) with 0 read O, 1 read I
    assert value == "91110000600037341L"
    assert "credit_code" not in named


def test_a_code_read_right_and_a_registration_number_abroad_are_left_alone() -> None:
    for code in ("91CWMH2PPYM1MTRGEC", "91110000600037341L", "20193377"):
        value, named = _read(code)
        assert value == code and "credit_code" not in named, code


def test_a_typed_code_with_such_a_letter_is_named_as_written() -> None:
    value, named = _read("91CWMH2PPYMIMTRGEC", method="docx")
    assert value == "91CWMH2PPYMIMTRGEC" and "credit_code" in named
