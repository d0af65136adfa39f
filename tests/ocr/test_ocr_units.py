"""Unit tests of the scan reader's pieces on small drawn images."""

from __future__ import annotations

import random

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw

from haizhi.extractors.scan.cells import find_tables, split_lines
from haizhi.extractors.scan.checkboxes import find_boxes, looks_like_option, option_words
from haizhi.extractors.scan.engines import ENGINES, get_engine, line_parts, tidy
from haizhi.extractors.scan.ink import binarize, is_photo, red_mask, text_gray
from haizhi.extractors.scan.orient import orient, quarter, rotate, skew_angle
from haizhi.extractors.scan.seals import find_seals
from haizhi.pipeline.core.errors import HaizhiError
from haizhi.pipeline.simulate.stamps import draw_seal, draw_signature, multiply
from tests.ocr.ocr_helpers import DPI, SANS, SERIF, draw_table, font, page, to_bgr


def _line(text: str, size: float = 12, path: str = SANS) -> np.ndarray:
    f = font(size, path)
    w = int(f.getlength(text)) + 40
    im = Image.new("RGB", (w, int(size * DPI / 72 * 1.6)), "white")
    ImageDraw.Draw(im).text((20, im.height // 2), text, font=f, fill="black", anchor="lm")
    return cv2.cvtColor(to_bgr(im), cv2.COLOR_BGR2GRAY)


def test_tidy_spacing_and_punctuation() -> None:
    assert tidy("深 圳 湾 海 创") == "深圳湾海创"
    assert tidy("中国科协海智工作基地(佛山市顺德区)") == "中国科协海智工作基地（佛山市顺德区）"
    assert tidy("Shenzhen Bay Co., Ltd.") == "Shenzhen Bay Co., Ltd."
    assert tidy("申报单位:") == "申报单位："
    assert tidy("注册资金\n(万元)") == "注册资金\n（万元）"
    assert tidy("负责人电话：(0574)15796271") == "负责人电话：(0574)15796271"  # an area code's pair stays half-width


@pytest.mark.parametrize("name", ENGINES)
def test_engines_read_a_line(name: str) -> None:
    eng = get_engine(name)
    text, conf = eng.recognize_line(_line("机构名称深圳湾海创"))
    assert text == "机构名称深圳湾海创"
    assert 0.5 < conf <= 1.0
    assert eng.recognize_line(np.full((40, 200), 255, np.uint8))[0] == ""


def test_rapidocr_reads_mixed_latin() -> None:
    eng = get_engine("rapidocr")
    assert eng.recognize_line(_line("chenlp@szbay-talent.cn"))[0] == "chenlp@szbay-talent.cn"
    assert eng.recognize_line(_line("2015年6月18日"))[0] == "2015年6月18日"
    cell, _ = eng.recognize_cell(np.vstack([_line("第一行文字"), _line("第二行文字")]))
    assert cell.split("\n") == ["第一行文字", "第二行文字"]


def _wide(text: str) -> np.ndarray:
    im = Image.new("L", (1800, 60), 255)
    ImageDraw.Draw(im).text((10, 30), text, font=font(12, SERIF), fill=0, anchor="lm")
    a = np.asarray(im)
    return a[:, :int(np.flatnonzero((a < 128).any(axis=0)).max()) + 10]


@pytest.mark.parametrize("text", ["联系地址：佛山市创新路57号6层            注册时间：二○○○年九月二日",
                                  "注册资金：1000万元            成立时间：二〇〇〇年十月"])
def test_two_pairs_on_a_line_are_read_part_by_part(text: str) -> None:
    # read whole, the model dropped the run of 〇 late in the line (二〇〇〇年 → 二年): an empty date
    eng = get_engine("rapidocr")
    zero = str.maketrans("○", "〇")  # the two zeros look alike; dates take both
    assert eng.recognize_line(_wide(text))[0].translate(zero) == "".join(text.split()).translate(zero)
    # a line of short pieces (年    月    日) stays one part
    assert line_parts(_wide("年    月    日")) == [(0, _wide("年    月    日").shape[1])]


def test_engine_is_loaded_once_and_unknown_rejected() -> None:
    assert get_engine("rapidocr") is get_engine("rapidocr")
    with pytest.raises(HaizhiError, match="未知的识别引擎"):
        get_engine("paddle")


def test_table_grid_with_merged_cells() -> None:
    im = page(210, 120)
    boxes = draw_table(im, 100, 100, [300, 400, 300, 400], [90, 90, 90, 90],
                       {(0, 0): "机构名称", (2, 0): "机构负责人"}, merges=[(0, 1, 1, 3), (2, 0, 2, 1)])
    b = binarize(text_gray(to_bgr(im)))
    tables = find_tables(b)
    assert len(tables) == 1
    cells = {(c.row, c.col): (c.rowspan, c.colspan) for c in tables[0].cells}
    assert cells[(0, 1)] == (1, 3)
    assert cells[(2, 0)] == (2, 1)
    assert len(tables[0].cells) == len(boxes) == 13
    for c in tables[0].cells:  # the found boxes are the drawn ones, give or take the line width
        assert any(all(abs(a - e) <= 6 for a, e in zip(c.box, bx, strict=True)) for bx in boxes)


def test_underline_inside_a_cell_is_not_a_ruling() -> None:
    im = page(210, 80)
    draw_table(im, 100, 100, [400, 900], [120, 120], {})
    ImageDraw.Draw(im).line((600, 190, 1100, 190), fill="black", width=3)  # an underline in cell (0, 1)
    tables = find_tables(binarize(text_gray(to_bgr(im))))
    assert len(tables) == 1 and len(tables[0].cells) == 4


def test_signature_stroke_run_into_the_frame_is_not_a_ruling() -> None:
    # a black signature in an opinion cell whose long stroke runs into the table's right border: among its
    # other strokes it must not cut the row in two (the opinion line it crosses was lost with the cut)
    im = page(210, 80)
    draw_table(im, 100, 100, [400, 300], [200, 120], {})
    d = ImageDraw.Draw(im)
    d.line((580, 200, 800, 200), fill="black", width=4)  # the stroke, ending on the border at x=800
    for x in range(585, 800, 8):  # the signature's other strokes, close above and below it
        d.line((x, 182, x + 9, 218), fill="black", width=3)
    tables = find_tables(binarize(text_gray(to_bgr(im))))
    assert len(tables) == 1 and len(tables[0].cells) == 4


def test_split_lines() -> None:
    img = np.vstack([_line("第一行"), _line("第二行"), np.full((30, 200), 255, np.uint8)[:, :1], ][:2])
    assert len(split_lines(binarize(img), 8)) == 2


def _boxes_image(items: list[str]) -> tuple[np.ndarray, list]:
    """One line of options; '☑' printed glyph, '□' empty, '■' filled, 'T' hand tick in a box."""
    f = font(12)
    im = Image.new("RGB", (1500, 90), "white")
    d = ImageDraw.Draw(im)
    x = 20
    side = int(11 * DPI / 72)
    for it in items:
        if it in "☑□■":
            d.text((x, 45), it, font=f, fill="black", anchor="lm")
            x += int(f.getlength(it))
        else:
            d.rectangle((x, 45 - side // 2, x + side, 45 + side // 2), outline="black", width=2)
            d.line((x + 4, 45, x + side // 2, 45 + side // 2 + 6, x + side + 10, 45 - side), fill=(20, 20, 90),
                   width=4)
            x += side
        d.text((x + 6, 45), "企业", font=f, fill="black", anchor="lm")
        x += int(f.getlength("企业")) + 70
    b = binarize(cv2.cvtColor(to_bgr(im), cv2.COLOR_BGR2GRAY))
    return b, find_boxes(b, DPI)


def test_checkbox_states_printed_and_hand_ticked() -> None:
    _, boxes = _boxes_image(["☑", "□", "■", "T", "□"])
    assert [b.checked for b in boxes] == [True, False, True, True, False]


def test_characters_with_frames_are_not_checkboxes() -> None:
    f = font(12)
    im = Image.new("RGB", (900, 90), "white")
    ImageDraw.Draw(im).text((20, 45), "中国国际口岸知识回国", font=f, fill="black", anchor="lm")
    b = binarize(cv2.cvtColor(to_bgr(im), cv2.COLOR_BGR2GRAY))
    boxes = find_boxes(b, DPI)
    # a 国/回 frame may look square, but no following text is an option label
    words = option_words()
    assert all(looks_like_option("际口岸", words) is None for _ in boxes)
    assert looks_like_option("荐才机构（发现", words) == "荐才机构"
    assert looks_like_option("荐材机构", words) == "荐才机构"  # one misread character


def test_red_seal_ink_does_not_hide_the_value() -> None:
    im = page(120, 60)
    ImageDraw.Draw(im).text((80, 200), "广东省科学技术协会", font=font(12), fill="black", anchor="lm")
    seal = draw_seal("广东省科学技术协会", DPI, random.Random(1))
    multiply(im, seal, (60, 200 - seal.height // 2))
    bgr = to_bgr(im)
    assert red_mask(bgr).mean() > 1
    gray = text_gray(bgr)
    x1 = 80 + int(font(12).getlength("广东省科学技术协会")) + 20
    text, _ = get_engine("rapidocr").recognize_line(gray[160:240, 60:x1])
    assert text == "广东省科学技术协会"
    seals = find_seals(bgr, DPI)
    assert len(seals) == 1
    x0, y0, x1b, y1 = seals[0][0]
    assert abs((x1b - x0) - seal.width) < seal.width * 0.25


def test_stacked_seals_are_two() -> None:
    im = page(100, 120)
    rng = random.Random(3)
    s1, s2 = draw_seal("甲市科学技术协会", DPI, rng), draw_seal("乙省科学技术协会", DPI, rng)
    multiply(im, s1, (100, 100))
    multiply(im, s2, (110, 100 + s1.height - 20))  # touching the first one
    assert len(find_seals(to_bgr(im), DPI)) == 2


def test_no_seal_on_black_print() -> None:
    im = page(100, 60)
    sig = draw_signature("陈立平", DPI, random.Random(2))
    multiply(im, sig, (100, 100))
    ImageDraw.Draw(im).ellipse((400, 50, 700, 350), outline="black", width=8)
    assert find_seals(to_bgr(im), DPI) == []


def _text_page() -> Image.Image:
    im = page(150, 120)
    d = ImageDraw.Draw(im)
    f = font(12)
    for i, t in enumerate(["推荐中国科协海智计划合作机构信息表", "机构名称深圳湾海创国际人才服务有限公司",
                           "统一社会信用代码九一四四零三零零", "注册地址广东省深圳市南山区粤海街道"]):
        d.text((80, 120 + i * 90), t, font=f, fill="black", anchor="lm")
    draw_table(im, 60, 500, [300, 700], [90, 90, 90], {(0, 0): "注册时间", (1, 0): "法定代表人"})
    return im


@pytest.mark.parametrize("turns", [1, 2, 3])
def test_orientation_is_fixed(turns: int) -> None:
    bgr = to_bgr(_text_page())
    turned = quarter(bgr, turns)
    # a 150 × 120 mm page: its scale is the scan's dpi (the reader always knows it), not an A4 page's guess
    out, _, _, k, _ = orient(turned, get_engine("rapidocr"), text_gray, binarize, dpi=DPI)
    assert (k + turns) % 4 == 0
    assert out.shape == bgr.shape


def test_skew_is_measured() -> None:
    bgr = to_bgr(_text_page())
    b = binarize(text_gray(rotate(bgr, 2.0)))
    assert abs(skew_angle(b) + 2.0) <= 0.3


def test_photo_page_is_recognised() -> None:
    rng = np.random.default_rng(0)
    photo = (rng.random((600, 450, 3)) * 255).astype(np.uint8)
    photo = cv2.GaussianBlur(photo, (31, 31), 0)
    assert is_photo(photo)
    assert not is_photo(to_bgr(_text_page()))


def test_shuffled_pages_are_put_in_form_order() -> None:
    from haizhi.extractors.layout import Cell, Line, Page, Table
    from haizhi.extractors.scan.page_order import footer_number, order_pages

    def pg(num: int, footer: str | None, label: str | None) -> Page:
        p = Page(number=num, width=595, height=842, method="ocr")
        if label:
            p.tables.append(Table(cells=[Cell(label, 0, 0), Cell("x", 0, 1)]))
        if footer:
            p.lines.append(Line(footer, bbox=(280, 800, 320, 812)))
        return p

    foreign = Page(number=1, width=595, height=842, method="ocr", lines=[Line("某某活动报名表", bbox=(50, 50, 300, 70))])
    pages = [foreign, pg(2, "— 3 —", "可提供服务"), pg(3, "— 1 —", "机构名称（中文）"), pg(4, "-2-", "机构简介")]
    assert footer_number(pages[1]) == 3 and footer_number(pages[3]) == 2
    assert [p.number for p in order_pages(pages)] == [3, 4, 2, 1]
    # without printed numbers the first field label on each page decides
    nofoot = [pg(5, None, "法定代表人"), pg(6, None, "机构名称（中文）")]
    assert [p.number for p in order_pages(nofoot)] == [6, 5]


def test_rapidocr_never_downloads(monkeypatch) -> None:
    """A fresh engine loads the models shipped in the wheel; any download attempt fails the test."""
    from rapidocr.utils import download_file

    from haizhi.extractors.scan.engines import RapidEngine

    def refuse(*a, **k):
        raise AssertionError("RapidOCR tried to download something")

    monkeypatch.setattr(download_file.DownloadFile, "run", classmethod(lambda cls, *a, **k: refuse()))
    eng = RapidEngine()
    assert eng.recognize_line(_line("统一社会信用代码"))[0] == "统一社会信用代码"


@pytest.mark.parametrize(("text", "chars"), [
    ("基地负责人（签字）：", 10),   # the whole label, colon included
    ("负责人（签亨）：王五", 8),     # 字 misread, handwriting after the label
    ("推荐单位负责人签字：", 10),
    ("签名", 2),
    ("负责人签字： 邵芳负责人签字： 陆", 6),  # two blocks read as one run: the first label
])
def test_signature_label_end(text: str, chars: int) -> None:
    from dataclasses import dataclass

    from haizhi.extractors.scan.sign_lines import label_end

    @dataclass
    class B:
        text: str
        box: tuple[int, int, int, int]

    cw = 30
    b = B(text, (100, 0, 100 + cw * len(text), 30))
    assert label_end(b, cw) == min(b.box[2], 100 + chars * cw)


def test_seal_closing_around_the_ink_equals_closing_the_whole_page() -> None:
    """find_seals closes the red mask only around its ink (a wide kernel over a page is slow): the result
    must be the whole-page closing, with seals near the edges, scattered red specks, and no red at all."""
    import cv2

    from haizhi.extractors.scan.seals import _close

    rng = np.random.default_rng(3)
    for trial in range(5):
        m = np.zeros((900, 700), np.uint8)
        for _ in range(trial):
            cv2.circle(m, (int(rng.integers(0, 700)), int(rng.integers(0, 900))), int(rng.integers(20, 80)), 255,
                       int(rng.integers(2, 7)))
        if trial == 4:
            m[rng.random(m.shape) < 0.0005] = 255
        for k in (7, 41):
            whole = cv2.morphologyEx(m, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))
            assert (whole == _close(m, k)).all(), (trial, k)


def _inked(layer: Image.Image, rgb: tuple[int, int, int]) -> Image.Image:
    out = Image.new("RGBA", layer.size, rgb + (0,))
    out.putalpha(layer.getchannel("A"))
    return out


def test_blue_signature_after_print_is_not_read_as_text_and_a_blue_tick_stays() -> None:
    from haizhi.extractors.scan.context import PageCtx
    from haizhi.extractors.scan.ink import hand_strokes

    im = page(120, 40)
    f = font(12)
    ImageDraw.Draw(im).text((80, 150), "单位名称：", font=f, fill="black", anchor="lm")
    x = 80 + int(f.getlength("单位名称：")) - 10  # the name's first stroke touches the colon
    sig = _inked(draw_signature("张叶", DPI, random.Random(5), height_mm=9), (40, 60, 170))
    multiply(im, sig, (x, 150 - sig.height // 2))
    tick = _inked(draw_signature("√", DPI, random.Random(1), height_mm=3.5), (40, 60, 170))
    multiply(im, tick, (700, 250))
    bgr = to_bgr(im)
    hand = hand_strokes(bgr, DPI)
    assert hand[:, x + 20:x + sig.width].any()  # the signature
    assert not hand[:, :x - 5].any() and not hand[230:, 680:].any()  # not the print, not a tick-sized mark
    gray = text_gray(bgr)
    x1 = x + sig.width + 10
    plain = PageCtx(gray, binarize(gray), DPI, get_engine("rapidocr"))
    read_plain = plain.rec(60, 125, x1, 175)[0]
    ctx = PageCtx(gray, binarize(gray), DPI, get_engine("rapidocr"))
    ctx.hand = hand
    text, conf = ctx.rec(60, 125, x1, 175)
    assert read_plain != "单位名称：", read_plain  # the signature read as characters without the mask
    assert text == "单位名称：" and conf > 0.8, (text, read_plain)


def test_two_views_agree_on_an_area_unit_and_a_speck_but_not_on_a_character() -> None:
    from haizhi.extractors.scan.guesses import comparable as _comparable

    assert _comparable("1,322 m") == _comparable("1,322 m2") == _comparable("1,322m²")
    assert _comparable("作。2023年与德.") == _comparable("作。2023年与德")
    assert _comparable("x@y.com") != _comparable("x@y.co")
    assert _comparable("同意。") != _comparable("同意")
    assert _comparable("3.5") != _comparable("3.")


@pytest.mark.parametrize("last", ["上。", "十。", "人"])
def test_a_paragraphs_last_line_of_thin_characters_on_a_page_is_a_line(last: str) -> None:
    # on a page-wide image a row of 上's vertical stroke holds fewer ink pixels than the row threshold:
    # the line fell apart into specks and the field lost its end silently (…五十名以 / 上。)
    im = Image.new("L", (1650, 300), 255)
    d = ImageDraw.Draw(im)
    d.text((90, 60), "六成。形成了“引才、育才、用才”的工作闭环，预计三年内引进海外高层次人才五十名以", font=font(10.5),
           fill=0, anchor="lm")
    d.text((90, 108), last, font=font(10.5), fill=0, anchor="lm")
    d.text((90, 180), "设立专项资金支持人才项目孵化，获评省级优秀人才服务机构。", font=font(10.5), fill=0, anchor="lm")
    rng = np.random.default_rng(3)
    img = np.asarray(im).copy()
    img[rng.random(img.shape) < 0.0005] = 0  # scanner specks between the lines stay no line
    lines = split_lines(binarize(img), max(4, int(4 * DPI / 72)))
    assert len(lines) == 3
    assert lines[1][0] <= 100 <= lines[1][1]
