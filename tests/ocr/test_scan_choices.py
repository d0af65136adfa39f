"""Choices on scans of returns applicants built themselves: every ticked option read, and an option
whose tick could not be judged named by a finding (issue 11)."""

from __future__ import annotations

from pathlib import Path

from haizhi.extractors.layout import Cell, Layout, Mark, Page, Table
from haizhi.extractors.mapper import map_layout
from haizhi.pipeline.core.fields import COOP


def _scan(tmp: Path, fam_seed: int, family: str, seed: int, pages: list[int]) -> tuple:
    """One coop return of the independent family (TUNE), scanned clean by the independent scan maker."""
    from tests.independent.family import build_family
    from tests.independent.scanmaker import make_scan

    s = build_family(tmp, seed=fam_seed, n=1, forms=(COOP,), families=(family,))[0]
    t = make_scan(s.pdf, COOP, tmp, level="clean", seed=seed, p_mark=0.0, pages=pages)
    return s.truth, Path(t.path)


def _read(scan: Path):  # noqa: ANN202
    from haizhi.extractors.scan import confidence_findings, read_scan

    rec = map_layout(read_scan(scan)[0], COOP)
    return rec, {f.field for f in rec.findings + confidence_findings(rec)}


def test_options_wrapped_in_a_narrow_cell_keep_their_ticks(tmp_path) -> None:
    # WPS-style return: 可提供服务 in a narrow cell, ▣创|业孵化 and a ▣ ending its line with 财税金融 below
    truth, scan = _scan(tmp_path, 301, "wps", 7301, [2])
    rec, named = _read(scan)
    assert truth.fields["services"] == ["投融资", "创业孵化", "财税金融", "技术转移"]
    assert rec.fields["services"] == truth.fields["services"]
    assert rec.fields["institution_nature"] == truth.fields["institution_nature"] == "企业"
    assert "institution_nature" not in named  # one clear tick: a single choice read for sure


def test_a_frame_inside_a_character_after_a_ticked_box_does_not_cost_the_tick(tmp_path) -> None:
    # ☒创业孵化 ☒管理咨询服务: the frame inside 服 looked like a box; the real box before 管理 was dropped
    truth, scan = _scan(tmp_path, 300, "sample", 7300, [1, 2])
    rec, named = _read(scan)
    assert truth.fields["services"] == ["创业孵化", "管理咨询服务", "人才招聘"]
    assert rec.fields["services"] == truth.fields["services"]
    assert "services" not in named


def _services_page(text: str, marks: list[Mark], confidence: float = 0.95) -> Layout:
    p = Page(number=1, width=612, height=792, method="ocr")
    p.tables.append(Table(cells=[Cell("可提供服务（可多选）", 0, 0, bbox=(90, 600, 162, 650)),
                                 Cell(text, 0, 1, bbox=(162, 600, 522, 650), confidence=confidence, marks=marks)]))
    return Layout(pages=[p])


def _box(label: str, checked: bool, conf: float = 1.0) -> Mark:
    return Mark(kind="checkbox", checked=checked, label=label, confidence=conf, source="pixels")


def test_options_shown_without_a_box_or_not_found_are_named() -> None:
    # ticks drawn as ✓ in place of the box, lost by OCR (技术转移人才招聘); the row's rest on a page not read
    text = "□投融资 创业服务 □创业孵化\n□管理咨询服务 □财税金融 □法律服务\n技术转移人才招聘"
    marks = [_box(o, False) for o in ("投融资", "创业孵化", "管理咨询服务", "财税金融", "法律服务")]
    rec = map_layout(_services_page(text, marks), COOP)
    found = [f for f in rec.findings if f.field == "services" and f.rule == "scan.choice_unclear"]
    assert found, [f.message for f in rec.findings]
    for opt in ("创业服务", "技术转移", "人才招聘", "知识产权", "其他"):
        assert opt in found[0].message
    assert "财税金融" not in found[0].message


