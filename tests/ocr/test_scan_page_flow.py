"""A long value broken by a page in a scan: a paragraph's last 。 wrapped alone to the top of the next page's
row is kept (it is too small for a text line), or the value is named as possibly cut."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from haizhi.extractors.layout import Cell, Layout, Page, Table
from haizhi.extractors.mapper import map_layout
from haizhi.extractors.scan.ink import binarize
from haizhi.extractors.scan.lead_stop import STOP, UNSURE, lead_stop
from haizhi.pipeline.core.fields import COOP

DATA = Path(__file__).parent / "data"


def _cell_top() -> np.ndarray:
    """The top of the one-cell table going on with 近两年开展业务情况 (TUNE coop moderate 9201, 200 dpi):
    a lone 。 on the first line, then the text."""
    return binarize(np.array(Image.open(DATA / "lead_stop_moderate_9201.png").convert("L")))


def test_a_stop_alone_above_a_cells_text_is_found() -> None:
    b = _cell_top()
    assert lead_stop(b, 200.0) == STOP
    ring = np.argwhere(b[:34] > 0)
    (y0, x0), (y1, x1) = ring.min(axis=0), ring.max(axis=0)
    filled = b.copy()
    filled[y0:y1 + 1, x0:x1 + 1] = 255  # a dot, not a ring: something there, not read
    assert lead_stop(filled, 200.0) == UNSURE
    moved = b.copy()
    moved[:34] = 0
    moved[y0:y1 + 1, x0 + 200:x1 + 201] = b[y0:y1 + 1, x0:x1 + 1]  # in the middle of the line: no stop …
    assert lead_stop(moved, 200.0) == UNSURE  # … but the text starts on the cell's second line
    clean = b.copy()
    clean[:34] = 0  # the 。 too faint to pass the threshold (TUNE heavy 9201): a first line left blank
    assert lead_stop(clean, 200.0) == UNSURE
    assert lead_stop(b[37:], 200.0) is None  # text from the cell's first row on: nothing above it
    speck = b[30:].copy()
    speck[2:5, 300:303] = 255
    assert lead_stop(speck, 200.0) is None  # a speck above text that starts on the first line


def _pages(lead: str | None, head: str = "两处") -> Layout:
    t1 = Table(cells=[Cell("机构名称（中文）", 0, 0, bbox=(90, 100, 380, 120)),
                      Cell("某某研究院", 0, 1, bbox=(380, 100, 520, 120)),
                      Cell("2.近两年开展业务情况", 1, 0, bbox=(90, 300, 380, 720)),
                      Cell(f"累计服务海外高层次人才三百余人次，建设海外离岸创新中心{head}", 1, 1,
                           bbox=(380, 300, 520, 720))], bbox=(90, 100, 520, 720))
    t2 = Table(cells=[Cell("围绕海外科技人才引进与服务开展工作。", 0, 0, bbox=(90, 79, 520, 206), lead=lead)],
               bbox=(90, 79, 520, 206))
    t3 = Table(cells=[Cell("3.获得奖项及表彰情况", 0, 0, bbox=(90, 230, 380, 260)),
                      Cell("无", 0, 1, bbox=(380, 230, 520, 260))], bbox=(90, 230, 520, 260))
    return Layout(pages=[Page(1, 612, 800, tables=[t1], method="ocr"),
                         Page(2, 612, 800, tables=[t2, t3], method="ocr")])


def test_a_wrapped_stop_ends_the_value_before_the_page_break() -> None:
    rec = map_layout(_pages(STOP), COOP)
    assert rec.fields["recent_work"].replace("\n", "").endswith("中心两处。围绕海外科技人才引进与服务开展工作。")
    assert not [f for f in rec.findings if f.field == "recent_work"]
    # the value already ended (，): the blob is no stop of it
    rec = map_layout(_pages(STOP, head="两处，"), COOP)
    assert "两处，围绕" in rec.fields["recent_work"].replace("\n", "")


def test_an_unread_mark_at_the_rests_start_names_the_value() -> None:
    rec = map_layout(_pages(UNSURE), COOP)
    assert "两处\n围绕" in rec.fields["recent_work"]
    assert [f for f in rec.findings if f.field == "recent_work" and f.rule == "extract.page_break"]
    rec = map_layout(_pages(None), COOP)
    assert not [f for f in rec.findings if f.field == "recent_work"]


def test_a_paragraph_ending_with_no_stop_read_names_the_value() -> None:
    from haizhi.extractors.scan.line_join import open_ends

    # (text, right edge px, ink width px, cell width px): TUNE coop heavy 9140, 三百余人次。 read without its 。
    lines = [("引进硕士及以上学历人才占比超过六成，累", 780, 760, 790),
             ("计服务海外高层次人才三百余人次", 433, 420, 790),
             ("推动一批科技成果在本地转化落地，建立了专", 785, 770, 790)]
    assert open_ends(lines) == (1, False)
    assert open_ends([lines[0], ("计服务海外高层次人才三百余人次。", 460, 448, 790), lines[2]]) == (0, False)
    assert open_ends([("预计三年内引进海外高层次人才五十名以", 760, 745, 790), ("上。", 60, 50, 790)]) == (0, False)
    assert open_ends(lines[:2]) == (0, True)  # the cell's last line: the value may go on next page
    # TUNE coop 9491: 孵 / 化，… — four characters' room at a line cut early by line-breaking rules
    assert open_ends([("立专项资金支持人才项目孵", 630, 480, 790), ("化，与多所海外高校。", 300, 290, 790)]) == (0, False)

    def rec(text: str, ends: int, method: str = "ocr"):  # noqa: ANN202
        t = Table(cells=[Cell("2.近两年开展业务情况", 0, 0, bbox=(90, 100, 380, 300)),
                         Cell(text, 0, 1, bbox=(380, 100, 520, 300), open_ends=ends),
                         Cell("3.获得奖项及表彰情况", 1, 0, bbox=(90, 300, 380, 330)),
                         Cell("无", 1, 1, bbox=(380, 300, 520, 330))], bbox=(90, 100, 520, 330))
        return map_layout(Layout(pages=[Page(1, 612, 800, tables=[t], method=method)]), COOP)

    def named(r) -> bool:  # noqa: ANN001
        return any(f.field == "recent_work" and f.rule == "scan.stop_missing" for f in r.findings)

    assert named(rec("三百余人次\n推动落地。", 1))
    assert named(rec("累计服务海外高层次人才三百余人次", 0))  # the value's own end (TUNE base heavy 9401 goals)
    assert not named(rec("三百余人次。\n推动落地。", 0))
    assert not named(rec("累计服务海外高层次人才三百余人次", 0, method="pdf_text"))


def test_a_paragraph_end_with_no_stop_before_the_page_break_names_the_value() -> None:
    # TUNE coop heavy 9201: …中心两处 ends its cell short of the right side; the 。 wrapped to the next page is
    # too faint to be seen there; the rest is joined, and the value is named
    lay = _pages(UNSURE)
    lay.pages[0].tables[0].cells[3].open_tail = True
    rec = map_layout(lay, COOP)
    assert "两处\n围绕" in rec.fields["recent_work"]
    assert [f for f in rec.findings if f.field == "recent_work"]
    # TUNE coop 9403: 举办海外人才座谈会和政 ends the page's cell short, 策宣讲会… goes on from the next page's
    # first line: one sentence cut by the page, nothing to name
    lay = _pages(None)
    lay.pages[0].tables[0].cells[3].open_tail = True
    rec = map_layout(lay, COOP)
    assert "两处\n围绕" in rec.fields["recent_work"] and not [f for f in rec.findings if f.field == "recent_work"]
    lay = _pages(STOP)  # the 。 seen: the value is whole, nothing to name
    lay.pages[0].tables[0].cells[3].open_tail = True
    rec = map_layout(lay, COOP)
    assert "两处。" in rec.fields["recent_work"] and not [f for f in rec.findings if f.field == "recent_work"]


def test_a_label_less_first_row_not_joined_to_the_value_before_names_it() -> None:
    # the rest of 近两年开展业务情况 in a row under no label, but a running header above the table on its page
    # keeps it from being joined: the value (ending with its stop) is named, not cut silently
    from haizhi.extractors.layout import Line

    lay = _pages(None, head="两处。")
    lay.pages[1].lines.append(Line("推荐中国科协海智计划合作机构信息表（续）", bbox=(200, 50, 420, 62)))
    rec = map_layout(lay, COOP)
    assert "围绕" not in rec.fields["recent_work"]
    assert [f for f in rec.findings if f.field == "recent_work" and f.rule == "extract.page_break"]
    rec = map_layout(_pages(None, head="两处。"), COOP)  # joined: nothing to name
    assert "两处。\n围绕" in rec.fields["recent_work"] and not [f for f in rec.findings if f.field == "recent_work"]


def test_a_signing_date_ending_an_opinion_cell_names_nothing() -> None:
    # TUNE base clean 9492: 同意推荐。/ 负责人（签字）… / 2025年1月20日 — the cell's last line (the date, cut from
    # the opinion) ends on a character short of the right side; the opinion itself is whole
    t = Table(cells=[Cell("申报单位意见", 0, 0, bbox=(90, 600, 300, 700)),
                     Cell("同意推荐。\n负责人（签字）：    （单位公\n章）\n2025年1月20日", 0, 1, bbox=(300, 600, 520, 700),
                          open_tail=True)], bbox=(90, 600, 520, 700))
    rec = map_layout(Layout(pages=[Page(4, 612, 800, tables=[t], method="ocr")]), "base_application")
    assert rec.fields["applicant_opinion"] == "同意推荐。"
    assert not [f for f in rec.findings if f.field == "applicant_opinion"]
