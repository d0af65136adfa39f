"""Repairs of a page's ruling masks before the grid is read from them: gaps a seal cut into a ruling closed
again; pieces that are strokes of a pen or of print (ink close beside them on both sides, where a ruling has
a cell's blank padding) taken out."""

from __future__ import annotations

import cv2
import numpy as np

from haizhi.extractors.scan.blobs import components


def bridge_under_seals(hm: np.ndarray, vm: np.ndarray, red: np.ndarray | None, dpi: float,
                       binary: np.ndarray | None = None) -> None:
    """Rulings cut where a seal crosses them (the seal ink, taken out for OCR, took the thin ruling with
    it): a gap between two thin pieces of one ruling that seal ink covers is closed again. Thick pieces
    (pen strokes of a signature) are not joined: joined they would look like rulings."""
    if red is None or not red.any():
        return
    span = max(15, int(0.6 * dpi))  # a seal ring crossing a ruling at a slant, the characters inside it
    near = cv2.dilate(red, np.ones((5, 5), np.uint8)) > 0
    for mask, horizontal in ((hm, True), (vm, False)):
        n, lab, st, _ = components(mask)
        if n <= 1:
            continue
        across = st[1:, cv2.CC_STAT_HEIGHT if horizontal else cv2.CC_STAT_WIDTH]
        along = st[1:, cv2.CC_STAT_WIDTH if horizontal else cv2.CC_STAT_HEIGHT]
        long = across[along >= 3 * span]
        thin = max(3, int(np.median(long)) + 1 if long.size else int(dpi / 60))
        keep = np.concatenate([[False], across <= thin])
        pieces = np.where(keep[lab], np.uint8(255), np.uint8(0))
        kernel = (span, 1) if horizontal else (1, span)
        closed = cv2.morphologyEx(pieces, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, kernel))
        mask[(closed > 0) & near] = 255
        if binary is not None:
            _reach_past_seals(mask, binary, red, st[1:][across <= thin], horizontal, span)


def _reach_past_seals(mask: np.ndarray, binary: np.ndarray, red: np.ndarray, pieces: np.ndarray,
                      horizontal: bool, span: int) -> None:
    """A ruling that ends where a seal's ink crosses it and goes on past the seal as a piece too short to be
    taken for a ruling (a cell's wall from the seal's ring down to the floor): followed through the seal's
    ink and along the print beyond it, and drawn on to where that print ends. Left out, the wall's lower
    part is missing and the label cell and the opinion cell beside it become one."""
    b, r = (binary, red) if horizontal else (binary.T, red.T)  # walk along x on rows
    m = mask if horizontal else mask.T
    for x, y, w, h, _ in pieces:
        if not horizontal:
            x, y, w, h = y, x, h, w
        if w < span:
            continue
        y0, y1 = y, y + h  # the ruling's rows
        for end, step in ((x + w - 1, 1), (x, -1)):
            pos, last, sealed = end + step, end, 0
            while 0 <= pos < b.shape[1]:
                if b[y0:y1, pos].any():
                    last = pos if sealed else end  # print after the seal's ink, not before it
                elif r[max(0, y0 - 2):y1 + 2, pos].any() and sealed < span:
                    sealed += 1
                else:
                    break
                pos += step
            if last != end:  # through the seal, and print after it
                lo, hi = sorted((end, last))
                m[y0:y1, lo:hi + 1] = 255


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


def text_strokes(binary: np.ndarray, segs: list, long_h: int) -> list:
    """The short horizontal pieces (segment, thickness) with ink close above and below: a signature's stroke run
    into the frame, or the joined bottom strokes of a bold label (机构联系人 centred in a merged cell, on a photo)
    that would read as a floor through it."""
    return [(s, th) for s, th in segs if s[2] - s[1] < long_h and inked_sides(binary.T, s, th)]


def erase(mask: np.ndarray, pieces: list) -> None:
    """Erase horizontal pieces (segment, thickness) from a ruling mask."""
    for (y, x0, x1), th in pieces:
        mask[max(0, y - th // 2 - 1):y + th // 2 + 2, x0:x1] = 0


def box_side(binary: np.ndarray, s: tuple[int, int, int], ends: list[bool], stacked: int = 2) -> bool:
    """A short vertical piece (x, y0, y1) meeting a ruling at one end only that is a side of a square hanging
    from that ruling: a checkbox printed against the row's top or bottom ruling (big legacy boxes on two lines
    fill the row). Its twin side stands a box's width away and the box's edge joins the two at the free end.
    Taken for a wall, it cut the row's options into two cells and the box it cut was read from a character."""
    if all(ends) or not any(ends):
        return False
    x, y0, y1 = s
    size = y1 - y0
    free = y1 if ends[0] else y0
    rows = binary[y0 + BOX_INSET:y1 - BOX_INSET] > 0
    # the box's edge near the free end (the piece may run on a little, joined to ink just past the box)
    up, down = (3 * BOX_INSET, BOX_INSET) if ends[0] else (BOX_INSET, 3 * BOX_INSET)
    edge = binary[max(0, free - up):free + down + 1] > 0
    if rows.shape[0] < 2 or edge.shape[0] == 0:
        return False
    for side in (size / n for n in range(1, stacked + 1)):  # one box's side, or two boxes' one above the other
        # (two lines of options, the first against the ruling, the third line's text under the second box)
        for step in (-1, 1):
            for d in range(int(0.5 * side), int(1.5 * side) + 1):
                x2 = x + step * d
                if not 1 <= x2 < binary.shape[1] - 1:
                    break
                if rows[:, x2 - 1:x2 + 2].any(axis=1).mean() < BOX_SIDE_INKED:
                    continue
                lo, hi = sorted((x, x2))
                if edge[:, lo:hi + 1].any(axis=0).mean() >= BOX_SIDE_INKED:
                    return True
    return False


BOX_INSET = 4  # px left out at a piece's ends (a corner's roundness, the ruling's thickness)
BOX_SIDE_INKED = 0.8  # share of a box's twin side, and of its edge at the free end, that is inked
