"""Choices on scans where the pixels and OCR disagree about a box (issue 11, "What failed" 5 and "no silent
errors"): cells cut from TUNE pages of the independent family (200 dpi, gray), read as the scan reader reads a
cell. A box OCR read but the pixels did not find is judged by the ink at its place, never taken as a sure
"unticked" on OCR's word alone."""

from __future__ import annotations

from pathlib import Path

import cv2

from haizhi.extractors.layout import Mark
from haizhi.extractors.scan.context import PageCtx
from haizhi.extractors.scan.engines import get_engine
from haizhi.extractors.scan.ink import binarize
from haizhi.extractors.scan.reader import _read_block

DATA = Path(__file__).parent / "data"


def _cell(name: str) -> tuple[str, list[Mark]]:
    gray = cv2.imread(str(DATA / name), cv2.IMREAD_GRAYSCALE)
    ctx = PageCtx(gray, binarize(gray), 200.0, get_engine("rapidocr"))
    text, _conf, marks, _tc = _read_block(ctx, (0, 0, gray.shape[1], gray.shape[0]))
    return text, marks


def _state(marks: list[Mark]) -> dict[str, tuple[bool, float]]:
    out: dict[str, tuple[bool, float]] = {}
    for m in marks:
        label = (m.label or "").split("（")[0]
        if label:
            ticked, conf = out.get(label, (False, 1.0))
            out[label] = (ticked or bool(m.checked), min(conf, m.confidence))
    return out


def test_the_frame_of_a_wrapped_labels_last_character_is_no_ticked_box() -> None:
    # TUNE coop heavy 9593, 可提供服务 in a narrow cell: □财税金 | 融 □法律服务. The frame of 融 (strokes inside)
    # starting the line was a ticked box, the real □ after it (its sides broken by the scan) was not found, and
    # OCR's □ before 法律服务 was taken for the frame itself: 法律服务 came out ticked, sure, silent
    _text, marks = _cell("coop_services_frame_of_rong_heavy_9593.png")
    got = _state(marks)
    assert got["法律服务"][0] is False, marks
    assert {o for o, (t, _) in got.items() if t} == {"投融资", "创业孵化", "技术转移"}, marks


def test_a_box_only_ocr_saw_is_sure_as_unticked_only_where_the_pixels_show_it_empty() -> None:
    # the same cell, its line ☑技术转移 □人才招聘 □ | 知识产权: the sides of the last two boxes broke in the scan and
    # only OCR read them (□). Their outlines, empty inside, bear out "unticked"; where the ink at a box's place is
    # a filled box (here the cell's own ■ of 技术转移 put over the □ of 人才招聘), OCR's □ is no sure "unticked"
    from haizhi.extractors.scan.glyph_boxes import UNSURE_GLYPH, doubt_glyph_boxes

    gray = cv2.imread(str(DATA / "coop_services_frame_of_rong_heavy_9593.png"), cv2.IMREAD_GRAYSCALE)
    binary = binarize(gray)
    band = binary[180:212, 41:]  # right of the pixel box of 技术转移

    def glyphs() -> list[Mark]:
        return [Mark(kind="checkbox", checked=False, label=o, confidence=0.85, source="glyph")
                for o in ("人才招聘", "知识产权")]

    seen = glyphs()
    doubt_glyph_boxes(seen, band, 28)
    assert [m.confidence for m in seen] == [0.85, 0.85]
    ticked = band.copy()
    ticked[:, 181 - 41:208 - 41] = binary[180:212, 12:39]  # the ■ at the line's start over the □ of 人才招聘
    seen = glyphs()
    doubt_glyph_boxes(seen, ticked, 28)
    assert [m.confidence for m in seen] == [UNSURE_GLYPH, UNSURE_GLYPH]


def test_boxes_worn_through_are_found_and_a_tick_only_ocr_saw_as_empty_is_never_sure() -> None:
    # TUNE coop heavy 9700, 可提供服务 with ▣ ticks: the scan wore the boxes' thin sides through in places, so
    # most boxes were not found (▣人才招聘, ▣知识产权 came out "shown without a box" and were inferred, □创业服务
    # only OCR saw). OCR read the ▣ before 创业孵化 as an empty ☐: with the boxes around it found, that ☐ alone
    # would have made 创业孵化 a sure "unticked", silently wrong
    _text, marks = _cell("coop_services_worn_boxes_heavy_9700.png")
    got = _state(marks)
    assert got["人才招聘"] == (True, 1.0) and got["知识产权"] == (True, 1.0), marks
    assert got["管理咨询服务"][0] and got["财税金融"][0], marks
    assert got["创业服务"] == (False, 1.0) and got["投融资"] == (False, 1.0), marks
    assert got["创业孵化"][0] or got["创业孵化"][1] < 0.8, marks  # ticked, or named as unclear


def test_empty_boxes_with_bold_blurred_outlines_are_not_ticked() -> None:
    # TUNE coop photo 9714: the photo's blur made the boxes' outlines four or five pixels thick, thicker than the
    # inset the box's inside was measured from: empty boxes read as ticked (□社会组织 sure, □否 and □荐才机构
    # borderline), and a thick box's inner hole was taken for the box (undersized, so an unsure tick)
    _t, marks = _cell("coop_overseas_bold_boxes_photo_9714.png")
    assert [(m.label, m.checked) for m in marks] == [("是", True), ("否", False)], marks
    _t, marks = _cell("coop_nature_bold_boxes_photo_9714.png")
    got = _state(marks)
    assert {o for o, (t, _) in got.items() if t} == {"孵化器、服务平台"}, marks
    assert all(c >= 0.8 for _, c in got.values()), marks  # one clear tick, every other box clearly empty


def test_a_frame_inside_an_options_open_note_is_no_box_ending_the_line() -> None:
    # the same photo: □用才机构（为引进的…充分发挥其优势和价 | 值的机构）, the frame in 值 (strokes inside) at the line's
    # end was kept as a ticked box whose label starts the next line: the note was still open, so it runs on
    text, marks = _cell("coop_types_bold_boxes_photo_9714.png")
    assert [(m.label or "")[:4] for m in marks] == ["荐才机构", "平台机构", "用才机构"], marks
    assert [m.checked for m in marks] == [False, True, False], marks
    assert "价值的机构" in text
