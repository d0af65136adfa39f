"""Flags on scans are earned (issue 11): a field read right is not named for a doubt that its reading does not
share (a label's colon under a seal, a choice's other boxes, strokes in the margin), while a
reading that is doubtful stays named."""

from __future__ import annotations

import pytest
from PIL import Image, ImageDraw

from haizhi.extractors.layout import Cell, Layout, Line, Mark, Page, Table
from haizhi.extractors.mapper import map_layout
from haizhi.extractors.scan import confidence_findings
from haizhi.pipeline.core.fields import BASE, COOP


def _named(rec) -> set:  # noqa: ANN001
    return {f.field for f in rec.findings + confidence_findings(rec)}


def test_two_readings_under_a_seal_differing_in_a_labels_stop_are_one_reading() -> None:
    from haizhi.extractors.scan.context import _label_stop

    assert _label_stop("推荐单位·浙江省科学技术协会", "推荐单位：浙江省科学技术协会") == "推荐单位"
    assert _label_stop("所在地市科协意见：情况属实", "所在地市科协意见；情况属实") == "所在地市科协意见"
    assert _label_stop("所在地市科协意见：情况属实", "所在地市科协意见：情况属买") == ""  # the value differs
    assert _label_stop("该单位基础扎实、优势明显", "该单位基础扎实，优势明显") == ""  # no label before the stop


def _commitment(value: str, conf: float) -> Layout:
    p = Page(number=3, width=612, height=792, method="ocr")
    p.lines = [Line(text="三、承诺书", bbox=(90, 400, 160, 410), confidence=1.0),
               Line(text=f"推荐单位：{value}", bbox=(90, 490, 250, 502), confidence=conf),
               Line(text="被推荐机构：苏州众创技术转移研究院", bbox=(300, 490, 520, 502), confidence=0.98)]
    return Layout(pages=[p])


@pytest.mark.parametrize(("value", "conf", "flag"), [
    ("浙江省科学技术协会", 0.79, False),  # a province's 科协 read whole under its seal: right
    ("浙江省科学技术协会", 0.70, False),
    ("浙江省科学技术协会", 0.60, True),  # characters lost under the seal (too short for its ink): named
    ("苏州市科学技术协会", 0.79, True),  # a city's 科协: no closed list to check it against
    ("注苏省科学技术协会", 0.79, True),  # no province's name: named (and repaired)
])
def test_a_provincial_association_read_whole_under_its_seal_is_not_named(value: str, conf: float, flag: bool) -> None:
    rec = map_layout(_commitment(value, conf), COOP)
    assert ("recommender" in _named(rec)) is flag, (rec.fields["recommender"], rec.provenance.get("recommender"))


def test_a_box_whose_corner_the_box_above_touches_is_not_ticked() -> None:
    # row-tall boxes on two lines of 可提供服务, the upper line's box ending where the lower one's starts: its
    # side and bottom, joined to the lower box's corner, were taken for a tick's arm drawn over the outline
    # (□技术转移 read ☑, silent; TUNE coop 9102 moderate)
    from haizhi.extractors.scan.checkboxes import find_boxes
    from haizhi.extractors.scan.ink import binarize, text_gray
    from tests.ocr.ocr_helpers import DPI, font, to_bgr

    im = Image.new("RGB", (600, 160), "white")
    d = ImageDraw.Draw(im)
    d.rectangle((20, 30, 48, 60), outline="black", width=2)  # the line above's box
    d.text((56, 45), "创业服务", font=font(11), fill="black", anchor="lm")
    d.rectangle((48, 60, 76, 90), outline="black", width=2)  # this line's, its corner on the one above
    d.text((84, 75), "技术转移", font=font(11), fill="black", anchor="lm")
    boxes = find_boxes(binarize(text_gray(to_bgr(im))), DPI)
    low = [b for b in boxes if b.box[1] > 50]
    assert len(low) == 1 and not low[0].checked and not low[0].crossed, boxes


def _services(text: str, marks: list[Mark], conf: float, text_conf: float) -> Layout:
    p = Page(number=1, width=612, height=792, method="ocr")
    p.tables.append(Table(cells=[Cell("可提供服务（可多选）", 0, 0, bbox=(90, 600, 162, 650)),
                                 Cell(text, 0, 1, bbox=(162, 600, 522, 650), confidence=conf, marks=marks,
                                      text_confidence=text_conf)]))
    return Layout(pages=[p])


def _box(label: str, checked: bool, conf: float = 1.0) -> Mark:
    return Mark(kind="checkbox", checked=checked, label=label, confidence=conf, source="pixels")


