"""Round 29 (issue 11): characters stepped over under a black signature."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

DATA = Path(__file__).parent / "data"


def _ctx(name: str):  # noqa: ANN202 - a PageCtx over one saved crop of a page
    from haizhi.extractors.scan.context import PageCtx
    from haizhi.extractors.scan.engines import get_engine
    from haizhi.extractors.scan.ink import binarize

    gray = cv2.imread(str(DATA / name), cv2.IMREAD_GRAYSCALE)
    return PageCtx(gray, binarize(gray), 200.0, get_engine("rapidocr")), gray


# TUNE base moderate 12685: a large black 张明华 written over the city's opinion 情况属实，同意推荐该基地申报。; black
# ink is not taken for a signature's when the print is read, and the model read 情况属实，同。 at 0.997, stepping
# from 同 to 。 over eight characters' ink: a silent wrong value. Such a step makes the reading unsure.
def test_characters_stepped_over_under_a_black_signature_are_named() -> None:
    ctx, gray = _ctx("round29_black_signature_skipped_moderate_12685.png")
    text, conf = ctx.rec(20, 20, gray.shape[1] - 20, gray.shape[0] - 20)
    assert text == "情况属实，同意推荐该基地申报。" or conf < 0.8


def test_a_step_over_blank_paper_or_a_short_step_is_no_skip() -> None:
    from haizhi.extractors.scan.guesses import skipped_spans

    words, cols = [["情", "况", "属", "实", "，", "同"], ["。"]], [[3, 6, 9, 12, 15, 19], [49]]
    img = np.full((48, 420), 255, np.uint8)
    assert skipped_spans(img, words, cols) == []  # nothing between 同 and 。: a blank, as read
    img[15:35, 180:380] = 0  # ink there: characters the model stepped over
    spans = skipped_spans(img, words, cols)
    assert len(spans) == 1 and 160 <= spans[0][0] < spans[0][1] <= 400
    assert skipped_spans(img, [["同", "意", "推", "荐", "。"]], [[3, 6, 9, 12, 15]]) == []  # even steps


# TUNE coop photo 12693: the institution's seal pressed wholly left of its label, over the recommender's block
# (both seals given to the recommender, the institution unsealed and in doubt), its ring read 烟台汇智产业投资管理
# 有限公司; and the institution's label read 荐机构：烟台… (被推 under the ring), so its name was not found to match.
def test_a_seal_pressed_in_the_neighbours_block_goes_to_the_block_its_ring_names() -> None:
    from types import SimpleNamespace as B

    from haizhi.extractors.scan.regions import INSTITUTION_LABEL, Region
    from haizhi.extractors.scan.seal_names import by_name

    assert INSTITUTION_LABEL.search("荐机构：烟台汇智产业投资管理有限公司")
    assert not INSTITUTION_LABEL.search("推荐单位：山东省科学技术协会")
    rec = Region("recommender", (0, 967, 818, 1373), "recommender_signed", "recommender_sealed")
    inst = Region("institution", (818, 967, 1636, 1373), "institution_signed", "institution_sealed")
    bits = [B(text="推荐单位t山东省科学技术办会", box=(159, 1009, 631, 1038)),
            B(text="荐机构：烟台汇智产业投资管理有限公司", box=(724, 1009, 1292, 1038))]
    seals = [(520, 939, 797, 1232), (131, 927, 408, 1208)]
    rings = {seals[0]: ("烟台汇智产业投资管理有限公司", 0.79), seals[1]: ("山东省科学技协", 0.99)}
    got = by_name(seals, [rec, inst], [(rec, 1.0), (rec, 1.0)], lambda sb: rings[sb], bits)
    assert got[0][0] is inst and got[1][0] is rec
    # one seal each: a seal wholly in its block stays there, whatever its ring reads
    assert by_name(seals[:1], [rec, inst], [(rec, 1.0)], lambda sb: rings[sb], bits) == [(rec, 1.0)]


# TUNE base heavy 12682: the applicant's large signature written over the next rows' labels; 省级科协意见： read
# R科协意见： and not found: the provincial opinion (同意推荐。) unread. Below the city's label read whole, a line of one
# or two characters and 科协意见 is the provincial row's label: its opinion read, named (the label a guess).
def test_a_half_read_provincial_label_below_the_citys_is_the_provincials() -> None:
    from haizhi.extractors.layout import Layout, Line, Page
    from haizhi.extractors.mapper import map_layout
    from haizhi.pipeline.core.fields import BASE

    def layout(label: str) -> Layout:
        lines = [Line("八、单位意见", (98, 433, 159, 442), 1.0), Line("申报单位意见：", (98, 460, 163, 470), 0.93),
                 Line("该单位基础扎实、优势明显，同意推荐。", (72, 487, 278, 497), 0.99),
                 Line("负责人（签字）", (67, 542, 173, 552), 0.8), Line("所在地市科协意见", (78, 596, 180, 607), 1.0),
                 Line("负责人（签字）", (98, 624, 163, 634), 0.8), Line(label, (16, 679, 163, 696), 1.0),
                 Line("同意推荐。", (97, 707, 142, 716), 1.0)]
        return Layout(pages=[Page(4, 612, 792, lines=lines, method="ocr")])

    rec = map_layout(layout("R科协意见："), BASE)
    assert rec.fields["provincial_opinion"] == "同意推荐。"
    assert rec.provenance["provincial_opinion"]["confidence"] < 0.8  # named for a person to check
    assert map_layout(layout("所在地市科协意见："), BASE).fields.get("provincial_opinion") is None  # a city's label
