"""No silent errors: a field read with doubt gets a finding naming it, with its page."""

from __future__ import annotations

from haizhi.extractors.layout import Cell, Layout, Line, Page, Table
from haizhi.extractors.mapper import map_layout
from haizhi.pipeline.core.fields import BASE, COOP


def _row(r: int, label: str, value: str, y: float) -> list[Cell]:
    return [Cell(text=label, row=r, col=0, bbox=(50, y, 150, y + 20)),
            Cell(text=value, row=r, col=1, bbox=(150, y, 550, y + 20))]


def test_long_value_cut_at_a_page_bottom_is_flagged() -> None:
    t1 = Table(cells=_row(0, "机构名称（中文）", "某某研究院", 100)
               + [Cell(text="2.近两年开展业务情况", row=1, col=0, bbox=(50, 600, 150, 760)),
                  Cell(text="举办活动三十二场，服务海外人才", row=1, col=1, bbox=(150, 600, 550, 760))],
               page=1, bbox=(50, 100, 550, 760))
    t2 = Table(cells=_row(0, "3.获得奖项及表彰情况", "无", 72) + _row(1, "注册地址", "深圳市", 92), page=2,
               bbox=(50, 72, 550, 112))
    layout = Layout(pages=[Page(1, 612, 792, tables=[t1], method="pdf_text"),
                           Page(2, 612, 792, tables=[t2], method="pdf_text")])
    rec = map_layout(layout, COOP)
    hits = [f for f in rec.findings if f.field == "recent_work" and f.rule == "extract.page_break"]
    assert hits and "第 1 页" in hits[0].message


def test_value_ending_a_sentence_at_the_page_bottom_is_not_flagged() -> None:
    t1 = Table(cells=[Cell(text="2.近两年开展业务情况", row=0, col=0, bbox=(50, 600, 150, 760)),
                      Cell(text="举办活动三十二场。", row=0, col=1, bbox=(150, 600, 550, 760))],
               page=1, bbox=(50, 600, 550, 760))
    t2 = Table(cells=_row(0, "注册地址", "深圳市", 72), page=2, bbox=(50, 72, 550, 92))
    layout = Layout(pages=[Page(1, 612, 792, tables=[t1], method="pdf_text"),
                           Page(2, 612, 792, tables=[t2], method="pdf_text")])
    rec = map_layout(layout, COOP)
    assert not [f for f in rec.findings if f.field == "recent_work"]


def test_a_label_found_twice_with_other_values_is_flagged() -> None:
    t = Table(cells=_row(0, "基地名称", "甲基地", 100) + _row(1, "基地地址", "某市某路1号", 120), page=2)
    cover = [Line("中国科协海智计划基地申报表"), Line("基地名称：乙基地")]
    layout = Layout(pages=[Page(1, lines=cover, method="docx"), Page(2, tables=[t], method="docx")])
    rec = map_layout(layout, BASE)
    assert [f for f in rec.findings if f.field == "base_name" and f.rule == "extract.label_twice"]
    assert not [f for f in rec.findings if f.field == "address"]


def test_an_unread_choice_is_named() -> None:
    t = Table(cells=_row(0, "机构属性", "社会组织 企业 投资机构 高校及科研机构 综合或其他", 100), page=1)
    rec = map_layout(Layout(pages=[Page(1, tables=[t], method="docx")]), COOP)
    assert rec.fields["institution_nature"] is None
    assert [f for f in rec.findings if f.field == "institution_nature"]
