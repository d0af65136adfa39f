"""Seals given to the base form's stacked opinion rows (申报单位 / 所在地市科协 / 省级科协, issue 11): a seal
belongs to the row whose region it overlaps most, the last row of a page runs on into the blank below the
table (the row goes on on the next page; its seal hangs below), and a seal whose row is close between two
readings is named for a check. Cuts of TUNE pages of the independent family (200 dpi), two inks (dark 128,
red 255); the seals are given as the seal finder found them, so what is tested is their attribution."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace as B

import cv2
import numpy as np

from haizhi.extractors.scan.mark_keys import MARK_SURE
from haizhi.extractors.scan.regions import Region, assign
from haizhi.extractors.scan.seal_signature import find_marks

DATA = Path(__file__).parent / "data"
DPI = 200.0

HEAVY_9904_BITS = [
    ("申报单位意见", (258, 130, 429, 157)), ("经审核，申报材料真实有效，同意申报", (856, 130, 1357, 158)),
    ("负责人（签字）：", (858, 173, 1069, 200)), ("（单位公章）", (1166, 173, 1305, 200)), ("年", (918, 215, 943, 242)),
    ("月", (1006, 215, 1027, 242)), ("日", (1094, 215, 1116, 242)), ("所在地市科协意见", (257, 258, 488, 285)),
    ("情况属实同意该基地电报。", (856, 258, 1342, 287)), ("负责人（签字）化", (858, 297, 1347, 330)),
    ("八、单位意见", (258, 54, 429, 80)), ("叫", (1051, 339, 1310, 374)), ("4/5", (827, 423, 884, 445))]
HEAVY_9904_CELLS = [
    ("申报单位意见", (240, 120, 840, 248)), ("经审核，申报材料真实有效，同意申报。", (840, 120, 1440, 163)),
    ("负责人（签字）：    （单位公章）\n年    月    日", (840, 163, 1440, 248)), ("所在地市科协意见", (240, 248, 840, 335)),
    ("情况属实同意该基地电报。", (840, 248, 1440, 292)), ("负责人（签字）张化", (840, 292, 1440, 335))]
HEAVY_9904_SEALS = [((1062, 56, 1373, 367), 0.95), ((1108, 336, 1252, 446), 0.945), ((1108, 446, 1252, 556), 0.719)]

MODERATE_9904_BITS = [
    ("申报单位意见", (265, 135, 436, 172)), ("经审核，申报材料真实有效，同意申报。", (845, 135, 1441, 172)),
    ("货责人（签字）：", (797, 179, 1076, 207)), ("（单位公章）", (1173, 179, 1312, 207)), ("1", (845, 220, 848, 249)),
    ("年月", (904, 220, 1033, 249)), ("日", (1102, 220, 1121, 249)), ("所在地市科协意见", (263, 264, 495, 293)),
    ("情况属实，同意推荐该基地申报。", (845, 264, 1280, 293)), ("负责人（字）：", (844, 309, 1075, 336)),
    ("（单位公章）", (1173, 309, 1312, 336)), ("八、单位意见", (264, 59, 436, 86)), ("415", (833, 429, 890, 456))]
MODERATE_9904_CELLS = [
    ("申报单位意见：经审核，申报材料真实有效，同意申报。\n负责人（签字）：    （单位公章）\n1    7年月    日", (246, 126, 1446, 254)),
    ("所在地市科协意见：情况属实，同意推荐该基地申报。\n负责人（签字）：    （单位公章）", (246, 254, 1446, 341))]
MODERATE_9904_SEALS = [((719, 153, 1000, 446), 1.0)]

HEAVY_9903_BITS = [
    ("申报单位意见：该单位基础托实、优势明显，同意推荐。", (273, 102, 980, 134)), ("负责人（签字）：", (273, 189, 483, 217)),
    ("（单位公章）", (529, 189, 783, 217)), ("年月", (303, 222, 441, 259)), ("H", (510, 222, 554, 259)),
    ("所在地市科协意见：情况属实，同意推荐基地申报。", (272, 274, 931, 303)), ("从", (435, 308, 545, 344)),
    ("负责人（签字）：", (273, 358, 483, 386)), ("（单位公章）", (581, 358, 720, 386)), ("年", (333, 402, 357, 429)),
    ("月。", (421, 402, 458, 429)), ("日", (510, 402, 529, 429)),
    ("省级科协意见经审中报材材真实有效，同意申报。", (274, 439, 960, 502)),
    ("省级科协意见：经审，申报材真实有效，同意申报。", (274, 444, 960, 480)), ("负责人（签字）：", (273, 528, 483, 555)),
    ("（单位公章）", (581, 528, 720, 555)), ("年", (332, 570, 357, 596)), ("月", (421, 570, 441, 596)),
    ("日", (510, 570, 530, 596))]
HEAVY_9903_CELLS = [
    ("申报单位意见：该单位基础托实、优势明显，同意推荐。\n负责人（签字）：    （单位公章）\n年月    日", (254, 95, 1454, 264)),
    ("所在地市科协意见：情况属实，同意推荐或基地申报。\n从\n负责人（签字）：    （单位公章）\n年    月。    日", (254, 264, 1454, 434)),
    ("省级科协意见：经审中报材料真实有效，同意申报。\n负责人（签字）：    （单位公章）\n年    月    日", (254, 434, 1454, 603))]
HEAVY_9903_SEALS = [((667, 293, 939, 551), 0.765), ((537, 119, 887, 444), 0.686)]


def _marks(name: str, bits: list, cells: list, seals: list) -> dict[str, list]:
    """find_marks on a two-ink cut painted back in colour: {mark key: its readings}."""
    g = cv2.imread(str(DATA / name), cv2.IMREAD_GRAYSCALE)
    bgr = np.full((*g.shape, 3), 250, np.uint8)
    bgr[g == 128] = (20, 20, 20)
    bgr[g == 255] = (40, 40, 215)
    binary = np.where(g == 128, np.uint8(255), np.uint8(0))
    red = np.where(g == 255, np.uint8(255), np.uint8(0))
    runs = [B(text=t, box=b) for t, b in bits]
    out: dict[str, list] = {}
    for m in find_marks(bgr, binary, runs, cells, DPI, seals=seals, red=red):
        if m.kind == "seal" and m.label:
            out.setdefault(m.label, []).append(m)
    return out


def _sealed(readings: list) -> bool:
    return any(m.checked for m in readings)


def test_a_seal_hanging_below_the_table_at_a_page_break_is_the_last_rows() -> None:
    # TUNE base heavy 9904: the city row is the page's last (its date line on the next page); its seal, pressed
    # over its signing line, hangs below the table at the page's foot, read as pieces there. The row ended at the
    # table's bottom ruling, so they were in no block: city read unsealed
    marks = _marks("rows11_seal_below_table_heavy_9904.png", HEAVY_9904_BITS, HEAVY_9904_CELLS, HEAVY_9904_SEALS)
    assert _sealed(marks["city_sealed"])
    assert _sealed(marks["applicant_sealed"])


def test_the_last_rows_seal_reaching_up_into_the_row_above_is_still_its_own() -> None:
    # TUNE base moderate 9904: the city's seal, centred on the city row's bottom ruling, reaches up into the
    # applicant row more than into the city row's short cut of the table, but most of it lies below the table:
    # it went to the applicant row
    marks = _marks("rows11_seal_below_table_moderate_9904.png", MODERATE_9904_BITS, MODERATE_9904_CELLS,
                   MODERATE_9904_SEALS)
    assert _sealed(marks["city_sealed"])
    assert not _sealed(marks["applicant_sealed"])


def test_two_seals_whose_rows_read_almost_as_well_shifted_by_one_are_named() -> None:
    # TUNE base heavy 9903: the applicant's and the city's seals pressed over each other across the rows' line;
    # their boxes, cut from the one red blob, lie a little low, and the reading "city's and provincial's" overlaps
    # about as much as "applicant's and city's": the provincial row was read sealed, sure (silent)
    marks = _marks("rows11_two_seals_shifted_heavy_9903.png", HEAVY_9903_BITS, HEAVY_9903_CELLS, HEAVY_9903_SEALS)
    for key in ("city_sealed", "provincial_sealed"):
        for m in marks.get(key, []):
            if m.checked:
                assert m.confidence < MARK_SURE, (key, m.confidence)


def test_seals_one_to_a_row_clear_of_each_other_stay_sure() -> None:
    # two seals, each mostly in its own row, reaching a little into the next: the reading shifted by one row
    # overlaps much less, so both are sure
    rows = [Region(k, (0, y, 1000, y + 200), None, f"{k}_sealed") for k, y in
            (("applicant", 0), ("city", 200), ("provincial", 400))]
    got = assign([(100, 20, 300, 240), (500, 230, 700, 450)], rows)
    assert [r.owner for r, _ in got] == ["applicant", "city"]
    assert all(sure >= 0.4 for _, sure in got), got


def test_two_seals_each_halfway_between_rows_are_unsure() -> None:
    # the same two seals straddling the rows' lines half and half: the reading one row down is as good
    rows = [Region(k, (0, y, 1000, y + 200), None, f"{k}_sealed") for k, y in
            (("applicant", 0), ("city", 200), ("provincial", 400))]
    got = assign([(100, 95, 300, 305), (500, 290, 700, 510)], rows)
    assert all(sure < 0.4 for _, sure in got), got