def test_a_borderline_tick_is_named_and_clear_ticks_are_not() -> None:
    opts = ("投融资", "创业服务", "创业孵化", "管理咨询服务", "财税金融", "法律服务", "技术转移", "人才招聘", "知识产权")
    text = " ".join(f"□{o}" for o in opts) + " □其他（请注明）"
    clear = [_box(o, o == "技术转移") for o in opts] + [_box("其他（请注明）", False)]
    rec = map_layout(_services_page(text, clear, confidence=0.55), COOP)  # printed labels read poorly
    assert rec.fields["services"] == ["技术转移"]
    assert rec.provenance["services"]["confidence"] >= 0.8
    assert not [f for f in rec.findings if f.field == "services"]
    faint = [_box(o, o == "技术转移", 0.6 if o == "法律服务" else 1.0) for o in opts] + [_box("其他（请注明）", False)]
    rec = map_layout(_services_page(text, faint), COOP)
    found = [f for f in rec.findings if f.field == "services" and f.rule == "scan.choice_unclear"]
    assert found and "法律服务" in found[0].message and "技术转移" not in found[0].message


def test_a_single_choice_with_one_clear_tick_is_sure_though_other_labels_read_poorly() -> None:
    from haizhi.extractors.scan import confidence_findings

    opts = ["社会组织", "高校及科研机构", "孵化器、服务平台", "投资机构", "企业"]
    marks = [_box(o, o == "企业") for o in opts] + [_box("综合或其他（请注明）", False, 0.6)]
    text = " ".join(("☑" if o == "企业" else "□") + o for o in opts) + " □综合或其他（请注明）"
    p = Page(number=1, width=612, height=792, method="ocr")
    p.tables.append(Table(cells=[Cell("机构属性", 0, 0, bbox=(90, 619, 162, 650)),
                                 Cell(text, 0, 1, bbox=(162, 619, 522, 650), confidence=0.6, marks=marks)]))
    rec = map_layout(Layout(pages=[p]), COOP)
    assert rec.fields["institution_nature"] == "企业"
    assert not [f for f in rec.findings + confidence_findings(rec) if f.field == "institution_nature"]


def test_legacy_boxes_stacked_down_the_cell_are_read_with_their_options(tmp_path) -> None:
    # content-control return: 可提供服务's row runs onto page 2, where the legacy boxes of the lines'
    # first options sit one above the other at the cell's left; their sides looked like a column ruling
    truth, scan = _scan(tmp_path, 302, "sdt", 7302, [1, 2])
    rec, named = _read(scan)
    assert truth.fields["services"] == ["创业服务", "管理咨询服务", "技术转移"]
    assert rec.fields["services"] == truth.fields["services"]


def test_options_ticked_in_place_of_their_boxes_are_inferred_and_named() -> None:
    # ✓ written instead of the box, lost by OCR: every box seen is unticked, the rest show without a box
    p1 = Page(number=1, width=612, height=792, method="ocr")
    p1.tables.append(Table(cells=[
        Cell("可提供服务（可多选）", 0, 0, bbox=(90, 600, 162, 650)),
        Cell("投融资 □创业服务 □创业孵化\n□管理咨询服务 □财税金融 □法律服务", 0, 1, bbox=(162, 600, 522, 650),
             confidence=0.5, marks=[_box(o, False) for o in ("创业服务", "创业孵化", "管理咨询服务", "财税金融", "法律服务")])]))
    p2 = Page(number=2, width=612, height=792, method="ocr")  # the row's rest at the top of the next page
    p2.tables.append(Table(cells=[
        Cell("", 0, 0, bbox=(90, 72, 162, 110)),
        Cell("技术转移人才招聘 □知识产权\n□其他（请注明）", 0, 1, bbox=(162, 72, 522, 110), confidence=0.5,
             marks=[_box("知识产权", False), _box("其他（请注明）", False)]),
        Cell("机构简介", 1, 0, bbox=(90, 110, 162, 300)), Cell("建立了人才联络网络。", 1, 1, bbox=(162, 110, 522, 300))]))
    rec = map_layout(Layout(pages=[p1, p2]), COOP)
    assert rec.fields["services"] == ["投融资", "技术转移", "人才招聘"]
    assert "extract.choice_inferred" in [f.rule for f in rec.findings if f.field == "services"]
    assert not [f for f in rec.findings if f.field == "services_other"]  # 其他's box seen, clearly unticked


