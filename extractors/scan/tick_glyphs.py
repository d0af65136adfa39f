"""Options ticked with a printed ✔ in place of their box (✔管理咨询服务 ✔财税金融 □法律服务), found by its
pixels: OCR often drops the glyph, and with it the tick."""

from __future__ import annotations

import numpy as np

from haizhi.extractors.scan.checkboxes import PxBox
from haizhi.extractors.scan.glyph_boxes import ink_runs


def _tick_shaped(obj: np.ndarray, text_h: int) -> bool:
    """One object alone in its columns, shaped like ✔: lower than a character (its top well under the
    text's top), its lowest ink on the left half, its highest on the right, the top-left and bottom-right
    corners clear."""
    rows = np.flatnonzero(obj.any(axis=1))
    cols = np.flatnonzero(obj.any(axis=0))
    if rows.size == 0 or cols.size == 0:
        return False
    o = obj[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]
    h, w = o.shape
    if not (0.4 * text_h <= h <= 0.8 * text_h and 0.7 * h <= w <= 1.5 * h):
        return False
    if not 0.15 <= float(o.mean()) <= 0.55:
        return False
    low = np.flatnonzero(o[-max(1, h // 6):].any(axis=0))
    high = np.flatnonzero(o[:max(1, h // 6)].any(axis=0))
    if low.size == 0 or high.size == 0 or low.mean() > 0.55 * w or high.mean() < 0.6 * w:
        return False
    q_h, q_w = max(1, h // 3), max(1, w // 3)
    return float(o[:q_h, :q_w].mean()) < 0.05 and float(o[-q_h:, -q_w:].mean()) < 0.05


def printed_ticks(band: np.ndarray, boxes: list[PxBox], y0: int) -> list[PxBox]:
    """✔ glyphs standing for ticked boxes in one line band (ink 255) of a cell, away from the boxes found:
    each as a ticked box (its coordinates in the cell, the band starting at row y0)."""
    ink = band > 0
    rows = np.flatnonzero(ink.any(axis=1))
    if rows.size == 0:
        return []
    top, bot = int(rows[0]), int(rows[-1])
    text_h = bot - top + 1
    runs = ink_runs(band)
    if not runs:
        return []
    # each run's inked rows, all runs at once: its columns up to the next run's are its own and blank paper
    rows_in = np.logical_or.reduceat(ink, [a for a, _ in runs], axis=1)
    firsts = np.argmax(rows_in, axis=0).tolist()
    lasts = (ink.shape[0] - 1 - np.argmax(rows_in[::-1], axis=0)).tolist()
    out = []
    for (a, b), r0, r1 in zip(runs, firsts, lasts, strict=True):
        if any(x.box[0] - 2 <= a and b <= x.box[2] + 2 for x in boxes):
            continue
        if r0 - top < 0.12 * text_h or bot - r1 > 0.25 * text_h:
            continue  # a ✔ sits low, on the line's foot
        obj = ink[:, a:b]
        if _tick_shaped(obj, text_h):
            out.append(PxBox(box=(a, y0 + r0, b, y0 + r1 + 1), checked=True, fill=float(obj.mean()), glyph=True))
    return out
