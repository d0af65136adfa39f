"""Round 26 (issue 11): print taken for handwriting beside a block, a label under a signature, a cut last row."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace as B

import cv2
import numpy as np

DATA = Path(__file__).parent / "data"


def _hand(binary: np.ndarray, region: tuple[int, int, int, int], bits: list) -> np.ndarray:
    from haizhi.extractors.scan.handwriting import hand_mask
    from haizhi.extractors.scan.seal_signature import _PRINTED

    return hand_mask(binary, region, bits, 27, _PRINTED, None, None, 200.0)


def test_the_year_of_a_date_a_name_hides_is_print() -> None:
    """TUNE coop clean 12586: the institution's head signed over 月 日 of his date line; OCR read 年马晓涵, and the
    年, left of the line between the blocks, stayed handwriting in the recommender's block, which looked signed.
    With the page's other date line read alone (年月日) to measure by, the 年 is print."""
    bits = [B(text="年月日", box=(312, 960, 423, 999)), B(text="年马晓涵", box=(549, 960, 725, 999))]
    binary = np.zeros((1200, 1700), np.uint8)
    binary[965:995, 551:577] = 255  # 年
    binary[950:1005, 610:720:6] = 255  # the name's strokes, right of the line between the blocks
    rec = _hand(binary, (0, 487, 604, 1189), bits)
    assert not rec.any()
    ins = _hand(binary, (604, 487, 1701, 1189), bits)
    assert int((ins > 0).sum()) > 1000  # the name is still handwriting
    alone = [B(text="年马晓涵", box=(549, 960, 725, 999))]  # nothing to measure the date by: as before
    assert _hand(binary, (0, 487, 604, 1189), alone).any()


def test_a_wrapped_last_character_with_a_tall_box_is_print() -> None:
    """TUNE coop moderate 12585: the institution's name wrapped its last character (司) onto a line of its own,
    flush under 推荐单位：…; OCR's box round it was 1.5 em tall (its ink 0.9 em), so it was not print-sized, and the
    司 made the unsigned recommender's block look signed. Its ink, under a line of print's first character, is."""
    bits = [B(text="推荐单位：广东省科学技术协会", box=(268, 1635, 693, 1665)), B(text="司", box=(270, 1687, 294, 1733))]
    binary = np.zeros((2200, 1700), np.uint8)
    binary[1637:1663, 270:690] = 255
    binary[1686:1712, 271:293] = 255  # 司
    region = (0, 1675, 771, 2055)
    assert not _hand(binary, region, bits).any()
    binary[1686:1730, 271:300] = 255  # ink as tall as the box: not print-sized, handwriting
    assert _hand(binary, region, bits).any()
    far = [bits[0], B(text="司", box=(470, 1687, 494, 1733))]  # not under the line's start: as before
    binary[:] = 0
    binary[1686:1712, 466:492] = 255
    assert _hand(binary, region, far).any()


def test_a_label_under_a_thick_signature_is_read_from_its_own_rows() -> None:
    """TUNE base photo 12582: the city's head signed large below his signing line, over 省级科协意见 at the page's
    foot; the run's densest rows were the signature's, so it was read 张明华 (0.999), the label lost and with it
    the provincial opinion and seal. The print's band is found in the ink that is not the signature's."""
    from haizhi.extractors.scan.engines import get_engine
    from haizhi.extractors.scan.raster import PageImage
    from haizhi.extractors.scan.reader import read_page

    crop = cv2.imread(str(DATA / "round26_label_under_signature_photo_12582.jpg"))
    page = np.full((1200, 1300, 3), 245, np.uint8)
    page[100:100 + crop.shape[0], 100:100 + crop.shape[1]] = crop
    lines = read_page(PageImage(1, page, 200.0), get_engine(None))[0].lines
    assert any(ln.text.startswith("省级科协意见") for ln in lines), [ln.text for ln in lines]


_CELLS_12581 = [(223, 1543, 805, 1666), (805, 1543, 1387, 1666), (223, 1666, 805, 1830), (805, 1666, 1387, 1830),
                (223, 1830, 805, 1913), (805, 1830, 1387, 1913)]
