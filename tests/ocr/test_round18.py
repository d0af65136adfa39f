"""Round 18 (issue 11): marks read wrong and named by no finding on TUNE returns (seeds 12260–12277)."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace as B

import cv2
import numpy as np

DATA = Path(__file__).parent / "data"
DPI = 200.0
PRINTED = re.compile(r"签字|公章|推荐单位|被推荐|机构|负责人|意见|科协|单位|承诺|^[年月日\s]+$")  # seal_signature's


def _binary(name: str) -> np.ndarray:
    gray = cv2.imread(str(DATA / name), cv2.IMREAD_GRAYSCALE)
    return np.where(gray > 127, np.uint8(255), np.uint8(0))


def _bits(rows: list[tuple[str, tuple[int, int, int, int]]]) -> list[B]:
    return [B(text=t, box=b) for t, b in rows]


# TUNE coop moderate 12263 (page 4, paragraphs, no table): the institution's 签字 label read 负责人字： (签 lost)
# and the recommender's （公章） read （么章）: neither counted as a label, the blocks were split at the
# institution's owner label (x 757), 2 em right of where its 签字 label and date line begin. Its head's small
# blue name, written over its date line's 年, lay in the recommender's block: institution_signed False, sure.
_BITS_12263 = _bits([("推荐单位：安徽省科学技术协会", (255, 1048, 681, 1077)),
                     ("推荐机构：珠海准智技术转移研究院", (757, 1048, 1273, 1077)),
                     ("负责人签字：", (257, 1127, 417, 1155)), ("（么章）", (473, 1127, 558, 1155)),
                     ("负责人字：", (657, 1127, 817, 1155)), ("（章）", (873, 1127, 958, 1155)),
                     ("年月日八天国日", (302, 1194, 773, 1245))])


def test_a_signing_label_without_its_sign_character_still_splits_the_blocks() -> None:
    from haizhi.extractors.scan.regions import _SIGN, SEALWORD
    from haizhi.extractors.scan.sign_lines import signing_line_split

    signs = [b for b in _BITS_12263 if _SIGN.search(b.text)]
    assert [b.text for b in signs] == ["负责人签字：", "负责人字："]
    assert SEALWORD.search("（么章）") and SEALWORD.search("（章）") and not SEALWORD.search("规章制度")
    split = signing_line_split(_BITS_12263, signs, None, 29, None, 757)
    assert split is not None and 558 <= split < 657  # after the recommender's （公章）, before the second label


# TUNE coop photo 12266 (page 3): the institution's head wrote a small black name (彭浩) in the blank between
# 负责人签字： and （公章）; OCR read the line 负责人签字：（公章）, the name skipped, and the whole run was cut
# out as print: institution_signed False, sure. Only the label and the （公章） are print, where the
# recommender's signing line, read in two runs, prints them.
_BITS_12266 = _bits([("推荐单位：陕西省科学技术协会", (239, 29, 628, 56)),
                     ("被推荐机构：烟台瀚德创新创业服务有限公司", (816, 29, 1372, 56)),
                     ("负责人签字：", (240, 99, 386, 130)), ("（章）", (543, 99, 621, 130)),
                     ("负责人签字：（公章）", (817, 99, 1197, 130)), ("年月日", (432, 177, 538, 202)),
                     ("年月日", (912, 177, 1018, 202))])


def test_a_name_in_the_blank_between_the_label_and_its_seal_word_is_handwriting() -> None:
    from haizhi.extractors.scan.handwriting import hand_mask

    binary = _binary("coop_small_name_in_blank_photo_12266.png")
    inst = hand_mask(binary, (719, 0, 1624, 280), _BITS_12266, 26, PRINTED, _BITS_12266[4], 978, DPI)
    assert int((inst[85:145, 985 - 719:1095 - 719] > 0).sum()) > 500  # the name in the blank
    assert int((inst[95:135, 817 - 719:975 - 719] > 0).sum()) == 0  # the label: print
    assert int((inst[95:135, 1110 - 719:1197 - 719] > 0).sum()) == 0  # the （公章）: print
    rec = hand_mask(binary, (0, 0, 719, 280), _BITS_12266, 26, PRINTED, _BITS_12266[2], 386, DPI)
    assert int((rec > 0).sum()) == 0  # the recommender's block (its seal taken out before): nothing written
    alone = [b for i, b in enumerate(_BITS_12266) if i not in (2, 3)]  # no line beside to measure its print by:
    inst = hand_mask(binary, (719, 0, 1624, 280), alone, 26, PRINTED, alone[2], 978, DPI)
    assert int((inst[85:145, 985 - 719:1095 - 719] > 0).sum()) == 0  # the run is print, as before


# TUNE coop moderate 12277 (page 4, paragraphs): both blocks' signing labels read as one run
# 负责人签字：负责人签字：（公章）, given to the institution (it holds the run's middle). The institution's block
# held no handwriting, and the reading beside its label looked right of the run's first label, in the
# recommender's block: the recommender's 张明华 made institution_signed True, sure (it was not signed).
_BITS_12277 = _bits([("推荐单位：湖南省科学技人协云", (260, 51, 684, 80)),
                     ("被推荐机构：珠海海川产业投资管理有限公", (861, 51, 1670, 80)), ("司", (262, 105, 287, 130)),
                     ("负责人管字：张明免责人学字：（公章）", (262, 133, 1708, 247)),
                     ("负责人签字：负责人签字：（公章）", (262, 173, 1708, 209)), ("年月日", (461, 259, 577, 287)),
                     ("年月日", (961, 259, 1077, 287))])


def test_the_reading_beside_a_label_stays_in_its_own_block() -> None:
    from haizhi.extractors.scan.seal_signature import _signature_at

    binary = _binary("coop_one_run_two_labels_moderate_12277.png")
    label = _BITS_12277[4]
    ok, _, _ = _signature_at(binary, _BITS_12277, label, DPI, None, [], 854)  # the institution's block: x 854 on
    assert not ok
    ok, _, _ = _signature_at(binary, _BITS_12277, label, DPI, 854, [], 0)  # the recommender's: its 张明华
    assert ok


# TUNE coop clean 12267 (page 3): the recommender's head signed 张明华 in black over his seal, which the
# institution's seal overlaps; the signature reaches past the line between the blocks, over the edge of the
# institution's seal, more of its ink there (7242 / 9151 px). Both seals under it, the block holding its middle
# got it: institution_signed True, recommender_signed False (named, but both wrong).
def test_a_signature_over_two_seals_goes_to_the_block_whose_seal_it_lies_mostly_over() -> None:
    from haizhi.extractors.scan.sign_clusters import _owner

    boxes = [(0, 894, 604, 1622), (604, 894, 1700, 1622)]
    seals = [[(445, 1169, 722, 1515)], [(722, 1169, 999, 1515)]]
    stat = np.array([494, 1361 - 894, 776 - 494, 1493 - 1361, 8000])  # its box (494, 1361, 776, 1493)
    assert _owner(np.array([7242, 9151]), stat, boxes, 0, 894, seals) == 0
    even = [[(445, 1169, 635, 1515)], [(635, 1169, 999, 1515)]]  # as much over either seal: its middle decides
    assert _owner(np.array([7242, 9151]), stat, boxes, 0, 894, even) == 1


# TUNE base clean 12276 (page 5): the applicant's blue-black 张明华, written over the seals, ends a stroke on
# the city opinion's ，(优势明显，同意推荐). Read with the strokes and with their ink divided out, both readings
# gave 优势明显、同意 (the stop's tail went with the stroke's ink): sure, wrong, no finding.
def test_a_stop_a_signature_s_stroke_touches_is_in_doubt() -> None:
    from haizhi.extractors.scan.print_strokes import stop_touched

    ink = _binary("base_stop_touched_clean_12276_ink.png")  # the run's crop, a ruling above and below
    hand = _binary("base_stop_touched_clean_12276_hand.png")  # the signature's coloured ink there
    assert stop_touched(ink, hand, "该单位基础扎实、优势明显、同意推荐")
    assert not stop_touched(ink, hand, "该单位基础扎实、优势明显")  # its stops (、 at 7) untouched
    assert not stop_touched(ink, np.zeros_like(hand), "该单位基础扎实、优势明显、同意推荐")


# TUNE coop moderate 12266 (page 3): the institution's head scribbled a small black name over 年 月 of its date
# line; OCR read the line 日 (its box as wide as a whole date line), print by its text, the name cut out with it.
# Its "signed" had come from a reading beside the recommender's 签字 label (see the test above); kept in its own
# block, institution_signed read False, sure.
_BITS_12266M = _bits([("推荐单位：队西省科学技术协会", (273, 22, 679, 50)),
                      ("被推荐机构：烟台瀚德创新创业服务有限公司", (874, 22, 1509, 50)),
                      ("负贵人张明华执责人", (275, 55, 1722, 167)), ("负责人签字：帐期负责人签字：（公章）", (275, 90, 1722, 126)),
                      ("年月日", (474, 172, 585, 202)), ("日", (962, 172, 1085, 202))])


def test_a_date_line_read_as_its_day_alone_is_measured_for_what_is_written_over_it() -> None:
    from haizhi.extractors.scan.date_lines import date_overwritten

    binary = _binary("coop_date_read_day_only_moderate_12266.png")
    over = date_overwritten(binary, _BITS_12266M, (867, 0, 1744, 320), 28)
    assert over is not None and over >= 0.06  # SIGN_NEED
    assert date_overwritten(binary, _BITS_12266M, (0, 0, 867, 320), 28) is None  # the recommender's: 年月日 read whole
    narrow = _bits([("年月日", (474, 172, 585, 202)), ("日", (1055, 172, 1085, 202))])  # a 日 alone, its own width
    assert date_overwritten(binary, narrow, (867, 0, 1744, 320), 28) is None


# TUNE coop heavy 12287 (page 3, paragraphs): the owner label read 被推荐板构 (机 misread, colon lost) and the
# institution's 签字 label 质责人签 (负 misread, 字 lost): no block found by its labels, the blocks were put
# below the 承诺 text's last line with a stop (the signing line has a ，read into it, y 1369 on), and the
# recommender's small black signature beside its label (y 1275–1341) was in neither: recommender_signed False.
_BITS_12287 = _bits([("三、承诺书", (315, 963, 440, 988)), ("被推荐机构近三年内无违法或不良信用记录。", (299, 1038, 859, 1065)),
                     ("如以上承诺虚假，愿为此承担法律责任。", (298, 1190, 801, 1217)),
                     ("推荐单位：山东省科学技术协会", (298, 1265, 685, 1293)),
                     ("被推荐板构青岛瀚德创新创业服务有限公司", (799, 1265, 1357, 1293)),
                     ("负责人签字：Vv（公m），", (300, 1328, 772, 1369)), ("质责人签", (900, 1328, 1049, 1369)),
                     ("（公章）", (1132, 1328, 1295, 1369))])


def test_owner_and_signing_labels_misread_still_place_the_blocks() -> None:
    from haizhi.extractors.scan.regions import coop_regions

    regions = {r.owner: r.box for r in coop_regions(_BITS_12287, [], (2269, 1792), 28.0, 28)}
    rec, inst = regions["recommender"], regions["institution"]
    assert rec[1] <= 1275 and rec[2] >= 612  # the recommender's signature (459–612, 1275–1341) in its block
    assert rec[2] == inst[0] <= 900  # the institution's from before its 签字 label
