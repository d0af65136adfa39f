"""Fewer model runs for the same readings: a reading bound to stay unsure is not looked at again (ring arcs,
a lost stop), orientation reads each crop once each way, and the same pixels are not run through the model twice."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from haizhi.extractors.scan.engines import WEAK_LINE, RapidEngine, read_plain, read_sure
from haizhi.extractors.scan.ink import binarize
from haizhi.extractors.scan.orient import upside_down

DATA = Path(__file__).parent / "data"


class _Counting(RapidEngine):
    """RapidEngine's line logic over a fake model: every run gives the same (text, conf, weak)."""

    def __init__(self, text: str, conf: float, weak: bool) -> None:  # no model loaded
        self.got = (text, conf, weak)
        self.runs = 0
        self._memo = {}

    def _model(self, img: np.ndarray) -> tuple[str, float, bool]:
        self.runs += 1
        return self.got


def _line(n_parts: int = 1) -> np.ndarray:
    img = np.full((30, 200 * n_parts), 255, np.uint8)
    for i in range(n_parts):  # a part: 100 px of ink, then a blank wider than PART_GAP heights
        img[8:22, 200 * i + 5:200 * i + 105:4] = 0
    return img


def test_guess_under_floor_is_not_read_at_other_sizes() -> None:
    eng = _Counting("福建省科学技术协会", 0.85, True)
    assert eng.recognize_line(_line()) == ("福建省科学技术协会", 0.85)  # alike at three sizes: kept
    assert eng.runs == 3  # read, then enlarged and shrunk
    eng = _Counting("福建省科学技术协会", 0.85, True)
    text, conf = eng.recognize_sure(_line(), 0.9)
    assert conf < 0.9 and eng.runs == 1  # second_look could not lift it to 0.9: one run


def test_guess_over_floor_still_gets_its_second_look() -> None:
    eng = _Counting("福建省科学技术协会", 0.95, True)
    assert eng.recognize_sure(_line(), 0.9) == ("福建省科学技术协会", 0.95)  # all three sizes alike
    assert eng.runs == 3


class _Seq(_Counting):
    """Each run gives the next of a list of readings."""

    def __init__(self, *got: tuple[str, float, bool]) -> None:
        super().__init__(*got[0])
        self.seq = list(got)

    def _model(self, img: np.ndarray) -> tuple[str, float, bool]:
        self.runs += 1
        return self.seq[self.runs - 1]


def test_guess_read_otherwise_at_one_size_ends_there() -> None:
    reads = (("福建省科学技术协会", 0.95, True), ("福建省科学技术办会", 0.97, False), ("福建省科学技术协会", 0.97, False))
    assert _Seq(*reads).recognize_line(_line())[1] == WEAK_LINE  # the three sizes disagree: unsure
    eng = _Seq(*reads)
    assert eng.recognize_sure(_line(), 0.9)[1] < 0.9 and eng.runs == 2  # the shrunk view is not read


def test_first_part_under_floor_ends_the_line() -> None:
    eng = _Counting("Hande", 0.5, False)
    assert eng.recognize_line(_line(3))[0] == "Hande Hande Hande"
    assert eng.runs == 3
    eng = _Counting("Hande", 0.5, False)
    assert eng.recognize_sure(_line(3), 0.9)[1] < 0.9 and eng.runs == 1


def test_read_sure_needs_a_floor_above_weak_line() -> None:
    with pytest.raises(AssertionError):
        read_sure(_Counting("x", 0.5, False), _line(), WEAK_LINE)


def test_same_pixels_run_once() -> None:
    eng = _Counting("同意", 0.99, False)
    img = _line()
    assert eng.recognize_line(img) == eng.recognize_line(img.copy()) == ("同意", 0.99)
    assert eng.runs == 1
    img2 = img.copy()
    img2[0, 0] = 0
    eng.recognize_line(img2)
    assert eng.runs == 2


def test_ring_arc_read_unsure_is_read_once() -> None:
    from haizhi.extractors.scan.ring_text import _ARCS, ring_name

    g = cv2.imread(str(DATA / "rec13_seal_ring_heavy_10906.png"), cv2.IMREAD_GRAYSCALE)
    red = np.where(cv2.imread(str(DATA / "rec13_seal_ring_heavy_10906_red.png"), cv2.IMREAD_GRAYSCALE) > 127,
                   np.uint8(255), np.uint8(0))
    eng = _Counting("福建省科学技术协会", 0.85, True)  # a guess in every arc: never sure enough
    assert ring_name(np.dstack([g, g, g]), red, (10, 10, 294, 295), eng, 200.0) is None
    assert eng.runs == len(_ARCS)  # was 3 per arc (two views each)


def test_plain_read_is_one_run() -> None:
    eng = _Counting("推荐单位", 0.7, True)
    assert read_plain(eng, _line(3)) == ("推荐单位", 0.7) and eng.runs == 1


@pytest.fixture(scope="module")
def top() -> np.ndarray:
    cut = cv2.imread(str(DATA / "cpuread_page_top_clean_11700.png"), cv2.IMREAD_GRAYSCALE)
    page = np.full((2200, 1700), 255, np.uint8)  # text_lines takes a line's height from the page's
    page[150:150 + cut.shape[0], 150:150 + cut.shape[1]] = cut
    return page


class _Tally:
    def __init__(self) -> None:
        self.eng = RapidEngine.shared()
        self.runs = 0

    def recognize_line(self, img: np.ndarray) -> tuple[str, float]:
        self.runs += 3  # a line, up to two views of each part
        return self.eng.recognize_line(img)

    def recognize_plain(self, img: np.ndarray) -> tuple[str, float]:
        self.runs += 1
        return self.eng.recognize_plain(img)


def test_upright_top_of_form_decided_by_one_read(top: np.ndarray) -> None:
    eng = _Tally()
    assert not upside_down(top, binarize(top), eng)
    assert eng.runs == 1  # the widest line reads fluently as it is


def test_turned_top_of_form_still_upside_down(top: np.ndarray) -> None:
    turned = cv2.rotate(top, cv2.ROTATE_180)
    eng = _Tally()
    assert upside_down(turned, binarize(turned), eng)
    assert eng.runs <= 3  # the widest line: junk upright, fluent turned (was 4 runs)
