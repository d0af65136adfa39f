"""八、单位意见 read from scans in the shapes people's returns take (issue 11, "What failed" 3), and a label
wrapped at a line's end: each value read right, or named by a finding when it cannot be."""

from __future__ import annotations

import pytest

from haizhi.extractors.layout import Cell, Layout, Line, Page, Table
from haizhi.extractors.mapper import map_layout
from haizhi.extractors.normalize import strip_own_label, strip_signature_lines
from haizhi.extractors.scan.confidence import confidence_findings
from haizhi.pipeline.core.fields import BASE


def _named(rec) -> set[str]:  # noqa: ANN001
    return {f.field for f in rec.findings + confidence_findings(rec) if f.field}


def test_date_line_and_signature_read_into_an_opinion_are_dropped() -> None:
    # the 年 月 日 line with the signature written across it, a name under the sentence, a stroke after 。
    assert strip_signature_lines("经审核，申报材料真实有效，同意申报。\n年    张明华日", scanned=True) == \
        "经审核，申报材料真实有效，同意申报。"
    assert strip_signature_lines("情况属实，同意推荐该基地申报。\n年    月张明华", scanned=True) == "情况属实，同意推荐该基地申报。"
    assert strip_signature_lines("同意推荐。\n张明化", scanned=True) == "同意推荐。"
    assert strip_signature_lines("同意推荐。华\n负责人（签字）：    （单位公\n章）\n年    月    日", scanned=True) == "同意推荐。"
    # an opinion of two lines stays whole
    two = "该单位基础扎实、优势明显，\n同意推荐。"
    assert strip_signature_lines(two, scanned=True) == two


def test_own_label_in_the_value_goes_and_a_label_alone_is_no_value() -> None:
    others = ["所在地市科协意见", "省级科协意见"]
    assert strip_own_label("申报单位意见同意推荐。", "申报单位意见", others) == ("同意推荐。", None)
    value, why = strip_own_label("所在地市科区见", "申报单位意见", others)  # the next row's label
    assert value is None and why
    assert strip_own_label("同意推荐。", "申报单位意见", others) == ("同意推荐。", None)


def test_opinion_table_read_as_one_line_keeps_only_the_opinion() -> None:
    # a one-row table whose rulings joined label and value into one OCR line under the heading
    p = Page(number=1, width=612, height=792, method="ocr")
    p.lines += [Line("八、单位意见", bbox=(91, 666, 153, 676), confidence=0.99),
                Line("申报单位意见同意推荐。", bbox=(85, 690, 517, 707), confidence=0.99)]
    rec = map_layout(Layout(pages=[p]), BASE)
    assert rec.fields["applicant_opinion"] == "同意推荐。"


def test_label_cells_lost_under_seals_take_the_opinion_cells_beside_them() -> None:
    # the label column's rulings hidden by seals: labels read as lines (one misread), the value column as
    # cells; the ruling between the last two rows hidden by a signature, so one cell holds two opinions
    p = Page(number=5, width=618, height=797, method="ocr")
    p.lines += [Line("八、单位意见", bbox=(95, 415, 155, 425), confidence=0.99),
                Line("申报单位意", bbox=(87, 438, 302, 454), confidence=0.6),
                Line("9", bbox=(150, 467, 158, 472), confidence=0.28),
                Line("所在地市科区见", bbox=(87, 504, 177, 514), confidence=0.98),
                Line("省级科协意见", bbox=(87, 565, 167, 575), confidence=0.99)]
    p.tables.append(Table(cells=[
        Cell("经审核，申报材料真实有效，同意申报。\n负责人（签字）：    （单位公\n章）\n张月华月    旦", 0, 0,
             bbox=(303, 440, 520, 500), confidence=0.9),
        Cell("经审核，申报材料真实有效，同意申报。\n负责人（签字）：    0位公\n章）    7\n情况属实，同意推荐。\n"
             "负责人（签字）：    （单位公\n章）\n年    月    日", 1, 0, bbox=(303, 500, 520, 622), confidence=0.9)],
        bbox=(303, 440, 520, 622)))
    rec = map_layout(Layout(pages=[p]), BASE)
    assert rec.fields["applicant_opinion"] == "经审核，申报材料真实有效，同意申报。"
    assert rec.fields["city_opinion"] == "经审核，申报材料真实有效，同意申报。"
    assert rec.fields["provincial_opinion"] == "情况属实，同意推荐。"
    # the two cut out of one cell are named for a check
    assert {"city_opinion", "provincial_opinion"} <= _named(rec)