def test_a_frame_inside_the_wrapped_end_of_an_option_across_a_page_is_no_tick() -> None:
    # □综合 ends page 1's option row; page 2 goes on 或其他（请注明）, and the frame inside 或 looked like a
    # ticked box before 其他: 综合或其他 is one unticked option, not a tick on 其他 that is no option here
    opts = ["社会组织", "高校及科研机构", "孵化器、服务平台", "投资机构", "企业"]
    p1 = Page(number=1, width=612, height=792, method="ocr")
    p1.tables.append(Table(cells=[Cell("机构属性", 0, 0, bbox=(90, 690, 162, 760)), Cell(
        " ".join(("☑" if o == "企业" else "□") + o for o in opts) + " □综合", 0, 1, bbox=(162, 690, 522, 760),
        confidence=0.95, marks=[_box(o, o == "企业") for o in opts] + [_box("综合", False)])]))
    p2 = Page(number=2, width=612, height=792, method="ocr")
    p2.tables.append(Table(cells=[
        Cell("", 0, 0, bbox=(90, 72, 162, 95)),
        Cell("☑其他（请注明）", 0, 1, bbox=(162, 72, 522, 95), confidence=0.95, marks=[_box("其他（请注明）", True)]),
        Cell("机构简介", 1, 0, bbox=(90, 95, 162, 300)), Cell("建立了人才联络网络。", 1, 1, bbox=(162, 95, 522, 300))]))
    rec = map_layout(Layout(pages=[p1, p2]), COOP)
    assert rec.fields["institution_nature"] == "企业"
    assert not [f for f in rec.findings if f.field in ("institution_nature", "institution_nature_other")], \
        [f.message for f in rec.findings]


def test_a_frame_in_a_line_of_plain_text_costs_no_reading_box_by_box() -> None:
    # a frame inside 面 taken for a box, in a line holding no option: the line is read once, as the reader
    # reads plain text (the same crop), not piece by piece around the "box" and then again
    import numpy as np
    from PIL import Image, ImageDraw

    from haizhi.extractors.scan.checkboxes import PxBox
    from haizhi.extractors.scan.context import PageCtx
    from haizhi.extractors.scan.ink import binarize, text_gray
    from haizhi.extractors.scan.option_text import has_option_text
    from haizhi.extractors.scan.options import read_options
    from tests.ocr.ocr_helpers import DPI, font, to_bgr

    im = Image.new("RGB", (900, 120), "white")
    ImageDraw.Draw(im).text((40, 60), "自有面积（平方米）：407", font=font(11), fill="black", anchor="lm")
    gray = text_gray(to_bgr(im))
    binary = binarize(gray)
    ys, xs = np.nonzero(binary)
    ly0, ly1, lx0, lx1 = int(ys.min()), int(ys.max()) + 1, int(xs.min()), int(xs.max()) + 1
    h = ly1 - ly0
    frame = PxBox((lx0 + 2 * h + 4, ly0 + 4, lx0 + 3 * h - 4, ly1 - 4), False, 0.0)  # inside 面
    calls: list[int] = []
    ctx = PageCtx(gray, binary, DPI, _Counting(calls))  # type: ignore[arg-type]
    assert read_options(ctx, (0, 0, 900, 120), ly0, ly1, [(lx0, lx1)], [frame]) == (None, [], 0.0)
    n = len(calls)
    text, _ = ctx.band(binary, (lx0, ly0, lx1, ly1), (0, 0), max(4, int(4 * DPI / 72)))  # the reader's read
    assert "面积" in text and len(calls) == n, calls  # already read, as the reader reads it
    assert not has_option_text(text, ctx.words)
    assert has_option_text("□投融资 □创业服务", ctx.words) and has_option_text("管理咨洵服务", ctx.words)


