"""An e-mail wrapped in its cell, its second line all x-height letters (iao.com): the i's dot is a speck a few
pixels above the line's band, dropped, and the line read without it as tao.com, sure (TUNE base heavy 10800:
xingqiao16@xingqtao.com, silent). A speck just above a line, nearer to it than to the line before, is its own."""

from __future__ import annotations

from pathlib import Path

import cv2

from haizhi.extractors.scan.cells import split_lines
from haizhi.extractors.scan.engines import get_engine
from haizhi.extractors.scan.ink import binarize

DATA = Path(__file__).parent / "data"
MIN_H = 11  # 4 pt at 200 dpi, as the reader has it


def _lines():
    gray = cv2.imread(str(DATA / "lead_email_dot_heavy_10800.png"), cv2.IMREAD_GRAYSCALE)
    return gray, [ln for ln in split_lines(binarize(gray), MIN_H) if ln[0] < 60]


def test_the_dot_of_i_is_in_its_line() -> None:
    gray, lines = _lines()
    assert len(lines) == 2, lines
    (a0, a1), (b0, b1) = lines
    assert b1 - b0 >= 0.7 * (a1 - a0)  # the dot's rows too (23 of 30 px), not the x-height alone (17)


def test_the_wrapped_line_reads_iao() -> None:
    gray, lines = _lines()
    y0, y1 = lines[1]
    pad = max(2, (y1 - y0) // 5)  # as PageCtx.rec crops a run
    text, _ = get_engine("rapidocr").recognize_line(gray[max(0, y0 - pad):y1 + pad, :])
    assert text.replace(" ", "") == "iao.com"
