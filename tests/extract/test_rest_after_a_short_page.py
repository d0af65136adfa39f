"""A long value whose table ends mid-page (the applicant broke the page early), its rest a label-less one-cell table
at the top of the next page: joined even when the first page's misread page number sits in its footer band; where
not joined, the value is named even when its rest repeats a sentence already in it (TUNE coop heavy 12093)."""

from __future__ import annotations

from haizhi.extractors.layout import Cell, Layout, Line, Page, Table
from haizhi.extractors.mapper import map_layout
from haizhi.pipeline.core.fields import COOP

HEAD = "建立了专职工作团队和定期会商机制。推动一批科技成果在本地转化落地。提供知识产权、投融资和法律咨询等一站式服务，"
REST = "推动一批科技成果在本地转化落地。依托地方产业基础聚焦生物医药和集成电路。"


def _layout(footer: str, footer_box: tuple[float, float, float, float]) -> Layout:
    t1 = Table(cells=[Cell(text="机构名称（中文）", row=0, col=0, bbox=(100, 85, 390, 102)),
                      Cell(text="苏州博衍科技服务有限公司", row=0, col=1, bbox=(390, 85, 534, 102)),
                      Cell(text="2.近两年开展业务情况", row=1, col=0, bbox=(100, 102, 390, 482)),
                      Cell(text=HEAD, row=1, col=1, bbox=(390, 102, 534, 482))],
               page=1, bbox=(100, 85, 534, 482))
    rest = Table(cells=[Cell(text=REST, row=0, col=0, bbox=(86, 73, 518, 200))], page=2, bbox=(86, 73, 518, 200))
    awards = Table(cells=[Cell(text="3.获得奖项及表彰情况", row=0, col=0, bbox=(86, 229, 302, 261)),
                          Cell(text="2021年，获优秀组织奖。", row=0, col=1, bbox=(302, 229, 518, 261))],
                   page=2, bbox=(86, 229, 518, 261))
    return Layout(pages=[Page(1, 647, 819, tables=[t1], method="ocr",
                              lines=[Line(footer, bbox=footer_box, confidence=0.42)]),
                         Page(2, 616, 795, tables=[rest, awards], method="ocr")])


def test_the_rest_joins_past_a_misread_page_number() -> None:
    rec = map_layout(_layout("5•", (315, 762, 333, 766)), COOP)
    assert rec.fields["recent_work"].replace("\n", "") == HEAD + REST


def test_text_after_the_table_keeps_the_rest_apart_and_the_value_is_named() -> None:
    # a real line of text under the table (not page furniture): the rest is not joined, but the cut value is named
    # although the rest's first sentence is already in it
    rec = map_layout(_layout("以上情况属实", (300, 600, 400, 612)), COOP)
    assert REST not in rec.fields["recent_work"]
    hits = [f for f in rec.findings if f.field == "recent_work" and f.rule == "extract.page_break"]
    assert hits and "第 1 页" in hits[0].message


def test_an_off_centre_short_run_in_the_footer_is_not_a_page_number() -> None:
    # a short run at the footer's left edge is not taken for a page number: the value stays unjoined and named
    rec = map_layout(_layout("5•", (100, 762, 118, 766)), COOP)
    assert REST not in rec.fields["recent_work"]
    assert any(f.field == "recent_work" and f.rule == "extract.page_break" for f in rec.findings)