class _Counting:
    """The real engine, the widths of the line images it is asked to read kept in calls."""

    def __init__(self, calls: list[int]) -> None:
        from haizhi.extractors.scan.engines import get_engine

        self.eng, self.calls = get_engine("rapidocr"), calls
        self.name = self.eng.name

    def recognize_line(self, img):  # noqa: ANN001, ANN201
        self.calls.append(img.shape[1])
        return self.eng.recognize_line(img)


def _option_line(items: list[tuple[str, bool]]):  # noqa: ANN202
    """A drawn line of boxes (ticked ones with a hand tick over the outline) and their labels."""
    from PIL import Image, ImageDraw

    from haizhi.extractors.scan.ink import binarize, text_gray
    from tests.ocr.ocr_helpers import font, to_bgr

    im = Image.new("RGB", (1400, 120), "white")
    d = ImageDraw.Draw(im)
    x, f = 40, font(11)
    for label, ticked in items:
        d.rectangle((x, 47, x + 26, 73), outline="black", width=2)
        if ticked:  # a tick whose long arm runs out over the box's top
            d.line([(x + 4, 58), (x + 11, 72), (x + 34, 36)], fill=(40, 60, 170), width=4)
        d.text((x + 34, 60), label, font=f, fill="black", anchor="lm")
        x += 34 + int(d.textlength(label, font=f)) + 40
    gray = text_gray(to_bgr(im))
    return gray, binarize(gray)


def test_an_option_line_read_whole_is_not_read_again_box_by_box() -> None:
    import numpy as np

    from haizhi.extractors.scan.checkboxes import find_boxes
    from haizhi.extractors.scan.context import PageCtx
    from haizhi.extractors.scan.options import read_options, split_labels
    from tests.ocr.ocr_helpers import DPI

    gray, binary = _option_line([("投融资", False), ("创业服务", True), ("创业孵化", False)])
    boxes = find_boxes(binary, DPI)
    assert len(boxes) == 3 and [b.checked for b in boxes] == [False, True, False]
    calls: list[int] = []
    ctx = PageCtx(gray, binary, DPI, _Counting(calls))  # type: ignore[arg-type]
    ys, xs = np.nonzero(binary)
    text, marks, _ = read_options(ctx, (0, 0, 1400, 120), int(ys.min()), int(ys.max()) + 1,
                                  [(int(xs.min()), int(xs.max()) + 1)], boxes)
    assert [(m.label, m.checked) for m in marks] == [("投融资", False), ("创业服务", True), ("创业孵化", False)]
    assert text == "□投融资 ☑创业服务 □创业孵化"
    assert len(calls) <= 3, calls  # the line once (and its two views when half sure), not each piece too
    words = ctx.words
    assert split_labels("□投融资 □创业服务 □创业孵化", 3, words) == ["投融资", "创业服务", "创业孵化"]
    assert split_labels("其他海外人才签证咨询（请注明）", 1, words) == ["其他海外人才签证咨询（请注明）"]
    assert split_labels("☑投资机构 □企业 □综合", 3, words) is None  # 综合 | 或其他 wraps: read box by box
    assert split_labels("□投融资 创业服务", 1, words) is None  # a box not seen
    assert split_labels("管理咨洵服务□财税金融", 2, words) is None  # a label misread: its piece read alone


def test_a_lines_one_box_with_its_label_cut_and_a_frame_in_its_first_character_keeps_its_tick() -> None:
    # a narrow cell: ⊠国家海外人才离岸 | 创新创业基地; 国's outline was taken for a second box right after the
    # ticked one, and both were dropped (the tick then came from OCR's ⊠ only, unsure, and was flagged)
    import numpy as np

    from haizhi.extractors.scan.checkboxes import PxBox, find_boxes
    from haizhi.extractors.scan.context import PageCtx
    from haizhi.extractors.scan.engines import get_engine
    from haizhi.extractors.scan.options import read_options
    from tests.ocr.ocr_helpers import DPI

    gray, binary = _option_line([("国家海外人才离岸", True)])
    boxes = find_boxes(binary, DPI)
    assert len(boxes) == 1 and boxes[0].checked  # 国's outline (strokes across its inside) is no box
    boxes.append(PxBox((76, 49, 102, 77), True, 0.47))  # were it taken for one (blurred, say): still one tick
    ctx = PageCtx(gray, binary, DPI, get_engine("rapidocr"))
    ys, xs = np.nonzero(binary)
    text, marks, _ = read_options(ctx, (0, 0, 1400, 120), int(ys.min()), int(ys.max()) + 1,
                                  [(int(xs.min()), int(xs.max()) + 1)], boxes)
    assert [(m.label, m.checked, m.source) for m in marks] == [("国家海外人才离岸", True, "pixels")], text


