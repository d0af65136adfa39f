"""Marks that the print, the rulings and the seals do not explain (issue 11, "What must do" 2 and 4): a signature
written at the size of print over the date line, which OCR reads as characters; a third seal read where one
seal's red text lies over another's ring; and a block read unsigned or unsealed beside ink that nothing
explains, which must be named. Cuts of TUNE pages of the independent family (200 dpi)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace as B

import cv2
import numpy as np

from haizhi.extractors.scan.mark_keys import MARK_SURE
from haizhi.extractors.scan.seal_signature import find_marks
from haizhi.extractors.scan.seals import find_seals

DATA = Path(__file__).parent / "data"
DPI = 200.0
MM = DPI / 25.4

COOP_9604 = [("表中填报及提交的材料内容真实可靠。", (55, 36, 529, 63)), ("如以上承诺虚假，愿为此承担法律责任。", (54, 113, 558, 140)),
             ("推荐单位：广东省科学技术协会", (54, 188, 460, 216)), ("被推荐机构：西安恒通产业投资管理有限公司", (523, 188, 1101, 216)),
             ("负责人签字：（公章）负责人签字：", (56, 264, 619, 313)), ("（公章）", (717, 264, 797, 313)),
             ("张明华日", (108, 339, 225, 370)), ("年月日", (352, 339, 463, 370))]


def _binary(name: str) -> np.ndarray:
    gray = cv2.imread(str(DATA / name), cv2.IMREAD_GRAYSCALE)
    return np.where(gray > 127, np.uint8(255), np.uint8(0))


def _inked(name: str) -> np.ndarray:
    """A page cut stored as two inks (dark 128, red 255) painted back in colour on paper."""
    g = cv2.imread(str(DATA / name), cv2.IMREAD_GRAYSCALE)
    img = np.full((*g.shape, 3), 250, np.uint8)
    img[g == 128] = (20, 20, 20)
    img[g == 255] = (40, 40, 215)
    return img


def _signatures(binary: np.ndarray, bits: list, bgr: np.ndarray | None = None, seals: list | None = None) -> dict:
    page = np.full((*binary.shape, 3), 250, np.uint8) if bgr is None else bgr
    runs = [B(text=t, box=b) for t, b in bits]
    return {m.label: m for m in find_marks(page, binary, runs, [], DPI, seals=seals or []) if m.label}


def test_a_name_written_over_the_date_at_print_size_is_a_signature() -> None:
    # TUNE coop moderate 9604: the recommender's head wrote 张明华, as large as print, over the 年 月 of its date
    # line; OCR read the line as 张明华日, a run of print-sized characters, cut out as print: read unsigned (silent).
    # The page's other date line, read 年月日 alone, tells how much ink the date's print holds
    marks = _signatures(_binary("coop_name_over_date_moderate_9604.png"), COOP_9604)
    assert marks["recommender_signed"].checked is True


def test_a_date_line_misread_without_ink_beyond_its_print_is_not_a_signature_but_named() -> None:
    # the same line with only the date's print in it (the other date line's ink copied over it), OCR reading it
    # as other characters all the same: no signature, but not a sure "no"
    binary = _binary("coop_name_over_date_moderate_9604.png")
    binary[335:375, 100:230] = 0
    binary[339:370, 108:219] = binary[339:370, 352:463]
    marks = _signatures(binary, COOP_9604)
    sig = marks["recommender_signed"]
    assert sig.checked is False and sig.confidence < MARK_SURE


def test_red_text_over_another_seals_ring_is_no_third_seal() -> None:
    # TUNE base photo 9600 (its red ink): the applicant's and the city's seals pressed over each other on a slant;
    # where the city seal's text 技 lies over the applicant seal's ring the red is solid like a star, and a third
    # seal was read round it: the city's seal went to the provincial row (silent)
    red = cv2.imread(str(DATA / "two_seals_text_over_ring_photo_9600_red.png"), cv2.IMREAD_GRAYSCALE)
    found = find_seals(np.full((*red.shape, 3), 250, np.uint8), DPI, red)
    assert len(found) == 2, found
    centres = sorted(((b[0] + b[2]) / 2, (b[1] + b[3]) / 2) for b, _ in found)
    for (cx, cy), (sx, sy) in zip(sorted(centres, key=lambda c: c[1]), ((207, 212), (251, 364)), strict=True):
        assert abs(cy - sy) < 10 * MM and abs(cx - sx) < 10 * MM  # the two stars (seal centres)


def test_no_signature_beside_red_ink_that_formed_no_seal_is_named() -> None:
    # a recommender block with red ink in it that makes no seal (a seal worn to pieces): the signature that may be
    # written over it went with the red ink, so "not signed" is named for a check
    binary = _binary("coop_name_over_date_moderate_9604.png")
    binary[330:380, 100:235] = 0  # the name over the date gone: nothing written
    bits = [b for b in COOP_9604 if b[0] != "张明华日"]
    plain = _signatures(binary, bits)["recommender_signed"]
    assert plain.checked is False and plain.confidence >= MARK_SURE  # nothing there: a sure no
    bgr = np.full((*binary.shape, 3), 250, np.uint8)
    for k in range(6):  # short red arcs, apart: a worn seal's pieces, no ring
        cv2.ellipse(bgr, (260, 300), (int(18 * MM), int(18 * MM)), 0, k * 60, k * 60 + 20, (40, 40, 215), 8)
    sig = _signatures(binary, bits, bgr)["recommender_signed"]
    assert sig.checked is False and sig.confidence < MARK_SURE


def test_handwriting_in_pieces_each_too_small_makes_no_signature_unsure() -> None:
    # strokes of a faint signature broken into short pieces (a heavy scan), none a cluster of its own size: ink
    # that nothing explains, in a block read unsigned
    binary = _binary("coop_name_over_date_moderate_9604.png")
    binary[330:380, 100:235] = 0
    bits = [b for b in COOP_9604 if b[0] != "张明华日"]
    for k in range(7):
        x = 90 + 40 * k
        cv2.line(binary, (x, 400), (x + 6, 408), 255, 4)  # short strokes, apart
    sig = _signatures(binary, bits)["recommender_signed"]
    assert sig.checked is False and sig.confidence < MARK_SURE


def test_a_seal_whose_rim_a_signature_hides_is_read_round() -> None:
    # TUNE base photo 9602 (red ink 255, dark ink 128): the provincial seal pressed over the line between the city
    # and provincial rows, a thick black signature written across its lower rim. The rim's red under the strokes
    # is hidden, the red blob ended above them: the seal's box was cut short (270 × 234 px), its middle moved up
    # into the city's row, which was given the seal (flagged, but wrong both ways). Its ring runs round a circle.
    img = _inked("seal_signed_across_its_rim_photo_9602.png")
    found = find_seals(img, DPI)
    assert len(found) == 1, found
    x0, y0, x1, y1 = found[0][0]
    assert abs((x1 - x0) - (y1 - y0)) < 0.05 * (x1 - x0)  # round
    assert y1 > 340  # below the signature's strokes, where the rim runs (the blob ended at 314)


def test_two_seals_pressed_nearly_over_each_other_each_with_its_star_are_two() -> None:
    # TUNE base photo 9607 (red ink 255, dark ink 128): the applicant's and the city's seals pressed 10 mm apart,
    # the provincial one below. Each of the three stars has its ring round it, but the boxes of the first two
    # overlapped as much as one seal found twice: they were kept as one, and the city read unsealed (flagged)
    img = _inked("three_seals_two_nearly_over_each_other_photo_9607.png")
    found = find_seals(img, DPI)
    assert len(found) == 3, found
    ys = sorted((b[1] + b[3]) / 2 for b, _ in found)
    for y, star in zip(ys, (220, 303, 542), strict=True):  # the stars' rows in the cut
        assert abs(y - star) < 3 * MM
