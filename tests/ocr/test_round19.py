"""Round 19 (issue 11): fields and marks read wrong and named by no finding on TUNE returns (seeds 12290–12297)."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

DATA = Path(__file__).parent / "data"


# TUNE base moderate 12292 (page 4): the applicant's black signature, written across the top of its opinion row,
# ran into the row's top ruling; the ruling's right half and the strokes made one thick segment, placed at its
# middle, a line of type below the ruling. The row's top was set there, its label 申报单位意见 cut in two and
# read 甲报毕位息见: the row taken for the provincial one, the applicant's seal given to it, applicant_sealed
# read False, sure.
def _row_under_a_scrawl() -> np.ndarray:
    b = np.zeros((400, 1000), np.uint8)
    for y in (100, 300):  # the row's top and bottom rulings, 3 px
        b[y - 1:y + 2, 50:950] = 255
    for x in (50, 350, 950):
        b[99:302, x - 1:x + 2] = 255
    b[92:160, 600:850] = 255  # a bold signature's strokes, run together, across the top ruling
    for x in range(70, 330, 40):  # the label's characters just under the ruling
        b[110:140, x:x + 26] = 255
    return b


def test_a_ruling_a_signature_runs_into_keeps_its_place() -> None:
    from haizhi.extractors.scan.cells import find_tables

    tables = find_tables(_row_under_a_scrawl(), None, 200.0)
    assert len(tables) == 1
    tops = {c.box[1] for c in tables[0].cells}
    assert tops and all(abs(t - 100) <= 3 for t in tops), tops  # not at the strokes' middle (≈ 125)
    assert all(c.box[3] >= 298 for c in tables[0].cells)


def test_a_thin_ruling_is_placed_at_its_middle() -> None:
    from haizhi.extractors.scan.cells import _segments_w

    m = np.zeros((50, 300), np.uint8)
    m[20:24, 10:290] = 255
    assert _segments_w(m, True) == [((22, 10, 290), 4)]


# TUNE base photo 12296 (page 4): the applicant's blue-black 张明华, written below the opinion line, touched 同意
# with its top stroke. Read with the strokes: 经审核，申报材料真实有效，同童申报。 (0.96); read with their ink
# divided out, the print under the stroke went with it: …有效，申报。 (0.99), alike at three sizes, kept as sure.
# The opinion lost 同意, silently. Characters lost between two kept are print the stroke took out: unsure.
def test_print_lost_with_a_stroke_s_ink_leaves_the_run_unsure() -> None:
    from haizhi.extractors.scan.confidence import LOW_CONFIDENCE
    from haizhi.extractors.scan.context import PageCtx
    from haizhi.extractors.scan.engines import RapidEngine
    from haizhi.extractors.scan.ink import binarize

    bgr = cv2.imread(str(DATA / "base_print_lost_under_stroke_photo_12296.png"))
    hand = cv2.imread(str(DATA / "base_print_lost_under_stroke_photo_12296_hand.png"), cv2.IMREAD_GRAYSCALE)
    gray = cv2.imread(str(DATA / "base_print_lost_under_stroke_photo_12296_gray.png"), cv2.IMREAD_GRAYSCALE)
    ctx = PageCtx(gray, binarize(gray), 200.0, RapidEngine.shared())
    ctx.bgr, ctx.hand = bgr, np.where(hand > 127, np.uint8(255), np.uint8(0))
    region = (24, 24, 531, 61)
    text, conf, _ = ctx._through((*region, ()), region, "经审核，申报材料真实有效，同童申报。", 0.95871)
    assert "同" not in text or "意" not in text  # the reading without the strokes lost 同意 here …
    assert conf < LOW_CONFIDENCE  # … and so says it is unsure


def test_characters_dropped_between_two_kept_are_told_from_ones_dropped_at_an_end() -> None:
    from haizhi.extractors.scan.readings import _dropped_inside

    assert _dropped_inside("经审核，申报材料真实有效，申报。", "经审核，申报材料真实有效，同童申报。")
    assert not _dropped_inside("单位名称", "单位名称张叶")  # strokes beside the print, read as characters
    assert not _dropped_inside("同意推荐", "张明同意推荐")
    assert not _dropped_inside("同意推荐。", "同意推荐。")
    assert not _dropped_inside("材料真实有效", "材料真制有效")  # a character given back, none left out


# TUNE base heavy 12295 (page 3, 支持政策): 工作闭环 read 工作团环, 团 at 0.83 and the line at 0.98: the
# line's mean hid the guess, the policies text wrong, silently. A character under WEAK_CHAR has the run read
# again at two other sizes; they read 闭 and the line is named for a check.
def test_a_character_guessed_at_0_83_has_the_run_read_again() -> None:
    from haizhi.extractors.scan.confidence import LOW_CONFIDENCE
    from haizhi.extractors.scan.engines import RapidEngine

    img = cv2.imread(str(DATA / "base_char_guessed_heavy_12295.png"), cv2.IMREAD_GRAYSCALE)
    text, conf = RapidEngine().recognize_line(img)
    assert "闭环" in text or conf < LOW_CONFIDENCE, (text, conf)


# TUNE coop heavy 12262–12294 (seven returns): 可提供服务 read with 其他's tick unclear (a heavy scan's box)
# and nothing written after 其他（请注明）: services_other, rightly empty, was named "随可提供服务未能读出" as
# well as services. Nothing after it: empty whether 其他 is ticked or not. Words after it (12282 heavy:
# 海外人才签证咨询, the tick unread): still named.
def _services(tail: str) -> object:
    from haizhi.extractors.layout import Cell, Layout, Mark, Page, Table
    from haizhi.extractors.mapper import map_layout
    from haizhi.pipeline.core.fields import COOP

    opts = ("投融资", "创业服务", "创业孵化", "管理咨询服务", "财税金融", "法律服务", "技术转移", "人才招聘", "知识产权")
    marks = [Mark(kind="checkbox", checked=o == "投融资", label=o, confidence=1.0, source="pixels") for o in opts]
    marks.append(Mark(kind="checkbox", checked=False, label="其他（请注明）" + tail, confidence=0.5, source="pixels"))
    text = " ".join(("☑" if o == "投融资" else "□") + o for o in opts) + " □其他（请注明）" + tail
    p = Page(number=1, width=612, height=792, method="ocr")
    p.tables.append(Table(cells=[Cell("可提供服务（可多选）", 0, 0, bbox=(90, 600, 162, 650)),
                                 Cell(text, 0, 1, bbox=(162, 600, 522, 650), confidence=0.9, marks=marks)]))
    return map_layout(Layout(pages=[p]), COOP)


def test_an_other_text_with_nothing_written_is_not_named_for_an_unclear_tick() -> None:
    rec = _services("")
    assert rec.fields["services"] == ["投融资"] and rec.fields["services_other"] is None
    assert [f for f in rec.findings if f.field == "services"]  # 其他's tick unclear: the choice is named
    assert not [f for f in rec.findings if f.field == "services_other"], [f.message for f in rec.findings]
    rec = _services("：海外人才签证咨询")
    assert rec.fields["services_other"] is None
    assert [f for f in rec.findings if f.field == "services_other"]


# TUNE base heavy 12266 (page 5): 省级科协意见：…该基地申报。 under the provincial seal, read …审报。 at 0.98. The
# run read again from the plain red channel guessed that character (申 at one size, 审 at the other two): the
# same text, unsure. Taken as "both images read alike", the run stayed sure, wrong and silent.
class _Plain:
    """An engine whose every line reads as told (the run's second reading, from the plain red channel)."""

    def __init__(self, text: str, conf: float) -> None:
        self.text, self.conf = text, conf

    def recognize_line(self, img: np.ndarray) -> tuple[str, float]:
        return self.text, self.conf


def test_a_run_under_a_seal_read_alike_but_unsure_from_the_plain_channel_is_unsure() -> None:
    from haizhi.extractors.scan.confidence import LOW_CONFIDENCE
    from haizhi.extractors.scan.context import PageCtx

    first = "省级科协意见：情况属实，同意推荐该基地审报。"
    for plain_conf, sure in ((0.79, False), (0.99, True)):
        gray = np.full((80, 700), 255, np.uint8)
        ctx = PageCtx(gray, np.zeros_like(gray), 200.0, _Plain(first, plain_conf))  # type: ignore[arg-type]
        ctx.bgr = np.full((80, 700, 3), 255, np.uint8)
        ctx.red = np.zeros_like(gray)
        ctx.red[10:60, 400:600] = 255  # the seal's ink over the run's end
        text, conf = ctx.under_seal((20, 20, 660, 50), first, 0.9755)
        assert text == first
        assert (conf >= LOW_CONFIDENCE) is sure, (plain_conf, conf)


# TUNE coop clean 12271: 总面积 3,241 m2 read with a guessed character; at the two other sizes 3,241 m2 and
# 3,241 m²: one reading of the area, its unit's ² read either way, not a disagreement (named for nothing).
def test_an_area_unit_read_m2_at_one_size_and_m_squared_at_another_agrees() -> None:
    from haizhi.extractors.scan.guesses import WEAK_LINE, second_look

    others = [("3,241 m2", 0.923, True), ("3,241 m²", 0.922, False)]
    assert second_look("3,241 m2", 0.95847, others) == ("3,241 m2", 0.95847)
    assert second_look("3,247 m2", 0.95847, others)[1] <= WEAK_LINE  # a digit read otherwise stays unsure
    assert second_look("3,241 m2", 0.9102, [("3,241 m", 0.967, True), ("3,241 m2", 0.941, True)])[1] == 0.9102


# TUNE base moderate 12303 (设立目的, a scan): the printed instruction read without its closing bracket,
# （请简述基地设立的目的及所具备的优势条件，800字以内。 — kept as the value's first line, silently.
def test_an_instruction_whose_closing_bracket_was_lost_is_not_part_of_the_value() -> None:
    from haizhi.extractors.normalize import clean_text

    body = "围绕海外科技人才引进与服务开展工作，提供知识产权、投融资和法律咨询等一站式服务。"
    assert clean_text("（请简述基地设立的目的及所具备的优势条件，800字以内。\n" + body) == body
    assert clean_text("（请简述基地区位条件、人才状况、经济基础、重点产业等，\n1500字以内。\n" + body) == body
    assert clean_text("（请简述基地设立的目的及所具备的优势条件，800字以内。）\n" + body) == body
    kept = "（一）围绕海外科技人才引进与服务开展工作。\n" + body  # the applicant's own bracket: kept
    assert clean_text(kept) == kept
