"""A punctuation mark alone on a cell's first line: a paragraph's last 。 wrapped to the top of the next
page, where its row goes on. Too small for a text line (dropped as a speck), so the cell's text does not
hold it; the cell keeps it aside (Cell.lead) for the mapper, which uses it only when the cell is the rest of
a value broken by the page (and that value ends without a stop)."""

from __future__ import annotations

import cv2
import numpy as np

from haizhi.extractors.scan.cells import split_lines

STOP = "。"
UNSURE = "?"  # a punctuation-sized blob not read as a stop (a comma, a broken ring, a speck)


def lead_stop(binary: np.ndarray, dpi: float) -> str | None:
    """STOP (a ring) or UNSURE for one small blob above a cell's first text line, at its left, in the first
    line's place, or for a first line left blank (a faint mark lost to the threshold); None when the text starts
    on the cell's first line (with at most a speck above it)."""
    if binary.size == 0:
        return None
    min_h = max(4, int(4 * dpi / 72))
    lines = split_lines(binary, min_h)
    usual = float(np.median([b - a for a, b in lines])) if lines else 0.0
    char = max(usual, 9.0 * dpi / 72)  # a character's height (at least 9 pt)
    real = [(a, b) for a, b in lines if b - a >= 0.6 * usual]
    top = real[0][0] if real else binary.shape[0]
    if top > 2.6 * char:  # the first text line is not on the cell's first or second line: no wrapped rest
        return None
    blank = bool(real) and top > 0.6 * char  # the text starts on the cell's second line: its first holds a mark
    strip = (binary[:top] > 0).astype(np.uint8)
    if not strip.any():  # (an empty array crashes OpenCV's component labelling)
        return UNSURE if blank else None
    n, lab, st, _ = cv2.connectedComponentsWithStats(strip, connectivity=8)
    blobs = [i for i in range(1, n) if st[i, cv2.CC_STAT_AREA] >= 3]
    if len(blobs) != 1:
        return UNSURE if blank else None
    i = blobs[0]
    x, y, w, h = (int(st[i, k]) for k in (cv2.CC_STAT_LEFT, cv2.CC_STAT_TOP, cv2.CC_STAT_WIDTH, cv2.CC_STAT_HEIGHT))
    if not (0.15 * char <= max(w, h) <= 0.6 * char and 0.5 <= w / max(1, h) <= 2.0):
        return UNSURE if blank else None
    if real and top - (y + h) > 1.2 * char:
        return UNSURE if blank else None  # not on the line right above the text
    below = binary[top:] > 0
    cols = np.flatnonzero(below.any(axis=0)) if below.size else np.array([], dtype=int)
    left = int(cols[0]) if cols.size else 0
    if x - left > 1.5 * char or left - x > 0.5 * char:
        return UNSURE if blank else None  # not at the start of the first line
    ring = (lab[y:y + h, x:x + w] == i).astype(np.uint8)
    pad = np.pad(ring, 1)
    cv2.floodFill(pad, None, (0, 0), 1)  # paper reached from outside: what stays 0 is a hole
    return STOP if int((pad == 0).sum()) >= 2 else UNSURE