_BITS_12581 = [("申报单位意见", (241, 1551, 407, 1578)), ("同意推荐。", (822, 1552, 942, 1579)),
               ("负责位化（单位公章）", (822, 1593, 1256, 1629)), ("所在地市科协意见", (239, 1675, 463, 1702)),
               ("负责人（签字）：单位公章）", (822, 1746, 1255, 1784)), ("年", (880, 1798, 904, 1825)),
               ("月", (965, 1798, 986, 1825)), ("省级科协意见", (241, 1839, 407, 1866))]


def test_a_last_row_of_its_label_and_a_blank_does_not_take_the_seal_below() -> None:
    """TUNE base photo 12581: the provincial row at the page's foot held its label and a blank line (3.1 em), its
    opinion on the next page; it ran on into the blank below the table and took the city's seal, hanging below
    its row, from the city: city "not sealed"."""
    from haizhi.extractors.scan.regions import assign, base_regions

    texts = {c: t for t, c in _BITS_12581 if t in ("申报单位意见", "所在地市科协意见", "省级科协意见")}
    cells = [(next((t for c2, t in texts.items() if c2[1] >= c[1] and c2[3] <= c[3] and c[0] < 300), ""), c)
             for c in _CELLS_12581]
    regions = base_regions([B(text=t, box=b) for t, b in _BITS_12581], cells, (2284, 1784), 27)
    prov = next(r for r in regions if r.owner == "provincial")
    assert prov.box[3] <= 1913
    [(owner, _sure)] = assign([(1020, 1689, 1315, 1984)], regions)
    assert owner is not None and owner.owner == "city"


def test_a_letter_read_on_a_signing_line_names_the_unsigned_block() -> None:
    """TUNE coop heavy 12597: the recommender's head scribbled a small black name over his line's （公章）; its ink
    went with the print, and the block read unsigned, silently. OCR had read the line 负责人签字：（章y负责人签字：
    （公章）: a letter where print has none. A letter after the second block's label is not this block's."""
    from haizhi.extractors.scan.sign_lines import paren_marked

    assert paren_marked("负责人签字：（章y负责人签字：（公章）")
    assert paren_marked("负责人签字：（公章）W")
    assert not paren_marked("负责人签字：（公章）")
    assert not paren_marked("负责人签字：（公章）负责人签字：Wy（公章）")
    assert not paren_marked("负责人签字：（么章）")  # a misread of print, no letter


def test_the_letter_on_the_signing_line_is_named_in_the_marks() -> None:
    """The block's "not signed" carries the doubt when its label's run holds such a letter; not without one."""
    from haizhi.extractors.scan.seal_signature import find_marks

    def marks(label: str) -> list:
        bits = [B(text="推荐单位：浙江省科学技术协会", box=(273, 982, 700, 1010)),
                B(text="被推荐机构：佛山汇智产业投资管理有限公司", box=(760, 982, 1314, 1010)),
                B(text=label, box=(275, 1088, 963, 1124)), B(text="年月日", box=(322, 1174, 437, 1202)),
                B(text="年月日", box=(538, 1174, 654, 1202))]
        binary = np.zeros((2233, 1743), np.uint8)
        bgr = np.full((2233, 1743, 3), 255, np.uint8)
        return [m for m in find_marks(bgr, binary, bits, [], 200.0, seals=[]) if m.label == "recommender_signed"]

    [m] = marks("负责人签字：（章y负责人签字：（公章）")
    assert not m.checked and any("签字行上有字迹" in d for d in m.doubts)
    [m] = marks("负责人签字：（公章）负责人签字：（公章）")
    assert not m.checked and not any("签字行上有字迹" in d for d in m.doubts)


_BITS_12581_TOP = [("负责人（签字）：", (852, 205, 1062, 238)), ("JNJT", (1126, 205, 1429, 238)), ("年", (911, 252, 936, 279)),
                   ("月", (1000, 252, 1020, 279)), ("日", (1089, 252, 1177, 279)), ("引K明化", (1134, 138, 1424, 197))]


