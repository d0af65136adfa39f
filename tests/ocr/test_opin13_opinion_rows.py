"""八、单位意见 rows on scans (issue 11, TUNE base clean 10902/10903, heavy 10900): a wall whose last stretch
lies past a seal, a signature read in a label's cell, a label half hidden under a signature, and a seal's ring
crossing three characters of one line. Cuts of TUNE pages (200 dpi)."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from haizhi.extractors.opinion_rows import opinion_text
from haizhi.extractors.scan.cells import find_tables
from haizhi.extractors.scan.confidence import LOW_CONFIDENCE
from haizhi.extractors.scan.context import PageCtx
from haizhi.extractors.scan.engines import get_engine
from haizhi.extractors.scan.ink import binarize, hand_strokes, red_mask, text_gray
from haizhi.extractors.scan.line_join import hidden_head
from haizhi.extractors.scan.print_strokes import strokes_over

DATA = Path(__file__).parent / "data"
DPI = 200.0
MIN_H = 11
PAGE = (2200, 1700)  # a levelled A4 page at 200 dpi


def test_a_wall_going_on_past_a_seal_keeps_label_and_opinion_apart() -> None:
    # TUNE base clean 10902 (print 100, seal 200 as stored): the wall between 省级科协意见 and its opinion is cut
    # where the seal's ring crosses it; below the ring only 34 px of it are left, too short for a ruling. The
    # label's cell ran into the opinion's: 省级科协意见：同意推荐 was read across both, its 。 lost
    g = np.zeros(PAGE, np.uint8)  # on its page: how long a ruling must be goes by the page's size
    cut = cv2.imread(str(DATA / "opin13_wall_past_seal_clean_10902.png"), cv2.IMREAD_GRAYSCALE)
    g[:cut.shape[0], :cut.shape[1]] = cut
    binary = np.where((g == 100) | (g == 255), np.uint8(255), np.uint8(0))
    red = np.where(g >= 200, np.uint8(255), np.uint8(0))
    (table,) = find_tables(binary, red, DPI)
    wall = 838 - 225  # the wall's column in the cut
    across = [c for c in table.cells if c.box[0] < wall - 20 and c.box[2] > wall + 20]
    assert not across, across  # no cell reaches over the wall
    rows = sorted({c.box[1] for c in table.cells if c.box[0] >= wall - 5})
    assert len(rows) == 6, rows  # each opinion: its line, then its signing block


def test_a_name_alone_after_a_label_is_no_opinion() -> None:
    # TUNE base clean 10902: 张明华 written over the label's cell, read 所在地市科协意见\n张化: taken for the opinion
    # (and dropped as a name), the opinion in the cell beside it was not looked at
    assert opinion_text("张化") is None
    assert opinion_text("同意") == "同意"  # a short opinion stays one
    assert opinion_text("经审核，同意申报。\n张明华") == "经审核，同意申报。"


def test_an_opinion_label_half_hidden_is_given_back() -> None:
    # TUNE base clean 10903: a black signature over 意见： of 所在地市科协意见：情况属实…, read 所在地市科协育用情况属实…:
    # no label found, the opinion None
    assert hidden_head("所在地市科协育用情况属实，同意推荐该基地申报。") == "所在地市科协意见：情况属实，同意推荐该基地申报。"
    assert hidden_head("省级科协意兄经审核，同意申报。") == "省级科协意见：经审核，同意申报。"
    assert hidden_head("申报单位名称：某某公司") == "申报单位名称：某某公司"  # another label's start: not touched
    assert hidden_head("所在地市科协育用") == "所在地市科协育用"  # no opinion after it


def test_a_ring_over_three_characters_is_read_from_the_plain_image() -> None:
    # TUNE base heavy 10900: the city seal's ring crosses 单, 优 and 荐 of one line; taking its ink out took their
    # thin strokes (该位基础扎实、势明显，同意推。). The plain red channel reads the line whole, alike at three sizes
    cut = cv2.imread(str(DATA / "opin13_ring_over_three_characters_heavy_10900.png"))
    bgr = cv2.copyMakeBorder(cut, 0, PAGE[0] - cut.shape[0], 0, PAGE[1] - cut.shape[1], cv2.BORDER_REFLECT)
    gray = text_gray(bgr)  # levelled as on its page (the light's flattening goes by the page's size)
    ctx = PageCtx(gray, binarize(gray), DPI, get_engine("rapidocr"))
    ctx.red, ctx.hand, ctx.bgr = red_mask(bgr), hand_strokes(bgr, DPI), bgr
    box = (42, 47, 544, 74)  # the run's box as the reader cut it
    assert ctx.rec(*box)[0] == "该位基础扎实、势明显，同意推。"  # the ring's ink taken out with the strokes
    text, _ = ctx.band(ctx.binary, box, (0, 0), MIN_H)
    assert text == "该单位基础扎实、优势明显，同意推荐。", text


def test_a_black_name_over_the_print_that_hid_characters_is_named() -> None:
    # TUNE base clean 11203: 张明华 written in black, as small as print, over 材料 of 经审核，申报材料真实有效…; OCR read
    # 经审核，申报真实有效，同意申报。 at 0.99 (silent). Ink above the print's rows, and fewer characters than the
    # run's width holds at the print's height: named
    cut = cv2.imread(str(DATA / "opin13_black_name_over_opinion_clean_11203.png"))
    bgr = cv2.copyMakeBorder(cut, 0, PAGE[0] - cut.shape[0], 0, PAGE[1] - cut.shape[1], cv2.BORDER_REFLECT)
    gray = text_gray(bgr)
    ctx = PageCtx(gray, binarize(gray), DPI, get_engine("rapidocr"))
    ctx.red, ctx.hand, ctx.bgr = red_mask(bgr), hand_strokes(bgr, DPI), bgr
    text, conf = ctx.band(ctx.binary, (26, 49, 531, 82), (0, 0), MIN_H)  # the run's box as the reader cut it
    assert text == "经审核，申报材料真实有效，同意申报。" or conf < LOW_CONFIDENCE, (text, conf)
    assert not strokes_over(ctx.binary[49:82, 26:531], "经审核，申报材料真实有效，同意申报。")
    # TUNE base photo 11203: the name across the print itself, 材料真实有效， read as nothing at 0.997 (silent)
    assert strokes_over(ctx.binary[49:82, 26:531], "经审核，申报同意申报。")
    assert not strokes_over(ctx.binary[49:82, 26:140], "2025年3月")  # numbers: their width is not told this way  # read whole: as many as the width holds
