"""Codes printed on a page (our QR in the margin, a platform's bar code): not text.

Their modules OCR as a few lines of garbage beside the form ("回口", "RTEE"), which the
flow logic can take as the continuation of the last field of the page before. zxing-cpp
finds them (≈ 0.07 s a page at 200 dpi) and gives their corners; the reader whitens them
out of the text outside the tables, and keeps their texts on the page (Page.codes) for
pipeline/codes/readback.
"""

from __future__ import annotations

import numpy as np

QUIET = 0.12  # the quiet zone around a code, as a share of its side
CORNER = (0.45, 0.3)  # where the harder tries look for our code: this share of the width, of the height


def page_codes(gray: np.ndarray, bgr: np.ndarray | None = None) -> tuple[list[tuple[int, int, int, int]], list[str]]:
    """The codes on a page: the (x0, y0, x1, y1) of each, with its quiet zone, and the texts of its QR
    codes. With the colour page, the harder tries for haizhi's own code (red channel, upscaled) follow
    in its top-right corner when the grey page shows none of ours: reading the codes back then needs no
    second pass over the file."""
    import zxingcpp

    try:
        found = zxingcpp.read_barcodes(np.ascontiguousarray(gray), try_rotate=True, try_downscale=True)
    except (RuntimeError, ValueError):  # an image zxing cannot take: no codes, the text is read as it is
        found = []
    texts = [b.text for b in found if b.valid and b.text and b.format == zxingcpp.BarcodeFormat.QRCode]
    if bgr is not None:
        from haizhi.pipeline.codes.qr import decode_image

        h, w = bgr.shape[:2]  # the page is upright by now: our code is in its top-right margin
        texts = decode_image(bgr[:int(h * CORNER[1]), int(w * (1 - CORNER[0])):], texts)
    h, w = gray.shape[:2]
    out = []
    for b in found:
        p = b.position
        xs = [p.top_left.x, p.top_right.x, p.bottom_right.x, p.bottom_left.x]
        ys = [p.top_left.y, p.top_right.y, p.bottom_right.y, p.bottom_left.y]
        m = int(QUIET * max(max(xs) - min(xs), max(ys) - min(ys))) + 2
        out.append((max(0, min(xs) - m), max(0, min(ys) - m), min(w, max(xs) + m), min(h, max(ys) + m)))
    return out, texts


def whiten(binary: np.ndarray, boxes: list[tuple[int, int, int, int]]) -> np.ndarray:
    """binary (ink > 0) with the boxes made paper; the input is left as it was."""
    if not boxes:
        return binary
    out = binary.copy()
    for x0, y0, x1, y1 in boxes:
        out[y0:y1, x0:x1] = 0
    return out
