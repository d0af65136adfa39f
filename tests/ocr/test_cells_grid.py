"""Table cells from rulings: a narrow grid column (a checkbox side taken for a ruling) keeps its floors."""

from __future__ import annotations

import cv2
import numpy as np

from haizhi.extractors.scan.cells import find_tables


def test_checkbox_touching_a_ruling_does_not_merge_the_rows_above() -> None:
    h, w = 1400, 1200
    b = np.zeros((h, w), np.uint8)  # ink = 255
    x0, xl, x1 = 100, 300, 1100
    ys = [100, 180, 260, 340, 420, 500]
    for y in ys:
        cv2.line(b, (x0, y), (x1, y), 255, 3)
    for x in (x0, xl, x1):
        cv2.line(b, (x, ys[0]), (x, ys[-1]), 255, 3)
    # the last row holds checkboxes hanging from the ruling above them: their sides meet it
    for bx in (312, 420, 560):
        cv2.rectangle(b, (bx, ys[-2]), (bx + 40, ys[-2] + 45), 255, 3)
    t = find_tables(b)
    assert len(t) == 1
    values = [c for c in t[0].cells if c.col > 0 and c.box[0] <= xl + 5]
    rows = sorted((c.row, c.rowspan) for c in values if c.box[1] < ys[-2])
    assert len(rows) == len(ys) - 2, f"one value cell per row above the checkboxes, got {rows}"
    assert all(span == 1 for _, span in rows)
