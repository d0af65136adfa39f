"""Codes printed on a page (our QR in the margin, a platform's bar code): not text.

Their modules OCR as a few lines of garbage beside the form ("回口", "RTEE"), which the
flow logic can take as the continuation of the last field of the page before. zxing-cpp
finds them (≈ 0.07 s a page at 200 dpi) and gives their corners; the reader whitens them
out of the text outside the tables.
"""

from __future__ import annotations

import numpy as np

QUIET = 0.12  # the quiet zone around a code, as a share of its side


def barcode_boxes(gray: np.ndarray) -> list[tuple[int, int, int, int]]:
    """(x0, y0, x1, y1) of every code zxing-cpp finds on the page, with its quiet zone."""
    import zxingcpp

    try:
        found = zxingcpp.read_barcodes(np.ascontiguousarray(gray), try_rotate=True, try_downscale=True)
    except (RuntimeError, ValueError):  # an image zxing cannot take: no codes, the text is read as it is
        return []
    h, w = gray.shape[:2]
    out = []
    for b in found:
        p = b.position
        xs = [p.top_left.x, p.top_right.x, p.bottom_right.x, p.bottom_left.x]
        ys = [p.top_left.y, p.top_right.y, p.bottom_right.y, p.bottom_left.y]
        m = int(QUIET * max(max(xs) - min(xs), max(ys) - min(ys))) + 2
        out.append((max(0, min(xs) - m), max(0, min(ys) - m), min(w, max(xs) + m), min(h, max(ys) + m)))
    return out


def whiten(binary: np.ndarray, boxes: list[tuple[int, int, int, int]]) -> np.ndarray:
    """binary (ink > 0) with the boxes made paper; the input is left as it was."""
    if not boxes:
        return binary
    out = binary.copy()
    for x0, y0, x1, y1 in boxes:
        out[y0:y1, x0:x1] = 0
    return out
