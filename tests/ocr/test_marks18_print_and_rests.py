"""Round 14 mark readings (issue 11, "What failed" 6): the printed （公章） after a 签字 label stays print when OCR
read a seal's red remnant as a character between them; a seal at the top of a page, given with another to the
page's first block, goes to the block the page before cut at its foot."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace as B

import cv2
import numpy as np
import pytest

from haizhi.extractors.layout import Layout, Mark, Page
from haizhi.extractors.scan.carried import CARRIED_UNSURE, carried_seals
from haizhi.extractors.scan.handwriting import CLUSTER_MIN, hand_mask
from haizhi.extractors.scan.regions import coop_regions
from haizhi.extractors.scan.seal_signature import _PRINTED, SIGN_SURE
from haizhi.extractors.scan.sign_clusters import signature_ink
from haizhi.extractors.scan.sign_lines import label_end

DATA = Path(__file__).parent / "data"
DPI = 200.0
BASE_KEYS = {"head_signed", "applicant_sealed", "city_sealed", "provincial_sealed"}


def _signature_ink(binary: np.ndarray, bits: list, em: int, char_w: float) -> dict[str, int]:
    signs = [r for r in coop_regions(bits, [], binary.shape, char_w, em, binary) if r.sign_key]
    masks = [hand_mask(binary, r.box, bits, em, _PRINTED, r.label, label_end(r.label, char_w), DPI) for r in signs]
    clusters, _doubt, _alien = signature_ink(binary, signs, masks, em)
    return {r.owner: sum(c for c in cl if c >= CLUSTER_MIN * em * em) for r, cl in zip(signs, clusters, strict=True)}


def _bits(second_run: str) -> list:
    return [B(text=t, box=b) for t, b in [
        ("推荐单位省科学技术协会被推荐机构：绍兴启明技术转移研究院", (231, 40, 1213, 94)),
        ("负责人签字：", (252, 117, 405, 145)), ("（公章）", (502, 117, 583, 145)),
        (second_run, (663, 117, 995, 145)), ("年月日", (312, 194, 423, 220)), ("年月日", (548, 194, 659, 220))]]


def test_gongzhang_after_a_seal_remnant_read_as_a_character_is_print() -> None:
    # TUNE coop clean 12102: the institution's seal left a red remnant between its 负责人签字： and （公章）, read 兴;
    # "something written after the label" made the whole rest of the run handwriting, the printed （公章） with it,
    # and the unsigned institution read signed (surely; silent)
    gray = cv2.imread(str(DATA / "coop_seal_remnant_before_gongzhang_clean_12102.png"), cv2.IMREAD_GRAYSCALE)
    binary = np.where(gray > 127, np.uint8(255), np.uint8(0))
    em = 28
    ink = _signature_ink(binary, _bits("负责人签字：兴（公章）"), em, 28.0)
    assert ink["institution"] == 0
    assert ink["recommender"] >= SIGN_SURE * em * em  # 张明华 above the recommender's line, whole


def test_a_name_between_label_and_gongzhang_still_counts() -> None:
    # the same line with a name written between 负责人签字： and （公章） (drawn in the blank there): the name is
    # handwriting, only the bracket at the run's end is print
    gray = cv2.imread(str(DATA / "coop_seal_remnant_before_gongzhang_clean_12102.png"), cv2.IMREAD_GRAYSCALE)
    binary = np.where(gray > 127, np.uint8(255), np.uint8(0))
    cv2.putText(binary, "Li", (835, 150), cv2.FONT_HERSHEY_SCRIPT_SIMPLEX, 1.6, 255, 3)
    em = 28
    ink = _signature_ink(binary, _bits("负责人签字：李（公章）"), em, 28.0)
    assert ink["institution"] >= 0.06 * em * em


def _seal(key: str | None, box: tuple[float, float, float, float], checked: bool = True) -> Mark:
    return Mark(kind="seal", checked=checked, label=key, bbox=box, confidence=0.8 if not checked else 1.0)


def _cut_page() -> Page:
    # TUNE base photo 12096, page 4: 申报单位意见 (no seal), then 所在地市科协意见： alone at the page's foot
    return Page(4, 591, 757, method="ocr", marks=[
        _seal("applicant_sealed", (81, 610, 590, 668), False), _seal("city_sealed", (81, 668, 590, 683), False),
        Mark(kind="signature", checked=True, label="head_signed", bbox=(0, 363, 591, 455))])


def test_the_upper_of_two_seals_given_to_a_pages_first_block_goes_to_the_cut_block() -> None:
    # page 5: the city block's rest (负责人（签字）…) and the provincial block, whose label a seal hid: both seals
    # were given to the provincial block, the city read "no seal" (wrong; 0.6)
    nxt = Page(5, 591, 765, method="ocr", marks=[_seal("provincial_sealed", (241, 33, 354, 148)),
                                                 _seal("provincial_sealed", (94, 119, 194, 215))])
    got = carried_seals(Layout(pages=[_cut_page(), nxt]), BASE_KEYS)
    assert got == [("city_sealed", (241, 33, 354, 148), 5, CARRIED_UNSURE)]


def test_one_seal_on_the_next_pages_first_block_stays_there() -> None:
    nxt = Page(5, 591, 765, method="ocr", marks=[_seal("provincial_sealed", (94, 119, 194, 215))])
    assert carried_seals(Layout(pages=[_cut_page(), nxt]), BASE_KEYS) == []


def test_two_seals_after_a_block_that_kept_its_seal_stay_where_they_are() -> None:
    # the block at the foot of page 4 has its seal there: not cut, the next page's seals are not its own
    cut = _cut_page()
    cut.marks[1] = _seal("city_sealed", (300, 640, 400, 740))
    nxt = Page(5, 591, 765, method="ocr", marks=[_seal("provincial_sealed", (241, 33, 354, 148)),
                                                 _seal("provincial_sealed", (94, 119, 194, 215))])
    assert carried_seals(Layout(pages=[cut, nxt]), BASE_KEYS) == []


class _Bit:
    def __init__(self, text: str, box: tuple[int, int, int, int]) -> None:
        self.text, self.box = text, box


@pytest.mark.parametrize(("reading", "owner", "sure"), [
    (("易市发展集团有限公司", 0.98), "applicant", True),  # TUNE base clean 12100: read by its ring, not by overlap
    (("烟台高新区管委会", 0.9), "applicant", True),
    (("烟台高新区管委会", 0.3), "applicant", False),  # read too unsure: by overlap, a doubt
    (("绍兴市科学技术协会", 0.99), "applicant", False),  # a 科协: may be the applicant itself, by overlap
    (("科技服务中心协会", 0.9), "applicant", False),  # 协会: a society may be a 科协's kin, by overlap
])
def test_a_seal_naming_no_kexie_between_applicant_and_city_is_the_applicants(
        reading: tuple[str, float], owner: str, sure: bool) -> None:
    from haizhi.extractors.scan.regions import Region
    from haizhi.extractors.scan.seal_names import NAMED_SURE, by_name
    from haizhi.extractors.scan.seal_owners import assign

    regs = [Region("applicant", (0, 0, 1000, 300), "head_signed", "applicant_sealed"),
            Region("city", (0, 300, 1000, 600), "city_signed", "city_sealed")]
    box = (600, 100, 900, 400)  # two thirds in the applicant's row, a third in the city's
    res = by_name([box], regs, assign([box], regs), lambda _b: reading, [_Bit("申报单位意见", (0, 0, 90, 30))])
    assert res[0][0] is not None and res[0][0].owner == owner
    assert (res[0][1] >= NAMED_SURE) is sure
