"""Where the two coop signing blocks side by side (推荐单位 | 被推荐机构) meet (issue 11, "What failed" 6): the
line between them is midway between the first block's （公章） and the second block's 负责人签字 label, also when
OCR misread or lost those labels. Pages of TUNE scans of the independent family (200 dpi): the signing lines'
ink without rulings and seal ink, and the text runs OCR read there."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace as B

import cv2
import numpy as np
import pytest

from haizhi.extractors.scan.handwriting import CLUSTER_MIN, hand_mask
from haizhi.extractors.scan.regions import coop_regions
from haizhi.extractors.scan.seal_signature import _PRINTED, SIGN_SURE, find_marks
from haizhi.extractors.scan.sign_clusters import signature_ink
from haizhi.extractors.scan.sign_lines import label_end

DATA = Path(__file__).parent / "data"
DPI = 200.0


def _binary(name: str) -> np.ndarray:
    """A cut of a TUNE page from tests/ocr/data as the reader's binary image (ink 255)."""
    gray = cv2.imread(str(DATA / name), cv2.IMREAD_GRAYSCALE)
    return np.where(gray > 127, np.uint8(255), np.uint8(0))


def _split(bits: list, binary: np.ndarray | None, shape: tuple[int, int]) -> int:
    regions = {r.owner: r for r in coop_regions(bits, [], shape, 28.0, 28, binary)}
    assert regions["recommender"].box[2] == regions["institution"].box[0]
    return regions["recommender"].box[2]


def test_a_misread_institution_label_still_splits_the_blocks_at_its_signing_line() -> None:
    # TUNE coop moderate 9000: 被推荐机构 read 被推荐想构 (机 lost) and the first 负责人签字 read 负责人务字: the
    # blocks were split in the middle of the page, so the institution's signature written above its own label
    # went to the recommender (silent both ways)
    bits = [B(text="如以上承诺虚假，愿为此承担法律责任。", box=(262, 1288, 766, 1316)),
            B(text="推荐单位：福建省科学技术协会被推若想构：西安恒通技术转移研究院", box=(262, 1364, 1185, 1418)),
            B(text="推荐单位：福建省科学技术协会", box=(262, 1364, 649, 1418)),
            B(text="被推荐想构：西安恒通技术转移研究院", box=(711, 1364, 1185, 1418)),
            B(text="负责人务字：", box=(264, 1440, 414, 1468)), B(text="（公章）", box=(494, 1440, 575, 1468)),
            B(text="负责人签字：", box=(654, 1440, 805, 1468)), B(text="（公章）", box=(886, 1440, 966, 1468)),
            B(text="年月日", box=(323, 1516, 434, 1543)), B(text="年月日", box=(560, 1516, 671, 1543))]
    split = _split(bits, None, (2200, 1721))
    assert 575 < split <= 654  # after the first block's （公章）, not past the second block's 签字 label


@pytest.mark.parametrize(("name", "bits", "between", "signed"), [
    # a large signature over the line between the blocks, the first （公章） lost under the seal: one run
    ("coop_signing_lines_photo_9000.png",
     [("如以上承诺虚假，愿为此承担法律责任。", (44, 15, 540, 42)), ("推荐单位：福建省科学技术协会", (44, 90, 424, 118)),
      ("被推机构：西安恒通技转移研究院", (486, 90, 951, 118)), ("负责人签字：负责字：冯覆章）", (46, 146, 736, 193)),
      ("年月日JYリF", (104, 243, 553, 293))],
     (350, 431), {"recommender_signed": True, "institution_signed": True}),
    # a scribble from the first block's label up to the second block's owner label, across its 签字 label
    ("coop_signing_lines_photo_9003.png",
     [("如以上承诺虚假，愿力此承担法律责任。", (46, 11, 569, 40)),
      ("推荐单位：浙江省科学技术机会推荐机构：苏州智产业投资管理有限公司", (45, 87, 1118, 115)),
      ("推荐单位：浙江省科学技术机会", (45, 87, 467, 115)), ("推荐机构：苏州智产业投资管理有限公司", (517, 87, 1118, 115)),
      ("负责人签字责人签字：（公章）", (47, 122, 772, 196)), ("负责人签字（公章责人签字：（公章）", (47, 155, 772, 191)),
      ("年月日", (93, 240, 209, 267)), ("年月日", (308, 240, 424, 267))],
     (375, 444), {"recommender_signed": True, "institution_signed": False}),
])
def test_both_signing_lines_in_one_run_split_where_the_label_repeats(name: str, bits: list, between: tuple,
                                                                     signed: dict) -> None:
    # TUNE coop photo 9000 / 9003: OCR read both blocks' signing lines as one run, words lost under the seals and
    # the signature; the blank nearest the owner label was the one where the first block signs, so its block
    # ended right after its 签字 label and its signature went to the neighbour (silent)
    binary = _binary(name)
    runs = [B(text=t, box=b) for t, b in bits]
    split = _split(runs, binary, binary.shape)
    assert between[0] < split < between[1]
    page = np.full((*binary.shape, 3), 250, np.uint8)
    marks = {m.label: m for m in find_marks(page, binary, runs, [], DPI, seals=[]) if m.kind == "signature"}
    assert {k: marks[k].checked for k in signed} == signed


