"""Marks read wrong on independent TUNE scans (issue 11, marks ≥ 98 %): a blue-black signature over the date whose
blue a phone photo took most of, two seals pressed a third of a seal apart, two people's signatures in two pens
crossing each other, and a blue signature across the blank between the two coop labels. Cuts of the pages as the
reader has them (200 dpi, upright), the paper whitened and the colours cut down to a palette; the text runs OCR
read there."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace as B

import cv2
import numpy as np

from haizhi.extractors.scan.ink import blue_ink, page_blue_ink
from haizhi.extractors.scan.seal_signature import find_marks
from haizhi.extractors.scan.seals import find_seals

DATA = Path(__file__).parent / "data"
DPI = 200.0
MM = DPI / 25.4


def _page(name: str) -> tuple[np.ndarray, np.ndarray]:
    """(colour cut, its binarised ink) of a stored cut."""
    bgr = cv2.imread(str(DATA / f"marks13_{name}.png"), cv2.IMREAD_COLOR)
    gray = cv2.imread(str(DATA / f"marks13_{name}_bin.png"), cv2.IMREAD_GRAYSCALE)
    return bgr, np.where(gray > 127, np.uint8(255), np.uint8(0))


def _marks(name: str, bits: list, seals: list | None = None) -> dict:
    """find_marks on a cut; seals: those found on the whole page, when the cut is not about finding them."""
    bgr, binary = _page(name)
    runs = [B(text=t, box=b) for t, b in bits]
    return {m.label: m for m in find_marks(bgr, binary, runs, [], DPI, seals=seals) if m.label}


HEAD_10906 = [("六、申报单位负责人承诺", (42, 7, 349, 34)), ("本人已认真填写、检查申报材料，保证内容真实、准确、有效。", (42, 82, 810, 110)),
              ("基地负责人（签字）：", (42, 157, 303, 184)), ("年2月", (35, 229, 147, 257)), ("日", (213, 229, 233, 257))]


def test_a_blue_black_name_a_photo_made_grey_is_blue_against_the_pages_print() -> None:
    # TUNE base photo 10906: the head signed small (4.6 mm, blue-black) over the date's 年; OCR read the line 年2月,
    # print, and the strokes' blue (b − r about 20, print 5) was under blue_ink's fixed 35: unsigned, sure, silent
    bgr, binary = _page("head_sign_over_date_photo_10906")
    name = (slice(225, 260), slice(30, 100))  # the name over 年
    assert int((blue_ink(bgr)[name] > 0).sum()) < 60  # what was seen before: a few specks
    blue = page_blue_ink(bgr, binary)
    assert int((blue[name] > 0).sum()) > 300
    rest = blue.copy()
    rest[name] = 0
    assert int((rest > 0).sum()) < 20  # the print (the label, the line above, 月 日) is not blue
    assert _marks("head_sign_over_date_photo_10906", HEAD_10906)["head_signed"].checked is True


COOP_10905 = [("如以上承诺虚假，愿为此承担法律责任。", (20, 10, 548, 39)), ("推荐单位：福建省科学技术协会", (20, 87, 425, 117)),
              ("被推荐机构：合肥远帆产业投资管理有限公司", (520, 87, 1107, 117)), ("负责人签字：", (22, 167, 179, 196)),
              ("（公章）", (237, 167, 322, 196)), ("负责人签字：", (422, 167, 580, 196)), ("（公章）", (638, 167, 722, 196)),
              ("年月VMU", (121, 242, 641, 278))]


def test_two_seals_a_third_of_a_seal_apart_each_ring_whole_are_two() -> None:
    # TUNE coop heavy 10905: the recommender's seal pressed 14 mm left of the institution's; each ring is seen
    # nearly all round, but the second was dropped as overlapping the first: recommender "no seal" (named)
    bgr, _ = _page("coop_two_pens_two_seals_heavy_10905")
    found = find_seals(bgr, DPI)
    assert len(found) == 2, found
    centres = sorted(((b[0] + b[2]) / 2, (b[1] + b[3]) / 2) for b, _ in found)
    for (x, y), (tx, ty) in zip(centres, [(347, 207), (458, 231)], strict=True):  # where the scan maker pressed them
        assert np.hypot(x - tx, y - ty) < 4 * MM


def test_two_signatures_in_two_pens_crossing_are_two_blocks() -> None:
    # the same page: the recommender signed in blue below its line, the institution in black over its date, the
    # two crossing across the line between the blocks: one cluster, given to the institution; recommender unsigned
    marks = _marks("coop_two_pens_two_seals_heavy_10905", COOP_10905)
    assert {k: m.checked for k, m in marks.items()} == {"recommender_sealed": True, "institution_sealed": True,
                                                        "recommender_signed": True, "institution_signed": True}


def _two_blocks(dark_tall: bool) -> tuple[np.ndarray, np.ndarray]:
    """Two blocks side by side (the line at x 300), a blue scrawl mostly in the left one running on into the right
    one, where it crosses dark ink: a word of print (one em tall) or a dark pen's zigzag (three em tall) written
    there. (hand mask, blue minus red) in one frame."""
    hand = np.zeros((200, 600), np.uint8)
    tint = np.zeros((200, 600), np.int16)
    blue = np.zeros_like(hand)
    cv2.polylines(blue, [np.array([[60, 120], [120, 60], [180, 130], [240, 70], [300, 125], [360, 80]])], False, 255, 6)
    dark = np.zeros_like(hand)
    if dark_tall:
        cv2.polylines(dark, [np.array([[330, 150], [370, 60], [410, 150], [450, 60], [490, 150]])], False, 255, 5)
    else:
        for x in range(330, 500, 30):  # 年 月 日-like print: glyphs of one em (28 px), stroked
            cv2.rectangle(dark, (x, 90), (x + 24, 116), 255, 3)
            cv2.line(dark, (x, 103), (x + 24, 103), 255, 3)
    hand[(blue > 0) | (dark > 0)] = 255
    tint[dark > 0] = 2
    tint[blue > 0] = 110
    return hand, tint


def test_a_dark_pen_crossing_a_blue_one_is_its_own_signature_but_print_is_not() -> None:
    from haizhi.extractors.scan.pens import two_pens

    em = 28
    boxes = [(0, 0, 300, 200), (300, 0, 600, 200)]
    for tall, split in ((True, True), (False, False)):
        hand, tint = _two_blocks(tall)
        n, lab, _, _ = cv2.connectedComponentsWithStats(cv2.dilate(hand, np.ones((15, 15), np.uint8)), connectivity=8)
        own = np.zeros((n, 2), np.int64)
        for j, (x0, y0, x1, y1) in enumerate(boxes):
            own[:, j] = np.bincount(lab[y0:y1, x0:x1][hand[y0:y1, x0:x1] > 0].ravel(), minlength=n)
        pens = two_pens(lab, own, boxes, (0, 0), em, hand, tint, 1.3 * em)
        assert bool(pens) is split, (tall, pens)
        if split:
            (_, jb), (_, jk), _ = next(iter(pens.values()))
            assert (jb, jk) == (0, 1)


COOP_10903 = [("如以上承诺虚假，愿为此承担法律责任。", (21, -4, 524, 23)),
              ("推荐单位：东省学技术办会液推荐机构：宁波众创产业投资管理有限公司", (20, 73, 1069, 132)),
              ("负责人签字：", (22, 149, 174, 176)), ("（公章）", (272, 149, 353, 176)), ("负责人签字：", (434, 149, 586, 176)),
              ("（公章）", (684, 149, 765, 176)), ("年日马", (82, 225, 577, 322)), ("年月日年", (82, 225, 577, 261))]
SEALS_10903 = [((250, 22, 527, 316), 0.696)]  # the recommender's, found on the whole page


def test_a_blue_signature_across_the_blank_between_the_labels_does_not_hide_it() -> None:
    # TUNE coop heavy 10903: the recommender's blue scrawl crosses the blank before 被推荐机构, and OCR lost 广 and 科
    # of the recommender's name: the label was placed by counting characters, 4 em too far left, and the
    # recommender's seal, pressed over the line between the blocks, went to the institution
    marks = _marks("coop_blue_over_label_gap_heavy_10903", COOP_10903, SEALS_10903)
    assert marks["recommender_sealed"].checked is True
    assert marks["institution_sealed"].checked is False


COOP_11105 = [("推荐单位：四川省科学技术协会被推存机构V宁波瀚德国际人才发展中心", (88, 19, 1075, 49)),
              ("负责人签字：日华（公章）", (90, 61, 794, 125)), ("负责人签字：华（公章）", (90, 89, 794, 125))]


def test_the_institution_label_misread_without_its_colon_still_places_the_second_block() -> None:
    # TUNE coop photo 11105: 被推荐机构： read 被推存机构V (荐 misread, the colon under a signature) and the second
    # 签字 label lost under a name and two seals: no label found, the blocks were split at the middle of the page,
    # 4 em right of the second block's start, and both seals went to the recommender
    from haizhi.extractors.scan.regions import coop_regions

    gray = cv2.imread(str(DATA / "marks13_coop_institution_label_misread_photo_11105.png"), cv2.IMREAD_GRAYSCALE)
    binary = np.where(gray > 127, np.uint8(255), np.uint8(0))
    bits = [B(text=t, box=b) for t, b in COOP_11105]
    regions = {r.owner: r for r in coop_regions(bits, [], binary.shape, 28.6, 28, binary)}
    assert 500 < regions["institution"].box[0] < 560  # 被 begins at about 548