def test_the_other_text_is_as_sure_as_its_own_line_and_tick() -> None:
    text = "☑投融资 □创业服务 ☑创业孵化 □管理咨询服务 □财税金融\n□法律服务 □技术转移 □人才招聘 □知识产权 ☑其他国际会议组织"
    opts = ("投融资", "创业服务", "创业孵化", "管理咨询服务", "财税金融", "法律服务", "技术转移", "人才招聘", "知识产权")
    marks = [_box(o, o in ("投融资", "创业孵化")) for o in opts]
    # the cell unsure for a box not seen elsewhere in it: the 其他 text, read surely, is not named
    rec = map_layout(_services(text, [*marks, _box("其他国际会议组织", True)], 0.5, 0.97), COOP)
    assert rec.fields["services_other"] == "国际会议组织" and "services_other" not in _named(rec)
    # its own line read unsure, or its 其他 tick faint: named
    rec = map_layout(_services(text, [*marks, _box("其他国际会议组织", True)], 0.5, 0.7), COOP)
    assert "services_other" in _named(rec)
    rec = map_layout(_services(text, [*marks, _box("其他国际会议组织", True, 0.6)], 0.97, 0.97), COOP)
    assert "services_other" in _named(rec)


def test_the_other_texts_ocr_is_scaled_as_its_label_was_matched() -> None:
    from haizhi.extractors.choices import label_scaled_texts

    cells = [Cell("☑其他", 0, 1, confidence=0.8, text_confidence=0.9), Cell("会议", 1, 1, confidence=0.9,
                                                                         text_confidence=0.95)]
    # the candidate at 0.6 of cells whose least is 0.8: its label matched at three quarters
    assert label_scaled_texts(cells, 0.6) == pytest.approx([0.675, 0.7125])
    cells[1].text_confidence = None  # a cell whose runs were not measured: nothing to go by
    assert label_scaled_texts(cells, 0.6) == [] and label_scaled_texts([], 0.6) == []


def test_a_ticked_other_text_running_to_the_cells_side_may_be_cut() -> None:
    from haizhi.extractors.scan.reader import _runs_out

    assert _runs_out(_box("其他海外人才签", True), right=950, width=974, lh=28)  # the rest cut off below
    assert not _runs_out(_box("其他海外人才签证咨询", True), right=700, width=974, lh=28)  # room left: whole
    assert not _runs_out(_box("其他（请注明）", True), right=960, width=974, lh=28)  # no text of its own
    assert not _runs_out(_box("其他海外人才签", False), right=950, width=974, lh=28)


def _opinion_lines(extra: list[Line]) -> Layout:
    p = Page(number=5, width=612, height=792, method="ocr")
    p.lines = [Line(text="八、单位意见", bbox=(90, 120, 160, 131), confidence=1.0),
               Line(text="省级科协意见", bbox=(94, 161, 155, 171), confidence=0.99),
               Line(text="该单位基础扎实、优势明显，同意推荐。", bbox=(94, 190, 290, 201), confidence=0.98),
               *extra,
               Line(text="负责人（签字）：", bbox=(94, 240, 170, 251), confidence=0.97)]
    p.lines.sort(key=lambda ln: (ln.bbox[1], ln.bbox[0]))
    return Layout(pages=[p])


def test_strokes_far_right_of_an_opinion_are_neither_its_text_nor_its_doubt() -> None:
    # a seal's or a signature's strokes in the margin read as ハ / wワT beside the label and the opinion (TUNE
    # base 9105 moderate, 9103 heavy): the opinion read right was named for their confidence
    opinion = "该单位基础扎实、优势明显，同意推荐。"
    rec = map_layout(_opinion_lines([Line(text="ハ", bbox=(216, 161, 306, 171), confidence=0.77),
                                     Line(text="wワT", bbox=(490, 190, 590, 201), confidence=0.42)]), BASE)
    assert rec.fields["provincial_opinion"] == opinion and "provincial_opinion" not in _named(rec)
    # in the opinion's own column an unsure line stays the opinion's doubt
    rec = map_layout(_opinion_lines([Line(text="HAA化", bbox=(94, 212, 160, 223), confidence=0.6)]), BASE)
    assert "provincial_opinion" in _named(rec)


def _staff_row(label: str, label_conf: float) -> Layout:
    p = Page(number=2, width=612, height=792, method="ocr")
    p.tables = [Table(page=2, bbox=(84.6, 250, 516.6, 311.4), cells=[
        Cell(text="工作人员总数\n（人）", row=0, col=0, bbox=(84.6, 280.8, 192.6, 311.4), confidence=0.99),
        Cell(text="245", row=0, col=1, bbox=(192.6, 280.8, 300.6, 311.4), confidence=0.99),
        Cell(text=label, row=0, col=2, bbox=(300.6, 280.8, 408.6, 311.4), confidence=label_conf),
        Cell(text="235", row=0, col=3, bbox=(408.6, 280.8, 516.6, 311.4), confidence=0.99)])]
    return Layout(pages=[p])


def test_a_label_cells_unsure_unit_does_not_make_the_number_beside_it_unsure() -> None:
    # heavy TUNE base 9811: 专职工作人员数量（人） read …(W) at 0.75, the number beside it read surely
    rec = map_layout(_staff_row("专职工作人员数量\n(W)", 0.75), BASE)
    assert rec.fields["staff_fulltime"] == 235 and "staff_fulltime" not in _named(rec)


def test_a_label_matched_with_doubt_still_bounds_its_values_confidence() -> None:
    rec = map_layout(_staff_row("专职工作人员", 0.75), BASE)  # a label half read: is it this label?
    assert "staff_fulltime" in _named(rec)
