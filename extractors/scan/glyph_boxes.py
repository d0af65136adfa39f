"""Boxes OCR read as glyphs (□) where the box finder found none: what the ink at their place says."""

from __future__ import annotations

import numpy as np

from haizhi.extractors.layout import Mark


def ink_runs(band: np.ndarray) -> list[tuple[int, int]]:
    """The column runs of ink in a line band (ink 255): characters, boxes, marks, left to right."""
    cols = (band > 0).any(axis=0)
    edges = np.flatnonzero(np.diff(np.concatenate(([0], cols.astype(np.int8), [0]))))
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)]


def _is_outline(band: np.ndarray, a: int, b: int, side: float) -> bool:
    """Columns a:b of the band hold an empty box about ``side`` wide and high: ink round a clear inside."""
    obj = band[:, a:b] > 0
    rows = np.flatnonzero(obj.any(axis=1))
    w, h = b - a, int(rows[-1] - rows[0] + 1) if rows.size else 0
    if not (0.7 * side <= w <= 1.35 * side and 0.7 * side <= h <= 1.35 * side):
        return False
    ins = max(2, w // 5)
    inner = obj[rows[0] + ins:rows[-1] + 1 - ins, ins:w - ins]
    return bool(inner.size) and float(inner.mean()) < EMPTY_INSIDE


EMPTY_INSIDE = 0.03  # inked share of an outline's inside (its sides aside) under which it is an empty box


def empty_outline(band: np.ndarray, side: float) -> tuple[int, int] | None:
    """The first object of a line band past a clear column, when it is an empty box about ``side`` wide."""
    runs = ink_runs(band)
    if runs and runs[0][0] <= 1:
        runs = runs[1:]  # the box's own edge, cut by the crop
    return runs[0] if runs and _is_outline(band, *runs[0], side) else None


def doubt_glyph_boxes(marks: list[Mark], band: np.ndarray, side: float) -> None:
    """Empty boxes OCR read as □ where the box finder found none (a heavy scan broke their sides): sure as
    unticked only when the band shows as many empty outlines of a box's size; else the ink at their place
    may be a tick (or the box is not there at all), and each is an unsure "unticked"."""
    glyphs = [m for m in marks if m.source == "glyph" and m.checked is False and m.confidence >= UNSURE_GLYPH]
    if glyphs and sum(_is_outline(band, a, b, side) for a, b in ink_runs(band)) < len(glyphs):
        for m in glyphs:
            m.confidence = UNSURE_GLYPH


UNSURE_GLYPH = 0.6  # a box state OCR alone gave, the pixels not bearing it out
