"""Handwriting over a run of print that OCR read confidently all the same: characters or stops lost under it."""

from __future__ import annotations

import re

import cv2
import numpy as np

from haizhi.extractors.scan.blobs import densest_rows
from haizhi.extractors.scan.handwriting import crossing

STROKE_IN_BAND = 0.05  # ink of a stroke across a run, inside its band, in type heights squared (one stroke's)
STROKE_WIDE = 1.5  # … of a stroke this wide (type heights) or more: a name's, not a tick's


def strokes_across(binary: np.ndarray, seg: tuple[int, int, int, int], em: int) -> bool:
    """Handwriting joined to a run's print: a stroke in the run's box reaching well above or below its band
    (handwriting.crossing), holding at least a character's worth of ink inside the band. Print stays in its band."""
    sx0, ly0, sx1, ly1 = seg
    pad = em
    y0, y1 = max(0, ly0 - pad), min(binary.shape[0], ly1 + pad)
    crop = binary[y0:y1, sx0:sx1]
    if not crop.any():
        return False
    hand = crossing(crop, [(0, ly0 - y0, sx1 - sx0, ly1 - y0, 0.0)], em)
    n, lab, st, _ = cv2.connectedComponentsWithStats(hand, connectivity=8)
    wide = np.flatnonzero(st[:, cv2.CC_STAT_WIDTH] >= STROKE_WIDE * em)
    wide = wide[wide > 0]  # a box and its tick, two boxes on two lines touching: narrower than a name
    return bool(wide.size) and int(np.isin(lab[ly0 - y0:ly1 - y0], wide).sum()) >= STROKE_IN_BAND * em * em


def strokes_over(ink: np.ndarray, text: str) -> bool:
    """A run (ink: its binary crop) with ink above or below its print's rows gathered in one place, reading
    fewer characters than its width holds at the print's own height: strokes written over the line (a name as
    small as print, in black) hid characters that OCR left out (申报材料真实 → 申报真实). Ink spread all along
    the line outside its dense rows is the print's own blur (a photo), not strokes."""
    prof = (ink > 0).sum(axis=1)
    if not prof.size or prof.max() <= 0 or len(re.findall(r"[\u4e00-\u9fff]", text)) < 6 \
            or re.search(r"[0-9A-Za-z@]", text):
        return False  # a sentence of Chinese: Latin letters' and digits' widths are not told this way
    rows = np.flatnonzero(prof >= 0.25 * prof.max())
    hp = int(rows[-1] - rows[0] + 1)
    fill = sum(1.0 if ord(ch) > 0x2E80 else 0.55 for ch in text if not ch.isspace()) * hp / ink.shape[1]
    if fill < 0.7:
        return True  # a third of a sentence's ink read as nothing: strokes across the print (经审核，申报同意申报。)
    cols = (ink[:rows[0]] > 0).sum(axis=0) + (ink[rows[-1] + 1:] > 0).sum(axis=0)
    extra = float(cols.sum())
    if extra < 0.25 * hp * hp or fill >= 0.9:
        return False
    k = min(len(cols), 3 * hp)
    return float(np.convolve(cols, np.ones(k), mode="valid").max()) >= 0.6 * extra


STOP_MARKS = "、"  # a stop whose shape a stroke's end makes: a ，with its tail lost reads 、 (a ，read where a stroke
# touches it was read right: the stroke's ink divided out takes ink away, it adds none)


def stop_touched(ink: np.ndarray, hand: np.ndarray, text: str) -> bool:
    """A 、 of a run's reading that a signature's stroke touches (ink, hand: the run's binary crop and its
    handwriting there): the stroke's ink divided out took the stop's tail with it, both readings agree on a
    、 where print has ，. The stops are placed by the print's pitch (full-width characters: the usual step
    from one character's first column to the next's), from its first column, in the lower half of its band."""
    t = "".join(text.split())
    if len(t) < 2 or not any(ch in STOP_MARKS for ch in t) or not hand.any():
        return False
    near = cv2.dilate((hand > 0).astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
    prn = (ink > 0) & ~near
    prn[prn.mean(axis=1) > 0.6] = False  # a cell's ruling in the crop's margin
    top, k = densest_rows(prn.sum(axis=1).astype(np.float64), max(2, int(ink.shape[0] / 1.4)))
    cols = np.flatnonzero(prn[top:top + k].sum(axis=0))
    starts = cols[np.r_[True, np.diff(cols) > 1]] if cols.size else cols  # where ink begins after a blank
    steps = np.diff(starts)
    steps = steps[(steps >= 0.6 * k) & (steps <= 1.6 * k)]  # character to character (not a gap inside one)
    if steps.size < 3:
        return False
    pitch = float(np.median(steps))
    lower = near[top + k // 2:top + k]
    return any(lower[:, int(cols[0] + i * pitch):int(cols[0] + (i + 1) * pitch)].any()
               for i, ch in enumerate(t) if ch in STOP_MARKS)


HIDDEN_INK = 0.3  # ink besides a signature's and a seal's in a run, in type heights squared: two characters' print
_NO_PRINT_READ = re.compile(r"^[^\u4e00-\u9fff\d]*$")  # letters and strokes only (TJ, 一.HM): a signature read


def print_hidden(gray: np.ndarray, hand: np.ndarray, red: np.ndarray | None, text: str) -> bool:
    """A run read as letters only (a coloured signature's strokes) that holds print besides the signature's and
    the seal's ink: the print under them went unread (同意推荐。 under 张明华 and two seals, read TJ). gray, hand,
    red: the run's crop of the page, its coloured handwriting, its seal ink."""
    if not text.strip() or not _NO_PRINT_READ.match(text) or not hand.any():
        return False
    other = (gray < 128) & (hand == 0)
    if red is not None:
        other &= red == 0
    return int(other.sum()) >= HIDDEN_INK * gray.shape[0] ** 2
