"""Mark findings that are earned (issue 11, "the flag should be earned"): a seal whose ring runs all round is a
seal however faint its ink; a neighbour's seal reaching into a block hides no seal of the block's own unless
red shows beyond its circle; a signature across the line between two blocks makes unsure only the block whose
reading rests on it."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from haizhi.extractors.scan.mark_keys import MARK_SURE
from haizhi.extractors.scan.regions import Region
from haizhi.extractors.scan.seal_signature import find_marks
from haizhi.extractors.scan.sign_clusters import signature_ink
from tests.ocr.test_marks16_stacked_seals import _scan_and_read
from tests.ocr.test_scan_marks import DPI, MM, _page, _seal

RED = (40, 40, 215)  # BGR


def _px(*v: float) -> tuple[int, ...]:
    return tuple(int(x * MM) for x in v)


def _rows() -> list[tuple[str, tuple[int, ...]]]:
    """The base form's three opinion rows, 40 mm tall each."""
    return [("申报单位意见", _px(10, 20, 80, 60)), ("同意推荐。", _px(80, 20, 170, 60)),
            ("所在地市科协意见", _px(10, 60, 80, 100)), ("同意推荐。", _px(80, 60, 170, 100)),
            ("省级科协意见", _px(10, 100, 80, 140)), ("", _px(80, 100, 170, 140))]


def _city_seal_over_the_line(arc_of_another: bool) -> dict:
    # the city's seal pressed over the line above its row, a quarter of it in the applicant's row
    img = _page()
    _seal(img, 120, 70)
    if arc_of_another:  # an arc of a second seal under it, beyond its circle, in its box's upper left corner
        cv2.ellipse(img, _px(120, 70)[:2], (int(24 * MM), int(24 * MM)), 0, 215, 240, RED, int(1.3 * MM))
    box = _px(100, 50, 140, 90)
    binary = np.zeros(img.shape[:2], np.uint8)
    marks = find_marks(img, binary, [], _rows(), DPI, seals=[(box, 0.95)])
    return {m.label: m for m in marks if m.kind == "seal"}


def test_a_neighbours_ringed_seal_reaching_in_leaves_no_seal_sure() -> None:
    marks = _city_seal_over_the_line(arc_of_another=False)
    assert marks["city_sealed"].checked is True
    assert marks["applicant_sealed"].checked is False and marks["applicant_sealed"].confidence >= MARK_SURE


def test_red_beyond_the_neighbours_circle_keeps_no_seal_named() -> None:
    # the arc lies inside the city seal's box, so the red left outside the seals' boxes is none: only the
    # circle tells that a seal may be pressed under the city's
    marks = _city_seal_over_the_line(arc_of_another=True)
    assert marks["applicant_sealed"].checked is False and marks["applicant_sealed"].confidence < MARK_SURE


def _two_blocks_and_a_signature(own_in_right: bool) -> list[bool]:
    """Two signing blocks side by side; a signature mostly in the left one, 40 % of it across the line. The
    right one holds a signature of its own, or none."""
    h, w = 400, 1200
    binary = np.zeros((h, w), np.uint8)
    cv2.rectangle(binary, (400, 150), (700, 200), 255, -1)  # across x = 580: 180 px left, 120 px right
    if own_in_right:
        cv2.rectangle(binary, (900, 150), (1100, 200), 255, -1)
    regions = [Region("recommender", (0, 0, 580, h), sign_key="recommender_signed"),
               Region("institution", (580, 0, w, h), sign_key="institution_signed")]
    masks = [binary[:, :580].copy(), binary[:, 580:].copy()]
    _clusters, doubt, _alien = signature_ink(binary, regions, masks, 28)
    return doubt


def test_a_signature_across_the_line_makes_unsure_only_the_block_resting_on_it() -> None:
    # the right block's own signature makes it "signed" whatever the shared one is; the left block's reading
    # rests on the shared one alone
    assert _two_blocks_and_a_signature(own_in_right=True) == [True, False]
    # neither holds another: either may be the shared signature's, both named
    assert _two_blocks_and_a_signature(own_in_right=False) == [True, True]


def test_a_faint_ringed_seal_and_a_neighbours_seal_reaching_in_raise_no_finding(tmp_path: Path) -> None:
    # TUNE base heavy 12042: the applicant's seal faint (found with confidence 0.70, its ring all round), the
    # city's row without a seal, the applicant's seal reaching into it; both readings right and both named
    # on main (needless flags)
    t, got = _scan_and_read(tmp_path, "base_application", 12042, "heavy")
    assert t.marks["applicant_sealed"] is True and t.marks["city_sealed"] is False
    assert got["applicant_sealed"] is True and got["city_sealed"] is False
    assert "applicant_sealed" not in got.uncertain and "city_sealed" not in got.uncertain


def test_a_signature_over_the_neighbours_seal_goes_to_the_block_signed_by_no_one_else() -> None:
    # TUNE coop clean 12075: the recommender signed inside its seal; the institution's head wrote his name below
    # his label, left over the line and over the recommender's seal. The seal rule gave that name to the
    # recommender (two signatures) and the institution read "not signed" (flagged). A block is signed once.
    h, w = 400, 1200
    binary = np.zeros((h, w), np.uint8)
    cv2.rectangle(binary, (300, 60), (420, 110), 255, -1)  # the recommender's own name, in its block
    cv2.rectangle(binary, (500, 200), (700, 250), 255, -1)  # across x = 580: 80 px left, 120 px right
    regions = [Region("recommender", (0, 0, 580, h), sign_key="recommender_signed", seal_key="recommender_sealed"),
               Region("institution", (580, 0, w, h), sign_key="institution_signed", seal_key="institution_sealed")]
    masks = [binary[:, :580].copy(), binary[:, 580:].copy()]
    seals = [[(280, 40, 640, 300)], []]  # the recommender's seal, reaching over the line under the second name
    clusters, doubt, _alien = signature_ink(binary, regions, masks, 28, seals)
    big = 0.15 * 28 * 28
    assert [sum(c >= big for c in cl) for cl in clusters] == [1, 1]
    assert doubt == [False, True]  # the institution's reading rests on a name written across the line
