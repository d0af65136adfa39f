"""Stops lost at a line's edge. A punctuation mark alone on a cell's first line: a paragraph's last 。 wrapped to the top of the next
page, where its row goes on. Too small for a text line (dropped as a speck), so the cell's text does not
hold it; the cell keeps it aside (Cell.lead) for the mapper, which uses it only when the cell is the rest of
a value broken by the page (and that value ends without a stop)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import cv2
import numpy as np

from haizhi.extractors.scan.cells import split_lines
from haizhi.extractors.scan.engines import read_sure
from haizhi.extractors.scan.line_join import _CJK_END

if TYPE_CHECKING:
    from haizhi.extractors.scan.context import PageCtx

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


STOP_SURE = 0.9  # a stop read after a run's last characters is given back only this sure …
STOP_SEEN = 0.5  # … read less surely, it is not given back, but the line is named (a stop may be lost there)
_LOST_STOPS = "。；！？"  # a stop OCR may leave out at a line's end (a comma there is not a paragraph's end)


def ends_paragraph(right: int, above: int, edge: int, h: int, min_h: int) -> bool:
    """A paragraph's last line: one line of type ending well short of the column's right side (edge), under a
    line that reaches it (wrapped there), or ending half a character or more short of that line (a sentence's 。
    at the column's side, too faint to be part of the run: TUNE coop heavy 12576); where a lost 。 is looked for
    (lead_stop.stop_after)."""
    return above >= edge - 2 * h and (right < edge - 2 * h or right < above - 0.6 * h) and h <= 3 * min_h * 1.8


def stop_after(ctx: PageCtx, binary: np.ndarray, box: tuple[int, int, int, int], off: tuple[int, int],
               text: str) -> tuple[str, bool]:
    """A run ending with a character and no stop, where a 。 may have been left out of its crop: a faint
    small ring that binarization kept only a speck of (or nothing), so that the run's box, and the crop read,
    end in it or before it. The run's last characters read again with blank paper to their right; a stop
    read after the same last character is given back; read unsurely, the line is in doubt (True). Not where ink
    follows closely (a ruling, more text)."""
    if not _CJK_END.search(text) or getattr(ctx.engine, "page_mode", False) or time.process_time() > ctx.deadline:
        return text, False
    x0, y0, x1, y1 = box
    h = y1 - y0
    xb = x1 + int(0.8 * h)
    if xb >= min(ctx.gray.shape[1], ctx.binary.shape[1]) - 1:
        return text, False
    ox, oy = off
    for img, dx, dy in ((ctx.binary, 0, 0), (binary, ox, oy)):
        after = img[y0 - dy:y1 - dy, x1 + 1 - dx:xb - dx] > 0
        if after.size and (int(after.sum()) > 0.12 * h * h or int(after.sum(axis=0).max()) > 0.5 * h):
            return text, False  # more ink right after the run: not a lone stop
    xa = max(x0, x1 - int(2.2 * h))
    pad = max(2, h // 5)
    key = ("stop", xa, y0, xb, y1)
    if key not in ctx._read:
        crop = ctx.gray[max(0, y0 - pad):y1 + pad, xa:xb]
        ctx._read[key] = read_sure(ctx.engine, crop, STOP_SURE) if crop.size else ("", 0.0)
    tail, c = ctx._read[key]
    tail = "".join(tail.split())
    if len(tail) >= 2 and tail[-1] in _LOST_STOPS and tail[-2] == text[-1]:
        return (text + tail[-1], False) if c >= STOP_SURE else (text, c >= STOP_SEEN)
    return text, False


def first_line_stop(ctx: PageCtx, binary: np.ndarray, off: tuple[int, int], first: tuple[int, int, int, int],
                    lines: list[tuple[str, int, int, int]], min_h: int) -> tuple[str, bool] | None:
    """A cell's first line ending short of the lines under it with a character and no stop: its 。 (the
    line's last character, in the place the widest line under it fills) may be too faint to be part of the
    run (TUNE base heavy 12630: 以上 | 累计…, read surely without it). The lines after the first are looked
    at as they come (reader, against the line above); the first has no line above, so the lines under it
    are its measure. first: the first line's last run (page pixels). → (text, doubt) as stop_after, or None."""
    if len(lines) < 2:
        return None
    text, right, _, width = lines[0]
    below = max(ln[1] for ln in lines[1:])
    if not ends_paragraph(right, below, width, first[3] - first[1], min_h):
        return None
    return stop_after(ctx, binary, first, off, text)
