"""Signatures and seals present but not seen, or seen where there are none (issue 11): what ink counts as a
signature in a signing block. Cuts of TUNE pages of the independent family (200 dpi), stored as two inks
(dark 128, red 255)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace as B

import cv2
import numpy as np

from haizhi.extractors.scan.ink import red_mask
from haizhi.extractors.scan.mark_keys import MARK_SURE
from haizhi.extractors.scan.seal_signature import find_marks
from haizhi.extractors.scan.seals import find_seals

DATA = Path(__file__).parent / "data"
DPI = 200.0


def _page(name: str) -> tuple[np.ndarray, np.ndarray]:
    """(colour page, dark-ink binary) painted back from a two-ink cut."""
    g = cv2.imread(str(DATA / name), cv2.IMREAD_GRAYSCALE)
    img = np.full((*g.shape, 3), 250, np.uint8)
    img[g == 128] = (20, 20, 20)
    img[g == 255] = (40, 40, 215)
    return img, np.where(g == 128, np.uint8(255), np.uint8(0))


def _marks(name: str, bits: list) -> dict:
    bgr, binary = _page(name)
    red = red_mask(bgr)
    seals = find_seals(bgr, DPI, red)
    runs = [B(text=t, box=b) for t, b in bits]
    return {(m.kind, m.label): m for m in find_marks(bgr, binary, runs, [], DPI, seals, red) if m.label}


COOP_9905 = [("如以上承诺虚假，愿为此承担法律责任。", (56, 15, 584, 44)), ("推荐单位·福建省科学技术协会", (56, 92, 461, 122)),
             ("被推荐机构：合肥远帆产业投资管理有限公司", (540, 92, 1143, 122)), ("责人签字：（么章）", (58, 171, 358, 200)),
             ("负责人签字：", (450, 171, 615, 200)), ("（么章）", (673, 171, 758, 200)), ("年月日", (157, 235, 302, 279)),
             ("年科志建", (453, 235, 690, 279))]


def test_printed_seal_word_misread_after_the_label_is_not_a_signature() -> None:
    # TUNE coop moderate 9905: the recommender's seal over its label; OCR read its line 责人签字：（么章）, the
    # printed （公章） misread, and the bracketed word was taken for a name written after the label: its print
    # counted as handwriting, "signed" read sure where nobody signed (silent)
    marks = _marks("signs11_coop_paren_misread_moderate_9905.png", COOP_9905)
    rec = marks[("signature", "recommender_signed")]
    assert rec.checked is False and (rec.confidence or 0) >= MARK_SURE
    assert marks[("signature", "institution_signed")].checked is True
    assert marks[("seal", "recommender_sealed")].checked is True


def test_a_seals_middle_closed_into_a_blob_of_its_own_gives_way_to_its_ring() -> None:
    # TUNE base heavy 9904: the city seal pressed under the applicant's seal and a signature, at the page's foot;
    # its star and 专用章 closed into a blob of their own, cut in two as too long for one seal, each read as a
    # small seal of more confidence than the seal's ring (found as a circle), which was then dropped as the
    # same seal found twice: city_sealed read false
    bgr, _ = _page("signs11_base_seal_middle_heavy_9904.png")
    seals = find_seals(bgr, DPI)
    mm = DPI / 25.4
    assert len(seals) == 2
    assert all(min(b[2] - b[0], b[3] - b[1]) >= 30 * mm for b, _ in seals)  # two whole seals, no pieces
    lower = max(seals, key=lambda s: s[0][1])[0]
    assert abs((lower[0] + lower[2]) / 2 - 225) < 3 * mm and abs((lower[1] + lower[3]) / 2 - 400) < 3 * mm


def test_two_seals_closed_into_blobs_of_pieces_are_found_by_their_rings() -> None:
    # TUNE base heavy 9903: the applicant's seal pressed half over the city's; closing the red ink joined the
    # first seal's lower arc with the second's upper part into one blob, its box read as a seal 10 mm off the
    # first seal's centre (given to the city row), and the second seal's box, its left arc cut off, shifted
    # down into the provincial row (provincial_sealed read sure, silent). The wider close found both rings
    # all round but gave way to the blobs
    bgr, _ = _page("signs11_base_two_seals_blob_heavy_9903.png")
    seals = sorted(find_seals(bgr, DPI), key=lambda s: s[0][1])
    mm = DPI / 25.4
    assert len(seals) == 2
    for (b, _c), (cx, cy) in zip(seals, [(239, 211), (361, 392)], strict=True):
        assert np.hypot((b[0] + b[2]) / 2 - cx, (b[1] + b[3]) / 2 - cy) < 3 * mm
