"""An opinion's print under a blue signature (issue 11, TUNE base 10900–10907): the pen's ink lies over the
print like a filter, so dividing the stroke's own colour out of its footprint gives the print back. Read
without it, the characters under the strokes were lost (材料真实有效 → 真制, 申报…同意 → 申报真意) or, where
a signature's stroke only touched the run, a sure reading was still named. Cuts of TUNE pages (200 dpi,
colour, as levelled by the reader)."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from haizhi.extractors.scan.cells import split_lines, split_segments
from haizhi.extractors.scan.confidence import LOW_CONFIDENCE
from haizhi.extractors.scan.context import PageCtx
from haizhi.extractors.scan.engines import get_engine
from haizhi.extractors.scan.ink import binarize, hand_strokes, red_mask, text_gray
from haizhi.extractors.scan.seals import find_seals
from haizhi.extractors.scan.unsign import unsigned

DATA = Path(__file__).parent / "data"
DPI = 200.0
MIN_H = 11  # 4 pt at 200 dpi, as the reader has it


def _ctx(name: str) -> PageCtx:
    bgr = cv2.imread(str(DATA / name))
    gray = text_gray(bgr)
    ctx = PageCtx(gray, binarize(gray), DPI, get_engine("rapidocr"))
    ctx.red, ctx.hand, ctx.bgr = red_mask(bgr), hand_strokes(bgr, DPI), bgr
    ctx.seals = [b for b, _ in find_seals(bgr, DPI, ctx.red)]
    return ctx


def _read_line(ctx: PageCtx, cell: tuple[int, int, int, int]) -> tuple[str, float]:
    """The first line of a cell (its box inside the rulings), read run by run as the reader reads a cell."""
    x0, y0, x1, y1 = cell
    sub = ctx.binary[y0:y1, x0:x1]
    ly0, ly1 = split_lines(sub, MIN_H)[0]
    segs = split_segments(sub[ly0:ly1], gap=max(int(1.6 * min(ly1 - ly0, 3 * MIN_H)), 33))
    sx0, sx1 = segs[0][0], segs[-1][1]
    return ctx.band(sub, (sx0, ly0, sx1, ly1), (x0, y0), MIN_H)


def test_print_under_a_blue_signature_is_read_back_surely() -> None:
    # TUNE base clean 10900: 张明华 written over 材料真实有效，同 of the applicant's opinion; read 经审核，申报材料真制意申报。
    ctx = _ctx("opin13_signature_over_opinion_clean_10900.png")
    text, conf = _read_line(ctx, (5, 72, 535, 120))
    assert text == "经审核，申报材料真实有效，同意申报。" and conf >= LOW_CONFIDENCE, (text, conf)


def test_print_under_a_signature_and_a_seal_is_read_back() -> None:
    # TUNE base clean 10907: the seal's ring and text over the signature over the print (read 经审核，申报真意申报。):
    # where the red lies over the blue the ink is dark, but still the signature's hue
    ctx = _ctx("opin13_signature_and_seal_over_opinion_clean_10907.png")
    text, _ = _read_line(ctx, (8, 40, 605, 105))
    assert text == "经审核，申报材料真实有效，同意申报。", text


def test_unsigned_keeps_print_beside_the_strokes() -> None:
    # the division touches the signature's footprint only: print away from it is left as it was
    bgr = cv2.imread(str(DATA / "opin13_signature_over_opinion_clean_10900.png"))
    gray = text_gray(bgr)
    out = unsigned(bgr, gray, hand_strokes(bgr, DPI))
    assert np.array_equal(out[:, :150], gray[:, :150])  # 经审核，申 : no blue ink near it
    assert int((out[60:110, 180:420] < 128).sum()) < int((gray[60:110, 180:420] < 128).sum())  # strokes gone


def test_a_stroke_touching_the_run_leaves_a_sure_reading_sure() -> None:
    # TUNE base clean 10902: the end of 张明华's last stroke reaches over the wall into 同意推荐。's run, beside its
    # print: read alike with the stroke and without it, the opinion is not named for the stroke
    ctx = _ctx("opin13_stroke_end_beside_opinion_clean_10902.png")
    text, conf = ctx.band(ctx.binary, (243, 69, 379, 102), (0, 0), MIN_H)  # the run's box as the reader cut it
    assert text.startswith("同意推荐") and conf >= LOW_CONFIDENCE, (text, conf)
