"""A seal whose ring a signature (or print) covers (issue 11, "What failed" 6: a signature touching the seal):
the red under dark ink is hidden, not missing, so the ring is judged by the directions where it can be seen."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from haizhi.extractors.scan.seals import find_seals

DPI = 200.0
MM = DPI / 25.4


def test_a_seal_pressed_over_another_and_signed_over_is_still_a_seal() -> None:
    # TUNE base clean 9043 (its red ink red, the dark ink that is not red black, 200 dpi): the city's seal pressed
    # over the applicant's, a black signature and the （单位公章） / date print over its lower ring. One red blob;
    # of the two circles in it the city's ring showed red in 82 % of directions only (the rest under the dark ink),
    # so the city's seal was not seen and its "no seal" was a guess (flagged, but wrong)
    img = cv2.imread(str(Path(__file__).parent / "data" / "two_seals_signed_over_clean_9043.png"))
    found = find_seals(img, DPI)
    assert len(found) == 2, found
    centres = sorted(((b[0] + b[2]) / 2, (b[1] + b[3]) / 2) for b, _ in found)
    for (x, y), (tx, ty) in zip(centres, [(265, 364), (472, 233)], strict=True):  # where they were pressed
        assert np.hypot(x - tx, y - ty) < 6 * MM


def test_half_a_ring_beside_dark_ink_is_not_a_ring() -> None:
    # the directions hidden under dark ink are left out only when red runs round most of the ring anyway: half
    # a ring of red with a signature over the other half is not a seal's ring
    from haizhi.extractors.scan.seals import ring_share

    img = np.full((int(90 * MM), int(90 * MM), 3), 250, np.uint8)
    c, r = (int(45 * MM), int(45 * MM)), int(20 * MM)
    cv2.ellipse(img, c, (r, r), 0, 0, 180, (40, 40, 215), int(1.3 * MM))
    cv2.ellipse(img, c, (r, r), 0, 180, 360, (30, 30, 30), int(2.5 * MM))
    red = (img[:, :, 2] > 150) & (img[:, :, 0] < 100)
    dark = img.max(axis=2) < 100
    assert ring_share(red.astype(np.uint8), c[0], c[1], r, dark) < 0.85
