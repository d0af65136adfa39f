"""Round 17 (issue 11): fields and marks read wrong and named by no finding on TUNE returns (seeds 12220–12227)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace as B

import cv2
import numpy as np

from haizhi.extractors.scan.cells import find_tables

DATA = Path(__file__).parent / "data"
DPI = 200.0


def _binary(name: str) -> np.ndarray:
    gray = cv2.imread(str(DATA / name), cv2.IMREAD_GRAYSCALE)
    return np.where(gray > 127, np.uint8(255), np.uint8(0))


def _overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1])


# TUNE base clean 12221 (page 6 of the scan, binary and seal ink): a signature's strokes over the merged
# 所在地市科协意见 cell cut a short made-up wall and two floors into its top-left corner. The cell's group was
# L-shaped and got its bounding box, over the corner's own two thin cells; the mapper took the first, empty
# one for the opinion: city_opinion None, no finding.
def test_a_cell_with_a_corner_cut_off_is_one_cell_over_nothing_else() -> None:
    red = _binary("base_opinion_corner_cut_clean_12221_red.png") > 0
    cells = [c.box for t in find_tables(_binary("base_opinion_corner_cut_clean_12221.png"), red, DPI)
             for c in t.cells]
    assert not [(a, b) for i, a in enumerate(cells) for b in cells[i + 1:] if _overlap(a, b)]
    city = [c for c in cells if c[0] > 800 and c[1] < 1760 < c[3]]  # the 所在地市科协意见 value cell
    assert len(city) == 1 and city[0][3] - city[0][1] > 100


# TUNE coop photo 12222: the institution's head wrote a small name over the 日 of its date line, which starts
# left of where the recommender's block ends (the blocks split at x 616). The recommender's own date line read
# 年月 (its 日 under the seal), so no date line read 年月日 alone to measure the printed date by: the run
# 年月林磊 (short, taller than print) was all taken for a signature, and the institution's printed 年 月 in the
# recommender's block for the recommender's handwriting (recommender_signed True, sure; it was not signed).
_BITS_12222 = [("推荐单位：广东省科学技术协会", (246, 37, 650, 65)), ("被准荐机构：珠海海川创新创业服务有限公司", (712, 37, 1287, 65)),
               ("负人签字", (248, 112, 399, 139)), ("（公章）", (496, 112, 576, 139)), ("负责人签字：", (656, 112, 807, 139)),
               ("（公章）", (904, 112, 985, 139)), ("年月", (307, 176, 416, 213)), ("年月林磊", (542, 176, 715, 213))]


def test_a_date_line_read_without_its_day_measures_the_printed_date_beside_a_name() -> None:
    import re

    from haizhi.extractors.scan.handwriting import hand_mask

    binary = _binary("coop_name_over_day_date_cut_photo_12222.png")
    bits = [B(text=t, box=b) for t, b in _BITS_12222]
    printed = re.compile(r"签字|公章|推荐单位|被推荐|机构|负责人|意见|科协|单位|承诺|^[年月日\s]+$")
    rec = hand_mask(binary, (0, 0, 616, 280), bits, 28, printed, bits[2], 374, DPI)
    assert int((rec[150:240, 520:616] > 0).sum()) == 0  # the institution's printed 年 月: not the recommender's
    inst = hand_mask(binary, (616, 0, 1678, 280), bits, 28, printed, bits[4], 790, DPI)
    assert int((inst[150:240, 660 - 616:720 - 616] > 0).sum()) > 100  # the name over its 日 stays handwriting


# TUNE base photo 12226: the city 科协's head signed 张明华 in black right under the opinion's line, the tops of
# its strokes running into 扎实、优势; OCR read 扎实优势 (the 、 lost) at 0.98: city_opinion wrong, no finding.
def test_a_signature_s_strokes_reaching_into_a_line_make_its_reading_unsure() -> None:
    from haizhi.extractors.scan.print_strokes import strokes_across

    binary = _binary("base_city_opinion_stroke_across_photo_12226.png")
    assert strokes_across(binary, (11, 4, 758, 31), 33)  # the opinion's line, the signature under 扎实、优势
    assert not strokes_across(binary, (11, 4, 258, 31), 33)  # its print alone (所在地市科协意见：该单)
    assert not strokes_across(binary, (500, 4, 758, 31), 33)  # … and after the strokes
    assert not strokes_across(binary, (60, 122, 268, 150), 33)  # the date line below, print only
    from haizhi.extractors.scan.confidence import LOW_CONFIDENCE
    from haizhi.extractors.scan.context import PageCtx
    from haizhi.extractors.scan.engines import get_engine

    ctx = PageCtx(255 - binary, binary, DPI, get_engine("rapidocr"))
    text, conf = ctx._band(binary, (11, 4, 758, 31), (0, 0), 11)
    assert "同意推荐" in text and conf < LOW_CONFIDENCE


class _Engine:
    """Reads any crop as one fixed line (the reading with a blue signature's ink divided out)."""

    def __init__(self, text: str, conf: float) -> None:
        self.text, self.conf = text, conf

    def recognize_line(self, img: np.ndarray) -> tuple[str, float]:
        return self.text, self.conf


def _through(first: tuple[str, float], unsigned: tuple[str, float]) -> tuple[str, float, bool]:
    from haizhi.extractors.scan.context import PageCtx

    gray = np.full((60, 400), 255, np.uint8)
    ctx = PageCtx(gray, np.zeros_like(gray), DPI, _Engine(*unsigned))  # type: ignore[arg-type]
    ctx._unsigned = lambda base, region: gray[10:40, 10:390]  # type: ignore[method-assign]
    ctx._views_disagree = lambda key, crop, text: False  # type: ignore[method-assign]
    return ctx._through(("k",), (10, 10, 390, 40), *first)


# TUNE base photo 12226: a blue 张明华 across 真实有效，同意; read with the strokes 有效、同意 (a stroke for the
# stop), with the ink divided out 有效同意 at 0.97, kept as sure: the ，under the stroke lost, no finding.
def test_readings_with_and_without_the_strokes_that_differ_in_a_stop_leave_it_in_doubt() -> None:
    from haizhi.extractors.scan.confidence import LOW_CONFIDENCE

    text, conf, through = _through(("经审核，申报材料真实有效、同意申报。", 0.955), ("经审核，申报材料真实有效同意申报。", 0.971))
    assert through and conf < LOW_CONFIDENCE
    # guards: the strokes read as characters (真制) and read away surely; the same reading both ways
    text, conf, through = _through(("经审核，申报材料真制效同意申报。", 0.62), ("经审核，申报材料真实有效，同意申报。", 0.97))
    assert through and conf >= LOW_CONFIDENCE and text == "经审核，申报材料真实有效，同意申报。"
    text, conf, through = _through(("经审核，申报材料真实有效，同意申报。", 0.9), ("经审核，申报材料真实有效，同意申报。", 0.97))
    assert through and conf >= LOW_CONFIDENCE


# TUNE coop heavy 12242: 可提供服务 on three lines, a legacy box at the start of the first two, one above the other
# (the first against the row's top ruling), the third line (织 （请注明）, the rest of 国际会议组织) under them. The
# two boxes' sides, joined, were taken for two walls reaching most of the row: the 织 between them went to a
# cell of its own, dropped when the box column was read with the options (services_other 国际会议组, no finding).
def _stacked_boxes(third_line: bool) -> np.ndarray:
    b = np.zeros((2200, 1400), np.uint8)  # a page's height: a ruling is told from a short piece by it
    cv2.line(b, (100, 100), (1300, 100), 255, 3)
    cv2.line(b, (100, 240), (1300, 240), 255, 3)
    for x in (100, 400, 1300):
        cv2.line(b, (x, 100), (x, 240), 255, 3)
    for y in (100, 146):  # two boxes, one above the other, the first against the top ruling
        cv2.rectangle(b, (416, y), (456, y + 46), 255, 3)
        cv2.rectangle(b, (470, y + 12), (700, y + 34), 255, -1)  # the option's words
    if third_line:
        cv2.rectangle(b, (420, 200), (450, 226), 255, -1)  # 织, under the boxes
    return b


def test_two_boxes_one_above_the_other_against_a_ruling_are_no_walls() -> None:
    for third in (True, False):
        cells = [c.box for t in find_tables(_stacked_boxes(third), None, DPI) for c in t.cells]
        assert len(cells) == 2, cells  # the label and the options, one cell


def test_text_beside_boxes_read_apart_from_their_option_cell_names_the_other_text(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    """TUNE coop heavy 12242 with the two boxes' sides taken for walls again (box_side as it was, one box's side):
    the 织 in the box column is not read with the options, and the 其他 text that lost it is named."""
    from functools import partial

    import haizhi.extractors.scan.cells as cells_mod
    from haizhi.extractors.mapper import map_layout
    from haizhi.extractors.scan import confidence_findings
    from haizhi.extractors.scan.ruling_masks import box_side
    from tests.ocr.ocr_helpers import tune_scan

    monkeypatch.setattr(cells_mod, "box_side", partial(box_side, stacked=1))
    _s, _t, layout = tune_scan(tmp_path, "coop_institution", 12242, "heavy", pages=[1])
    rec = map_layout(layout, "coop_institution")
    rec.findings.extend(confidence_findings(rec))
    assert rec.fields.get("services_other") != "国际会议组织"  # the 织 lost, as before the box_side change …
    assert any(f.field == "services_other" for f in rec.findings)  # … and named


# Guard (TUNE coop clean 12242): big legacy boxes on two lines of options touch, a box on each line joined into
# one frame reaching above the second line: strokes across it by their shape, but a line of options is print.
def test_boxes_touching_across_a_line_of_options_leave_its_reading_sure() -> None:
    from haizhi.extractors.scan.confidence import LOW_CONFIDENCE
    from haizhi.extractors.scan.context import PageCtx
    from haizhi.extractors.scan.engines import get_engine
    from haizhi.extractors.scan.print_strokes import strokes_across

    binary = _binary("coop_services_stacked_boxes_clean_12242.png")
    assert strokes_across(binary, (9, 47, 965, 80), 33)  # the boxes' frames, by shape alone
    ctx = PageCtx(255 - binary, binary, DPI, get_engine("rapidocr"))
    text, conf = ctx._band(binary, (9, 47, 965, 80), (0, 0), 11)
    assert "国际会议组" in text and conf >= LOW_CONFIDENCE


# TUNE base photo 12227: in 工作基础 the frame in 轮 of 完成A轮融资。 was taken for a box, and 轮融资 (投融资 one
# character off) for the option after it: the line was read box by box, 完成A 投融资。, at 0.99 (no finding).
def test_a_label_one_character_off_in_a_sentence_is_no_option() -> None:
    from haizhi.extractors.scan.checkboxes import option_words
    from haizhi.extractors.scan.option_text import has_option_text

    words = option_words()
    assert not has_option_text("完成A轮融资。形成了“引才、育才、用", words, near=[4, 8])
    assert has_option_text("管理咨洵服务 财税金融", words, near=[0, 7])  # an option line, one character misread
    assert has_option_text("完成A投融资。形成了", words, near=[3])  # a label read exactly, a box before it


# TUNE coop heavy 12250: both 签字 labels read in one run (扩责人签字（公章）负责人签字：); the recommender's head
# scribbled small over its （公章）, the institution's seal over its label. The first label's print was matched
# there, over the scribble, better than at the second label under the seal: the blocks split inside the
# recommender's line, its signature given to the institution (recommender_signed False, sure; it was signed).
_BITS_12250 = [("推荐单位四川省科学技术协会", (200, 20, 644, 49)), ("推荐机构：珠海睿产业投资管理有限公司", (707, 20, 1267, 49)),
               ("扩责人签字（公章）负责人签字：", (169, 75, 1017, 124)), ("年月d", (320, 166, 430, 200)),
               ("年月日", (555, 166, 666, 200)), ("专用", (819, 166, 885, 200))]


def test_the_second_signing_label_is_not_looked_for_far_before_the_second_owner_label() -> None:
    from haizhi.extractors.scan.sign_lines import signing_line_split

    binary = _binary("coop_signature_over_first_gongzhang_heavy_12250.png")
    bits = [B(text=t, box=b) for t, b in _BITS_12250]
    split = signing_line_split(bits, [bits[2]], None, 28, binary, 707)
    assert split is not None and 520 <= split <= 600  # between the first （公章） (ends ~500) and 负责人签字 (~590)
