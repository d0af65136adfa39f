"""Pieces of the ruling masks that are strokes of a pen or of print, not rulings: ink close beside them on
both sides, where a ruling has a cell's blank padding."""

from __future__ import annotations

import numpy as np


def inked_sides(binary: np.ndarray, s: tuple[int, int, int], width: int) -> bool:
    """A vertical piece with ink close beside it on both sides along most of its length: a pen stroke
    among the other strokes of a signature. A ruling has paper (a cell's padding) on either side.
    A horizontal piece (y, x0, x1): the same on the transposed page."""
    x, y0, y1 = s
    a, b = width // 2 + 4, width // 2 + 10
    left = binary[y0:y1, max(0, x - b):max(0, x - a)]
    right = binary[y0:y1, x + a:x + b]
    if left.size == 0 or right.size == 0:
        return False
    return min(float((left > 0).any(axis=1).mean()), float((right > 0).any(axis=1).mean())) >= 0.3


def drop_text_strokes(hm: np.ndarray, binary: np.ndarray, segs: list, long_h: int) -> None:
    """Erase from the floor mask the short pieces with ink close above and below: the joined bottom strokes
    of a bold label (机构联系人 centred in a merged cell, on a photo) that would read as a floor through it."""
    for (y, x0, x1), th in segs:
        if x1 - x0 < long_h and inked_sides(binary.T, (y, x0, x1), th):
            hm[max(0, y - th // 2 - 1):y + th // 2 + 2, x0:x1] = 0