def test_row_tall_boxes_whose_top_the_cells_inset_cut_off_are_boxes() -> None:
    # legacy boxes as tall as the row: the cell's crop (inset from its rulings) starts below their top
    # edges; the first line's options then showed without a box and a ticked one was lost
    from haizhi.extractors.scan.checkboxes import find_boxes
    from tests.ocr.ocr_helpers import DPI

    _gray, binary = _option_line([("投融资", False), ("创业服务", False), ("财税金融", False)])
    cut = binary[50:]  # the boxes' top edges (y 47–49) left out
    boxes = find_boxes(cut, DPI)
    assert len(boxes) == 3, [b.box for b in boxes]
    assert all(b.box[1] == 0 and not b.checked for b in boxes)


def _overseas_page(marks: list[Mark]) -> Layout:
    p = Page(number=1, width=612, height=792, method="ocr")
    p.tables.append(Table(cells=[Cell("注册地是否在境外：", 0, 0, bbox=(90, 160, 370, 180)),
                                 Cell("☑是 □否", 0, 1, bbox=(370, 160, 522, 180), confidence=0.6, marks=marks)]))
    return Layout(pages=[p])


def test_a_yes_no_answer_with_one_clear_tick_is_sure_though_its_one_character_labels_read_poorly() -> None:
    from haizhi.extractors.scan import confidence_findings

    rec = map_layout(_overseas_page([_box("是", True), _box("否", False)]), COOP)
    assert rec.fields["overseas"] is True
    assert not [f for f in rec.findings + confidence_findings(rec) if f.field == "overseas"]
    rec = map_layout(_overseas_page([_box("是", True, 0.6), _box("否", False)]), COOP)  # a faint tick: named
    assert rec.fields["overseas"] is True
    assert [f for f in rec.findings + confidence_findings(rec) if f.field == "overseas"]


def _one_box(tick: list[tuple[int, int]] | None, ruling: bool = False):  # noqa: ANN202
    from PIL import Image, ImageDraw

    from haizhi.extractors.scan.checkboxes import find_boxes
    from haizhi.extractors.scan.ink import binarize, text_gray
    from tests.ocr.ocr_helpers import DPI, font, to_bgr

    im = Image.new("RGB", (600, 120), "white")
    d = ImageDraw.Draw(im)
    d.rectangle((40, 47, 66, 73), outline="black", width=2)
    if ruling:  # the box drawn against a column ruling
        d.line([(39, 0), (39, 120)], fill="black", width=2)
    if tick:
        d.line([(40 + a, b) for a, b in tick], fill=(40, 60, 170), width=2)
    d.text((74, 60), "创业服务", font=font(11), fill="black", anchor="lm")
    return find_boxes(binarize(text_gray(to_bgr(im))), DPI)


def test_a_tick_drawn_over_the_outline_is_a_tick_and_never_a_clear_empty_box() -> None:
    from haizhi.extractors.scan.checkboxes import box_confidence

    # drawn in the box's right part, the long arm out over its top-right corner: little ink inside
    for tick in ([(16, 64), (19, 70), (38, 32)], [(14, 62), (18, 70), (36, 34)]):
        (b,) = _one_box(tick)
        assert b.fill < 0.1 and b.checked and box_confidence(b) >= 0.8, b  # over the outline, ink inside: sure
    for tick in ([(18, 66), (21, 71), (40, 30)], [(19, 66), (22, 70), (34, 36)]):
        (b,) = _one_box(tick)
        assert b.fill < 0.03 and b.checked and box_confidence(b) < 0.8, b  # next to none inside: a tick, named
    for ruling in (False, True):  # an empty box stays clearly empty, against a ruling too
        (b,) = _one_box(None, ruling)
        assert not b.checked and not b.crossed and box_confidence(b) >= 0.8, b


