"""Side-by-side coop blocks whose signing line is hidden under the recommender's signature (issue 11, marks ≥ 98 %):
负责人签字：（公章）  负责人签字：（公章） on one line, the recommender's signature written across its （公章） and the
blank after it. Where the line is split between the two blocks decides whose the signature and the seal are.
TUNE coop clean 12004 and moderate 12000 (200 dpi): the text runs OCR read there."""

from __future__ import annotations

from types import SimpleNamespace as B

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from haizhi.extractors.scan.regions import coop_regions
from haizhi.extractors.scan.sign_lines import _label_start

FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"


def _bits(rows: list[tuple[str, tuple[int, int, int, int]]]) -> list:
    return [B(text=t, box=b, conf=0.9) for t, b in rows]


def test_a_run_from_the_first_seal_word_to_the_second_label_starts_its_label_counted_back() -> None:
    # （公章）负责人签字： read as （願人签字： (公章）负责 under the signature): the label begins about six characters
    # before the run's end, not at the run's （ (main: 488, the first block's （公章）, so the recommender's
    # signature over it fell to the institution)
    run = B(text="（願人签字：", box=(488, 723, 799, 762))
    assert 600 <= _label_start(run, 28) <= 660
    whole = B(text="（公章）负责人签字：", box=(488, 723, 799, 762))
    assert _label_start(whole, 28) == 488  # its 负责人 read: the box is where the print begins


def test_the_split_goes_after_the_first_blocks_hidden_seal_word() -> None:
    bits = _bits([("推荐单位：浙江省科学技术协会被推荐机构：合肥博衍国际人才发展中心", (255, 646, 1208, 674)),
                  ("负责人签字：", (257, 723, 407, 762)), ("（願人签字：", (488, 723, 799, 762)),
                  ("（公章）", (880, 723, 960, 762)), ("年月日", (316, 776, 427, 832))])
    rec, ins = coop_regions(bits, [], (2207, 1710), 28.05, 28)
    assert 600 <= rec.box[2] == ins.box[0] <= 680


def _signing_line() -> tuple[np.ndarray, dict[str, int]]:
    """A printed signing line at 28 px a character, both blocks on it, with a thick stroke of handwriting across
    the first block's （公章） and the blank after it; returns its ink (255) and where each piece begins."""
    font = ImageFont.truetype(FONT, 28)
    im = Image.new("L", (1700, 400), 0)
    d = ImageDraw.Draw(im)
    at = {"label1": 261, "seal1": 476, "label2": 666, "seal2": 884}
    for key, text in (("label1", "负责人签字："), ("seal1", "（公章）"), ("label2", "负责人签字："), ("seal2", "（公章）")):
        d.text((at[key], 200), text, font=font, fill=255)
    d.line([(470, 240), (520, 190), (560, 235), (610, 195), (650, 232), (700, 200)], fill=255, width=7)
    d.text((260, 124), "推荐单位：福建省科技本协会", font=font, fill=255)
    d.text((709, 124), "被推荐机构：西安恒通技术转移研究院", font=font, fill=255)
    return np.asarray(im), at


def test_the_second_label_is_found_where_it_repeats_though_ocr_ended_the_run_inside_it() -> None:
    # one run 负责人签字：签字 from the first label to the second label's 签字 (its end cut by OCR): the second label's
    # print repeats the first's past the run's end (main: looked for inside the run only, not found; the split fell
    # on the first block's （公章） and its seal and signature went to the institution)
    binary, at = _signing_line()
    bits = _bits([("推荐单位：福建省科技本协会", (260, 124, 647, 152)),
                  ("被推荐机小：西安恒通技术转移研究院", (709, 124, 1184, 152)),
                  ("负责人签字：签字", (261, 196, 794, 234)), ("（公）", (884, 196, 964, 234))])
    rec, ins = coop_regions(bits, [], binary.shape, 29.0, 29, binary)
    assert at["seal1"] + 4 * 28 <= rec.box[2] == ins.box[0] <= at["label2"]


def test_no_signature_beside_a_neighbour_holding_two_signatures_ink_is_named(tmp_path) -> None:  # noqa: ANN001
    # TUNE coop photo 12025 (wps layout): the institution's head signed below-left of its own label, under the two
    # seals pressed over each other, the strokes touching the recommender's signature: one cluster of 40 em² in the
    # recommender's block (one signature: 2–24 em²), the institution's block empty (main: "not signed", sure)
    from haizhi.extractors.scan import marks_for
    from tests.ocr.ocr_helpers import tune_scan

    _s, t, layout = tune_scan(tmp_path, "coop_institution", 12025, "photo")  # the wps family, seed 25
    assert t.marks["institution_signed"] is True
    got = marks_for(layout, "coop_institution")
    assert got["recommender_signed"] is True
    assert got["institution_signed"] is True or "institution_signed" in got.uncertain