def test_second_label_wrapped_to_the_next_line_finds_its_value() -> None:
    # 年度专项工作经费（万元）：632.2万元    年度人才或项目支持奖励经费（万 / 元）：638.71万
    p = Page(number=2, width=612, height=792, method="ocr")
    p.lines += [Line("年度专项工作经费（万元）：632.2万元", bbox=(91, 321, 276, 332), confidence=0.99),
                Line("年度人才或项目支持奖励经费（万", bbox=(343, 321, 499, 332), confidence=0.99),
                Line("元）：638.71万", bbox=(91, 339, 166, 348), confidence=0.99)]
    rec = map_layout(Layout(pages=[p]), BASE)
    assert rec.fields["work_funds"] == 632.2
    assert rec.fields["support_funds"] == 638.71


def test_page_whose_number_was_not_read_stays_after_the_page_before_it() -> None:
    # 五、支持政策 starts at the bottom of page 3 and goes on at the top of page 4, whose footer a seal hid;
    # page 4 must not jump before page 3 (支持政策 would be lost and 工作基础 would swallow its text)
    from haizhi.extractors.scan.page_order import order_pages

    def page(num: int, footer: str | None, lines: list[str]) -> Page:
        p = Page(number=num, width=595, height=842, method="ocr")
        p.lines += [Line(t, bbox=(90, 60 + 20 * i, 500, 72 + 20 * i)) for i, t in enumerate(lines)]
        if footer:
            p.lines.append(Line(footer, bbox=(280, 800, 320, 812)))
        return p

    pages = [page(1, "- 1 -", ["中国科协海智计划基地申报表", "基地名称：海智国际研发社区"]),
             page(2, "- 2 -", ["二、工作基础", "建成平台。"]),
             page(3, "- 3 -", ["三、设立目的及具备的优势", "目的。", "五、支持政策与条件保障", "地方政府出台人才安居、"]),
             page(4, None, ["税收返还等配套政策。", "六、申报单位负责人承诺", "基地负责人（签字）："]),
             page(5, "- 5 -", ["省级科协意见：同意推荐。"])]
    assert [p.number for p in order_pages(pages)] == [1, 2, 3, 4, 5]


def test_signing_block_lines_with_handwriting_do_not_count_for_the_opinions_confidence() -> None:
    # lines the reader leaves out of a cell's OCR confidence: the printed block with strokes read into it
    from haizhi.extractors.normalize import sign_block_line, signature_line

    for line in ("章）    V", "年    月", "707542月2日", "UN    025年2月2日", "负责人（7字）：    （单位公"):
        assert sign_block_line(line), line
    for line in ("情况属实，同意推荐该基地申报。", "同意。", "该单位基础扎实、"):
        assert not sign_block_line(line) and not signature_line(line), line
    assert signature_line("张明化")


def test_required_value_not_read_on_a_scan_is_named() -> None:
    # the label was read, its value (under a seal) was not: the empty field must not be silent
    p = Page(number=1, width=612, height=792, method="ocr")
    p.tables.append(Table(cells=[Cell("基地名称", 0, 0, bbox=(85, 100, 300, 130)), Cell("", 0, 1, bbox=(300, 100, 516, 130)),
                                 Cell("基地地址", 1, 0, bbox=(85, 130, 300, 160)),
                                 Cell("山东省青岛市长江路183号", 1, 1, bbox=(300, 130, 516, 160))],
                          bbox=(85, 100, 516, 160)))
    rec = map_layout(Layout(pages=[p]), BASE)
    assert rec.fields["base_name"] is None and rec.fields["address"] == "山东省青岛市长江路183号"
    named = _named(rec)
    assert "base_name" in named and "address" not in named