def test_of_two_boxes_too_close_the_one_print_runs_into_is_the_frame() -> None:
    # □社会组织 □高校…: the square of 只 in 织 found as a "box" (ticked: strokes inside) right before the
    # next option's box; it went as the frame after a box, the real box, and 高校及科研机构 was ticked
    import numpy as np

    from haizhi.extractors.scan.checkboxes import PxBox
    from haizhi.extractors.scan.options import _no_frame_after_box

    binary = np.zeros((40, 400), np.uint8)
    binary[8:30, 100:125] = 255  # 纟 of 织, print up to the square's left side
    inner, real = PxBox((127, 8, 153, 30), True, 0.5), PxBox((173, 10, 191, 29), False, 0.0)
    first = PxBox((15, 11, 33, 29), False, 0.0)
    assert _no_frame_after_box([first, inner, real], binary) == [first, real]
    binary[8:30, 100:125] = 0  # ⊠国家: blank before the real box, 国's square right after it
    box, frame = PxBox((127, 8, 153, 30), True, 0.5), PxBox((160, 10, 180, 29), False, 0.0)
    assert _no_frame_after_box([first, box, frame], binary) == [first, box]


def test_the_enclosure_of_a_character_starting_a_value_is_no_ticked_box() -> None:
    # 基地名称 | 国家海外人才离岸创新创业基地（长沙工业园区）: 国's outline with 玉 inside was a ticked box at the
    # line's start, and the name came out as ☑国家…; a box scribbled dark with strokes across stays a tick
    import random

    import numpy as np
    from PIL import Image, ImageDraw, ImageFilter

    from haizhi.extractors.scan.checkboxes import find_boxes
    from haizhi.extractors.scan.ink import binarize, text_gray
    from tests.independent.scan_ink import hand_tick
    from tests.ocr.ocr_helpers import DPI, font, to_bgr

    def boxes(text: str, size: float, tick: str | None = None, seed: int = 0, low: bool = False) -> list:
        im = Image.new("RGB", (900, 120), "white")
        ImageDraw.Draw(im).text((80, 60), text, font=font(size), fill="black", anchor="lm")
        page = np.asarray(im, np.float32).copy()
        if tick:
            hand_tick(page, (40, 44, 72, 76), tick, random.Random(seed))
        im = Image.fromarray(page.astype(np.uint8))
        if low:  # scanned at 200 dpi, a little blurred
            im = im.filter(ImageFilter.GaussianBlur(1)).resize((600, 80), Image.LANCZOS)
        found = find_boxes(binarize(text_gray(to_bgr(im))), DPI * (2 / 3 if low else 1))
        return [b for b in found if b.box[0] < (48 if low else 72)] if tick else found

    for size, low in [(9, False), (10.5, False), (12, False), (14, False), (12, True), (14, True)]:
        assert boxes("国家海外人才离岸创新创业基地", size, low=low) == [], (size, low)  # small and blurred: a blob
    for seed in range(20):
        for tick in ("box_fill", "box_cross", "box_tick"):
            for low in (False, True):
                if (tick, seed, low) == ("box_tick", 15, True):
                    continue  # its box is not found at 200 dpi, with or without this rule
                got = boxes("创业服务", 11, tick, seed, low)
                assert len(got) == 1 and got[0].checked, (tick, seed, low, got)


