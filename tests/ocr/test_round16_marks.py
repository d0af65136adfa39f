"""Round 16 (issue 11): marks that were read wrong and named by no finding on TUNE returns."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace as B

import cv2
import numpy as np

from haizhi.extractors.scan.owner_line import hand_after, second_label_x
from haizhi.extractors.scan.regions import coop_regions
from haizhi.extractors.scan.seal_signature import find_marks

DATA = Path(__file__).parent / "data"
DPI = 200.0


def _binary(name: str) -> np.ndarray:
    gray = cv2.imread(str(DATA / name), cv2.IMREAD_GRAYSCALE)
    return np.where(gray > 127, np.uint8(255), np.uint8(0))


# TUNE coop moderate 12151: the recommender's head signed across the blank between 推荐单位：湖南省科学技术协会 and
# 被推荐机构：… (over 学技术协会 and the second block's 负责人签字). OCR read the line 推荐单位：湖南省和波推荐机构：厦门…;
# the only blank left on it was the one before the signature, so the blocks were split there and the whole
# signature went to the institution: institution_signed True, read sure (silent), recommender_signed False.
_LINES_12151 = [("如以上承诺虚假，愿为此承担法律责任。", (68, 66, 570, 94)),
                ("推荐单位：湖南省和波推荐机构：厦门新格产业投资管理有限公司", (67, 124, 1115, 170)),
                ("负责人签字：N（公章）", (69, 218, 811, 287)), ("负责人签字：负（公章）", (69, 218, 811, 254)),
                ("年月日", (128, 295, 239, 321)), ("年月日", (365, 295, 476, 321))]


def test_a_signature_across_the_blank_between_the_owner_labels_is_the_first_blocks() -> None:
    binary = _binary("coop_signature_over_owner_gap_moderate_12151.png")
    bits = [B(text=t, box=b) for t, b in _LINES_12151]
    regions = {r.owner: r for r in coop_regions(bits, [], binary.shape, 29.0, 29, binary)}
    split = regions["recommender"].box[2]
    assert 480 < split < 545  # the blank (hidden) before 被推荐机构 at x 540; the signature starts at x 305
    page = np.full((*binary.shape, 3), 250, np.uint8)
    marks = {m.label: m for m in find_marks(page, binary, bits, [], DPI, seals=[]) if m.kind == "signature"}
    assert marks["recommender_signed"].checked is True
    inst = marks["institution_signed"]
    assert inst.checked is False or inst.confidence < 0.75  # the signature's tail over its label: a doubt at most


def test_the_count_from_the_end_is_used_only_where_handwriting_starts_at_the_gap() -> None:
    # the same line printed without a signature: the blank between the blocks is the split, as before
    em, cw = 29, 29.0
    binary = np.zeros((200, 1200), np.uint8)
    for x in range(70, 470, 32):  # 推荐单位：湖南省科学技术协会 (print: one line's height)
        binary[124:150, x:x + 24] = 255
    for x in range(540, 1115, 32):  # 被推荐机构：…
        binary[124:150, x:x + 24] = 255
    text = "推荐单位：湖南省和波推荐机构：厦门新格产业投资管理有限公司"
    box = (67, 124, 1115, 150)
    assert not hand_after(binary, box, 540, em)
    x = second_label_x(binary, None, box, text, text.index("推荐机构"), "推荐机构", em, cw)
    assert x == 540  # the widest gap's end
    binary[100:175, 380:560] = 255  # a signature from 湖南省 to 被: the widest gap is gone, the count is too short
    assert hand_after(binary, box, 380, em)
    x = second_label_x(binary, None, box, text, text.index("推荐机构"), "推荐机构", em, cw)
    assert abs(x - 540) <= 1.5 * em  # counted back from the run's end


# TUNE coop photo 12162: big legacy checkboxes on two lines fill the 可提供服务 row, the first line's boxes
# against the row's top ruling, the second's against its bottom one. Two box sides, one above the other, were
# taken for walls: the row's options were cut into cells at 管理咨询服务's box, and the box read from the frame
# in 管 beside the cut, ticked (services read with 管理咨询服务, no finding).
def _cells(binary: np.ndarray) -> list[tuple[int, int, int, int]]:
    from haizhi.extractors.scan.cells import find_tables

    return [c.box for t in find_tables(binary, None, DPI) for c in t.cells]


def test_checkbox_sides_against_a_ruling_are_no_walls() -> None:
    cells = _cells(_binary("coop_boxes_against_rulings_photo_12162.png"))
    assert len(cells) <= 3  # the label, the options (a sliver where the first boxes meet the label's wall)
    assert max(c[2] - c[0] for c in cells) > 900  # the options are one cell


def _grid(boxes_hang: bool) -> np.ndarray:
    b = np.zeros((400, 1400), np.uint8)
    cv2.line(b, (100, 100), (1300, 100), 255, 3)
    cv2.line(b, (100, 190), (1300, 190), 255, 3)
    for x in (100, 400, 1300):
        cv2.line(b, (x, 100), (x, 190), 255, 3)
    if boxes_hang:  # □ on two lines: the first line's against the top ruling, the second's against the floor
        for x in range(450, 1250, 160):
            cv2.rectangle(b, (x, 100), (x + 40, 146), 255, 3)
            cv2.rectangle(b, (x + 40 + 10, 144), (x + 90, 190), 255, 3)
    else:  # a row of small square cells (one digit each): walls meeting both rulings stay walls
        for x in range(460, 1300, 60):
            cv2.line(b, (x, 100), (x, 190), 255, 3)
    return b


def test_boxes_hanging_from_rulings_leave_one_cell_and_a_grid_of_small_cells_stays() -> None:
    assert len(_cells(_grid(True))) == 2
    assert len(_cells(_grid(False))) == 2 + len(range(460, 1300, 60))


def _coop_blocks(split: int, y0: int, x1: int, y1: int) -> list:
    """The two coop signing blocks side by side, split at x split."""
    from haizhi.extractors.scan.regions import COOP_BLOCKS, Region

    return [Region("recommender", (0, y0, split, y1), *COOP_BLOCKS["recommender"]),
            Region("institution", (split, y0, x1, y1), *COOP_BLOCKS["institution"])]


def test_a_seal_naming_the_institution_goes_to_it_with_its_label_misread() -> None:
    # TUNE coop photo 12161: the signing line read 推荐单位：福建省科学技术协会推掘机构：成都瀚德科技服务有限公司 (被 lost,
    # 荐 misread). The institution's seal, pressed across the line between the blocks, named 成技服有限公司 on its
    # ring; the recommender's "name" ran on over the institution's, and the institution's was taken from the
    # 承诺 sentence (被推荐机构近三年内无违法…): the seal went to the recommender, the institution had none (flagged)
    from haizhi.extractors.scan.seal_names import by_name

    bits = [B(text="被推荐机构近三年内无违法或不良信用记录。", box=(240, 780, 800, 810)),
            B(text="推荐单位：福建省科学技术协会推掘机构：成都瀚德科技服务有限公司", box=(240, 1010, 1240, 1040))]
    rec, ins = _coop_blocks(821, 964, 1643, 1370)
    seals = [(406, 911, 741, 1246), (662, 946, 997, 1281)]
    rings = {seals[0]: ("学技", 0.98), seals[1]: ("成技服有限公司", 0.99)}
    out = by_name(seals, [rec, ins], [(rec, 1.0), (ins, 1.0)], rings.__getitem__, bits)
    assert [r.owner for r, _ in out] == ["recommender", "institution"]


def test_a_ring_crossed_by_the_neighbours_seal_does_not_take_the_seal_away() -> None:
    # TUNE coop heavy 12160: the two seals pressed over each other across the line between the blocks; the
    # institution's ring, crossed by the recommender's, read the recommender's lettering (福建省特学技术办会), and
    # its seal went to the recommender, which held its own already: institution_sealed False (flagged)
    from haizhi.extractors.scan.seal_names import by_name

    bits = [B(text="推荐单位：福建看科学技术协会", box=(240, 400, 700, 430)),
            B(text="被推存机构：绍兴恒通国际人才发展中心", box=(700, 400, 1300, 430))]
    rec, ins = _coop_blocks(660, 346, 1774, 1048)
    seals = [(434, 620, 785, 971), (605, 648, 956, 999)]
    rings = {seals[0]: ("福建省特果办会", 0.75), seals[1]: ("福建省特学技术办会", 0.74)}
    out = by_name(seals, [rec, ins], [(rec, 1.0), (ins, 1.0)], rings.__getitem__, bits)
    assert [r.owner for r, _ in out] == ["recommender", "institution"]
    # a seal alone in the wrong block, its ring naming the neighbour that has none: it goes to the neighbour
    out = by_name(seals[1:], [rec, ins], [(ins, 1.0)], rings.__getitem__, bits)
    assert out[0][0] is rec


def test_a_ring_naming_a_block_without_a_seal_stamps_that_block_too() -> None:
    # TUNE coop moderate 12162: both seals pressed over each other near the line between the blocks, read as one
    # seal lying almost wholly in the institution's block; its ring read the recommender's name (福建省科学展学协会):
    # recommender_sealed False (flagged). Now the recommender is stamped too, both named for a check
    from haizhi.extractors.scan.seal_names import named_for

    bits = [B(text="推荐单位：福建省科学技术协会", box=(240, 1100, 700, 1130)),
            B(text="斗学波推荐机构：青岳新格技术转移研究院", box=(700, 1100, 1300, 1130))]
    rec, ins = _coop_blocks(790, 863, 1728, 1591)
    seal = (763, 1120, 1142, 1481)
    assert named_for([seal], [rec, ins], [(ins, 0.92)], {seal: ("福建省科学展学协会", 0.93)}.__getitem__, bits) \
        == [(0, rec)]
    # a ring that names its own block, or reads too little, stamps no other block
    assert named_for([seal], [rec, ins], [(ins, 0.92)], {seal: ("青岳新格技术转移", 0.93)}.__getitem__, bits) == []
    assert named_for([seal], [rec, ins], [(ins, 0.92)], {seal: ("福建", 0.93)}.__getitem__, bits) == []


def test_a_ring_read_without_its_province_still_names_a_provincial_seal() -> None:
    # TUNE base clean 12164: the provincial seal pressed over the line between the city's and the province's
    # opinion rows (a little more in the province's); its ring read 省科学技术协会, the province's name lost. The
    # level word tells the province's 科协 from a city's: the seal is surely the province's, neither row is named
    from haizhi.extractors.scan.regions import Region
    from haizhi.extractors.scan.seal_names import NAMED_SURE, by_name

    city = Region("city", (236, 369, 1699, 539), seal_key="city_sealed")
    prov = Region("provincial", (236, 539, 1699, 1016), seal_key="provincial_sealed")
    seal = (939, 414, 1219, 694)
    for ring, owner, sure in (("省科学技术协会", "provincial", NAMED_SURE), ("自治区科协", "provincial", NAMED_SURE),
                              ("市科学技术协会", "provincial", 0.19)):  # 市: 北京市 is provincial too, no help
        out = by_name([seal], [city, prov], [(prov, 0.19)], {seal: (ring, 0.99)}.__getitem__, [])
        assert (out[0][0].owner, out[0][1]) == (owner, sure)


def test_a_page_of_one_line_between_two_form_pages_stays_between_them() -> None:
    # TUNE coop 12171 (every level): 2.近两年开展业务情况's last line alone at the top of page 3, without a
    # ruling, no page numbers printed; page 3 went after page 4 (as a foreign page) and its line was lost from the
    # value, no finding named it
    from haizhi.extractors.layout import Cell, Line, Page, Table
    from haizhi.extractors.scan.page_order import foreign_pages, order_pages

    def page(num: int, cells: list[Cell] = (), lines: list[str] = ()) -> Page:
        p = Page(number=num, width=612, height=792, method="ocr")
        if cells:
            p.tables.append(Table(cells=list(cells), bbox=(84, 72, 517, 700)))
        p.lines += [Line(t, bbox=(84, 71 + 20 * i, 517, 90 + 20 * i)) for i, t in enumerate(lines)]
        return p

    p1 = page(1, [Cell("机构名称（中文）", 0, 0), Cell("甲", 0, 1)])
    p2 = page(2, [Cell("2.近两年开展业务情况", 0, 0), Cell("与多所海外高校签订合作协议，", 0, 1)])
    p3 = page(3, lines=["建立了专职工作团队和定期会商"])
    p4 = page(4, [Cell("", 0, 0), Cell("机制。", 0, 1), Cell("3.获得奖项及表彰情况", 1, 0), Cell("奖项。", 1, 1)])
    letter = page(5, lines=["尊敬的评审专家：", "特此说明。"])
    pages = [p1, p2, p3, p4, letter]
    assert [p.number for p in order_pages(pages)] == [1, 2, 3, 4, 5]
    assert foreign_pages(pages) == [letter]
    # a letter scanned between two pages of the form where no text runs on from one to the next stays foreign
    note = page(6, lines=["关于申报材料的说明"])
    pages = [p1, note, p2, p3, p4]
    assert [p.number for p in order_pages(pages)] == [1, 2, 3, 4, 6]
    assert foreign_pages(pages) == [note]


def test_a_small_name_written_over_the_first_gongzhang_is_a_signature() -> None:
    # TUNE coop clean 12173: the recommender's head wrote a print-sized 张明华 over the first block's （公章）; OCR
    # read the whole line as one run, 负责人签字：张明章）负责人签字；. The second block's label in the run made all of it
    # print, the name with it: recommender_signed False, read sure (silent)
    binary = _binary("coop_name_over_first_gongzhang_clean_12173.png")
    lines = [("如以上承诺虚假，愿为此承担法律责任。", (53, 27, 581, 56)),
             ("推荐单位：安徽省科学技术协会被推荐机构：合肥睿联国际人才发展中心", (52, 106, 1076, 142)),
             ("推荐单位：安徽省科学技术协会", (52, 105, 478, 141)), ("被推荐机构：合肥睿联国际人才发展中心", (528, 106, 1076, 142)),
             ("负责人签字：张明章）负责人签字；", (54, 183, 614, 219)), ("（公章）", (701, 183, 784, 219)),
             ("年月日", (101, 263, 216, 291)), ("年月日", (317, 263, 434, 291))]
    bits = [B(text=t, box=b) for t, b in lines]
    page = np.full((*binary.shape, 3), 250, np.uint8)
    marks = {m.label: m for m in find_marks(page, binary, bits, [], DPI, seals=[]) if m.kind == "signature"}
    assert marks["recommender_signed"].checked is True
    # the same line with （公章） read in place and nothing written over it: print, no signature
    clean = binary.copy()
    clean[170:230, 250:420] = 0  # the name's strokes (and the first （公章）) taken out
    bits[4] = B(text="负责人签字：（公章）负责人签字：", box=(54, 183, 614, 219))
    marks = {m.label: m for m in find_marks(page, clean, bits, [], DPI, seals=[]) if m.kind == "signature"}
    assert marks["recommender_signed"].checked is False
    # one character read before the second label is a misread colon or bracket, no name (TUNE coop heavy 12166:
    # 负责人签字二（公负责大签字：): the line stays print
    for x in range(262, 400, 34):  # the first （公章） printed in its place (glyph-sized strokes on the line)
        cv2.rectangle(clean, (x, 188), (x + 24, 214), 255, 3)
        cv2.line(clean, (x, 201), (x + 24, 201), 255, 3)
    bits[4] = B(text="负责人签字二（公负责人签字：", box=(54, 183, 614, 219))
    marks = {m.label: m for m in find_marks(page, clean, bits, [], DPI, seals=[]) if m.kind == "signature"}
    assert marks["recommender_signed"].checked is False


def test_a_faint_seal_whose_ring_reads_as_lettering_is_sure() -> None:
    # TUNE coop heavy 12171: both seals worn (their rims broken, the ring not seen all round) were found with
    # confidence 0.65 and 0.70 and named for a check, though their rings read 湖南省学技协会 and 烟台睿联产业投资管理有限公司
    # at 0.99: lettering round a ring is a seal's
    from haizhi.extractors.scan.mark_keys import MARK_SURE

    binary = _binary("coop_signature_over_owner_gap_moderate_12151.png")
    bits = [B(text=t, box=b) for t, b in _LINES_12151]
    page = np.full((*binary.shape, 3), 250, np.uint8)
    seal = (700, 60, 950, 310)
    for ring, sure in (("厦门新格产业投资管理有限公司", True), ("", False), ("厦门", False)):
        marks = {m.label: m for m in find_marks(page, binary, bits, [], DPI, seals=[(seal, 0.65)],
                                                namer=lambda sb, ring=ring: (ring, 0.99)) if m.kind == "seal"}
        assert marks["institution_sealed"].checked is True
        assert (marks["institution_sealed"].confidence >= MARK_SURE) is sure


def test_a_date_line_read_with_a_stray_character_names_a_block_read_unsigned() -> None:
    # TUNE coop moderate 12184: the recommender's head scribbled his name flat over the first 年 月 日 (read 年入月日),
    # no stroke above or below the printed line: the block read "not signed", sure (silent). A date line read with
    # a character no date prints means something was written over it: a block read unsigned is named for a check
    from haizhi.extractors.scan.date_lines import date_marked

    assert date_marked("年入月日") and date_marked("张年月日") and date_marked("年月陈日")
    assert not date_marked("年月日") and not date_marked("2025年3月7日") and not date_marked("二〇二五年三月七日")
    assert not date_marked("负责人签字：") and not date_marked("年度专项工作经费纳入财政预算")