def test_empty_opinion_row_at_a_pages_top_is_not_the_rest_of_the_row_before() -> None:
    # 申报单位意见 ends page 4; page 5 starts with 所在地市科协意见：(left empty) as a row of its own
    p4 = Page(number=4, width=612, height=792, method="ocr")
    p4.tables.append(Table(cells=[Cell("申报单位意见：\n负责人（签字）：2024年11月4日", 0, 0, bbox=(85, 653, 209, 715)),
                                  Cell("张明华", 0, 1, bbox=(209, 653, 517, 715))], bbox=(85, 653, 517, 715)))
    p5 = Page(number=5, width=612, height=792, method="ocr")
    p5.tables.append(Table(cells=[
        Cell("所在地市科协意见：\n负责人（签字）：    （单位公章）\n2024年11月4日", 0, 0, bbox=(85, 72, 517, 133)),
        Cell("省级科协意见：该单位基础扎实、优势明显，同意推荐。\n负责人（签字）：    （单位公章）\n2024年11月4日", 1, 0,
             bbox=(85, 133, 517, 194))], bbox=(85, 72, 517, 194)))
    rec = map_layout(Layout(pages=[p4, p5]), BASE)
    assert rec.fields["city_opinion"] is None
    assert rec.fields["provincial_opinion"] == "该单位基础扎实、优势明显，同意推荐。"


def test_opinion_residue_of_signing_blocks_is_no_opinion_and_is_named() -> None:
    # 单位名称 with its colon lost under a signature, a signature read as two characters, the date line
    # with strokes read into it: none is an opinion; each is left empty and named. A short opinion stays.
    from haizhi.extractors.opinion_rows import clean_opinion
    from haizhi.pipeline.core.fields import form_spec

    spec = form_spec(BASE)
    f = next(x for x in spec.fields if x.key == "applicant_opinion")
    prov = {"method": "ocr", "page": 4, "bbox": [95, 528, 160, 538], "confidence": 0.75}
    for residue in ("一\n单位名称张叶", "学做", "负责人（签字）（单位公章）\n2024年1CHH7O"):
        value, found = clean_opinion(spec, f, residue, prov)
        assert value is None and [x.field for x in found] == ["applicant_opinion"], residue
    for opinion in ("同意。", "同意推荐", "2024年度工作突出，同意推荐。"):
        assert clean_opinion(spec, f, opinion, prov) == (opinion, [])


def test_opinion_label_whose_colon_was_misread_or_lost_is_a_label_again() -> None:
    from haizhi.extractors.scan.line_join import unglue as _unglue

    assert _unglue("省级科协意见.") == "省级科协意见："
    assert _unglue("所在地市科协意见该单位基础扎实。") == "所在地市科协意见：该单位基础扎实。"
    assert _unglue("同意推荐.") == "同意推荐."  # not a label: left alone
    assert _unglue("申报单位意见（盖章）") == "申报单位意见（盖章）"
    p = Page(number=6, width=612, height=792, method="ocr")
    p.lines += [Line(_unglue("省级科协意见."), bbox=(92, 642, 234, 652), confidence=0.6),
                Line("经审核，申报材料真实有效，同意申报。", bbox=(91, 669, 272, 679), confidence=0.99)]
    rec = map_layout(Layout(pages=[p]), BASE)
    assert rec.fields["provincial_opinion"] == "经审核，申报材料真实有效，同意申报。"


def test_ruling_gaps_under_a_seal_are_closed_and_signature_strokes_are_no_rulings() -> None:
    # a 3×2 table; a seal's ring took two pieces of the right border and of a row's ruling with it (their
    # pixels are red in the colour image); a signature's hatch of strokes crosses the middle row's ruling
    import numpy as np

    from haizhi.extractors.scan.cells import find_tables

    h, w = 1100, 1400
    b = np.zeros((h, w), np.uint8)
    ys, xs = [100, 300, 500, 700], [100, 600, 1300]
    for y in ys:
        b[y - 1:y + 2, xs[0]:xs[-1] + 1] = 255
    for x in xs:
        b[ys[0]:ys[-1] + 1, x - 1:x + 2] = 255
    red = np.zeros_like(b)
    for y0, y1 in ((320, 420), (560, 640)):  # the right border under the ring
        b[y0:y1, 1298:1303] = 0
        red[y0:y1, 1270:1330] = 255
    b[498:503, 1150:1240] = 0  # the ruling under the seal row 1 / row 2
    red[480:520, 1150:1240] = 255
    for i, x in enumerate(range(760, 900, 14)):  # the hatch: thin strokes side by side over the ruling
        b[450 + 3 * i:560 + 3 * i, x:x + 3] = 255
    tables = find_tables(b, red, 200.0)
    assert len(tables) == 1
    t = tables[0]
    assert t.box[2] >= 1295  # the right border found under the seal
    assert sorted({c.col for c in t.cells}) == [0, 1] and len(t.cells) == 6  # no column from the strokes