def test_a_box_read_before_a_name_on_a_scan_is_not_part_of_the_name() -> None:
    # a photo blurs 国 into a blob no pixel rule tells from a filled box: the reading ☑国家… reaches the mapper
    from haizhi.pipeline.core.fields import BASE

    p = Page(number=1, width=612, height=792, method="ocr")
    name = "国家海外人才离岸创新创业基地（绍兴）"
    p.tables.append(Table(cells=[
        Cell("基地名称", 0, 0, bbox=(90, 120, 200, 140)),
        Cell("☑" + name, 0, 1, bbox=(200, 120, 522, 140), confidence=0.95,
             marks=[_box(name, True)]),
        Cell("基地类型", 1, 0, bbox=(90, 140, 200, 160)),
        Cell("☑国家海外人才离岸创新创业基地", 1, 1, bbox=(200, 140, 522, 160), confidence=0.95,
             marks=[_box("国家海外人才离岸创新创业基地", True)])]))
    rec = map_layout(Layout(pages=[p]), BASE)
    assert rec.fields["base_name"] == name
    assert rec.fields["base_type"] == "国家海外人才离岸创新创业基地"


def test_a_box_whose_thin_sides_a_heavy_scan_broke_in_two_is_still_a_box() -> None:
    from PIL import Image, ImageDraw

    from haizhi.extractors.scan.checkboxes import find_boxes
    from haizhi.extractors.scan.ink import binarize, text_gray
    from tests.ocr.ocr_helpers import DPI, font, to_bgr

    for ticked in (False, True):
        im = Image.new("RGB", (600, 120), "white")
        d = ImageDraw.Draw(im)
        d.rectangle((40, 47, 66, 73), outline="black", width=2)
        d.rectangle((38, 58, 68, 61), fill="white")  # both sides faded away across the same rows
        if ticked:
            d.rectangle((46, 64, 60, 70), fill="black")  # ink in the bottom half: a scribbled tick
        d.text((74, 60), "创业孵化", font=font(11), fill="black", anchor="lm")
        boxes = find_boxes(binarize(text_gray(to_bgr(im))), DPI)
        assert len(boxes) == 1 and boxes[0].box[0] <= 41 and boxes[0].box[3] >= 72, boxes
        assert boxes[0].checked is ticked, boxes


def test_a_tick_printed_after_an_option_whose_box_only_ocr_saw_is_read() -> None:
    # □投融资 □创业孵化√管理咨询服务: the second box too faint for the pixels, OCR read it as □; the √ after
    # its label ticks the next option, as after a label whose box the pixels found
    import numpy as np
    from PIL import Image, ImageDraw

    from haizhi.extractors.scan.checkboxes import find_boxes
    from haizhi.extractors.scan.context import PageCtx
    from haizhi.extractors.scan.engines import get_engine
    from haizhi.extractors.scan.ink import binarize, text_gray
    from haizhi.extractors.scan.options import read_options
    from tests.ocr.ocr_helpers import DPI, font, to_bgr

    im = Image.new("RGB", (1400, 120), "white")
    d = ImageDraw.Draw(im)
    d.rectangle((40, 47, 66, 73), outline="black", width=2)
    x = 74
    for t, f, gap in (("投融资", font(11), 14), ("□", font(7), 2), ("创业孵化", font(11), 2), ("√", font(8), 2),
                      ("管理咨询服务", font(11), 2)):
        d.text((x, 60), t, font=f, fill="black", anchor="lm")
        x += int(d.textlength(t, font=f)) + gap
    gray = text_gray(to_bgr(im))
    binary = binarize(gray)
    ctx = PageCtx(gray, binary, DPI, get_engine("rapidocr"))
    ys, xs = np.nonzero(binary)
    text, marks, _ = read_options(ctx, (0, 0, 1400, 120), int(ys.min()), int(ys.max()) + 1,
                                  [(int(xs.min()), int(xs.max()) + 1)], find_boxes(binary, DPI))
    ticked = {(m.label or "")[:6] for m in marks if m.checked}
    assert "管理咨询服务" in ticked and not any(m.checked for m in marks if (m.label or "").startswith("创业孵化")), \
        (text, marks)