def test_a_scribble_over_the_date_read_as_latin_letters_is_a_signature() -> None:
    # TUNE coop moderate 9043: the institution signed with a scribble over its 年 月 日 line, which OCR read as
    # one run WAAN日; five characters counted as print, the line was not sparse, so the scribble joined with
    # 年 and 月 was cut out as print and the institution read unsigned (silent)
    binary = _binary("coop_date_scribble_moderate_9043.png")
    bits = [("如以上承诺虚假，愿为此承担法律责任。", (52, 54, 580, 83)), ("推荐单位：江苏省科学技术协会", (51, 131, 477, 162)),
            ("被推荐机构：烟台瀚德产业投资管理有限公司", (552, 131, 1158, 162)),
            ("负责人签字：章负责签字：（公章）", (52, 191, 753, 241)), ("年月日", (151, 285, 268, 317)),
            ("WAAN日", (429, 285, 568, 317))]
    page = np.full((*binary.shape, 3), 250, np.uint8)
    runs = [B(text=t, box=b) for t, b in bits]
    marks = {m.label: m for m in find_marks(page, binary, runs, [], DPI, seals=[]) if m.kind == "signature"}
    assert marks["institution_signed"].checked is True
    assert marks["recommender_signed"].checked is True


def test_a_signature_read_as_letters_before_the_second_label_does_not_move_the_block_line() -> None:
    # TUNE coop moderate 9040: the recommender's large signature ran up to the institution's 负责人签字 and OCR
    # read it with that label as one run, JUJT负责人签字：, whose box starts at the signature: the institution's
    # block began there, and took the recommender's signature and seal (all four marks wrong, silent)
    bits = [B(text="如以上承诺虚假，愿为此承担法律责任。", box=(256, 1242, 761, 1269)),
            B(text="推荐单位：山东省科学技术协会被推荐机构：成都瀚德创新创业服务有限公司", box=(256, 1317, 1322, 1345)),
            B(text="负责人签字：", box=(258, 1393, 408, 1433)), B(text="JUJT负责人签字：", box=(497, 1393, 914, 1433)),
            B(text="（公章）", box=(1051, 1393, 1132, 1433)),
            B(text="年月日", box=(374, 1470, 484, 1497)), B(text="年月日", box=(725, 1470, 835, 1497))]
    split = _split(bits, None, (2200, 1710))
    assert 640 < split <= 760  # the label itself starts about 760, the first block's （公章） ends about 600


def test_blocks_side_by_side_meet_midway_when_the_first_blocks_print_end_is_seen() -> None:
    # TUNE coop photo 9015: the institution signed across the blank between the blocks (许志, its middle a
    # quarter em left of its own 签字 label); the first block's signing line read 负责人签 in a box running over
    # its lost （公章）, so its print ends there: the blocks meet midway between that and the second 签字 label,
    # not a quarter em before the label (the signature went to the recommender)
    bits = [B(text="如以上承诺虚假，愿为此承担法律责任。", box=(240, 1140, 760, 1168)),
            B(text="推荐单位：福建省科学技术协会", box=(240, 1217, 633, 1244)),
            B(text="被推荐机宁波众创创新创业服务有限公司", box=(822, 1217, 1382, 1244)),
            B(text="负责人签", box=(241, 1273, 625, 1317)), B(text="4人签字", box=(822, 1273, 970, 1317)),
            B(text="（公章）", box=(1128, 1273, 1206, 1317)), B(text="年月日年月日", box=(349, 1364, 1026, 1400))]
    split = _split(bits, None, (2200, 1635))
    assert 660 < split < 790  # the first block's print ends about 630, the second 签字 label starts at 822


def test_a_tick_like_signature_over_the_labels_colon_under_a_seal_is_read() -> None:
    # TUNE coop photo 9013: the institution signed with a small ✓-like scrawl right after its 负责人签字, over the
    # colon and the （ of （公章）, under the seals (their red ink already taken out here); the label's line holds no
    # blank, so the scrawl stayed inside its printed band, was cut out as print, and the institution read
    # unsigned (silent)
    binary = _binary("coop_tick_signature_photo_9013.png")
    bits = [("如以上承诺虚假，愿为此承担法律责任。", (21, 15, 531, 44)), ("推荐单位：四川省科4学技术协会", (20, 91, 432, 119)),
            ("被推荐机构：朱海新格技术转移研究院", (506, 91, 1004, 119)), ("负责人签字：（公章）", (22, 160, 312, 195)),
            ("负人签字（公章", (409, 160, 698, 195)), ("张明年月", (116, 239, 520, 329)),
            ("BKH日华年月1", (116, 252, 520, 288))]
    page = np.full((*binary.shape, 3), 250, np.uint8)
    runs = [B(text=t, box=b) for t, b in bits]
    marks = {m.label: m for m in find_marks(page, binary, runs, [], DPI, seals=[]) if m.kind == "signature"}
    assert marks["institution_signed"].checked is True
    assert marks["institution_signed"].confidence < 0.75  # a few strokes only: named for a check
    assert marks["recommender_signed"].checked is True


