"""Flags earned on scans (issue 11, "no silent errors", "needless flags ≤ 3 %"): a doubt names the field it
is about, a right reading is not named for its neighbour's doubt, and a value that may be wrong is named."""

from __future__ import annotations

import pytest

from haizhi.extractors.layout import Cell, Layout, Page, Table
from haizhi.extractors.mapper import map_layout
from haizhi.extractors.scan.confidence import confidence_findings
from haizhi.pipeline.core.fields import BASE


def _named(rec) -> set[str]:  # noqa: ANN001
    return {f.field for f in rec.findings + confidence_findings(rec) if f.field}


def test_opinion_box_running_into_the_next_row_names_both_rows() -> None:
    # the ruling under 申报单位意见's row hidden by a signature: its box holds two opinions with their signing
    # blocks, and 所在地市科协意见 has no box of its own; neither value may be silent
    p = Page(number=4, width=612, height=792, method="ocr")
    p.tables.append(Table(cells=[
        Cell("申报单位意见", 0, 0, bbox=(81, 432, 293, 492)),
        Cell("该单位基础扎实、优势明显，同意推荐。\n负责人（签字）：    SKHEICS\n章）    V    I\n"
             "情况属实，同意推荐该基地申报。\n负责人（签字）：    （单位公\n章）\n年    月    日", 0, 1, rowspan=2,
             bbox=(293, 432, 504, 553), confidence=0.95),
        Cell("所在地市科协意见", 1, 0, bbox=(81, 492, 293, 553)),
        Cell("省级科协意见", 2, 0, bbox=(81, 553, 293, 613)),
        Cell("经审核，申报材料真实有效，同意申报。\n负责人（签字）：    （单位公章）\n年    月    日", 2, 1,
             bbox=(293, 553, 504, 613), confidence=0.95)], bbox=(81, 432, 504, 613)))
    rec = map_layout(Layout(pages=[p]), BASE)
    named = _named(rec)
    assert {"applicant_opinion", "city_opinion"} <= named
    assert rec.fields["provincial_opinion"] == "经审核，申报材料真实有效，同意申报。"
    assert "provincial_opinion" not in named
    # one opinion with a name signed under its block is not two rows
    p = Page(number=4, width=612, height=792, method="ocr")
    p.tables.append(Table(cells=[
        Cell("申报单位意见", 0, 0, bbox=(81, 432, 293, 492)),
        Cell("同意推荐。\n负责人（签字）：\n（单位公章）\n年    月    日\n张明华", 0, 1, bbox=(293, 432, 504, 492),
             confidence=0.95)], bbox=(81, 432, 504, 492)))
    rec = map_layout(Layout(pages=[p]), BASE)
    assert rec.fields["applicant_opinion"] == "同意推荐。"
    assert "applicant_opinion" not in _named(rec)


def test_printed_labels_are_known_print() -> None:
    from haizhi.extractors.scan.context import printed_label

    for text in ("省级科协意见：", "长期联系海外人才数量(人)", "工作人员总数", "二、工作基础", "推荐单位："):
        assert printed_label(text), text
    for text in ("首级科协意见", "同意推荐。", "推荐单位：浙江省科学技术协会", "姓名"):
        assert not printed_label(text), text


def test_two_pairs_on_a_line_are_read_apart_each_with_its_own_confidence() -> None:
    # a re-typed layout's line 联系地址：…  注册时间：… with a narrow gap: one run for the reader; read apart,
    # each value has its own confidence (and box), so a doubt in one does not name the other
    import numpy as np
    from PIL import Image, ImageDraw

    from haizhi.extractors.scan.context import PageCtx
    from haizhi.extractors.scan.engines import get_engine
    from haizhi.extractors.scan.ink import binarize, text_gray
    from haizhi.extractors.scan.line_join import unglue as _unglue
    from haizhi.extractors.scan.reader import _pairs_apart
    from tests.ocr.ocr_helpers import DPI, font, to_bgr

    im = Image.new("RGB", (1700, 120), "white")
    ImageDraw.Draw(im).text((40, 60), "联系地址：佛山市创新路57号6层  注册时间：二〇〇〇年九月二日", font=font(10.5),
                            fill="black", anchor="lm")
    gray = text_gray(to_bgr(im))
    binary = binarize(gray)
    ys, xs = np.nonzero(binary)
    seg = (int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1)
    ctx = PageCtx(gray, binary, DPI, get_engine(None))
    min_h = max(4, int(4 * DPI / 72))
    text, _ = ctx.band(binary, seg, (0, 0), min_h)
    assert "    " in _unglue(text)  # one run, the second label set apart
    runs = _pairs_apart(ctx, binary, _unglue(text), seg, min_h)
    assert runs is not None and len(runs) == 2
    (t1, b1, _), (t2, b2, _) = runs
    assert t1 == "联系地址：佛山市创新路57号6层" and t2 == "注册时间：二〇〇〇年九月二日"
    assert b1[2] <= b2[0] and b1[0] == seg[0] and b2[2] == seg[2]


