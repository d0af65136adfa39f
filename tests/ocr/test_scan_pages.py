"""Scanned returns whose fields run over pages: page numbers, page order and cells that span rows (issue 11)."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from haizhi.extractors.layout import Cell, Layout, Line, Page, Table
from haizhi.extractors.mapper import map_layout
from haizhi.extractors.scan.reader import order_pages
from haizhi.pipeline.core.fields import BASE, COOP
from tests.independent.reading import build, squash


def _page(num: int, footer: str | None, cells: list[Cell] | None = None, lines: list[str] = ()) -> Page:
    p = Page(number=num, width=595, height=842, method="ocr")
    if cells:
        p.tables.append(Table(cells=cells, bbox=(80, 100, 520, 700)))
    for i, t in enumerate(lines):
        p.lines.append(Line(t, bbox=(90, 60 + 20 * i, 400, 72 + 20 * i)))
    if footer:
        p.lines.append(Line(footer, bbox=(280, 800, 320, 812)))
    return p


def test_pages_in_order_by_n_of_m_footers_and_the_returns_own_form() -> None:
    # a base form: its cover (基地名称：…) and a page holding 成立时间, also a label of the coop form
    cover = _page(1, "1/4", lines=["中国科协海智计划基地申报表", "基地名称：海智国际研发社区（常州）", "申报单位：常州市高新区管委会"])
    facts = _page(2, "2/4", [Cell("基地名称", 0, 0), Cell("海智", 0, 1), Cell("成立时间", 1, 0), Cell("2021年", 1, 1)])
    goal = _page(3, "3/4", [Cell("四、预期目标", 0, 0), Cell("引进人才。", 0, 1)])
    sign = _page(4, "4/4", [Cell("申报单位意见", 0, 0), Cell("同意。", 0, 1)])
    assert [p.number for p in order_pages([facts, cover, sign, goal])] == [1, 2, 3, 4]


def test_a_misread_page_number_leaves_the_pages_as_scanned() -> None:
    # - 3 - read as - 5 -: two pages say 5, so no printed number is trusted; the scan's own order stands
    pages = [_page(1, None, [Cell("基地名称", 0, 0), Cell("海智", 0, 1)]),
             _page(2, "- 2 -", [Cell("二、工作基础", 0, 0), Cell("建成平台", 0, 1)]),
             _page(3, "- 5 -", [Cell("", 0, 0), Cell("续写。", 0, 1), Cell("三、设立目的及具备的优势", 1, 0), Cell("目的。", 1, 1)]),
             _page(4, "- 4 -", [Cell("四、预期目标", 0, 0), Cell("目标。", 0, 1)]),
             _page(5, "- 5 -", [Cell("", 0, 0), Cell("续写。", 0, 1)]),
             _page(6, "- 6 -", [Cell("负责人（签字）：", 0, 0)])]
    assert [p.number for p in order_pages(pages)] == [1, 2, 3, 4, 5, 6]


def test_opinion_cell_drawn_over_two_rows_belongs_to_the_label_below() -> None:
    # the page starts with the rest of 所在地市科协意见 (its date) in a row whose label cell is blank; the
    # ruling between that row and 省级科协意见 was not seen, so one value cell spans both rows
    p = Page(number=1, width=612, height=792, method="ocr")
    p.tables.append(Table(cells=[
        Cell("", 0, 0, bbox=(85, 72, 300, 88)),
        Cell("2025年6月2日\n同意推荐。\n负责人（签字）：    （单位公\n章）    张明华", 0, 1, rowspan=2,
             bbox=(300, 72, 516, 148), confidence=0.9),
        Cell("省级科协意见", 1, 0, bbox=(85, 88, 300, 148))], bbox=(85, 72, 516, 148)))
    rec = map_layout(Layout(pages=[p]), BASE)
    assert rec.fields["provincial_opinion"] == "同意推荐。"


@pytest.fixture(scope="module")
def split_scan(tmp_path_factory) -> tuple:
    """A coop return (sample layout) whose 近两年开展业务情况 goes on in a label-less table on the next
    page, page numbers 1/3 in the footers, printed and scanned (clean) by the independent scan maker."""
    from tests.independent.scanmaker import make_scan

    tmp = tmp_path_factory.mktemp("scanpb")
    truth, paths = build(tmp, COOP, "sample", 21, split=True, footer="slash")
    t = make_scan(paths["pdf"], COOP, tmp, level="clean", seed=21, p_mark=0.0)
    return truth, Path(t.path)


def test_scanned_long_text_goes_on_past_the_page_number(split_scan) -> None:
    from haizhi.extractors.scan import read_scan

    truth, scan = split_scan
    layout, _ = read_scan(scan)
    assert any(ln.text.strip() in ("1/3", "2/3") for p in layout.pages for ln in p.lines)  # the numbers are read
    rec = map_layout(layout, COOP)
    for key in ("profile", "recent_work"):
        want, got = squash(truth.fields[key]), squash(rec.fields[key] or "")
        assert got.startswith(want[:20]) and got.endswith(want[-20:]), key  # both pages' parts, nothing more
        assert difflib.SequenceMatcher(None, want, got, autojunk=False).ratio() > 0.98, key  # OCR slips only


def _tune_scan(tmp: Path, fam_seed: int, family: str, seed: int, pages: list[int]) -> tuple:
    """One coop return of the independent family (TUNE), scanned clean by the independent scan maker."""
    from tests.independent.family import build_family
    from tests.independent.scanmaker import make_scan

    s = build_family(tmp, seed=fam_seed, n=1, forms=(COOP,), families=(family,))[0]
    t = make_scan(s.pdf, COOP, tmp, level="clean", seed=seed, p_mark=0.0, pages=pages)
    return s.truth, Path(t.path)


def test_frame_inside_a_character_of_the_name_is_no_checkbox(tmp_path) -> None:
    # 西安恒通技术转移研究院: the frame inside 通 looked like a box, 技术转移 like its option
    from haizhi.extractors.scan import read_scan

    truth, scan = _tune_scan(tmp_path, 0, "sample", 5000, [1])
    rec = map_layout(read_scan(scan)[0], COOP)
    assert rec.fields["name_cn"] == truth.fields["name_cn"] == "西安恒通技术转移研究院"


def test_printed_tick_before_an_option_cut_by_the_next_box(tmp_path) -> None:
    # □创业孵化√管理 | 咨询服务: the ticked option's text runs into the next box's piece; it is read, and named
    from haizhi.extractors.scan import confidence_findings, read_scan

    truth, scan = _tune_scan(tmp_path, 3, "doc", 5003, [2])
    rec = map_layout(read_scan(scan)[0], COOP)
    assert "管理咨询服务" in truth.fields["services"]
    assert rec.fields["services"] == truth.fields["services"]
    assert "services" in {f.field for f in rec.findings + confidence_findings(rec)}