def test_the_second_label_read_in_the_first_blocks_seal_run_starts_the_second_block() -> None:
    # TUNE coop moderate 9310: both seals pressed over the blank between the blocks, the institution's 签字 lost
    # under them, OCR read （公卓）负责人 (the first block's （公章） and the second block's label) as one run: the
    # second block was taken to begin at the run after it (the second （公章）), so the institution's block began
    # right of its own label and its seal and signature went to the recommender (silent)
    binary = _binary("coop_seal_over_second_label_moderate_9310.png")
    bits = [B(text=t, box=b) for t, b in [
        ("如以上承诺虚假，愿为此承担法律责任。", (37, 19, 542, 47)), ("推荐单位：安徽省科学技术协", (37, 95, 424, 122)),
        ("被推荐机构：厦门瀚德创新创业服务有限公司", (489, 95, 1046, 122)), ("负责人签字：", (38, 171, 189, 199)),
        ("（公卓）负责人", (269, 171, 581, 199)), ("（公章）", (661, 171, 742, 199)), ("~浸军", (98, 209, 598, 317)),
        ("年己入八军", (98, 242, 598, 278))]]
    split = _split(bits, binary, binary.shape)
    assert 350 < split <= 430  # the first block's （公章） ends about 350, the second 负责人 starts about 430


def test_a_small_name_written_right_after_the_date_and_read_with_it_is_a_signature() -> None:
    # TUNE coop photo 9302: the institution signed small (翔刚, 4.6 mm) right after its 年 月 日, and OCR read the
    # name with the date as one run 年月日翔网 of five characters, taken for print: its band was cut out with the
    # name, and the institution read unsigned (silent). The page's other date line, read alone, shows how wide
    # the printed 年 月 日 is. (em and character width as measured on the whole page.)
    binary = _binary("coop_name_after_date_photo_9302.png")
    bits = [B(text=t, box=b) for t, b in [
        ("如以上承诺虚假，愿为此承坦法律责任。", (23, 35, 515, 62)), ("推荐单位：福建省科学技术协会", (22, 109, 418, 137)),
        ("被推荐机构：常州通创新创业服务有限公司", (482, 109, 1045, 137)), ("负责人签：", (24, 183, 173, 210)),
        ("（公章）", (267, 183, 347, 210)), ("负责人签字：", (428, 183, 574, 210)), ("（公章）", (669, 183, 748, 210)),
        ("年月日", (82, 255, 190, 287)), ("年月日翔网", (313, 255, 481, 287))]]
    em, char_w = 28, 28.26
    ink = _signature_ink(binary, bits, em, char_w)
    assert ink["institution"] >= SIGN_SURE * em * em  # the name, whole
    assert ink["recommender"] == 0  # the dates' print is no signature


def test_a_name_written_over_the_dates_ri_leaves_its_nian_yue_as_print() -> None:
    # TUNE coop heavy 11001: the institution signed 陈文 over its date's 日, and OCR read the run 年月陈文 (no 日):
    # not the 年月日翔网 form, so the whole run was taken for a signature, and its printed 年 月, left of the line
    # between the two blocks, made the recommender read signed (surely; silent). Only 年 月 are print there.
    binary = _binary("lead13_name_over_date_heavy_11001.png")
    bits = [B(text=t, box=b) for t, b in [
        ("如以上承诺虚假，愿为此承担法律责任。", (64, 44, 589, 72)),
        ("推荐单位；福建省科学技术协会    被推荐机构：佛山恒通产业投资管理有限公司", (61, 122, 1103, 149)),
        ("负责人签字", (64, 199, 222, 227)), ("（公章）", (289, 199, 375, 227)), ("负责人签字：", (444, 199, 600, 227)),
        ("（公章）", (667, 199, 753, 227)), ("年月日", (111, 272, 225, 319)), ("年月陈文", (328, 272, 511, 319))]]
    em, char_w = 29, 28.0
    ink = _signature_ink(binary, bits, em, char_w)
    assert ink["institution"] >= SIGN_SURE * em * em  # the name, whole
    assert ink["recommender"] == 0  # the second date's 年 月 are print


def _signature_ink(binary: np.ndarray, bits: list, em: int, char_w: float) -> dict[str, int]:
    """Each coop block's handwriting that counts toward a signature (clusters of at least CLUSTER_MIN em²)."""
    signs = [r for r in coop_regions(bits, [], binary.shape, char_w, em, binary) if r.sign_key]
    masks = [hand_mask(binary, r.box, bits, em, _PRINTED, r.label, label_end(r.label, char_w), DPI) for r in signs]
    clusters, _doubt, _alien = signature_ink(binary, signs, masks, em)
    return {r.owner: sum(c for c in cl if c >= CLUSTER_MIN * em * em) for r, cl in zip(signs, clusters, strict=True)}