def test_specks_in_a_scans_margin_do_not_stop_a_long_text_at_a_page_break() -> None:
    # 五、支持政策 fills page 4 to its bottom; the scanner left a speck line under the page number
    # (BONNIWSINRNT); page 5 begins with the rest of the text in a label-less row
    p4 = Page(number=4, width=612, height=842, method="ocr")
    p4.tables.append(Table(cells=[Cell("五、支持政策与条件保障", 0, 0, bbox=(97, 551, 313, 717)),
                                  Cell("建立了专职工作团队和定期会商机制，地", 0, 1, bbox=(313, 551, 529, 717))],
                           bbox=(97, 551, 529, 717)))
    p4.lines.append(Line("BONNIWSINRNT", bbox=(366, 803, 495, 807), confidence=0.3))
    p5 = Page(number=5, width=612, height=842, method="ocr")
    p5.tables.append(Table(cells=[Cell("", 0, 0, bbox=(90, 76, 306, 364)),
                                  Cell("方政府出台人才安居、税收返还等配套政策。", 0, 1, bbox=(306, 76, 522, 364))],
                           bbox=(90, 76, 522, 364)))
    rec = map_layout(Layout(pages=[p4, p5]), BASE)
    assert "".join(rec.fields["policies"].split()) == "建立了专职工作团队和定期会商机制，地方政府出台人才安居、税收返还等配套政策。"
    assert "policies" not in _named(rec)


def test_signature_over_short_opinion_rows_does_not_cut_them_into_columns(tmp_path) -> None:
    # a re-typed return (.doc family) whose opinion rows are one line high: a large black signature
    # written below its label crosses the ruling between 申报单位意见 and 所在地市科协意见; its strokes
    # used to be taken for column rulings, cutting both rows (and their opinions) into pieces
    from pathlib import Path

    import pdfplumber

    from haizhi.extractors.scan import read_scan
    from tests.independent.family import build_family
    from tests.independent.scanmaker import make_scan

    s = build_family(tmp_path, seed=803, n=1, forms=(BASE,), families=("doc",))[0]
    with pdfplumber.open(str(s.pdf)) as pdf:
        pages = [i + 1 for i, pg in enumerate(pdf.pages) if "意见" in (pg.extract_text() or "")]
    t = make_scan(s.pdf, BASE, tmp_path, level="moderate", seed=7803, pages=pages,
                  ways={"signature": "below", "ink": "black", "size": "large"})
    layout, _ = read_scan(Path(t.path))
    rows = [(tb, c) for pg in layout.pages for tb in pg.tables for c in tb.cells if "科协" in c.text or "申报单位意" in c.text]
    assert rows
    for tb, c in rows:  # each opinion row is one cell across its table
        assert c.bbox and tb.bbox and c.bbox[2] - c.bbox[0] > 0.9 * (tb.bbox[2] - tb.bbox[0]), c.text
    rec = map_layout(layout, BASE)
    assert rec.fields["applicant_opinion"] == s.truth.fields["applicant_opinion"]
    named = _named(rec)
    for k in ("applicant_opinion", "city_opinion", "provincial_opinion"):
        assert rec.fields[k] == s.truth.fields[k] or k in named, k


