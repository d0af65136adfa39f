"""A seal's ring on a page's red ink: how much of a circle red runs round, the circle of a seal's box, a seal's star,
and the small geometry the seal finder shares with the readers of marks."""

from __future__ import annotations

import cv2
import numpy as np

from haizhi.extractors.scan.blobs import components

PxBox = tuple[int, int, int, int]
TWO_SEALS_MM = 52.0  # a seal is 38–45 mm across; a red blob wider than this is two seals overlapping


ONE_RING = 0.85  # share of a round box's rim that red ink runs round: one seal


def one_ring(red: np.ndarray, box: PxBox, mm: float, dark: np.ndarray | None, share: float = ONE_RING) -> bool:
    """A box of one seal's size and shape (round, no wider than TWO_SEALS_MM) whose rim is red nearly all
    round (share of it): one seal, not two."""
    w, h = box[2] - box[0], box[3] - box[1]
    if max(w, h) > TWO_SEALS_MM * mm or max(w, h) > 1.15 * min(w, h):
        return False
    return ring_share(red, *box_circle(box), dark) >= share


def box_circle(box: PxBox) -> tuple[float, float, float]:
    """The circle of a seal's box: its middle and half its mean side."""
    return (box[0] + box[2]) / 2, (box[1] + box[3]) / 2, (box[2] - box[0] + box[3] - box[1]) / 4


def _close(mask: np.ndarray, k: int) -> np.ndarray:
    """Morphological closing with a k×k ellipse, worked only around the ink (the same result: nothing
    farther than k from ink changes), as a wide kernel over a whole page costs a quarter second."""
    ys, xs = np.nonzero(mask.any(axis=1))[0], np.nonzero(mask.any(axis=0))[0]
    out = np.zeros_like(mask)
    if not len(ys):
        return out
    y0, y1 = max(0, ys[0] - k), min(mask.shape[0], ys[-1] + k + 1)
    x0, x1 = max(0, xs[0] - k), min(mask.shape[1], xs[-1] + k + 1)
    out[y0:y1, x0:x1] = cv2.morphologyEx(mask[y0:y1, x0:x1], cv2.MORPH_CLOSE,
                                         cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))
    return out


def to_pt(b: PxBox, dpi: float) -> tuple[float, float, float, float]:
    """A pixel box in PDF points (1/72 in), as layouts hold boxes."""
    s = 72.0 / dpi
    return (round(b[0] * s, 1), round(b[1] * s, 1), round(b[2] * s, 1), round(b[3] * s, 1))


def _inter(a: PxBox, b: PxBox) -> int:
    return max(0, min(a[2], b[2]) - max(a[0], b[0])) * max(0, min(a[3], b[3]) - max(a[1], b[1]))


def _stars(red: np.ndarray, box: tuple[int, int, int, int], mm: float, dark: np.ndarray | None = None
           ) -> list[tuple[float, float]]:
    """Centres of the solid stars of round seals in a red blob: what is left after an opening wider
    than the ring and the seal's text strokes, solid (filled, but not a filled square) and 3–9 mm across (a
    star half worn away by a heavy scan is still 3 mm across), with a seal's ring round it: a seal's star is
    its centre. Where one seal's text lies over the other's ring, the red there is as solid as a star, but
    no ring runs round it (a third seal read between two)."""
    x, y, w, h = box
    k = int(2.4 * mm) | 1
    sub = cv2.morphologyEx(red[y:y + h, x:x + w], cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))
    n, _, st, cen = components(sub)
    out = []
    for i in range(1, n):
        bw, bh, area = st[i, cv2.CC_STAT_WIDTH], st[i, cv2.CC_STAT_HEIGHT], st[i, cv2.CC_STAT_AREA]
        if 3.0 * mm <= min(bw, bh) and max(bw, bh) <= 9 * mm and 0.55 * bw * bh <= area <= 0.85 * bw * bh:
            cx, cy = x + float(cen[i][0]), y + float(cen[i][1])
            if _ringed(red, cx, cy, mm, dark):
                out.append((cx, cy))
    return out


STAR_RING = 0.45  # share of a ring round a star that red ink runs round: the star is a seal's centre (a seal
# pressed unevenly still shows half its ring, other seals' rings crossing it; round a point that is no seal's
# centre, where red text lies over another seal's ring, red runs round less than 0.4)


def _ringed(red: np.ndarray, cx: float, cy: float, mm: float, dark: np.ndarray | None) -> bool:
    """A seal's ring (radius 12–28 mm) runs round (cx, cy), within a millimetre of it (a star is drawn at its
    seal's centre, a little off by hand-cut dies or the star's worn points)."""
    return any(ring_share(red, cx + dx * mm, cy + dy * mm, r * mm, dark) >= STAR_RING
               for dx, dy in _NEAR for r in np.arange(12.0, 28.0, 1.0))


_NEAR = ((0, 0), (-1, 0), (1, 0), (0, -1), (0, 1), (-1, -1), (-1, 1), (1, -1), (1, 1))


DARK = 110  # grey level below which ink is dark (black or blue-black handwriting, print), not red
SEEN_MIN = 0.6  # a ring whose red runs round less than this share of all directions is no seal, seen or not


def ring_share(red: np.ndarray, cx: float, cy: float, r: float, dark: np.ndarray | None = None) -> float:
    """Share of directions in which a circle's outer band (0.92–1.0 r) holds red ink, among the directions
    where it can be seen: where dark ink (a signature written over the seal) lies on the band instead, the red
    under it is hidden, not missing."""
    return float(_rings(red, np.array([cx]), np.array([cy]), np.array([r]), dark)[0])


def _rings(red: np.ndarray, cx: np.ndarray, cy: np.ndarray, r: np.ndarray, dark: np.ndarray | None = None
           ) -> np.ndarray:
    """_ring of many circles at once (numpy arrays of centres and radii): the same shares, in one pass."""
    h, w = red.shape
    a = np.linspace(0, 2 * np.pi, 120, endpoint=False)
    f = np.array([0.92, 0.96, 1.0])
    x = (cx[:, None, None] + f[None, :, None] * r[:, None, None] * np.cos(a)[None, None, :]).astype(int)
    y = (cy[:, None, None] + f[None, :, None] * r[:, None, None] * np.sin(a)[None, None, :]).astype(int)
    ok = (x >= 0) & (x < w) & (y >= 0) & (y < h)
    xs, ys = np.where(ok, x, 0), np.where(ok, y, 0)
    hit = (ok & (red[ys, xs] > 0)).any(axis=1)
    share = hit.mean(axis=1)
    if dark is None:
        return share
    seen = (~(ok & dark[ys, xs]).any(axis=1) | hit).sum(axis=1)
    return np.where((share < SEEN_MIN) | (seen == 0), share, hit.sum(axis=1) / np.maximum(seen, 1))
