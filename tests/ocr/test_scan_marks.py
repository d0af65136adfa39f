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

    from haizhi.extractors.scan.sign_lines import label_end

    run = SimpleNamespace(text="基地负责人（签字）：", box=(100, 0, 420, 30))
    assert label_end(run, 20.0) <= 100 + 11 * 20 < 420


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


# --- marks by region as people place them (issue 11, "What failed" 6): synthetic pages, 200 dpi, em 28 px ---

def _coop_line(y: int = 737) -> list:
    """The coop 承诺 block's printed lines, the two blocks side by side (推荐单位 left, 被推荐机构 right)."""
    from types import SimpleNamespace as B

    return [B(text="被推荐机构近三年内无违法或不良信用记录。", box=(264, y - 227, 824, y - 200)),
            B(text="推荐单位：福建省科学技术协会", box=(263, y, 655, y + 30)),
            B(text="被推荐机构：无锡海川科技服务有限公司", box=(762, y, 1266, y + 30)),
            B(text="负责人签字：", box=(265, y + 80, 433, y + 110)), B(text="（公章）", box=(580, y + 80, 665, y + 110)),
            B(text="负责人签字：", box=(866, y + 80, 1034, y + 110)), B(text="（公章）", box=(1182, y + 80, 1266, y + 110)),
            B(text="年月日", box=(464, y + 153, 575, y + 180)), B(text="年月日", box=(965, y + 153, 1075, y + 180))]


def _marks(img: np.ndarray, binary: np.ndarray, bits: list, cells: list, seals: list | None = None) -> dict:
    return {m.label: m for m in find_marks(img, binary, bits, cells, DPI, seals=seals) if m.label}


def test_two_seals_by_the_line_between_side_by_side_blocks_are_one_each() -> None:
    # the recommender's seal pressed half over the line between the blocks and the institution's seal
    # overlapping it from the right: both overlap the institution's block most, one is the recommender's
    img, binary = _page(), np.zeros((int(200 * MM), int(180 * MM)), np.uint8)
    seals = [((651, 682, 934, 1035), 0.9), ((934, 682, 1217, 1035), 0.9)]
    marks = _marks(img, binary, _coop_line(), [], seals)
    assert marks["recommender_sealed"].checked is True
    assert marks["institution_sealed"].checked is True


def test_a_seal_that_could_be_the_sealless_neighbours_is_named() -> None:
    # one seal across the line between the two blocks, nearly as much in each: either block's, not sure
    img, binary = _page(), np.zeros((int(200 * MM), int(180 * MM)), np.uint8)
    marks = _marks(img, binary, _coop_line(), [], [((600, 700, 900, 1000), 0.95)])
    sealed = [k for k in ("recommender_sealed", "institution_sealed") if marks[k].checked]
    assert len(sealed) == 1
    assert marks["recommender_sealed"].confidence < 0.75 and marks["institution_sealed"].confidence < 0.75


def test_no_seal_beside_a_neighbours_seal_reaching_into_the_block_is_named() -> None:
    # the institution's seal pressed over the recommender's, the two read as one seal lying mostly in the
    # institution's block: the recommender's "no seal" may hide a seal under it, so it is named
    img, binary = _page(), np.zeros((int(200 * MM), int(180 * MM)), np.uint8)
    marks = _marks(img, binary, _coop_line(), [], [((700, 700, 980, 980), 0.95)])
    assert marks["institution_sealed"].checked is True
    assert marks["recommender_sealed"].checked is False and marks["recommender_sealed"].confidence < 0.75


def test_two_seals_given_to_one_block_make_the_other_blocks_no_seal_unsure() -> None:
    # 被推荐机构 misread, so the recommender's block was found far too small: both seals fall in the
    # institution's block; one of them is another block's, so the recommender's "no seal" is named
    img, binary = _page(), np.zeros((int(200 * MM), int(180 * MM)), np.uint8)
    marks = find_marks(img, binary, _coop_line(), [], DPI, seals=[((800, 700, 1080, 980), 0.95),
                                                                     ((1100, 650, 1380, 930), 0.95)])
    seals = [m for m in marks if m.kind == "seal"]
    assert [m.label for m in seals].count("institution_sealed") == 2
    rec = next(m for m in seals if m.label == "recommender_sealed")
    assert rec.checked is False and rec.confidence < 0.75