@pytest.mark.parametrize("seed", [1, 3, 4])
def test_opinion_line_with_a_black_signature_across_it_is_read_from_its_print(seed: int) -> None:
    # a large signature in black ink written across 情况属实，同意推荐该基地申报。: the line's band is three
    # lines tall, which shrank the print for OCR; the print's own band reads it whole, and stays unsure
    import random

    import cv2
    import numpy as np
    from PIL import Image, ImageDraw

    from haizhi.extractors.scan.confidence import LOW_CONFIDENCE
    from haizhi.extractors.scan.context import PageCtx
    from haizhi.extractors.scan.engines import get_engine
    from haizhi.extractors.scan.ink import binarize, text_gray
    from haizhi.extractors.scan.reader import _read_outside
    from tests.independent import scan_ink as ink
    from tests.ocr.ocr_helpers import DPI, font

    text = "情况属实，同意推荐该基地申报。"
    im = Image.new("RGB", (1200, 200), "white")
    ImageDraw.Draw(im).text((40, 100), text, font=font(10.5), fill="black", anchor="lm")
    rgb = np.asarray(im, np.float32).copy()
    layer = ink.signature("张明华", DPI, random.Random(seed), 12, "black")
    ink.press(rgb, layer, 330, 100 - layer.size[1] // 2)
    gray = text_gray(cv2.cvtColor(rgb.astype(np.uint8), cv2.COLOR_RGB2BGR))
    binary = binarize(gray)
    page = Page(number=1, width=432, height=72, method="ocr")
    _read_outside(PageCtx(gray, binary, DPI, get_engine(None)), binary, page)
    got = [ln for ln in page.lines if "情况" in ln.text]
    assert len(got) == 1
    assert got[0].confidence < LOW_CONFIDENCE  # strokes across the print: named for a check
    if seed != 1:
        assert got[0].text == text


def _sealed_line(text: str, seed: int, level: str, across: tuple[float, float]) -> list:
    """The lines read from a page holding text over a signing line, with a seal pressed on text (its centre
    across that share of the line's first 560 px), degraded at level."""
    import random

    import cv2
    import numpy as np
    from PIL import Image, ImageDraw

    from haizhi.extractors.scan.engines import get_engine
    from haizhi.extractors.scan.raster import PageImage
    from haizhi.extractors.scan.reader import read_page
    from tests.independent import scan_ink as ink
    from tests.ocr.ocr_helpers import DPI, font

    rng = random.Random(seed)
    im = Image.new("RGB", (1400, 900), "white")
    ImageDraw.Draw(im).text((120, 300), text, font=font(10.5), fill="black", anchor="lm")
    ImageDraw.Draw(im).text((120, 380), "负责人（签字）：        （单位公章）", font=font(10.5), fill="black", anchor="lm")
    rgb = np.asarray(im, np.float32).copy()
    layer = ink.seal("市科学技术协会", DPI, rng)
    d = layer.size[1]
    ink.press(rgb, layer, 120 + int(rng.uniform(*across) * 560), 300 - d // 2 + int(rng.uniform(-0.3, 0.3) * d))
    bgr = cv2.cvtColor(np.asarray(ink.degrade(rgb, level, DPI, rng)), cv2.COLOR_RGB2BGR)
    return read_page(PageImage(1, bgr, float(DPI)), get_engine(None))[0].lines


@pytest.mark.parametrize("seed", [1, 10, 11])
def test_opinion_line_whose_end_a_seals_ring_crosses_is_read_whole(seed: int) -> None:
    # a seal pressed on the signing block with its ring over 同意推荐。: the OCR image, which takes reddish
    # ink out, lost the thin final 。 under the ring and read the rest surely (a silent error); the print
    # read again from the plain red channel gives it back
    from haizhi.extractors.scan.confidence import LOW_CONFIDENCE

    text = "该单位基础扎实、优势明显，同意推荐。"
    lines = _sealed_line(text, seed, "moderate", (0.55, 0.85))
    got = [ln for ln in lines if "单位" in ln.text and "负责" not in ln.text and "公章" not in ln.text]
    assert len(got) == 1
    assert got[0].text == text or got[0].confidence < LOW_CONFIDENCE
    assert got[0].text == text


def test_seal_strokes_read_after_an_opinion_label_do_not_hide_the_opinion_beside_it() -> None:
    # a seal pressed over the label column: its strokes read as 5 after 申报单位意见： and as 8 I under
    # 所在地市科协意见; the opinions are in the cells right of the labels
    p = Page(number=5, width=612, height=792, method="ocr")
    p.tables.append(Table(cells=[
        Cell("申报单位意见：5", 0, 0, bbox=(99, 554, 315, 600), confidence=0.75),
        Cell("同意推荐。\n负责人（签字）：    （单位公章）\n年    月    日", 0, 1, bbox=(315, 554, 531, 600)),
        Cell("所在地市科协意见\n8 I", 1, 0, bbox=(99, 600, 315, 646), confidence=0.59),
        Cell("经审核，申报材料真实有效，同意申报。\n负责人（签字）：    （单位公章）", 1, 1, bbox=(315, 600, 531, 646))],
        bbox=(99, 554, 531, 646)))
    rec = map_layout(Layout(pages=[p]), BASE)
    assert rec.fields["applicant_opinion"] == "同意推荐。"
    assert rec.fields["city_opinion"] == "经审核，申报材料真实有效，同意申报。"


@pytest.mark.parametrize(("seed", "level"), [(16, "heavy"), (22, "moderate")])
def test_opinion_line_a_seal_confused_is_read_from_the_plain_image(seed: int, level: str) -> None:
    # a seal pressed over 情况属实，同意推荐该基地申报。: the OCR image, the seal taken out, read a character
    # otherwise (推营). The plain red channel's reading is the one kept; it is named unless every character of it
    # was sure at three sizes and only Chinese characters differ (round 25: on TUNE base scans such a plain
    # reading was right 11 times in 12, and a confusion both images shared, 扎→托, was under that bar)
    from haizhi.extractors.scan.confidence import LOW_CONFIDENCE

    text = "情况属实，同意推荐该基地申报。"
    lines = _sealed_line(text, seed, level, (0.0, 0.85))
    got = [ln for ln in lines if ln.text.startswith("情况")]
    assert len(got) == 1
    assert got[0].text == text
    assert got[0].confidence < LOW_CONFIDENCE or got[0].confidence >= 0.97  # sure only as the plain reading was


def _paragraph_opinions(label: Line) -> Layout:
    """八、单位意见 as paragraphs (heavy TUNE base 9800, pages 4–5): each opinion's label on a line of its own,
    its signing block below, the 省级 one empty with its seal pressed over the label."""
    p = Page(number=5, width=612, height=792, method="ocr")
    p.lines = [Line(text="八、单位意见", bbox=(95, 40, 156, 50), confidence=1.0),
               Line(text="申报单位意见：同意推荐。", bbox=(95, 60, 215, 70.1), confidence=0.99),
               Line(text="负责人（签字）：", bbox=(95, 80, 170, 90.1), confidence=0.99),
               Line(text="2024年11月26日", bbox=(115, 100, 200, 110), confidence=0.98),
               label,
               Line(text="负责人（签字）：", bbox=(76.7, 106.6 + 60, 170.3, 116.6 + 60), confidence=0.8),
               Line(text="（单位公章）", bbox=(205.6, 106.6 + 60, 255.6, 116.6 + 60), confidence=0.988),
               Line(text="2024年11月26日", bbox=(115.6, 134.6 + 60, 200.5, 143.3 + 60), confidence=0.8)]
    return Layout(pages=[p])


def test_an_empty_opinion_whose_label_a_seal_covers_is_not_named() -> None:
    # 省级科协意见： read whole at 0.79 (the seal over the label), nothing after it, the signing block below:
    # the opinion is surely empty; the label's doubt is not the opinion's
    rec = map_layout(_paragraph_opinions(Line(text="省级科协意见：", bbox=(95.0, 139.2, 159.5, 149.3),
                                               confidence=0.79)), BASE)
    assert rec.fields["provincial_opinion"] is None
    assert "provincial_opinion" not in _named(rec)


def test_an_empty_opinion_whose_label_line_holds_unread_ink_stays_named() -> None:
    # 所在地市科协: a signature across the label's end (the line twice a type's height and far wider than the
    # characters read): an opinion may hide under it
    rec = map_layout(_paragraph_opinions(Line(text="省级科协意", bbox=(95.0, 135, 268.9, 159.2), confidence=0.75)), BASE)
    assert rec.fields["provincial_opinion"] is None
    assert "provincial_opinion" in _named(rec)
