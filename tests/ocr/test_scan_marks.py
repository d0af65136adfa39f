"""Seals as people press them (issue 11, "What failed" 6): two seals over each other on a slant are two
seals, and red ink no seal accounts for makes "no seal" a reading that a finding names."""

from __future__ import annotations

import cv2
import numpy as np

from haizhi.extractors.scan.seal_signature import find_marks
from haizhi.extractors.scan.seals import find_seals

DPI = 200.0
MM = DPI / 25.4


def _seal(img: np.ndarray, cx: float, cy: float, r_mm: float = 20.0, arc: tuple[int, int] = (0, 360)) -> None:
    c, r = (int(cx * MM), int(cy * MM)), int(r_mm * MM)
    red = (40, 40, 215)  # BGR
    cv2.ellipse(img, c, (r, r), 0, arc[0], arc[1], red, int(1.3 * MM))
    if arc == (0, 360):
        cv2.ellipse(img, c, (int(0.75 * r), int(0.75 * r)), 0, 200, 340, red, int(0.8 * MM))  # the ring of text
        cv2.drawMarker(img, c, red, cv2.MARKER_STAR, int(0.5 * r), int(0.6 * MM))


def _page(h_mm: float = 200, w_mm: float = 180) -> np.ndarray:
    return np.full((int(h_mm * MM), int(w_mm * MM), 3), 250, np.uint8)


def test_two_seals_overlapping_on_a_slant_are_two_seals() -> None:
    img = _page()
    _seal(img, 70, 60)
    _seal(img, 92, 92)  # pressed over the first one's lower right, as on a crowded opinion table
    found = find_seals(img, DPI)
    assert len(found) == 2, found
    centres = sorted(((b[0] + b[2]) / 2 / MM, (b[1] + b[3]) / 2 / MM) for b, _ in found)
    for (x, y), (tx, ty) in zip(centres, [(70, 60), (92, 92)], strict=True):
        assert abs(x - tx) < 4 and abs(y - ty) < 4


def test_one_seal_still_one_seal() -> None:
    img = _page()
    _seal(img, 80, 80)
    assert len(find_seals(img, DPI)) == 1


def test_red_ink_in_a_row_without_a_seal_makes_no_seal_unsure() -> None:
    # three opinion rows; the city row holds only an arc of red ink (a seal mostly off the scanned sheet)
    img = _page()
    px = lambda *v: tuple(int(x * MM) for x in v)  # noqa: E731
    cells = [("申报单位意见", px(10, 20, 80, 60)), ("同意推荐。", px(80, 20, 170, 60)),
             ("所在地市科协意见", px(10, 60, 80, 100)), ("同意推荐。", px(80, 60, 170, 100)),
             ("省级科协意见", px(10, 100, 80, 140)), ("", px(80, 100, 170, 140))]
    _seal(img, 178, 80, arc=(100, 260))
    binary = np.zeros(img.shape[:2], np.uint8)
    marks = {m.label: m for m in find_marks(img, binary, [], cells, DPI, seals=[]) if m.kind == "seal"}
    assert marks["city_sealed"].checked is False and marks["city_sealed"].confidence < 0.75
    assert marks["provincial_sealed"].checked is False and marks["provincial_sealed"].confidence >= 0.75


def test_small_signature_inside_the_labels_text_run_is_not_taken_for_print() -> None:
    # OCR read 基地负责人（签字）： and a small signature after it as one run: only the label's own width is print
    from types import SimpleNamespace

    from haizhi.extractors.scan.seal_signature import _label_end

    run = SimpleNamespace(text="基地负责人（签字）：", box=(100, 0, 420, 30))
    assert _label_end(run, 20.0) <= 100 + 11 * 20 < 420


def test_coop_blocks_split_at_a_misread_institution_label() -> None:
    # 推荐单位：四川省科学技术协会    被推荐机构：… read as one run with 被推荐 misread (被携机构：); the
    # recommender's seal pressed over its 签字 line, left of the institution's block
    from types import SimpleNamespace as B

    from haizhi.extractors.scan.regions import attribute, coop_regions

    run = "推荐单位：四川省科学技术协公被携机构：宁波瀚德科技服务有限公司"
    bits = [B(text=run, box=(256, 837, 256 + 29 * len(run), 891)),
            B(text="负责人签字：", box=(257, 915, 415, 944)), B(text="（公章）", box=(474, 915, 558, 944)),
            B(text="负责人签字：", box=(659, 915, 815, 944)), B(text="（公章）", box=(874, 915, 958, 944))]
    regions = coop_regions(bits, [], (2200, 1700), 29.0, 29)
    owner, _ = attribute((400, 812, 695, 1105), regions)  # the seal: most of it left of the second 签字 label
    assert owner is not None and owner.owner == "recommender"


def test_coop_blocks_side_by_side_split_midway_between_the_two_signing_lines() -> None:
    # 被推荐机构 lost under a seal: the blocks are split between the first block's （公章） and the second
    # block's 签字 label, so a signature written just left of that label stays the recommender's
    from types import SimpleNamespace as B

    from haizhi.extractors.scan.regions import coop_regions

    bits = [B(text="推荐单位：四川省科学技术协会", box=(263, 843, 668, 873)),
            B(text="负责人签字：", box=(265, 921, 422, 950)), B(text="（公章）", box=(480, 921, 565, 950)),
            B(text="负责签字：", box=(665, 921, 823, 950)), B(text="公章）", box=(898, 921, 965, 950))]
    rec = next(r for r in coop_regions(bits, [], (2200, 1700), 29.0, 29) if r.owner == "recommender")
    assert 600 < rec.box[2] < 665
