"""Choices on scans read wrong with no word of doubt (issue 11, "no silent errors"): cells cut from TUNE pages of
the independent family (200 dpi, gray), read as the scan reader reads a cell."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from haizhi.extractors.layout import Mark
from haizhi.extractors.scan.checkboxes import PxBox
from haizhi.extractors.scan.context import PageCtx
from haizhi.extractors.scan.engines import get_engine
from haizhi.extractors.scan.ink import binarize
from haizhi.extractors.scan.options import _box_conf, _no_frame_after_box
from haizhi.extractors.scan.reader import _read_block

DATA = Path(__file__).parent / "data"


def _cell(name: str) -> list[Mark]:
    gray = cv2.imread(str(DATA / name), cv2.IMREAD_GRAYSCALE)
    ctx = PageCtx(gray, binarize(gray), 200.0, get_engine("rapidocr"))
    return _read_block(ctx, (0, 0, gray.shape[1], gray.shape[0]))[2]


def _ticked(marks: list[Mark]) -> dict[str, tuple[bool, float]]:
    out: dict[str, tuple[bool, float]] = {}
    for m in marks:
        label = (m.label or "").split("（")[0]
        if label:
            t, c = out.get(label, (False, 1.0))
            out[label] = (t or bool(m.checked), min(c, m.confidence))
    return out


def test_a_box_blur_made_bold_keeps_its_place_before_the_character_frame_beside_it() -> None:
    # TUNE coop moderate 10404, 可提供服务: □知识产权 with 知 (矢 and 口 run together) taken for a second, inked
    # "box" right after the real □. Which of the two is the frame was judged by ink just left of the first: the
    # blurred outline's own left side, a pixel outside its rectangle, passed for print running up to it, so the
    # real □ went and 知 stood as a ticked box: 知识产权 ticked, sure, silent
    got = _ticked(_cell("choices12_services_frame_of_zhi_moderate_10404.png"))
    assert got["知识产权"][0] is False, got
    assert {o for o, (t, _) in got.items() if t} == {"法律服务", "技术转移"}, got


def test_an_empty_box_given_up_for_an_inked_one_beside_it_is_unsure() -> None:
    # the same guess made where print does run up to the first box: a clear empty outline dropped as a frame in
    # the label before, an inked "box" (a character's strokes run together) kept as a sure tick, is named
    binary = np.zeros((40, 120), np.uint8)
    binary[10:30, 20:24] = 255  # a character's last stroke against the first "box"
    empty = PxBox((25, 8, 47, 30), False, 0.0)
    inked = PxBox((52, 8, 76, 32), True, 0.5)
    kept = _no_frame_after_box([empty, inked], binary)
    assert len(kept) == 1 and kept[0].checked and _box_conf(kept[0], kept) <= 0.6
    framed = _no_frame_after_box([PxBox((25, 8, 47, 30), True, 0.5), PxBox((52, 8, 72, 28), False, 0.0)], binary)
    assert len(framed) == 1 and not framed[0].checked and _box_conf(framed[0], framed) == 1.0  # 只 in 织


def test_the_other_text_is_named_when_a_choice_is_inferred_and_its_other_box_was_not_seen() -> None:
    # TUNE coop heavy 10402: 可提供服务 runs over a page break, the page's rest not joined; every box seen
    # unticked, the options without a box inferred ticked (named), but 其他 and its words on the next page were
    # never seen: services_other came out empty with no word of doubt
    from haizhi.extractors.layout import Cell, Layout, Page, Table
    from haizhi.extractors.mapper import map_layout
    from haizhi.pipeline.core.fields import COOP

    def box(label: str) -> Mark:
        return Mark(kind="checkbox", checked=False, label=label, confidence=1.0, source="pixels")

    p = Page(number=1, width=612, height=792, method="ocr")
    p.tables.append(Table(cells=[
        Cell("可提供服务（可多选）", 0, 0, bbox=(90, 600, 162, 650)),
        Cell("□投融资 □创业服务创业孵化\n□管理咨询服务 □财税金融法律服务", 0, 1, bbox=(162, 600, 522, 650),
             confidence=0.9, marks=[box(o) for o in ("投融资", "创业服务创业孵化", "管理咨询服务", "财税金融法律服务")])]))
    rec = map_layout(Layout(pages=[p]), COOP)
    assert rec.fields["services_other"] is None
    assert [f for f in rec.findings if f.field == "services_other"], [f.message for f in rec.findings]


def test_an_option_ticked_with_a_printed_tick_in_place_of_its_box_is_not_read_one_label_a_box() -> None:
    # TUNE coop photo 10403, page 2: □法律服务 □技术转移 √人才招聘 □知识产权 □其他（请注明）. The √ was no box, a frame
    # in the note (请注明) was one: five "boxes" for five labels, each label given to the box counted in its place:
    # 人才招聘 sure unticked (its label on 知识产权's box), 其他 ticked
    got = _ticked(_cell("choices12_services_printed_tick_photo_10403.png"))
    assert got["人才招聘"][0] is True, got
    assert {o for o, (t, _) in got.items() if t} == {"人才招聘"}, got


def test_a_crossed_box_blurred_into_its_labels_first_character_is_found() -> None:
    # TUNE coop photo 10405: ⊠创业服务, the cross made bold and the box's right side run into 创: one run of ink
    # box and character, too wide for a box, so the box was not found and 服's frame stood in its place (dropped,
    # no option after it): 创业服务 lost
    got = _ticked(_cell("choices12_services_cross_into_label_photo_10405.png"))
    assert got["创业服务"] == (True, 1.0), got
    assert {"投融资", "创业孵化", "管理咨询服务", "财税金融"}.isdisjoint(o for o, (t, _) in got.items() if t), got


def test_a_frame_in_the_words_written_after_other_is_no_box() -> None:
    # the same cell: ☑其他 国 | 际会议组织（请注明）, 国's outline ending the line taken for a ticked box whose label
    # wraps to the next line: a tick on no option (named) and the 其他 words lost. After the list's last option
    # no box follows: the words are 其他's
    from haizhi.extractors.layout import Cell, Layout, Page, Table
    from haizhi.extractors.mapper import map_layout
    from haizhi.pipeline.core.fields import COOP

    gray = cv2.imread(str(DATA / "choices12_services_cross_into_label_photo_10405.png"), cv2.IMREAD_GRAYSCALE)
    ctx = PageCtx(gray, binarize(gray), 200.0, get_engine("rapidocr"))
    text, conf, marks, tconf = _read_block(ctx, (0, 0, gray.shape[1], gray.shape[0]))
    assert all(m.label for m in marks if m.checked), marks
    p = Page(number=1, width=612, height=792, method="ocr")
    p.tables.append(Table(cells=[Cell("可提供服务（可多选）", 0, 0, bbox=(90, 600, 162, 660)),
                                 Cell(text, 0, 1, bbox=(162, 600, 522, 660), confidence=conf, marks=marks,
                                      text_confidence=tconf)]))
    rec = map_layout(Layout(pages=[p]), COOP)
    assert rec.fields["services"] == ["创业服务", "法律服务", "人才招聘", "其他"]
    assert rec.fields["services_other"] == "国际会议组织"
