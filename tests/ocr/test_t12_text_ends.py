"""Scanned text fields wrong silently or at all (issue 11): a paragraph's last 。 lost, an opinion with its signing
block's misread print or a signature after it, two label–value pairs on one line with the second label misread.
Cut from TUNE pages of the independent family (200 dpi, gray) where pixels are concerned."""

from __future__ import annotations

from pathlib import Path

import cv2

from haizhi.extractors.labels import cut_next_label
from haizhi.extractors.layout import Layout, Line, Page
from haizhi.extractors.mapper import map_layout
from haizhi.extractors.opinion_rows import opinion_text
from haizhi.extractors.scan.confidence import confidence_findings
from haizhi.extractors.scan.context import PageCtx
from haizhi.extractors.scan.engines import get_engine
from haizhi.extractors.scan.ink import binarize
from haizhi.extractors.scan.reader import _read_block
from haizhi.pipeline.core.fields import BASE, COOP

DATA = Path(__file__).parent / "data"


def _block(name: str) -> str:
    gray = cv2.imread(str(DATA / name), cv2.IMREAD_GRAYSCALE)
    ctx = PageCtx(gray, binarize(gray), 200.0, get_engine("rapidocr"))
    return _read_block(ctx, (0, 0, gray.shape[1], gray.shape[0]))[0]


def test_a_paragraphs_faint_last_stop_is_read() -> None:
    # TUNE base heavy 10404, 支持政策's last line 和法律咨询等一站式服务。: the 。 a faint ring the binarization kept a
    # speck of, so that the run's crop cut through it and OCR read …服务, sure: the field wrong, silent
    # (the line above it fills the column: this one ends the paragraph)
    assert _block("t12_policies_last_stop_heavy_10404.png").endswith("投融资和法律咨询等一站式服务。")


def test_a_paragraph_read_from_lines_ending_with_no_stop_is_named() -> None:
    def named(last: str) -> bool:
        lines = [Line("五、支持政策与条件保障", (100, 100, 250, 110), 1.0),
                 Line("年度专项工作经费纳入财政预算，举办海外人才座谈会和政策宣讲会。提供知识产权、投融资", (100, 130, 530, 140), 0.99),
                 Line(last, (100, 148, 220, 158), 0.99)]
        rec = map_layout(Layout(pages=[Page(number=1, width=595, height=842, lines=lines, method="ocr")]), BASE)
        assert rec.fields["policies"].endswith(last)
        return any(f.field == "policies" for f in rec.findings + confidence_findings(rec))

    assert named("和法律咨询等一站式服务")  # its 。 lost: a person checks it
    assert not named("和法律咨询等一站式服务。")


def test_an_opinions_misread_signing_block_is_no_opinion() -> None:
    # TUNE base heavy 10403, photo 10402 and 10404: the 负责人（签字）/（公章）/年 月 日 lines read with wrong characters
    for text, want in (("经审核，申报材料真实有效，同意申报。\n负责（第）：（单章）", "经审核，申报材料真实有效，同意申报。"),
                       ("同意推荐。\n责人（）：", "同意推荐。"),
                       ("该单位基础扎实，优势明显，同意推荐。\n年SHAHO", "该单位基础扎实，优势明显，同意推荐。"),
                       ("同意推荐。张明华\n负人（食子", "同意推荐。张明华")):  # the name goes in clean_opinion, named
        assert opinion_text(text) == want
    # a name signed under an opinion whose 。 was lost, a date line read with letters: no opinion either (an opinion
    # left ending with no stop is named by scan.stop_missing)
    assert opinion_text("同意推荐\n张明华") == "同意推荐" and opinion_text("推荐\n电A写）：") == "推荐"
    assert opinion_text("YN2025418日") is None
    # an opinion going on after its first sentence, or wrapped, stays whole
    assert opinion_text("同意推荐。\n该单位基础扎实（试点）") == "同意推荐。\n该单位基础扎实（试点）"
    assert opinion_text("该单位基础扎实、优势明显，同意\n推荐。") == "该单位基础扎实、优势明显，同意\n推荐。"


def test_two_pairs_on_a_line_are_cut_where_the_second_label_was_misread() -> None:
    # TUNE coop photo 10405 and 10407: 推荐单位：陕西省科学技术协会    被推荐机构：…, the gap lost and 荐 read 入
    assert cut_next_label(COOP, "陕西省科学技术协会被推入机构：合肥恒通科技服务有限公司") == "陕西省科学技术协会"
    assert cut_next_label(COOP, "陕西省科学技术协会") == "陕西省科学技术协会"