@pytest.mark.parametrize("seed", [1, 2])
def test_signature_on_the_signing_line_below_a_paragraph_opinion_does_not_name_it(seed: int) -> None:
    # opinions written as paragraphs under their labels; a name signed in black over 负责人（签字）： reads as
    # letters or wrong characters, unsure: that doubt is the handwriting's, not the opinion's above it
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
    im = Image.new("RGB", (1500, 1100), "white")
    d = ImageDraw.Draw(im)
    for y, t in ((100, "八、单位意见"), (180, "申报单位意见"), (260, "情况属实，同意推荐该基地申报。"), (340, "负责人（签字）："),
                 (420, "年        月        日"), (500, "所在地市科协意见"), (580, "同意推荐。")):
        d.text((120, y), t, font=font(10.5), fill="black", anchor="lm")
    rgb = np.asarray(im, np.float32).copy()
    layer = ink.signature("张明华", DPI, rng, 12, "black")
    ink.press(rgb, layer, 330 + rng.randint(-20, 40), 340 - layer.size[1] // 2 + rng.randint(-10, 10))
    bgr = cv2.cvtColor(np.asarray(ink.degrade(rgb, "moderate", DPI, rng)), cv2.COLOR_RGB2BGR)
    page, _ = read_page(PageImage(1, bgr, float(DPI)), get_engine(None))
    rec = map_layout(Layout(pages=[page]), BASE)
    assert rec.fields["applicant_opinion"] == "情况属实，同意推荐该基地申报。"
    assert "applicant_opinion" not in _named(rec)


def test_an_opinion_run_into_its_signing_label_still_counts() -> None:
    from haizhi.extractors.scan.signing_runs import signing_run as _signing

    assert _signing("负责人（签字）：孤约华", False) and _signing("张明华", True) and _signing("年", False)
    assert not _signing("经审核，申报材料真实有负责人（签字）", False)  # its doubt is the opinion's
    assert not _signing("推荐单位", True)  # a printed label after a signing block is no signature


@pytest.mark.parametrize("seed", range(6))
def test_opinion_print_a_small_blue_signature_dips_into_is_read_right_or_named(seed: int) -> None:
    # a name signed small in blue just above the opinion, its lower strokes over 申报: OCR reads what the
    # strokes left of the print confidently (申报 → 中, or characters lost), so the opinion must be named
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
    im = Image.new("RGB", (1500, 700), "white")
    d = ImageDraw.Draw(im)
    opinion = "经审核，申报材料真实有效，同意申报。"
    for y, t in ((100, "八、单位意见"), (180, "省级科协意见"), (300, opinion), (380, "负责人（签字）："),
                 (460, "年        月        日")):
        d.text((120, y), t, font=font(10.5), fill="black", anchor="lm")
    x_sb = 120 + int(d.textlength("经审核，", font=font(10.5)))  # where 申报 starts
    rgb = np.asarray(im, np.float32).copy()
    layer = ink.signature("张明", DPI, rng, 6, ("blue", "blue-black")[seed % 2])
    ink.press(rgb, layer, x_sb - rng.randint(0, 20), 300 - layer.size[1] - rng.randint(-14, -6))
    bgr = cv2.cvtColor(np.asarray(ink.degrade(rgb, "moderate", DPI, rng)), cv2.COLOR_RGB2BGR)
    page, _ = read_page(PageImage(1, bgr, float(DPI)), get_engine(None))
    rec = map_layout(Layout(pages=[page]), BASE)
    assert rec.fields["provincial_opinion"] == opinion or "provincial_opinion" in _named(rec)


@pytest.mark.parametrize(("line", "signing"), [
    ("所在地市科协意见：同意责推（签字）：张明位公章）", False),  # 负责人 hidden by a signature: the opinion is in it
    ("同意推荐。负责人签字：", False),
    ("负责人、（签字）：    （单位公章）", True),  # the block's own line, a stroke read as 、
    ("负责人（签字）：张三", True),
    ("（单位公章）", True),
])
def test_a_line_is_the_signing_blocks_only_when_no_opinion_stands_before_its_sign_words(line: str,
                                                                                      signing: bool) -> None:
    # a signing block's line has its confidence dropped (it is about handwriting); an opinion run into it
    # must keep it, or a misread opinion is lost without a finding
    from haizhi.extractors.scan.signing_runs import signing_run as _signing

    assert _signing(line, False) is signing
