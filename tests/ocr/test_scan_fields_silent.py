"""Fields read wrong on scans with nobody told (issue 11, "0 silent errors"): cells cut from TUNE pages of the
independent family (200 dpi, gray, as the scan reader sees them), and cell texts as the reader gives them."""

from __future__ import annotations

from pathlib import Path

import cv2

from haizhi.extractors.labels import wrapped_tail
from haizhi.extractors.layout import Mark
from haizhi.extractors.scan.context import PageCtx
from haizhi.extractors.scan.engines import get_engine
from haizhi.extractors.scan.ink import binarize
from haizhi.extractors.scan.reader import _read_block
from haizhi.extractors.scan.tick_glyphs import printed_ticks
from haizhi.pipeline.core.fields import COOP

DATA = Path(__file__).parent / "data"


def _ticked(name: str) -> set[str]:
    gray = cv2.imread(str(DATA / name), cv2.IMREAD_GRAYSCALE)
    ctx = PageCtx(gray, binarize(gray), 200.0, get_engine("rapidocr"))
    _text, _conf, marks, _tc = _read_block(ctx, (0, 0, gray.shape[1], gray.shape[0]))
    return _labels(marks)


def _labels(marks: list[Mark]) -> set[str]:
    return {(m.label or "").split("（")[0] for m in marks if m.checked and m.label}


def test_a_value_wrapped_under_the_cell_left_edge_belongs_to_the_lines_last_pair() -> None:
    # TUNE coop 9905 (every level): 注册地址：…442号    联系地址：福建省合肥市高新二路 / 442号 in one cell; the
    # second line was dropped and the address read short, sure, silent
    cell = "注册地址：福建省合肥市高新二路442号    联系地址：福建省合肥市高新二路\n442号"
    assert wrapped_tail(COOP, cell, "福建省合肥市高新二路") == "福建省合肥市高新二路442号"
    assert wrapped_tail(COOP, cell, "福建省合肥市高新二路442号") == "福建省合肥市高新二路442号"  # not the line's end
    # a next line holding a label (or a gap, a colon) is a pair of its own
    assert wrapped_tail(COOP, "注册地址：甲路1号\n联系地址：乙路2号", "甲路1号") == "甲路1号"
    assert wrapped_tail(COOP, "注册时间：2003-02-23\n注册资金（万元）", "2003-02-23") == "2003-02-23"


def test_printed_ticks_in_place_of_boxes_are_found_by_their_pixels() -> None:
    # TUNE coop clean 9905, 可提供服务: ✔管理咨询服务 ✔财税金融 □法律服务 — OCR dropped both ✔, and 管理咨询服务 came
    # out unticked
    gray = cv2.imread(str(DATA / "fields11_services_printed_ticks_clean_9905.png"), cv2.IMREAD_GRAYSCALE)
    binary = binarize(gray)
    line2 = binary[49:78]
    found = printed_ticks(line2, [], 0)
    assert [b.box[0] // 10 for b in found] == [1, 23], [b.box for b in found]
    line3 = binary[93:122]  # □技术转移 □人才招聘 □知识产权: characters and boxes, no tick
    assert printed_ticks(line3, [], 0) == []


def test_options_ticked_with_a_printed_glyph_read_whole() -> None:
    assert _ticked("fields11_services_printed_ticks_clean_9905.png") == {"投融资", "创业孵化", "管理咨询服务", "财税金融"}
    # heavy: no box found in the cell but □用才机构's; OCR read no ✔ at all, institution_types came out empty
    assert _ticked("fields11_types_printed_ticks_heavy_9905.png") == {"荐才机构", "平台机构"}
    assert _ticked("fields11_services_printed_ticks_heavy_9905.png") == {"投融资", "创业孵化", "管理咨询服务", "财税金融"}


def test_a_box_glyph_inside_a_scanned_text_is_named() -> None:
    # TUNE base heavy 10301, 目的: 协助 read 协☑ in a long text, sure, silent
    from haizhi.extractors.doubts import glyph_doubts
    from haizhi.pipeline.core.fields import BASE, form_spec

    f = next(x for x in form_spec(BASE).fields if x.key == "purpose")
    ocr = {"method": "ocr", "page": 2}
    found = glyph_doubts(f, "协☑企业对接海外技术团队。", ocr)
    assert [x.field for x in found] == ["purpose"] and "协☑企业" in found[0].message
    assert glyph_doubts(f, "协助企业对接海外技术团队。", ocr) == []
    assert glyph_doubts(f, "协☑企业", {"method": "pdf"}) == []  # a text PDF's glyph is the author's


def test_shi_read_as_tu_where_only_shi_makes_a_word() -> None:
    # TUNE coop heavy 9901, 近期工作: 引进硕士 read 引进硕土 at all three sizes (土 at 0.63-0.77), sure, silent
    from haizhi.extractors.scan.engines import tidy

    assert tidy("引进硕土及以上学历人才") == "引进硕士及以上学历人才"
    assert tidy("博 土后工作站") == "博士后工作站"
    assert tidy("土地面积") == "土地面积" and tidy("国土资源") == "国土资源"
    assert tidy("研究院土地使用权") == "研究院土地使用权"  # 院土地: a word of its own
    from haizhi.extractors.scan.line_join import join_wrapped

    lines = [("形成了工作闭环。引进硕", 380, 370, 390), ("土及以上学历人才占比", 380, 370, 390)]
    assert join_wrapped(lines) == "形成了工作闭环。引进硕士及以上学历人才占比"  # 士 starting a wrapped line
