"""Two coop seals pressed a third of a seal apart over the line between the blocks (issue 11, marks ≥ 98 %): TUNE
coop heavy 10405 (200 dpi), its signing lines cut from the page as the reader has it (rotated upright)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace as B

import cv2
import numpy as np

from haizhi.extractors.scan.regions import coop_regions
from haizhi.extractors.scan.seal_signature import find_marks
from haizhi.extractors.scan.seals import find_seals

DATA = Path(__file__).parent / "data"
DPI = 200.0
MM = DPI / 25.4
NAME = "marks12_coop_two_seals_close_heavy_10405"
# the text runs OCR read there; 公）负员人签字: the first block's （公章） with its （ and 章 lost under the seals, read
# in one run with the second block's 负责人签字 (责 misread)
BITS = [("推荐单位：陕西省科学技术协会被推荐机构：合肥恒通科技服务有限公司", (28, 36, 1050, 65)),
        ("推荐单位：陕西省科学技术协会", (28, 36, 454, 65)), ("被推荐机构：合肥恒通科技服务有限公司", (505, 36, 1050, 65)),
        ("负责人签字：", (31, 114, 190, 143)), ("公）负员人签字", (278, 114, 600, 143)), ("（公章）", (677, 114, 761, 143)),
        ("年月日高浩", (77, 147, 593, 253))]
SEALS = [((333, 24, 630, 321), 0.95), ((240, 85, 511, 356), 0.95)]  # institution's, recommender's


def test_two_seals_a_third_apart_make_a_blob_no_wider_than_one_seal_but_are_two() -> None:
    # one red blob 50 × 41 mm: no wider than one seal may be (52 mm), so it was taken for one seal and the
    # recommender's seal was missed ("no seal", silent)
    red = cv2.imread(str(DATA / f"{NAME}_red.png"), cv2.IMREAD_GRAYSCALE)
    found = find_seals(np.full((*red.shape, 3), 250, np.uint8), DPI, (red > 127).astype(np.uint8) * 255)
    assert len(found) == 2, found
    centres = sorted(((b[0] + b[2]) / 2, (b[1] + b[3]) / 2) for b, _ in found)
    for (x, y), (tx, ty) in zip(centres, [(375, 220), (482, 172)], strict=True):  # where the scan maker pressed them
        assert np.hypot(x - tx, y - ty) < 6 * MM


def test_the_end_of_the_first_seal_word_read_with_the_second_label_does_not_start_the_second_block() -> None:
    # the run 公）负员人签字 was taken to be the second block's label from its start: the second block began at the
    # first block's （公章）, and both seals went to it
    binary = cv2.imread(str(DATA / f"{NAME}.png"), cv2.IMREAD_GRAYSCALE)
    binary = np.where(binary > 127, np.uint8(255), np.uint8(0))
    bits = [B(text=t, box=b) for t, b in BITS]
    regions = {r.owner: r for r in coop_regions(bits, [], binary.shape, 29.0, 30, binary)}
    split = regions["recommender"].box[2]
    assert 340 < split < 420  # the first （公章） ends about 335, the second 负责人 starts about 400


def test_a_neighbours_signature_reaching_past_the_block_line_is_not_this_blocks() -> None:
    # the institution signed (高浩) from below the first block's （公章） to below its own label: the reading beside
    # the recommender's label took the name's first strokes, right of the line, for the recommender's signature
    binary = cv2.imread(str(DATA / f"{NAME}.png"), cv2.IMREAD_GRAYSCALE)
    binary = np.where(binary > 127, np.uint8(255), np.uint8(0))
    bits = [B(text=t, box=b) for t, b in BITS]
    page = np.full((*binary.shape, 3), 250, np.uint8)
    marks = {m.label: m.checked for m in find_marks(page, binary, bits, [], DPI, seals=SEALS)}
    assert marks == {"recommender_sealed": True, "institution_sealed": True, "recommender_signed": False,
                     "institution_signed": True}


def test_an_owner_label_counted_left_of_the_first_blocks_seal_word_does_not_cut_the_first_block() -> None:
    # TUNE coop photo 10690: the recommender's name written over its owner line, OCR lost 科学技术协会 there
    # (推荐单位：浙江被荐机构：…), so 被推荐机构, counted in characters, fell left of the first block's （公章）: the
    # blocks were split there, and the recommender's seal and signature went to the institution (flagged, wrong)
    bits = [B(text=t, box=b) for t, b in [
        ("如以上承诺虚假。愿为此承担法律责任。", (238, 1117, 722, 1144)),
        ("推荐单位：浙江被荐机构：厦门国际人才发展中心", (237, 1191, 1154, 1227)),
        ("负责人签字：", (239, 1265, 384, 1292)), ("（公章）", (455, 1265, 540, 1292)), ("负责签字：", (601, 1265, 760, 1292)),
        ("（公章）", (837, 1265, 915, 1292)), ("年月日", (297, 1340, 403, 1366)), ("年月日", (524, 1340, 664, 1366))]]
    regions = {r.owner: r for r in coop_regions(bits, [], (2200, 1700), 27.0, 27, None)}
    assert 540 < regions["recommender"].box[2] < 601  # after the first （公章）, before the second 签字 label
