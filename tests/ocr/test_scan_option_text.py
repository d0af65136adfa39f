"""A paragraph naming an option (企业, 知识产权) with a frame inside one of its characters taken for a box is
read once as plain text; an option label right after its box still sends the line to be read box by box."""

from __future__ import annotations

import numpy as np

from haizhi.extractors.scan.checkboxes import option_words
from haizhi.extractors.scan.option_text import box_places, has_option_text


def test_a_label_counts_only_near_a_box() -> None:
    words = option_words()
    line = "与多所海外高校签订合作协议，协助企业对接海外技术团队，建设海外离岸创新中心两处"
    assert has_option_text(line, words)  # 企业 anywhere in the line
    assert not has_option_text(line, words, near=[32])  # the frame in 中, far from 企业 (at 16)
    assert has_option_text(line, words, near=[15])  # a box just before 企业
    assert has_option_text("企业 社会组织 其他", words, near=[0, 2])  # boxes OCR left out of the reading
    assert has_option_text("口企业", words, near=[30])  # a box read as a glyph: read box by box, wherever it is
    assert has_option_text("所在地区：国家海外人才离岸", words, near=[5])  # a label wrapping to the next line


def test_box_places_spread_characters_over_their_ink() -> None:
    # ten characters over 0–500 px (50 px each), then a Latin run; the box centres between them
    runs = [("协助企业对接海外技术", 0, 500), ("ABCD", 600, 710)]
    assert box_places(runs, [-10.0, 125.0, 475.0, 560.0, 700.0]) == [0, 2, 9, 10, 14]


def test_a_frame_in_a_paragraph_far_from_its_option_word_is_read_once() -> None:
    from PIL import Image, ImageDraw

    from haizhi.extractors.scan.checkboxes import PxBox
    from haizhi.extractors.scan.context import PageCtx
    from haizhi.extractors.scan.ink import binarize, text_gray
    from haizhi.extractors.scan.options import read_options
    from tests.ocr.ocr_helpers import DPI, font, to_bgr
    from tests.ocr.test_scan_choices import _Counting

    text = "协助企业对接海外技术团队，建设海外离岸创新中心两处。"
    im = Image.new("RGB", (1500, 120), "white")
    ImageDraw.Draw(im).text((40, 60), text, font=font(11), fill="black", anchor="lm")
    gray = text_gray(to_bgr(im))
    binary = binarize(gray)
    ys, xs = np.nonzero(binary)
    ly0, ly1, lx0, lx1 = int(ys.min()), int(ys.max()) + 1, int(xs.min()), int(xs.max()) + 1
    cw = (lx1 - lx0) / len(text)
    at = text.index("中")
    frame = PxBox((int(lx0 + at * cw + 8), ly0 + 6, int(lx0 + (at + 1) * cw - 8), ly1 - 6), False, 0.0)
    calls: list[int] = []
    ctx = PageCtx(gray, binary, DPI, _Counting(calls))  # type: ignore[arg-type]
    assert read_options(ctx, (0, 0, 1500, 120), ly0, ly1, [(lx0, lx1)], [frame]) == (None, [], 0.0)
    assert len(calls) == 1, calls  # the plain reading only, which the reader keeps for the line