def test_a_box_much_smaller_than_its_lines_boxes_is_an_unsure_tick() -> None:
    # □社会组织 □高校及科研机构 孵化器…: the 口 of 器 (bold, dense) taken for a ticked box and given the
    # option's label; the line's printed boxes are all one size, so a much smaller one is named, never sure
    import numpy as np
    from PIL import Image, ImageDraw

    from haizhi.extractors.scan.checkboxes import box_confidence, find_boxes
    from haizhi.extractors.scan.context import PageCtx
    from haizhi.extractors.scan.engines import get_engine
    from haizhi.extractors.scan.ink import binarize, text_gray
    from haizhi.extractors.scan.options import read_options
    from tests.ocr.ocr_helpers import DPI, font, to_bgr

    im = Image.new("RGB", (1400, 120), "white")
    d = ImageDraw.Draw(im)
    x, f = 40, font(11)
    for label, side in (("社会组织", 26), ("投资机构", 17), ("企业", 26)):
        d.rectangle((x, 73 - side, x + side, 73), outline="black", width=2, fill="black" if side < 26 else None)
        d.text((x + side + 8, 60), label, font=f, fill="black", anchor="lm")
        x += side + 8 + int(d.textlength(label, font=f)) + 40
    gray = text_gray(to_bgr(im))
    binary = binarize(gray)
    boxes = find_boxes(binary, DPI)
    assert len(boxes) == 3 and boxes[1].checked and box_confidence(boxes[1]) >= 0.8, boxes
    ctx = PageCtx(gray, binary, DPI, get_engine("rapidocr"))
    ys, xs = np.nonzero(binary)
    _text, marks, _ = read_options(ctx, (0, 0, 1400, 120), int(ys.min()), int(ys.max()) + 1,
                                   [(int(xs.min()), int(xs.max()) + 1)], boxes)
    assert [(m.label, m.checked, m.confidence >= 0.8) for m in marks] == \
        [("社会组织", False, True), ("投资机构", True, False), ("企业", False, True)], marks


def test_a_tick_over_the_outline_found_in_the_cells_outer_crop_stays_unsure() -> None:
    # boxes found again in the cell with its rulings (row-tall boxes) keep what the box finder saw of
    # them: a tick whose arm runs out over the outline with next to no ink inside is named, not sure
    from PIL import Image, ImageDraw

    from haizhi.extractors.scan.context import PageCtx
    from haizhi.extractors.scan.engines import get_engine
    from haizhi.extractors.scan.ink import binarize, text_gray
    from haizhi.extractors.scan.reader import _read_block
    from tests.ocr.ocr_helpers import DPI, font, to_bgr

    im = Image.new("RGB", (600, 120), "white")
    d = ImageDraw.Draw(im)
    d.rectangle((40, 47, 66, 73), outline="black", width=2)
    d.line([(58, 66), (61, 71), (80, 30)], fill=(40, 60, 170), width=2)
    d.text((74, 60), "创业服务", font=font(11), fill="black", anchor="lm")
    gray = text_gray(to_bgr(im))
    ctx = PageCtx(gray, binarize(gray), DPI, get_engine("rapidocr"))
    for outer in (None, (0, 0, 600, 120)):
        _t, _c, marks, _tc = _read_block(ctx, (0, 0, 600, 120), outer=outer)
        assert [(m.label, m.checked) for m in marks] == [("创业服务", True)] and marks[0].confidence < 0.8, marks


def test_a_box_whose_ticks_arm_rises_a_third_of_its_height_above_it_is_found() -> None:
    # ☑法律服务 at a cell's left (150 dpi, heavy, the independent scan maker's tick): the arm rises so far
    # above the box that the top third of the joined outline holds no edge; the box's top is further down
    import cv2

    from haizhi.extractors.scan.checkboxes import find_boxes

    binary = 255 - cv2.imread(str(Path(__file__).parent / "data" / "tick_arm_above_a_third_150dpi.png"), 0)
    boxes = [b for b in find_boxes(binary, 150) if b.box[0] < 40]
    assert len(boxes) == 1 and boxes[0].checked and boxes[0].box[1] >= 14, boxes
