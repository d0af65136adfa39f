"""Handwriting in a signing block: the block's ink that is not print (its OCR'd runs, by their printed
band), rulings or specks, and the strokes grouped into signatures given to the block holding most of each."""

from __future__ import annotations

import re

import numpy as np

from haizhi.extractors.scan.regions import _SIGN, PxBox, Region


def hand_mask(binary: np.ndarray, region: PxBox, bits: list, em: int, printed_re: re.Pattern,
              sign_label: object | None, label_end: int | None, dpi: float,
              coloured: np.ndarray | None = None) -> np.ndarray:
    """The region's ink (the region clipped to the page) that is not print nor specks: handwriting.

    coloured: ink that is blue or another colour print never is: handwriting even on a printed line
    (a small signature across the date line)."""
    import cv2

    x0, y0, x1, y1 = (max(0, v) for v in region)
    sub = binary[y0:y1, x0:x1].copy()
    if sub.size == 0:
        return sub
    keep = coloured[y0:y1, x0:x1] & sub if coloured is not None else None
    for b in bits:
        bx0, by0, bx1, by1 = b.box
        if bx1 < x0 or bx0 > x1 or by1 < y0 or by0 > y1:
            continue
        t = b.text.replace(" ", "")
        if b is sign_label and label_end is not None:
            m = re.search(r"签[字名学子章]", t) or _SIGN.search(t)  # not 负责人签 with 字 left in the rest
            rest = t[m.end():] if m else ""
            if re.search(r"[\u4e00-\u9fffA-Za-z√✓]", re.sub(r"[（()）：:公章单位年月日盖]", "", rest)):
                bx1 = label_end  # something written after the label: only the label is print
        elif not (printed_re.search(t) or len(t) >= 5 or re.search(r"[\d，。、：:（）()；;]", t)):
            continue  # a short run of a few characters may be a signature read as text
        elif re.fullmatch(r"[0-9A-Za-z]{1,2}", t) and (by1 - by0 > 1.2 * em or not any(
                o is not b and min(by1, o.box[3]) - max(by0, o.box[1]) > 0.5 * (by1 - by0)
                and min(abs(o.box[0] - bx1), abs(bx0 - o.box[2])) < 1.5 * em for o in bits)):
            continue  # a lone digit or mark taller than print or alone on its line: a scribble read as text
        band = _band(binary, (bx0, by0, bx1, by1), em)
        pad = max(1, em // 6)
        sub[max(0, band[0] - pad - y0):max(0, band[1] + pad - y0), max(0, bx0 - 2 - x0):max(0, bx1 + 3 - x0)] = 0
    if keep is not None:
        sub |= keep
    n, lab, st, _ = cv2.connectedComponentsWithStats(sub, connectivity=8)
    min_area = max(6, int((dpi / 100) ** 2 * 10))
    keep = np.zeros(n, dtype=bool)
    keep[1:] = st[1:, cv2.CC_STAT_AREA] >= min_area
    return np.where(keep[lab], np.uint8(255), np.uint8(0))


def signature_ink(binary: np.ndarray, regions: list[Region], masks: list[np.ndarray], em: int
                  ) -> tuple[list[list[int]], list[bool]]:
    """Each block's clusters of handwriting (ink pixels each), a signature counted whole for the block
    that holds most of it.

    A signature written across the line between two blocks (side by side, or over the next row's
    top) is one cluster of strokes; cutting it at the line gave the neighbour a signature of its own.
    masks: each region's hand_mask. Returns (clusters per region, doubt per region): doubt where a
    cluster lies largely in this block and another, and one of them has no other handwriting.
    """
    import cv2

    if not regions:
        return [], []
    h, w = binary.shape
    boxes = [tuple(max(0, v) for v in r.box) for r in regions]
    ux0, uy0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
    ux1, uy1 = min(w, max(b[2] for b in boxes)), min(h, max(b[3] for b in boxes))
    hand = np.zeros((max(0, uy1 - uy0), max(0, ux1 - ux0)), np.uint8)
    for (x0, y0, _x1, _y1), m in zip(boxes, masks, strict=True):
        if m.size:
            hand[y0 - uy0:y0 - uy0 + m.shape[0], x0 - ux0:x0 - ux0 + m.shape[1]] |= m
    k = max(3, em // 2) | 1  # strokes of one signature lie closer than half a character
    n, lab = cv2.connectedComponents(cv2.dilate(hand, np.ones((k, k), np.uint8)), connectivity=8)
    own = np.zeros((n, len(regions)), np.int64)
    for j, (x0, y0, x1, y1) in enumerate(boxes):
        sl = (slice(y0 - uy0, max(y0, y1) - uy0), slice(x0 - ux0, max(x0, x1) - ux0))
        own[:, j] = np.bincount(lab[sl][hand[sl] > 0].ravel(), minlength=n)
    clusters: list[list[int]] = [[] for _ in regions]
    rows = [own[c] for c in range(1, n) if own[c].sum() > 0]
    for row in rows:
        clusters[int(np.argmax(row))].append(int(row.max()))
    big = CLUSTER_MIN * em * em
    doubt = [False] * len(regions)
    for row in rows:
        j = int(np.argmax(row))
        if row[j] < big:
            continue
        for o, v in enumerate(row):
            if o != j and v >= 0.35 * row[j]:
                alone = [sum(c >= big for c in clusters[t]) <= (1 if t == j else 0) for t in (j, o)]
                if any(alone):
                    doubt[j] = doubt[o] = True
    return clusters, doubt


CLUSTER_MIN = 0.15  # a cluster of handwriting smaller than this (em²) is specks or a ruling's stub, not a signature


def _band(binary: np.ndarray, box: PxBox, em: int) -> tuple[int, int]:
    """Rows of the printed line inside a run's box: the densest one-em window (handwriting makes runs taller)."""
    x0, y0, x1, y1 = (max(0, v) for v in box)
    sub = binary[y0:y1, x0:x1]
    if sub.size == 0 or y1 - y0 <= 1.3 * em:
        return y0, y1
    prof = (sub > 0).sum(axis=1).astype(np.float64)
    k = max(1, min(len(prof), em))
    top = int(np.argmax(np.convolve(prof, np.ones(k), mode="valid")))
    return y0 + top, y0 + top + k
