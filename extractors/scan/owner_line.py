"""Where the second owner label starts on the line holding both (推荐单位：甲    被推荐机构：乙).

The blank between the two blocks is the widest gap of the line after the first label; the character count
misses text that OCR lost under a seal or a signature. A signature written across that blank hides it: the
widest gap left is then the one before the signature, and the count back from the run's end (the second
label and its value, read whole) places the label better.
"""

from __future__ import annotations

import cv2
import numpy as np

from haizhi.extractors.scan.blobs import densest_rows

PxBox = tuple[int, int, int, int]


def gap_start(binary: np.ndarray | None, box: PxBox, est: int, em: int, char_w: float) -> int:
    """x where the second label of a run holding two starts: the end of the widest blank gap of the run's line
    (est, the character count, when there is none)."""
    if binary is None:
        return est
    x0, y0, x1, y1 = (max(0, v) for v in box)
    band = binary[y0:y1, x0:x1]
    if band.size == 0:
        return est
    cols = (band > 0).sum(axis=0) > 0
    gaps, run = [], 0
    for i, on in enumerate(cols):
        if not on:
            run += 1
            continue
        if run >= em and i - run > 4 * char_w:  # a gap after the first label and some of its value
            gaps.append((run, x0 + i))
        run = 0
    if not gaps:
        return est
    return max(gaps)[1]


def hand_after(binary: np.ndarray | None, box: PxBox, x: int, em: int) -> bool:
    """The ink that starts at x on the run's line is handwriting: strokes on the printed line that reach
    well above or below it (print stays inside its line)."""
    if binary is None:
        return False
    h, w = binary.shape
    y0, y1 = print_rows(binary, box, em)
    top, bottom = max(0, y0 - em), min(h, y1 + em)
    win = binary[top:bottom, max(0, x):min(w, x + em)]
    if win.size == 0:
        return False
    n, _lab, st, _ = cv2.connectedComponentsWithStats((win > 0).astype(np.uint8), connectivity=8)
    reach = REACH * em
    for c in range(1, n):
        a, b = top + st[c, cv2.CC_STAT_TOP], top + st[c, cv2.CC_STAT_TOP] + st[c, cv2.CC_STAT_HEIGHT]
        if a < y1 and b > y0 and (y0 - a >= reach or b - y1 >= reach) and st[c, cv2.CC_STAT_AREA] >= em:
            return True
    return False


REACH = 0.5  # em a stroke on the printed line reaches beyond it that makes it handwriting


def print_rows(binary: np.ndarray, box: PxBox, em: int) -> tuple[int, int]:
    """Rows of the printed line inside a run's box: the densest one-em window (handwriting makes runs taller)."""
    x0, y0, x1, y1 = (max(0, v) for v in box)
    sub = binary[y0:y1, x0:x1]
    if sub.size == 0 or y1 - y0 <= 1.3 * em:
        return y0, y1
    top, k = densest_rows((sub > 0).sum(axis=1), em)
    return y0 + top, y0 + top + k


def second_label_x(binary: np.ndarray | None, pen: np.ndarray | None, run_box: PxBox, text: str, start: int,
                   label: str, em: int, char_w: float) -> int:
    """x of the second owner label found at character start of a run's text (label: the matched text). pen: ink
    of a colour print never is (blue handwriting), when known: the blank is looked for without it."""
    ix = run_box[0] + int(start * char_w)
    if start <= 0:
        return ix
    gap = gap_start(binary if binary is None or pen is None else np.where(pen > 0, np.uint8(0), binary),
                    run_box, ix, em, char_w)
    tail = len(text) - start + (0 if label.startswith("被") else 1)  # 被 lost: one more
    back = run_box[2] - int(tail * char_w)  # counted back from the run's end
    if tail <= len(label) + 3:  # the label ends the run: a signature written over the blank before it hides
        return gap if abs(gap - back) <= 1.5 * em else back  # the blank
    if back - gap > 1.5 * em and hand_after(binary, run_box, gap, em):
        return back  # the gap found (or the count, with no gap) is where a signature written across the blank
        # between the blocks starts: the text under it is lost
    return gap
