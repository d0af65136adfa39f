"""Two people's signatures in two pens whose strokes cross, told apart by their ink's tint (black, blue-black,
blue): one cluster of strokes split into two, each given to the block holding most of it (see two_pens)."""

from __future__ import annotations

import numpy as np

PEN_MIN = 0.4  # ink (em²) of each pen's strokes in one cluster that makes them two signatures (as SIGN_SURE)


def two_pens(lab: np.ndarray, own: np.ndarray, boxes: list, origin: tuple[int, int], em: int, hand: np.ndarray,
             tint: np.ndarray | None, tall: float) -> dict[int, tuple[tuple, tuple, np.ndarray]]:
    """Clusters of strokes in two pens whose strokes lie mostly in two blocks: {cluster: ((ink per block, block)
    of its bluer pen's strokes, the same of its other strokes, mask of the bluer pen's strokes in hand's frame)}.
    lab, own: the clusters (labels of hand's frame, ink per block), boxes: the blocks (page pixels), origin: hand's
    frame's top left on the page; tint: blue minus red of the page's pixels, in hand's frame; tall: how tall (px)
    a stroke is that no printed character makes.

    Two blocks' people signed across each other (the recommender's blue name below its line, the institution's
    black one over the date beside it): their strokes touch and made one cluster, given whole to one block,
    the other read unsigned. Two pens differ in tint (black, blue-black, blue): the cluster's pixels split
    where their tints do (Otsu), PEN_APART or more between the two halves, are two signatures when each pen
    holds PEN_MIN em² or more, most of each lies in a block of its own, and the darker pen's strokes are no
    print (_dark_pen). Strokes near the bluer pen's (their rims, greyer) go with it."""
    import cv2

    ux0, uy0 = origin
    out: dict[int, tuple[tuple, tuple, np.ndarray]] = {}
    if tint is None or tint.shape != hand.shape:
        return out
    need = PEN_MIN * em * em
    k = max(3, em // 6) | 1
    for c in range(1, own.shape[0]):
        if own[c].sum() < 2 * need or (own[c] >= max(need, PEN_SHARE * own[c].max())).sum() < 2:
            continue
        ys, xs = np.nonzero(lab == c)
        y0, y1, x0, x1 = ys.min(), ys.max() + 1, xs.min(), xs.max() + 1
        m = (lab[y0:y1, x0:x1] == c) & (hand[y0:y1, x0:x1] > 0)
        t = tint[y0:y1, x0:x1]
        v = np.clip(t[m] + 128, 0, 255).astype(np.uint8).reshape(-1, 1)
        thr = cv2.threshold(v, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)[0] - 128
        core = m & (t > thr)
        if not core.any() or not (m & ~core).any() or np.median(t[core]) - np.median(t[m & ~core]) < PEN_APART:
            continue
        blue = np.zeros(hand.shape, bool)
        blue[y0:y1, x0:x1] = (cv2.dilate(core.astype(np.uint8), np.ones((k, k), np.uint8)) > 0) & m
        dark = np.zeros(hand.shape, bool)
        dark[y0:y1, x0:x1] = m & ~blue[y0:y1, x0:x1]
        b_row = np.array([int(blue[by0 - uy0:by1 - uy0, bx0 - ux0:bx1 - ux0].sum()) for bx0, by0, bx1, by1 in boxes])
        k_row = np.array([int(dark[by0 - uy0:by1 - uy0, bx0 - ux0:bx1 - ux0].sum()) for bx0, by0, bx1, by1 in boxes])
        if b_row.sum() < need or k_row.sum() < need:
            continue
        jb, jk = int(np.argmax(b_row)), int(np.argmax(k_row))
        if jb != jk and b_row[jb] >= PEN_OWN * b_row.sum() and k_row[jk] >= PEN_OWN * k_row.sum() \
                and _dark_pen(dark[y0:y1, x0:x1].astype(np.uint8), need, tall):
            out[c] = ((b_row, jb), (k_row, jk), blue)
    return out


PEN_APART = 30  # tints (blue − red) of two pens' strokes this far apart: black −5…5, blue-black 40–60, blue 100+
PEN_SHARE = 0.2  # the lesser block's share of a cluster (of its largest block's ink) that may hold a second pen's
# signature: a thin one touching a thick one (a blue wave under 张明华's tail, TUNE coop heavy 12652) holds ~0.26
PEN_OWN = 0.55  # share of each pen's ink in its own block: not a toss-up between the two


def _dark_pen(ink: np.ndarray, need: float, tall: float) -> bool:
    """The dark strokes of a cluster hold a stroke of a signature: a piece of need pixels or more, tall or
    taller (no printed character is). Print that a blue signature crossed (its 年 月 日, its 签字 label) is kept with the strokes
    (crossing) and is dark too, but in pieces no taller than its line."""
    import cv2

    n, _, st, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    return any(st[i, cv2.CC_STAT_AREA] >= need and st[i, cv2.CC_STAT_HEIGHT] >= tall for i in range(1, n))
