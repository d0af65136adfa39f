"""A group's heading is not a misread label of one of its fields: 八、单位意见 under a seal and a signature (its
field's own label, 申报单位意见, lost under them) was taken for 申报单位意见, the signature's strokes below it read as
letters made the opinion "surely empty", and the opinion written under the signature was silently lost (TUNE base
heavy 12107)."""

from __future__ import annotations

from haizhi.extractors.layout import Cell, Layout, Line, Page, Table
from haizhi.extractors.mapper import map_layout
from haizhi.pipeline.core.fields import BASE


def _page(cell_text: str) -> Page:
    box = Table(cells=[Cell(text=cell_text, row=0, col=0, bbox=(94, 671, 526, 717), confidence=0.6)], page=4,
                bbox=(94, 671, 526, 717))
    return Page(4, 632, 808, method="ocr", tables=[box], lines=[
        Line("3.人员、经费、办公条件等相关证明材料。", bbox=(100, 620, 294, 630)),
        Line("八、单位意见", bbox=(101, 648, 163, 657), confidence=0.99), Line("gkv", bbox=(173, 658, 267, 670), confidence=0.38)])


def test_an_opinion_under_a_signature_is_named_not_read_surely_empty() -> None:
    rec = map_layout(Layout(pages=[_page("申报单位意\n负责人（签字）：    （单位公章）")]), BASE)
    assert rec.fields.get("applicant_opinion") is None
    assert any(f.field == "applicant_opinion" for f in rec.findings)


def test_the_heading_does_not_take_the_opinion_from_its_row() -> None:
    # the row's label read whole: its opinion is the value, whatever the heading above
    rec = map_layout(Layout(pages=[_page("申报单位意见：同意推荐。\n负责人（签字）：    （单位公章）")]), BASE)
    assert rec.fields["applicant_opinion"] == "同意推荐。"