def _scribble(binary: np.ndarray, x0: int, y0: int, x1: int, y1: int) -> None:
    pts = np.array([(x0 + (x1 - x0) * i // 8, y1 if i % 2 else y0) for i in range(9)], np.int32)
    cv2.polylines(binary, [pts], False, 255, 5)


def test_a_signature_across_the_line_between_blocks_is_one_signature_of_the_block_holding_most_of_it() -> None:
    # the recommender signed towards the neighbour's label: a third of the strokes past the line between
    # the blocks; the institution did not sign
    img, binary = _page(), np.zeros((int(200 * MM), int(180 * MM)), np.uint8)
    _scribble(binary, 480, 840, 820, 900)
    marks = _marks(img, binary, _coop_line(), [], [])
    assert marks["recommender_signed"].checked is True
    assert marks["institution_signed"].checked is False


def test_a_small_signature_against_the_neighbours_large_one_is_not_a_sure_no() -> None:
    # TUNE coop clean 8405: the recommender's large signature reaches past the line between the blocks and
    # the institution's small one is written against its end: one cluster of strokes, the recommender's.
    # The institution's "not signed" is then a guess, so a finding names it
    img, binary = _page(), np.zeros((int(200 * MM), int(180 * MM)), np.uint8)
    _scribble(binary, 440, 830, 740, 900)
    _scribble(binary, 742, 850, 800, 885)  # its end past the line between the blocks (about 765)
    marks = _marks(img, binary, _coop_line(), [], [])
    assert marks["recommender_signed"].checked is True
    ins = marks["institution_signed"]
    assert ins.checked is True or ins.confidence < 0.75, ins


def test_a_small_signature_read_as_a_lone_digit_is_not_print() -> None:
    # a small scribble between the 签字 line and the date line that OCR read as "2"
    from types import SimpleNamespace as B

    img, binary = _page(), np.zeros((int(200 * MM), int(180 * MM)), np.uint8)
    _scribble(binary, 992, 918, 1090, 952)
    bits = _coop_line() + [B(text="2", box=(990, 916, 1091, 953))]
    marks = _marks(img, binary, bits, [], [])
    assert marks["institution_signed"].checked is True
    assert marks["recommender_signed"].checked is False


def test_both_labels_in_one_run_with_text_lost_under_a_seal_split_at_the_gap() -> None:
    # 推荐单位：江苏省科学技术协会    被推荐机构：… read as one run, 苏省科学技术协会 lost under a seal and a
    # signature: the character count puts 被推荐机构 far left of where it is printed
    from types import SimpleNamespace as B

    from haizhi.extractors.scan.regions import coop_regions

    binary = np.zeros((2200, 1700), np.uint8)
    binary[1195:1220, 239:610] = 255  # 推荐单位：江苏省科学技术协会 (ink)
    binary[1195:1220, 727:1213] = 255  # 被推荐机构：佛山睿联国际人才发展中心
    bits = [B(text="被推荐机构近三年内无违法或不良信用记录。", box=(240, 971, 783, 998)),
            B(text="推荐单位：江被推荐机构：佛山睿联国际人才发展中心", box=(239, 1193, 1213, 1221)),
            B(text="负责人签字：（公章）负责人签字", box=(240, 1268, 873, 1322))]
    regions = {r.owner: r for r in coop_regions(bits, [], binary.shape, 28.0, 28, binary)}
    assert regions["recommender"].box[2] == regions["institution"].box[0]
    assert 610 < regions["recommender"].box[2] < 727


def test_second_label_with_its_first_character_lost_after_a_signature_splits_side_by_side() -> None:
    # the page of tests/ocr/test_independent_scans label_column-date-black-large: 推荐单位： read alone, then
    # 广东省科学技术协会推荐机构： (被 lost) with a large signature written over the blank between the value and
    # the label, 负责人签字： read twice (whole line and part by part), the second block's 签字 label and both
    # （公章） lost under the signatures and seals. The blocks are side by side, split near the second label,
    # not one above the other (the recommender's signature went to the institution)
    from types import SimpleNamespace as B

    from haizhi.extractors.scan.regions import coop_regions

    binary = np.zeros((2369, 1697), np.uint8)
    binary[792:818, 489:1175] = 255  # the value, the signature over the blank, the label: no blank left
    bits = [B(text="被推荐机构近三年内无违法或不良信用记录。", box=(320, 613, 952, 644)),
            B(text="推荐单位：", box=(279, 789, 418, 820)), B(text="广东省科学技术协会推荐机构：", box=(489, 789, 1175, 820)),
            B(text="负责人签字：", box=(379, 868, 550, 930)), B(text="负责人签字：", box=(379, 868, 550, 904)),
            B(text="TP黄责人", box=(661, 868, 1164, 904)), B(text="双明平", box=(1247, 868, 1465, 930))]
    cells = [("三、承诺书", (241, 553, 1470, 1032))]
    regions = {r.owner: r for r in coop_regions(bits, cells, binary.shape, 31.3, 31, binary)}
    rec, ins = regions["recommender"].box, regions["institution"].box
    assert rec[1] == ins[1] and rec[3] == ins[3]  # side by side
    assert rec[2] == ins[0] and 900 < rec[2] < 1020  # at the second label (printed from about 989)


def test_the_rest_of_a_row_carried_to_the_next_page_is_that_rows_block() -> None:
    # 所在地市科协意见 cut at a page break: the next page starts with its 负责人（签字）/（单位公章）/date lines,
    # no label; the city's seal is pressed there, the provincial row below holds its own
    from types import SimpleNamespace as B

    img, binary = _page(300, 220), np.zeros((int(300 * MM), int(220 * MM)), np.uint8)
    cells = [("负责人（签字）：    （单\n2024年7月3日    分", (238, 204, 612, 331)), ("立公N", (612, 204, 685, 331)),
             ("", (685, 204, 1439, 331)), ("省级科协意见：\n负责人（签字）：    （单位公章）\n2024年7月3日", (238, 331, 1439, 500))]
    bits = [B(text="负责人（签字）：", box=(256, 256, 467, 283)), B(text="2024年7月3日", box=(316, 298, 523, 326)),
            B(text="省级科协意见：", box=(256, 342, 436, 369)), B(text="负责人（签字）：", box=(256, 425, 467, 453)),
            B(text="（单位公章）", box=(566, 425, 704, 453)), B(text="2024年7月3日", box=(316, 466, 523, 495))]
    seals = [((501, 112, 812, 356), 1.0), ((501, 356, 812, 600), 0.99)]
    marks = _marks(img, binary, bits, cells, seals)
    assert marks["city_sealed"].checked is True
    assert marks["provincial_sealed"].checked is True


def test_opinion_label_whose_colon_is_lost_starts_its_block() -> None:
    # a photographed page, no table found: 省级科协意见：情况属实… read without its colon (under a seal); the
    # lines above it are the rest of the city's block from the page before
    from types import SimpleNamespace as B

    img, binary = _page(280, 210), np.zeros((int(280 * MM), int(210 * MM)), np.uint8)
    bits = [B(text="负责人（签字）：（单位公章）", box=(224, 218, 780, 271)), B(text="2025年9月10日", box=(224, 275, 520, 314)),
            B(text="省级科协意见情况属实，同意推荐该基地报。", box=(224, 320, 846, 366)),
            B(text="表人（签”（单位公章）", box=(224, 367, 678, 428))]
    seals = [((257, 281, 537, 571), 0.88), ((551, 126, 822, 404), 1.0)]
    marks = _marks(img, binary, bits, [], seals)
    assert marks["city_sealed"].checked is True
    assert marks["provincial_sealed"].checked is True


def _print_ink(binary: np.ndarray, box: tuple[int, int, int, int], n: int) -> None:
    """Printed characters: n glyph-like blobs across a text run's box."""
    x0, y0, x1, y1 = box
    cw = (x1 - x0) // n
    for i in range(n):
        cv2.rectangle(binary, (x0 + i * cw + 4, y0 + 4), (x0 + (i + 1) * cw - 4, y1 - 4), 255, 3)


def test_printed_seal_label_in_the_signing_labels_run_is_not_a_signature() -> None:
    # OCR read 负责人签字：（公章） as one run (no signature written): the （公章） is print, not handwriting.
    # Printed as the institution's line beside it is: the label, a blank, the （公章）
    from types import SimpleNamespace as B

    img, binary = _page(), np.zeros((int(200 * MM), int(180 * MM)), np.uint8)
    bits = _coop_line()
    for b in bits:
        _print_ink(binary, b.box, len(b.text))
    bits[3:5] = [B(text="负责人签字：（公章）", box=(265, 817, 665, 847))]
    marks = _marks(img, binary, bits, [], [])
    assert marks["recommender_signed"].checked is False


def test_specks_and_ruling_stubs_are_not_a_signature() -> None:
    # a heavy scan: noise specks and the stubs of a table's column rulings above the blocks, nobody signed
    img, binary = _page(), np.zeros((int(200 * MM), int(180 * MM)), np.uint8)
    for x in (460, 860, 1060, 1260):
        binary[447:459, x:x + 5] = 255  # ruling stubs below the table
    for x in range(300, 1300, 90):
        binary[930:937, x:x + 7] = 255  # specks, a few pixels each, apart
    marks = _marks(img, binary, _coop_line(), [], [])
    assert marks["recommender_signed"].checked is False and marks["institution_signed"].checked is False


def _star(img: np.ndarray, cx: float, cy: float, r_mm: float = 5.2) -> None:
    """The solid five-pointed star at an official seal's centre."""
    r = r_mm * MM
    pts = [(cx * MM + (r if i % 2 == 0 else 0.38 * r) * np.cos(-np.pi / 2 + i * np.pi / 5),
            cy * MM + (r if i % 2 == 0 else 0.38 * r) * np.sin(-np.pi / 2 + i * np.pi / 5)) for i in range(10)]
    cv2.fillPoly(img, [np.array(pts, np.int32)], (40, 40, 215))


def test_three_seals_pressed_over_each_other_down_the_opinion_rows_are_three() -> None:
    # 申报单位 / 所在地市科协 / 省级科协 rows 16 mm tall, each seal pressed on its row's 单位公章 line: three
    # seals over each other; the middle one pressed unevenly (much of its ring missing), a blue signature over it
    img = _page(240, 180)
    for cy in (70, 87, 104):
        arcs = ((0, 360),) if cy != 87 else ((0, 80), (190, 240))  # the middle one pressed unevenly: worn ring
        for a in arcs:
            _seal(img, 90, cy, arc=a)
        _star(img, 90, cy)
    cv2.polylines(img, [np.array([(int(60 * MM), int(80 * MM)), (int(67 * MM), int(95 * MM)),
                                  (int(74 * MM), int(80 * MM)), (int(81 * MM), int(95 * MM))], np.int32)],
                  False, (160, 60, 20), int(4 * MM))  # the signature, blue, over the middle seal's left side
    found = find_seals(img, DPI)
    assert len(found) == 3, found
    ys = sorted((b[1] + b[3]) / 2 / MM for b, _ in found)
    for y, ty in zip(ys, (70, 87, 104), strict=True):
        assert abs(y - ty) < 5


def test_three_seals_in_a_column_whose_stars_are_signed_over_are_three() -> None:
    # TUNE base clean 8162 (its red ink, 200 dpi): 申报单位 / 所在地市科协 / 省级科协 seals pressed down one
    # column, the first two 18 mm apart, the third 34 mm below, blue signatures over two stars and the rings.
    # The red blob is 2.2 seals long: it was cut in two halves, the middle seal lost and the first given to
    # the city's row (flagged, but wrong)
    from pathlib import Path

    red = cv2.imread(str(Path(__file__).parent / "data" / "three_seals_in_a_column_red.png"), cv2.IMREAD_GRAYSCALE)
    found = find_seals(np.full((*red.shape, 3), 250, np.uint8), DPI, red)
    assert len(found) == 3, found
    ys = sorted((b[1] + b[3]) / 2 for b, _ in found)
    for y, ty in zip(ys, (204, 365, 629), strict=True):  # where the scan maker pressed them
        assert abs(y - ty) < 9 * MM


def test_two_seals_on_a_slant_whose_edge_circle_is_off_are_two() -> None:
    # TUNE base photo 8404 (its red ink, 200 dpi): the provincial seal pressed over the city's on a slant,
    # 63 × 54 mm of red; the edge circle found for the second seal lay a tenth of a radius off its ring, so
    # only the city's seal was seen and the provincial "no seal" was a guess (flagged, but wrong)
    from pathlib import Path

    red = cv2.imread(str(Path(__file__).parent / "data" / "two_seals_on_a_slant_photo_red.png"), cv2.IMREAD_GRAYSCALE)
    found = find_seals(np.full((*red.shape, 3), 250, np.uint8), DPI, red)
    assert len(found) == 2, found
    centres = sorted(((b[0] + b[2]) / 2, (b[1] + b[3]) / 2) for b, _ in found)
    for (x, y), (tx, ty) in zip(centres, [(304, 265), (524, 388)], strict=True):  # where they were pressed
        assert np.hypot(x - tx, y - ty) < 9 * MM


def test_an_unsure_none_on_one_page_is_not_hidden_by_a_sure_none_on_another() -> None:
    # 申报单位 read as a block on page 1 too (its field label): "no seal" there is sure, but on the opinion
    # page, where the seal would be, the reading was unsure; the answer stays unsure, so a finding names it
    from haizhi.extractors.layout import Layout, Mark, Page
    from haizhi.extractors.scan.mark_keys import marks_for

    def page(n: int, conf: float) -> Page:
        p = Page(number=n, method="ocr")
        p.marks = [Mark(kind="seal", checked=False, label="applicant_sealed", bbox=(0, 100, 600, 300),
                        confidence=conf, source="pixels")]
        return p

    for pages in ([page(1, 0.8), page(5, 0.6)], [page(5, 0.6), page(1, 0.8)]):
        got = marks_for(Layout(pages=pages, file="x.pdf"), "base_application")
        assert got["applicant_sealed"] is False
        assert got.uncertain["applicant_sealed"][0] == 5


def test_a_small_blue_signature_across_the_date_line_is_a_signature() -> None:
    # signed small, in blue, right over the printed 年 月 日 line (OCR read the line as one tall run "日"):
    # the printed line's band hides it from a print-or-not test, its colour does not
    from types import SimpleNamespace as B

    img, binary = _page(), np.zeros((int(200 * MM), int(180 * MM)), np.uint8)
    bits = _coop_line()
    for b in bits:
        _print_ink(binary, b.box, len(b.text))
        cv2.rectangle(img, b.box[:2], b.box[2:], (30, 30, 30), 1)
    bits[7] = B(text="日", box=(440, 880, 600, 940))  # the recommender's date line with the signature in it
    pts = np.array([(470 + 12 * i, 893 if i % 2 else 918) for i in range(9)], np.int32)
    cv2.polylines(img, [pts], False, (170, 60, 30), 4)  # blue ink (BGR)
    cv2.polylines(binary, [pts], False, 255, 4)
    marks = _marks(img, binary, bits, [], [])
    assert marks["recommender_signed"].checked is True
    assert marks["institution_signed"].checked is False


def _date_line_run(ink, text: str, run: tuple[int, int, int, int], signature: tuple[int, int, int, int]) -> dict:  # noqa: ANN001
    """The coop signing line printed with ``ink``, both blocks' date lines read by OCR as one run, and a
    signature scribbled over them."""
    from types import SimpleNamespace as B

    img, binary = _page(), np.zeros((int(200 * MM), int(180 * MM)), np.uint8)
    bits = _coop_line()
    for b in bits:
        ink(binary, b.box, len(b.text))
    bits[7:9] = [B(text=text, box=run)]
    _scribble(binary, *signature)
    return _marks(img, binary, bits, [], [])


def test_a_large_signature_across_the_date_line_is_not_cut_into_pieces_for_the_neighbour() -> None:
    # the institution signed large over the date line, starting left of the line between the blocks; OCR
    # read both dates and the strokes as one run: cutting the printed band out of the strokes left their
    # tops and bottoms as small clusters, and those left of the line made the recommender "signed"
    marks = _date_line_run(_print_ink, "年月日年M日", (464, 850, 1075, 960), (690, 850, 900, 960))
    assert marks["institution_signed"].checked is True
    assert marks["recommender_signed"].checked is False


def test_side_by_side_blocks_split_between_the_signing_lines_not_under_the_owner_label() -> None:
    # the second block's 负责人签字 line starts well left of its 被推荐机构 label above it: a signature just
    # right of that 签字 label is the institution's, though it lies left of where 被推荐机构 begins
    from types import SimpleNamespace as B

    img, binary = _page(), np.zeros((int(200 * MM), int(180 * MM)), np.uint8)
    y = 737
    bits = [B(text="被推荐机构近三年内无违法或不良信用记录。", box=(264, y - 227, 824, y - 200)),
            B(text="推荐单位：福建省科学技术协会", box=(263, y, 655, y + 30)),
            B(text="被推荐机构：无锡海川科技服务有限公司", box=(860, y, 1364, y + 30)),
            B(text="负责人签字：", box=(265, y + 80, 433, y + 110)), B(text="（公章）", box=(560, y + 80, 645, y + 110)),
            B(text="负责人签字：", box=(700, y + 80, 868, y + 110)), B(text="（公章）", box=(1000, y + 80, 1085, y + 110))]
    _scribble(binary, 690, 780, 850, 830)  # over the 签字 line's top, from its label rightwards
    marks = _marks(img, binary, bits, [], [])
    assert marks["institution_signed"].checked is True
    assert marks["recommender_signed"].checked is False


def test_both_signing_labels_in_one_run_split_at_the_blank_before_the_second() -> None:
    # OCR read the whole signing line as one run (负责人字：公章）负责人签字：（公章）, 签 lost): the line is
    # split at its blank nearest the second block's owner label, not at that label
    from types import SimpleNamespace as B

    from haizhi.extractors.scan.regions import coop_regions

    binary = np.zeros((int(200 * MM), int(180 * MM)), np.uint8)
    y = 737
    bits = [B(text="被推荐机构近三年内无违法或不良信用记录。", box=(264, y - 227, 824, y - 200)),
            B(text="推荐单位：福建省科学技术协会", box=(263, y, 655, y + 30)),
            B(text="被推荐机构：无锡海川科技服务有限公司", box=(860, y, 1364, y + 30)),
            B(text="负责人字：公章）负责人签字：（公章）", box=(265, y + 80, 1085, y + 110))]
    for x0, x1 in ((265, 433), (560, 645), (700, 868), (1000, 1085)):  # the printed words, blanks between
        binary[y + 84:y + 106, x0:x1] = 255
    regions = {r.owner: r for r in coop_regions(bits, [], binary.shape, 28.0, 28, binary)}
    assert 645 < regions["recommender"].box[2] == regions["institution"].box[0] < 700


def test_blue_ink_of_one_page_is_worked_out_once() -> None:
    # the reader asks for a page's blue ink twice (hand strokes, then the marks): the same page array gets
    # the same answer back, read-only; another page (even at the same size) its own
    from haizhi.extractors.scan.ink import blue_ink, hand_strokes

    page = _page()
    cv2.line(page, (100, 100), (400, 130), (170, 60, 30), 6)
    first = blue_ink(page)
    assert blue_ink(page) is first and not first.flags.writeable
    assert hand_strokes(page, DPI).any()
    other = _page()
    assert blue_ink(other) is not first and not blue_ink(other).any()


def test_a_small_signature_written_on_the_date_line_in_black_is_a_signature() -> None:
    # signed small in black right on the 年  月  日 line (no stroke reaches above or below the printed band):
    # one stroke running along the line between the printed words is no printed character
    from types import SimpleNamespace as B

    img, binary = _page(), np.zeros((int(200 * MM), int(180 * MM)), np.uint8)
    bits = _coop_line()
    for b in bits[:7]:
        _print_ink(binary, b.box, len(b.text))
    bits[7:9] = [B(text="年月日", box=(440, 885, 600, 925)), B(text="年月日", box=(940, 885, 1100, 925))]
    for b in bits[7:9]:
        for x in (5, 65, 125):  # 年  月  日: three characters, blanks between
            cv2.rectangle(binary, (b.box[0] + x, 892), (b.box[0] + x + 23, 915), 255, 2)
    pts = np.array([(975 + 14 * i, 893 if i % 2 else 915) for i in range(9)], np.int32)
    cv2.polylines(binary, [pts], False, 255, 2)  # a ballpoint line
    marks = _marks(img, binary, bits, [], [])
    assert marks["institution_signed"].checked is True
    assert marks["recommender_signed"].checked is False


def _glyphs(binary: np.ndarray, box: tuple[int, int, int, int], n: int) -> None:
    """n printed characters (each a little under one em, 28 px) spread over a text run's box."""
    x0, y0, x1, y1 = box
    step = (x1 - x0) // n
    g = min(22, step - 4)
    for i in range(n):
        cv2.rectangle(binary, (x0 + i * step + 2, y0 + 4), (x0 + i * step + 2 + g, y0 + 26), 255, 3)
        cv2.line(binary, (x0 + i * step + 2, y0 + 15), (x0 + i * step + 2 + g, y0 + 15), 255, 2)


def test_printed_words_of_the_signing_line_misread_or_wrapped_are_not_signatures() -> None:
    # nobody signed; OCR read the institution's 负责人签字 as 负责签, and the institution's name wrapped its
    # last character 司 onto a line of its own under 推荐单位: both are print
    from types import SimpleNamespace as B

    img, binary = _page(), np.zeros((int(200 * MM), int(180 * MM)), np.uint8)
    bits = _coop_line()
    bits[5] = B(text="负责签", box=(866, 817, 1034, 847))
    bits.append(B(text="司", box=(264, 772, 290, 798)))
    for b in bits:
        _glyphs(binary, b.box, len(b.text))
    marks = _marks(img, binary, bits, [], [])
    assert marks["recommender_signed"].checked is False
    assert marks["institution_signed"].checked is False


def test_seals_beside_an_opinion_row_whose_label_was_lost_are_named() -> None:
    # opinions as lines (no table found); the city's label lay under its seal and was read as 协见：同度推荐:
    # the applicant's and provincial rows took its lines, and the city's seal fell in the provincial row
    from types import SimpleNamespace as B

    img, binary = _page(280, 210), np.zeros((int(280 * MM), int(210 * MM)), np.uint8)
    bits = [B(text="八、单位意见", box=(284, 1549, 453, 1575)), B(text="申报单位意见：", box=(262, 1624, 463, 1652)),
            B(text="（签字）（单位公章）", box=(262, 1701, 729, 1735)), B(text="协见：同度推荐", box=(262, 1782, 700, 1824)),
            B(text="负责人（签字）：", box=(262, 1876, 492, 1904)), B(text="（已公）", box=(566, 1876, 729, 1904)),
            B(text="省级科协意见：实，管推荐该地申报。", box=(262, 1963, 900, 1999))]
    seals = [((497, 1579, 817, 1865), 0.9), ((497, 1865, 817, 2151), 0.9)]
    marks = _marks(img, binary, bits, [], seals)
    assert marks["provincial_sealed"].checked is True and marks["provincial_sealed"].confidence < 0.75
    assert marks["applicant_sealed"].checked is True and marks["applicant_sealed"].confidence < 0.75


def test_a_seal_on_the_next_page_is_the_last_rows_though_a_seal_above_sits_at_its_height() -> None:
    # the provincial row is the page's last, cut at the break; its signing lines and its seal are at the top
    # of the next page. The city's seal, pressed low in its row, reaches as low as the provincial row's
    # (thin) box: at its height but inside it across, not a block beside it
    from haizhi.extractors.layout import Layout, Mark, Page
    from haizhi.extractors.scan.mark_keys import marks_for

    def mark(label: str | None, checked: bool, bbox: tuple, conf: float = 0.95) -> Mark:
        return Mark(kind="seal", checked=checked, label=label, bbox=bbox, confidence=conf, source="pixels")

    p5, p6 = Page(number=5, method="ocr"), Page(number=6, method="ocr")
    p5.marks = [mark("applicant_sealed", True, (139.3, 569.9, 249.1, 679.7)),
                mark("city_sealed", True, (196.2, 645.1, 306.0, 754.9)),
                mark("provincial_sealed", False, (91.1, 699.8, 625.0, 715.3), 0.6)]
    p6.marks = [mark(None, True, (195.8, 48.2, 294.1, 150.1))]
    got = marks_for(Layout(pages=[p5, p6], file="x.pdf"), "base_application")
    assert got["provincial_sealed"] is True and got["city_sealed"] is True
    assert got.uncertain["provincial_sealed"][0] == 6


def test_a_worn_seal_pressed_under_another_is_still_a_seal() -> None:
    # two seals stacked on the opinion rows, the lower one pressed faintly: its ring in pieces, its star
    # half worn away (3 mm across); its centre star still tells it apart from the one above
    img = _page(240, 180)
    _seal(img, 90, 70)
    _star(img, 90, 70)
    for a in ((280, 360), (0, 70), (130, 160)):  # its ring in pieces, the right one running into the seal above
        _seal(img, 80, 102, arc=a)
    _star(img, 80, 102)
    cv2.rectangle(img, (int(74 * MM), int(96 * MM)), (int(86 * MM), int(101.3 * MM)), (250, 250, 250), -1)  # worn
    found = find_seals(img, DPI)
    assert len(found) == 2, found
    ys = sorted((b[1] + b[3]) / 2 / MM for b, _ in found)
    assert abs(ys[0] - 70) < 5 and abs(ys[1] - 102) < 5


def test_an_opinion_block_whose_label_lies_under_its_seal_is_told_by_its_signing_line() -> None:
    # opinions as lines; the provincial label is under its seal (pressed on the label column), unread: the
    # city's block holds two 负责人（签字） lines, the second one the provincial block's, with its seal
    from types import SimpleNamespace as B

    img, binary = _page(280, 210), np.zeros((int(280 * MM), int(210 * MM)), np.uint8)
    bits = [B(text="2025年3月7日", box=(434, 213, 642, 238)), B(text="所在地科协意见", box=(258, 287, 489, 314)),
            B(text="贝责人（签字）：", box=(261, 364, 470, 390)), B(text="（单位公章）", box=(684, 364, 822, 390)),
            B(text="负责人（签字）：", box=(259, 667, 469, 694)), B(text="（单位公章）", box=(683, 667, 821, 694)),
            B(text="2025年3月7日", box=(432, 745, 640, 770))]
    seals = [((152, 216, 414, 496), 1.0), ((154, 546, 460, 871), 1.0)]
    marks = _marks(img, binary, bits, [], seals)
    assert marks["city_sealed"].checked is True
    assert marks["provincial_sealed"].checked is True and marks["provincial_sealed"].confidence < 0.75


def test_a_name_written_small_after_the_label_and_read_with_it_is_a_signature() -> None:
    # the institution's head wrote the name small right after 负责人签字： (characters 1.5 em tall, centred on
    # the printed line) and OCR read the whole signing line as one run, the name in it: characters taller
    # than print are no print
    from types import SimpleNamespace as B

    img, binary = _page(), np.zeros((int(200 * MM), int(180 * MM)), np.uint8)
    bits = _coop_line()
    for b in bits:
        _glyphs(binary, b.box, len(b.text))
    bits[3:7] = [B(text="负责人签字：（公章）负签字：张秀晓（公章）", box=(265, 811, 1266, 855))]
    for x in (1060, 1100, 1140):  # 张 秀 晓, handwritten: 42 px tall, one stroke each
        pts = np.array([(x + (0, 25, 3, 28, 6, 30)[i], 812 + 8 * i) for i in range(6)], np.int32)
        cv2.polylines(binary, [pts], False, 255, 3)
    marks = _marks(img, binary, bits, [], [])
    assert marks["institution_signed"].checked is True
    assert marks["recommender_signed"].checked is False
    # nobody signed, the line read as one run: what follows the first label is the second block's print
    binary[805:860, 1050:1180] = 0
    _glyphs(binary, (1060, 817, 1180, 847), 4)
    bits[3] = B(text="负责人签字：（公章）负责人签字：（公章）", box=(265, 817, 1266, 847))
    marks = _marks(img, binary, bits, [], [])
    assert marks["institution_signed"].checked is False and marks["recommender_signed"].checked is False


def test_side_by_side_blocks_split_after_the_first_blocks_seal_word_when_the_second_label_is_lost() -> None:
    # the institution signed over its own 负责人签字 label, and OCR lost the label (read as part of the
    # run （公章） that follows it): the second block begins with the first run after the first block's
    # （公章）, not under 被推荐机构 far to the right
    from types import SimpleNamespace as B

    img, binary = _page(), np.zeros((int(200 * MM), int(180 * MM)), np.uint8)
    y = 737
    bits = [B(text="被推荐机构近三年内无违法或不良信用记录。", box=(264, y - 227, 824, y - 200)),
            B(text="推荐单位：福建省科学技术协会", box=(263, y, 655, y + 30)),
            B(text="被推荐机构：无锡海川科技服务有限公司", box=(860, y, 1364, y + 30)),
            B(text="以人签字（公章", box=(265, y + 80, 645, y + 110)), B(text="（公章）", box=(700, y + 80, 1085, y + 110))]
    _scribble(binary, 690, 790, 850, 860)
    marks = _marks(img, binary, bits, [], [])
    assert marks["institution_signed"].checked is True
    assert marks["recommender_signed"].checked is False


def test_the_date_line_read_as_a_few_characters_with_a_large_signature_is_print_in_the_next_block() -> None:
    # the recommender signed large across both blocks' date line; OCR read the line as one tall run 小年日:
    # the institution's printed 年 月 日 in it are print (its printed band found in its own part of the run,
    # not in the signature's strokes beside it), so the institution did not sign
    marks = _date_line_run(_glyphs, "小年日", (453, 850, 1075, 960), (480, 850, 800, 960))
    assert marks["recommender_signed"].checked is True
    assert marks["institution_signed"].checked is False


def test_a_signature_across_the_line_between_blocks_goes_to_the_block_holding_its_middle() -> None:
    # the institution signed across the line between the blocks, the first character heavy with strokes
    # left of the line: more ink on the recommender's side, but the signature's middle is the institution's
    img, binary = _page(), np.zeros((int(200 * MM), int(180 * MM)), np.uint8)
    _scribble(binary, 640, 840, 900, 900)
    for dx in (0, 12, 24, 36, 48, 60, 72):  # a dense first character
        cv2.line(binary, (650 + dx, 835), (660 + dx, 905), 255, 5)
    marks = _marks(img, binary, _coop_line(), [], [])
    assert marks["institution_signed"].checked is True
    rec = marks["recommender_signed"]  # its strokes beside the recommender's label: if read as its, named
    assert rec.checked is False or rec.confidence < 0.75


def test_both_signing_labels_in_one_run_with_the_second_misread_split_before_the_second() -> None:
    # the signing line read as 负责人签字：公章负责人签学 (（ lost, 字 read 学) and 章） apart: two labels in
    # one run, split at the blank before the second, not after the run
    from types import SimpleNamespace as B

    from haizhi.extractors.scan.regions import coop_regions

    binary = np.zeros((int(200 * MM), int(180 * MM)), np.uint8)
    y = 737
    bits = [B(text="被推荐机构近三年内无违法或不良信用记录。", box=(264, y - 227, 824, y - 200)),
            B(text="推荐单位：福建省科学技术协会", box=(263, y, 655, y + 30)),
            B(text="被推荐机构：无锡海川科技服务有限公司", box=(860, y, 1364, y + 30)),
            B(text="负责人签字：公章负责人签学", box=(265, y + 80, 868, y + 110)), B(text="章）", box=(1182, y + 80, 1266, y + 110))]
    for x0, x1 in ((265, 433), (580, 640), (700, 868), (1182, 1266)):
        binary[y + 84:y + 106, x0:x1] = 255
    regions = {r.owner: r for r in coop_regions(bits, [], binary.shape, 28.0, 28, binary)}
    assert 640 < regions["recommender"].box[2] == regions["institution"].box[0] < 700


def test_a_signature_filling_the_blank_before_a_misread_second_label_is_the_second_blocks() -> None:
    # （公章）负责入签字： read as one run (人 read 入), and the institution's large signature written over the
    # blank between the two, so no blank shows: the label is counted back from the run's end in characters;
    # the recommender's reading beside its own label sees the institution's strokes, and is named if made
    from types import SimpleNamespace as B

    img, binary = _page(), np.zeros((int(200 * MM), int(180 * MM)), np.uint8)
    y = 737
    bits = [B(text="被推荐机构近三年内无违法或不良信用记录。", box=(264, y - 227, 824, y - 200)),
            B(text="推荐单位：福建省科学技术协会被推荐机构：无锡海川科技服务有限公司", box=(263, y, 1250, y + 30)),
            B(text="负责人签字：", box=(265, y + 80, 433, y + 110)), B(text="（公章）负责入签字：", box=(500, y + 80, 800, y + 110)),
            B(text="（公章）", box=(870, y + 80, 955, y + 110))]
    for b in bits:
        _glyphs(binary, b.box, len(b.text))
    _scribble(binary, 560, y + 60, 860, y + 170)
    marks = _marks(img, binary, bits, [], [])
    assert marks["institution_signed"].checked is True
    rec = marks["recommender_signed"]
    assert rec.checked is False or rec.confidence < 0.75


def test_an_opinion_label_read_with_its_last_characters_wrong_still_starts_its_block() -> None:
    # opinions as lines; the page starts with the applicant's signing lines carried over (its seal there),
    # then 所在地市科协意见 read as 所在地市科协政明干: still the city's label, so the seal above is the
    # applicant's, not the city's
    from types import SimpleNamespace as B

    img, binary = _page(280, 210), np.zeros((int(280 * MM), int(210 * MM)), np.uint8)
    bits = [B(text="负责人（签字）：", box=(263, 215, 473, 242)), B(text="（单位公章）", box=(687, 215, 826, 242)),
            B(text="2024年3月25日", box=(436, 292, 676, 316)), B(text="所在地市科协政明干", box=(262, 367, 689, 420)),
            B(text="负责人（签字）：", box=(263, 443, 473, 469)), B(text="（单位公章）", box=(686, 443, 825, 469)),
            B(text="2024年3月25日", box=(436, 521, 661, 546)), B(text="省级科协意见：", box=(263, 594, 441, 622)),
            B(text="负责人（签字）：", box=(262, 671, 473, 707)), B(text="2024年3月25日", box=(436, 748, 660, 773))]
    marks = _marks(img, binary, bits, [], [((579, 95, 859, 384), 0.9)])
    assert marks["applicant_sealed"].checked is True
    assert marks["city_sealed"].checked is False


def test_side_by_side_blocks_begin_at_the_second_blocks_date_line_too() -> None:
    # the signing line read as one run with the second 负 lost (…（公章）责人签字：…); the second block's
    # 年 月 日 starts left of its 签字 label: the block begins there too, where a small signature on its date
    # line lies, never past the middle of the blank after the first block's （公章）
    from types import SimpleNamespace as B

    from haizhi.extractors.scan.regions import coop_regions

    binary = np.zeros((int(200 * MM), int(180 * MM)), np.uint8)
    bits = [B(text="被推荐机构近三年内无违法或不良信用记录。", box=(240, 430, 780, 456)),
            B(text="推荐单位：福建省科学技术协会", box=(237, 616, 625, 644)),
            B(text="被推荐机构：绍兴恒通国际人才发展中心", box=(685, 616, 1184, 644)),
            B(text="负责人签字：（公章）责人签字：（公章）", box=(239, 680, 948, 716)),
            B(text="年月日", box=(296, 754, 401, 790)), B(text="年月韩平", box=(522, 754, 681, 790))]
    for x0, x1 in ((239, 400), (440, 520), (560, 720), (760, 840)):
        binary[686:710, x0:x1] = 255
    regions = {r.owner: r for r in coop_regions(bits, [], binary.shape, 26.0, 26, binary)}
    assert 520 < regions["recommender"].box[2] == regions["institution"].box[0] < 560


def test_one_seal_whose_rim_the_close_cuts_is_one_seal_not_two_halves() -> None:
    # TUNE coop photo 9322 (its red ink, 200 dpi): a worn rim with gaps on both sides; the close cut the seal in
    # a cap 1.6 times as wide as tall and an arc, the cap was split into two seals side by side, and the
    # block beside got a seal it did not have
    from pathlib import Path

    red = cv2.imread(str(Path(__file__).parent / "data" / "one_seal_rim_cut_photo_red.png"), cv2.IMREAD_GRAYSCALE)
    found = find_seals(np.full((*red.shape, 3), 250, np.uint8), DPI, red)
    assert len(found) == 1, found
    (x0, y0, x1, y1), _ = found[0]
    assert abs((x0 + x1) / 2 - 200) < 5 * MM and abs((y0 + y1) / 2 - 205) < 5 * MM  # the ring's centre


def test_a_signature_across_two_blocks_goes_to_the_block_whose_seal_it_was_written_over() -> None:
    # TUNE coop moderate 9323: the recommender signed over its own seal, the name running past the line between
    # the blocks, its middle in the institution's block: given by its middle, the institution read signed and
    # the recommender's signature only by the label-side reading (both flagged, one wrong)
    from haizhi.extractors.scan.regions import Region
    from haizhi.extractors.scan.sign_clusters import signature_ink

    em = 30
    binary = np.zeros((400, 1200), np.uint8)
    cv2.line(binary, (420, 200), (800, 240), 255, 5)  # one stroke of a name from block 0 into block 1
    cv2.line(binary, (500, 180), (780, 260), 255, 5)
    regions = [Region("recommender", (0, 0, 600, 400), "recommender_signed"),
               Region("institution", (600, 0, 1200, 400), "institution_signed")]
    masks = [binary[:, :600].copy(), binary[:, 600:].copy()]
    seal = (300, 80, 620, 380)  # the recommender's own seal, under the name's left half
    by_middle, _, _ = signature_ink(binary, regions, masks, em)
    assert by_middle[1] and not by_middle[0]  # without the seals: the block holding its middle
    clusters, doubt, _ = signature_ink(binary, regions, masks, em, [[seal], [(820, 80, 1140, 380)]])
    assert clusters[0] and not clusters[1]
    assert doubt == [True, True]  # still named for a check: it lies largely in both


def test_an_opinion_rows_signing_cell_below_its_label_cell_is_the_same_row() -> None:
    # TUNE base heavy 9326: the last opinion row in two cells across the table, 省级科协意见 (label and an empty
    # opinion) and below it 负责人（签字）/（单位公章）/ date; the row was its label cell alone, a sliver, and its
    # seal pressed over the label column went to the city row above (read unsealed)
    from haizhi.extractors.scan.regions import base_regions

    cells = [("申报单位意见：1一三二曰1\n注负责人（签字）：    （单位公章）", (245, 1224, 1446, 1352)),
             ("所在地市科协意见：同意推\n负责人（签字）：    （单位公章）", (245, 1352, 1446, 1481)),
             ("省级科协意见", (245, 1481, 1446, 1525)),
             ("负责人（签字）：    （单位公章）\n张明华2024年7月8日", (245, 1525, 1446, 1610))]
    rows = {r.owner: r.box for r in base_regions([], cells, (2200, 1722), 28)}
    assert rows["provincial"][1] == 1481 and rows["provincial"][3] >= 1610  # the page's last row: on into the blank
    assert rows["city"][1:4:2] == (1352, 1481)
    found = [((635, 1393, 934, 1692), 0.95), ((681, 1261, 988, 1568), 0.95)]  # the two seals as found there
    marks = {m.label: m for m in find_marks(np.full((2200, 1722, 3), 250, np.uint8), np.zeros((2200, 1722), np.uint8),
                                            [], cells, DPI, seals=found) if m.kind == "seal"}
    assert marks["provincial_sealed"].checked and marks["city_sealed"].checked


def test_a_date_line_read_with_characters_in_place_of_its_year_makes_no_signature_unsure() -> None:
    # TUNE base photo 9394: the head signed small over the 年 of its date line, OCR read 曾寿台月日 as one run of
    # print, and the signature's ink went with the date's: "not signed", silent. Such a date line is named
    from types import SimpleNamespace as B

    def head(date: str) -> dict:
        bits = [B(text="本人已认真填写、检查申报材料，保证内容真实、准确、有效。", box=(241, 437, 1010, 464)),
                B(text="基地负责人（签字）：", box=(241, 511, 502, 537)), B(text=date, box=(228, 577, 432, 611)),
                B(text="七、其他材料", box=(242, 658, 407, 685))]
        page = np.full((2200, 1700, 3), 250, np.uint8)
        return {m.label: m for m in find_marks(page, np.zeros((2200, 1700), np.uint8), bits, [], DPI, seals=[])}

    written = head("曾寿台月日")["head_signed"]
    assert written.checked is False and written.confidence < 0.75
    plain = head("年月日")["head_signed"]
    assert plain.checked is False and plain.confidence >= 0.75  # a plain date line: sure, no needless flag
