"""Phone photos: the sheet is found on its background and made upright; scans are left alone."""

from __future__ import annotations

import cv2
import numpy as np

from haizhi.extractors.scan.photo import flatten_sheet, sheet_corners


def _form_page(w: int = 850, h: int = 1100) -> np.ndarray:
    """White paper with a ruled table and a few text-like strokes."""
    page = np.full((h, w, 3), 255, np.uint8)
    x0, x1 = 100, 750
    for y in range(200, 1001, 50):
        cv2.line(page, (x0, y), (x1, y), (0, 0, 0), 2)
    for x in (300, x1):
        cv2.line(page, (x, 200), (x, 1000), (0, 0, 0), 2)
    cv2.line(page, (x0, 200), (x0, 1000), (255, 0, 0), 3)  # the left ruling in blue, to be found again
    for y in range(210, 990, 50):
        cv2.putText(page, "ABC 123", (110, y + 30), cv2.FONT_HERSHEY_SIMPLEX, 0.8, (0, 0, 0), 2)
    return page


def _photograph(page: np.ndarray, corners: list[tuple[float, float]], shade: bool = True) -> np.ndarray:
    """The page laid on a brown desk and shot at an angle (corners: where the page's corners land)."""
    h, w = page.shape[:2]
    H, W = int(h * 1.08), int(w * 1.1)
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    m = cv2.getPerspectiveTransform(src, np.float32(corners))
    photo = cv2.warpPerspective(page, m, (W, H), borderValue=(95, 120, 140)).astype(np.float32)
    if shade:  # a soft shadow over the lower part
        photo[int(H * 0.6):] *= 0.75
    return np.clip(photo, 0, 255).astype(np.uint8)


def _left_rule_slant(img: np.ndarray) -> float:
    """How far the table's left (blue) ruling drifts in x from its top to its bottom, in pixels."""
    b, g, r = (img[:, :, i].astype(int) for i in range(3))
    blue = (b > g + 60) & (b > r + 60)
    ys = np.flatnonzero(blue.any(axis=1))
    top, bottom = ys[0] + 5, ys[-1] - 5
    return abs(float(np.flatnonzero(blue[bottom])[0]) - float(np.flatnonzero(blue[top])[0]))


def test_a_photographed_sheet_is_made_upright() -> None:
    page = _form_page()
    photo = _photograph(page, [(90, 40), (880, 70), (900, 1150), (30, 1120)])
    assert _left_rule_slant(photo) > 12, "the test photo must be visibly keystoned"
    flat, done = flatten_sheet(photo)
    assert done
    assert _left_rule_slant(flat) < 4
    h, w = flat.shape[:2]
    assert abs(w / h - 850 / 1100) < 0.04, "the sheet keeps its proportions"
    border = np.concatenate([flat[:3].reshape(-1, 3), flat[-3:].reshape(-1, 3)])
    assert float(np.median(border)) > 200, "no desk left at the edges (it would read as a ruling)"


def test_scans_and_tables_on_white_paper_are_left_alone() -> None:
    page = _form_page()
    assert sheet_corners(page) is None  # the table outline is no sheet: white paper all round it
    out, done = flatten_sheet(page)
    assert not done and out is page
    grey_scan = (page.astype(np.float32) * 0.85).astype(np.uint8)  # a dull scan, paper to the edges
    assert flatten_sheet(grey_scan)[1] is False


def test_a_small_sheet_in_a_big_photo_is_not_taken_for_the_page() -> None:
    page = cv2.resize(_form_page(), (300, 390))
    canvas = np.full((1100, 850, 3), (95, 120, 140), np.uint8)
    canvas[300:690, 250:550] = page
    assert flatten_sheet(canvas)[1] is False  # under half the image: a photo of something else


def test_even_light_gives_back_white_paper_and_red_seal_ink_in_a_shadow() -> None:
    from haizhi.extractors.scan.ink import red_mask
    from haizhi.extractors.scan.photo import even_light

    page = _form_page()
    cv2.circle(page, (560, 850), 90, (60, 60, 215), 6)  # a seal ring in the lower part
    cv2.putText(page, "SEAL", (500, 865), cv2.FONT_HERSHEY_SIMPLEX, 1.2, (60, 60, 215), 4)
    truth = red_mask(page) > 0
    shot = page.astype(np.float32)
    shot[600:] *= 0.5  # a deep shadow over the lower half
    shot *= np.array([0.8, 0.9, 1.0], np.float32)  # warm lamp: less blue and green (BGR)
    shot = np.clip(shot, 0, 255).astype(np.uint8)
    even = even_light(shot)
    assert float(np.median(even[650:, :80])) > 235, "paper in the shadow is white again"
    found = red_mask(even) > 0
    overlap = (found & truth).sum() / truth.sum()
    assert overlap > 0.8 and (found & ~truth).sum() < 0.2 * truth.sum()


def test_a_sheet_photographed_in_dim_light_is_read_as_a_form_not_as_a_photograph() -> None:
    """Dim light leaves the paper mid-grey all over; judged before its light is evened, the page
    was taken for a photograph and none of it was read (a whole page of fields lost)."""
    from haizhi.extractors.scan.engines import get_engine
    from haizhi.extractors.scan.ink import is_photo
    from haizhi.extractors.scan.raster import PageImage
    from haizhi.extractors.scan.reader import read_page

    photo = _photograph(_form_page(), [(90, 40), (880, 70), (900, 1150), (30, 1120)], shade=False)
    dim = (photo.astype(np.float32) * 0.62).astype(np.uint8)  # paper about 158 grey, as in a dull room
    assert is_photo(dim), "the test photo must be one the old order gave up on"
    page, findings = read_page(PageImage(1, dim, 100.0), get_engine())
    assert "scan.photo_page" not in [f.rule for f in findings]
    assert "scan.photo_flattened" in [f.rule for f in findings]
    assert page.tables and sum("ABC" in c.text for t in page.tables for c in t.cells) >= 10