def test_signing_lines_at_a_pages_top_are_the_cut_rows_rest() -> None:
    """TUNE base clean 12581: the provincial row was cut at the page break after its label; on the next page its
    signing lines, their （单位公章） under the head's signature, were the only row and no block was made of them
    (no row's label on the page), so the cut row's "its seal may be where its lines went" was never answered."""
    from haizhi.extractors.scan.regions import base_regions

    cells = [("", (234, 200, 834, 286)), ("负责人（签字）：    JNJT\n年    月    日", (834, 200, 1434, 286))]
    bits = [B(text=t, box=b) for t, b in _BITS_12581_TOP]
    [row] = base_regions(bits, cells, (2200, 1700), 27)
    assert row.owner == "provincial" and row.box[1] == 200
    printed = [B(text="七、其他材料", box=(240, 100, 400, 127)), *bits]  # print above it: not a cut row's rest
    assert base_regions(printed, cells, (2200, 1700), 27) == []


def test_a_character_the_model_was_unsure_of_at_every_size_stays_a_guess() -> None:
    """TUNE coop heavy 12594: 工作闭环 read 工作团环 at three sizes, 团 at 0.74, 0.80 and 0.61 (the line's mean 0.99):
    alike everywhere, it was taken as sure, silently wrong."""
    from haizhi.extractors.scan.guesses import WEAK_LINE, Read, second_look

    text = "议，形成了“引才、育才、用才”的工作团环。引进硕士及"
    others = [Read(text, 0.98, True, 0.80), Read(text, 0.97, True, 0.61)]
    assert second_look(text, 0.986, others, 0.74)[1] <= WEAK_LINE
    sure = [Read(text, 0.98, True, 0.9), Read(text, 0.97, True, 0.88)]
    assert second_look(text, 0.986, sure, 0.74)[1] == 0.986


_BITS_12594 = [("八、单位意见", (305, 1145, 476, 1171)), ("申报单位意见：", (305, 1221, 484, 1248)),
               ("问意推存。", (303, 1298, 430, 1324)), ("单位名称：青市科学技术协会", (306, 1372, 747, 1401)),
               ("负（签字）", (222, 1449, 764, 1492)), ("年", (365, 1526, 389, 1551)), ("月", (453, 1526, 473, 1551)),
               ("阴立地科协意见：", (303, 1600, 542, 1627)), ("该单位基础扎实、优势明显，意推荐。", (305, 1677, 807, 1704)),
               ("负责人（签）：位公章）", (305, 1723, 752, 1780)), ("年", (364, 1829, 389, 1855)),
               ("省级科协意见：", (305, 1905, 486, 1932)), ("经审核，申报材料真实有效，同意申报。", (302, 1981, 807, 2008))]


def test_the_city_label_read_half_still_starts_its_row() -> None:
    """TUNE base heavy 12594: 所在地市科协意见 read 阴立地科协意见 (0.67 alike): the city's row was told by its signing
    lines alone, starting below its label, and both seals beside it were named as guesses. A short 科协意见 line
    with no 省级 in it is the city's label; 肖级科协意见 is not."""
    from haizhi.extractors.scan.regions import _city_label, base_regions

    rows = {r.owner: r for r in base_regions([B(text=t, box=b) for t, b in _BITS_12594], [], (2284, 1804), 27)}
    assert not rows["city"].inferred and 1580 <= rows["city"].box[1] <= 1600
    assert rows["applicant"].box[3] <= 1600
    assert not _city_label("肖级科协意见") and not _city_label("省级科协意见") and _city_label("地市科协意见")


def test_a_faint_ring_reaching_into_a_block_hides_nothing_there() -> None:
    """TUNE base heavy 12595: the applicant's seal, its ring faded and crossed by two rulings (0.73 of its rim red),
    reached 53 px into the city's row; its ring not seen whole nor fitted, the city's "no seal" was named though all
    the red in that row lay on the seal's own circle. A second seal pressed under it shows its arcs beyond."""
    from haizhi.extractors.scan.mark_doubts import nothing_under

    crop = cv2.imread(str(DATA / "round26_faint_ring_red_heavy_12595.png"), cv2.IMREAD_GRAYSCALE)
    red = np.zeros((2300, 1800), np.uint8)
    red[1550:1550 + crop.shape[0], 300:300 + crop.shape[1]] = crop
    seal, city = (425, 1637, 700, 1925), (277, 1872, 1785, 2251)
    assert nothing_under(red, city, [seal], [seal], 200.0)
    cv2.ellipse(red, (600, 1850), (140, 140), 0, 20, 160, 255, 6)  # the lower arc of a seal under it
    assert not nothing_under(red, city, [seal], [seal], 200.0)
