"""Red seals on a scanned page: red ink mask → closed blobs → ellipse fit, 15–65 mm, round-ish; a blob
too wide for one seal is looked at again as overlapping circles."""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

from haizhi.extractors.scan.ink import faint_red, red_mask
from haizhi.extractors.scan.seal_rings import (  # noqa: F401 (to_pt, PxBox, TWO_SEALS_MM, box_circle: for callers)
    DARK,
    ONE_RING,
    SEEN_MIN,
    TWO_SEALS_MM,
    PxBox,
    _close,
    _inter,
    _rings,
    _stars,
    box_circle,
    one_ring,
    ring_share,
    to_pt,
)

ONE_SEAL_MM = 47.0  # a round red blob wider than this may be seals pressed over each other on a slant


EDGE_SEAL_MM = 38.0  # the smallest seal across: a blob the page's edge cut holds no more seals than this tells


def find_seals(bgr: np.ndarray, dpi: float, red: np.ndarray | None = None) -> list[tuple[PxBox, float]]:
    """Red seals: (pixel box, confidence). red: the page's red_mask when already made."""
    mm = dpi / 25.4
    red = red_mask(bgr) if red is None else red
    if not cv2.countNonZero(red):
        return []
    k = max(3, int(1.5 * mm)) | 1
    blob = _close(red, k)
    dark = (cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY) < DARK) & (red == 0) if bgr.ndim == 3 else None
    starred: set[PxBox] = set()  # boxes of seals told by their own star
    out = _seals_of(red, blob, mm, dark, starred)
    # a worn or faint seal falls apart into pieces: close wider, keep what is new
    k2 = max(5, int(10 * mm)) | 1
    wide = _close(red, k2)
    rings: list[tuple[PxBox, float]] = []  # the wide blobs' seals whose ring runs all round
    for box, conf in _seals_of(red, wide, mm, dark, starred, rings=True):
        area = (box[2] - box[0]) * (box[3] - box[1])
        ringed = one_ring(red, box, mm, dark)
        if ringed:  # a seal's ring seen all round: the blobs of pieces it overlaps
            # (two seals' arcs closed into one blob, a ring's arc cut off by the other seal) are not seals
            out = [(b, c) for b, c in out if b in starred or not _loose_blob(red, b, box, mm, dark)]
            rings.append((box, conf))
        if not any(_inter(box, b) > 0.3 * area and not (ringed and _two_rings(b, box, red, mm, dark))
                   and not _star_apart(box, b, starred, mm) for b, _ in out):
            out.append((box, round(conf * 0.9, 3)))
        elif ringed:  # a seal whose ring the close cut (a gap in a worn rim): its pieces, an
            # arc split as two seals side by side, are this one seal
            parts = [(b, c) for b, c in out if _inter(box, b) > 0.8 * (b[2] - b[0]) * (b[3] - b[1])]
            if parts and all(min(b[2] - b[0], b[3] - b[1]) < 0.8 * min(box[2] - box[0], box[3] - box[1])
                             for b, _ in parts):
                out = [o for o in out if o not in parts] + [(box, round(conf * 0.9, 3))]
    out = _two_rings_for_one_blob(out, rings, starred)
    kept: list[tuple[PxBox, float]] = []  # one seal found twice (a piece of it as its own blob): once
    for box, conf in sorted(out, key=lambda t: -t[1]):
        piece = next((k for k, (b, _) in enumerate(kept) if _pieces_of_one(box, b, red, mm, dark)), None)
        if piece is not None:  # two pieces of one seal round one star: the seal is both
            b, c = kept[piece]
            kept[piece] = ((min(b[0], box[0]), min(b[1], box[1]), max(b[2], box[2]), max(b[3], box[3])), max(c, conf))
            continue
        area = max(1, (box[2] - box[0]) * (box[3] - box[1]))
        same = [k for k, (b, _) in enumerate(kept) if _inter(box, b) > 0.7 * min(area, (b[2] - b[0]) * (b[3] - b[1]))
                and not _two_stars(box, b, starred, mm) and not _two_rings(box, b, red, mm, dark)]
        if not same:
            kept.append((box, conf))
        elif len(same) == 1 and _inner_piece(kept[same[0]][0], box, red, mm, dark):
            kept[same[0]] = (box, conf)  # the seal's ring found, a piece inside it (star, text) kept before it
    out = [(_rounded(red, box, mm, dark), conf) for box, conf in kept]
    # a faint or thin seal reads with a low confidence, which asks whether it is a seal at all: a red rim
    # running round a box of one seal's size answers it
    out = [(b, max(c, RINGED)) if c < RINGED and one_ring(red, b, mm, dark) else (b, c) for b, c in out]
    return out + _faded(bgr, mm, dark, out) if bgr.ndim == 3 else out


def _pieces_of_one(a: PxBox, b: PxBox, red: np.ndarray, mm: float, dark: np.ndarray | None) -> bool:
    """Two overlapping boxes, neither of them a whole seal's (no ring round it), with one star between them
    inside both: one faint seal whose ink fell apart into two blobs (TUNE base heavy 12573: a seal half outside the
    table read as two, the row above given one of them)."""
    if _inter(a, b) <= 0 or one_ring(red, a, mm, dark) or one_ring(red, b, mm, dark):
        return False
    u = (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))
    if max(u[2] - u[0], u[3] - u[1]) > ONE_SEAL_MM * mm:
        return False
    stars = _stars(red, (u[0], u[1], u[2] - u[0], u[3] - u[1]), mm, dark)
    return len(stars) == 1 and all(o[0] <= stars[0][0] <= o[2] and o[1] <= stars[0][1] <= o[3] for o in (a, b))


def _two_rings_for_one_blob(found: list[tuple[PxBox, float]], rings: list[tuple[PxBox, float]],
                            starred: set[PxBox]) -> list[tuple[PxBox, float]]:
    """found with a box that is no seal's shape (taller or wider than round: two seals pressed over each other
    closed into one blob, the lower one's rest cut off by a signature across it) given up for the two whole rings
    the wide close found over it (TUNE base moderate 12525: the applicant's and the city's seals read as one and a
    piece, both named for a check)."""
    out = list(found)
    for b, c in found:
        w, h = b[2] - b[0], b[3] - b[1]
        if b in starred or min(w, h) <= 0 or max(w, h) <= OBLONG * min(w, h):
            continue
        mine = [(r, rc) for r, rc in rings if _inter(r, b) > 0.3 * (r[2] - r[0]) * (r[3] - r[1])]
        if len(mine) >= 2:
            out.remove((b, c))
            out += [(r, round(rc * 0.9, 3)) for r, rc in mine if all(r != o for o, _ in out)]
    return out


OBLONG = 1.15  # a seal's box longer one way than this times the other is not one round seal's


def _faded(bgr: np.ndarray, mm: float, dark: np.ndarray | None, found: list[tuple[PxBox, float]]
           ) -> list[tuple[PxBox, float]]:
    """Seals too faded for red_mask (their rings left in arcs no close joins: TUNE coop heavy 12537), looked for
    in faint_red where no seal was found: each only where its ring runs all round a box of one seal's size."""
    loose = faint_red(bgr)
    if cv2.countNonZero(loose) < FADED_MIN_MM2 * mm * mm:
        return []
    out = []
    for box, _ in _seals_of(loose, _close(loose, max(3, int(1.5 * mm)) | 1), mm, dark):
        box = _rounded(loose, box, mm, dark)
        area = (box[2] - box[0]) * (box[3] - box[1])
        if one_ring(loose, box, mm, dark) and not any(_inter(box, b) > FADED_NEW * area for b, _ in found + out):
            out.append((box, RINGED))
    return out


FADED_NEW = 0.3  # share of a faint seal's box over a seal found already (or another faint one): the same seal
FADED_MIN_MM2 = 60.0  # faint red ink, in mm², below which no seal's ring (38 mm across: 120 mm long) is looked for


RINGED = 0.8  # the confidence of a seal whose ring runs all round, however faint its ink


def _loose_blob(red: np.ndarray, b: PxBox, ring: PxBox, mm: float, dark: np.ndarray | None) -> bool:
    """b overlaps ring by a third of the smaller of the two, and red runs round less than SEEN_MIN of b's own
    circle (made round as _rounded does, a rim hidden by a signature being no gap): a blob of pieces (of two
    seals pressed over each other), not the outline of a seal."""
    ab = (b[2] - b[0]) * (b[3] - b[1])
    ar = (ring[2] - ring[0]) * (ring[3] - ring[1])
    if _inter(b, ring) <= 0.3 * min(ab, ar):
        return False
    x0, y0, x1, y1 = _rounded(red, b, mm, dark)
    return ring_share(red, (x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0 + y1 - y0) / 4, dark) < SEEN_MIN


def _inner_piece(piece: PxBox, ring: PxBox, red: np.ndarray, mm: float, dark: np.ndarray | None) -> bool:
    """piece's middle lies well inside ring, a box of one seal's size whose rim red runs round and that is much larger than
    piece: piece is the seal's middle (its star and text closed into a blob of their own, cut in two as too
    long for one seal), not a seal; the ring is the seal."""
    pa = max(1, (piece[2] - piece[0]) * (piece[3] - piece[1]))
    ra = (ring[2] - ring[0]) * (ring[3] - ring[1])
    r = box_circle(ring)[2]
    off = np.hypot((piece[0] + piece[2] - ring[0] - ring[2]) / 2, (piece[1] + piece[3] - ring[1] - ring[3]) / 2)
    return off <= 0.7 * r and ra >= INNER_AREA * pa and one_ring(red, ring, mm, dark)


INNER_AREA = 2.0  # a seal's ring box this many times a piece's box inside it: the piece is the seal's middle


def _gap(a: PxBox, b: PxBox) -> float:
    """Distance between two boxes' middles."""
    return float(np.hypot((a[0] + a[2] - b[0] - b[2]) / 2, (a[1] + a[3] - b[1] - b[3]) / 2))


def _two_stars(a: PxBox, b: PxBox, starred: set[PxBox], mm: float) -> bool:
    """Two seals told by their own stars, the stars apart: two seals pressed nearly over each other (their
    boxes overlap as much as one seal found twice does), not one."""
    return a in starred and b in starred and _gap(a, b) >= STARS_APART_MM * mm


STARS_APART_MM = 6.0  # a seal's star is 3–9 mm across: two stars' centres this far apart are two seals'


def _star_apart(a: PxBox, b: PxBox, starred: set[PxBox], mm: float) -> bool:
    """a told by its star, b's middle STAR_APART_MM or more from it: a seal pressed half over b's (a faint one
    whose ring the close did not join up), not b found again."""
    return a in starred and _gap(a, b) >= STAR_APART_MM * mm


STAR_APART_MM = 15.0  # one seal's boxes lie within a few mm of its star


def _two_rings(a: PxBox, b: PxBox, red: np.ndarray, mm: float, dark: np.ndarray | None) -> bool:
    """Two boxes each of one seal's size whose rims red runs round nearly all of (one_ring), their centres
    RINGS_APART_MM or more apart: two seals pressed a third of a seal apart, each ring seen whole, not one seal
    found twice (its boxes lie nearly on one centre). The second ring was dropped as overlapping the first."""
    far = _gap(a, b) >= RINGS_APART_MM * mm
    return bool(far and one_ring(red, a, mm, dark) and one_ring(red, b, mm, dark))


RINGS_APART_MM = 6.0  # one seal's boxes (its ring, its blob closed wide) lie within a few mm of one centre


ROUND = 1.08  # a seal's box longer than this one way than the other is not the seal's circle


def _rounded(red: np.ndarray, box: PxBox, mm: float, dark: np.ndarray | None) -> PxBox:
    """A seal's box that is not round (its blob cut short where dark ink, a signature written across the seal,
    hides the red of its rim) made the box of the circle its ring runs round, when red ink (or dark ink over it)
    runs round nearly all of one: the seal's middle decides the block it is given to."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    if min(w, h) <= 0 or max(w, h) <= ROUND * min(w, h) or max(w, h) > TWO_SEALS_MM * mm:
        return box
    cx, cy, r = (x0 + x1) / 2, (y0 + y1) / 2, max(w, h) / 2
    if ring_share(red, cx, cy, r, dark) >= ONE_RING:
        return box
    sx, sy = (0.12 * r, 0.3 * r) if w > h else (0.3 * r, 0.12 * r)  # the short side is the one cut
    fit = max((ring_share(red, cx + dx, cy + dy, r * f, dark), cx + dx, cy + dy, r * f)
              for dx in np.linspace(-sx, sx, 5 if w > h else 9) for dy in np.linspace(-sy, sy, 9 if w > h else 5)
              for f in (0.95, 1.0, 1.05, 1.1))
    if fit[0] < ONE_RING:
        return box
    _, fx, fy, fr = fit
    return int(fx - fr), int(fy - fr), int(fx + fr), int(fy + fr)


HALF_RING = 0.6  # … under this, a round blob of one seal's size is two seals pressed nearly over each other (their
# rings cross inside it; TUNE coop photo 12555: 0.53), or one faint seal (no second ring found in it)


def _seals_of(red: np.ndarray, blob: np.ndarray, mm: float, dark: np.ndarray | None = None,
              starred: set[PxBox] | None = None, rings: bool = False) -> list[tuple[PxBox, float]]:
    """Seals in the closed red blobs; starred gets the boxes of those told by their stars. rings: a blob cut in
    halves gives as many whole rings instead, when its edges show them (the wide close's blobs)."""
    contours, _ = cv2.findContours(blob, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    out: list[tuple[PxBox, float]] = []
    for c in contours:
        x, y, w, h = cv2.boundingRect(c)
        if max(w, h) < 15 * mm or min(w, h) < 10 * mm or len(c) < 5:
            continue
        across = min(w, h)  # the short side is one seal across, unless the page's edge cut it along the long side
        e = 3 * mm  # (its faint last strokes at the edge not closed into the blob)
        if (x <= e or x + w >= red.shape[1] - e) if h > w else (y <= e or y + h >= red.shape[0] - e):
            across = max(across, EDGE_SEAL_MM * mm)  # (two seals pressed half off the page, one over the other)
        ratio = max(w, h) / across
        n = max(1, int(ratio + 0.7))  # two overlapping seals: 1.3 d or more
        if ratio > 2.05:  # longer than two seals touching: three (or more) pressed over each other in a row
            n = max(n, int(np.ceil(ratio - 0.05)))
        if n > 1 and max(w, h) / n <= 65 * mm:  # seals side by side or stacked: one blob, split it
            parts = [(x + i * w // n, y, w // n, h) if w > h else (x, y + i * h // n, w, h // n) for i in range(n)]
        else:
            parts = [(x, y, w, h)]
        found = [f for f in (_seal_in(red, blob, p, mm) for p in parts) if f is not None]
        halves = len(parts) > 1  # found by cutting the blob: each box's middle is a guess
        if max(w, h) > 140 * mm:  # no seals' blob (a red band, a photo's background): as cut
            out.extend(found)
            continue
        stars = _stars(red, (x, y, w, h), mm, dark)  # seals pressed over each other: one star each
        if not found or max(w, h) > ONE_SEAL_MM * mm or n == 1 and ratio > ROUND or n == 1 and len(found) == 1 \
                and ring_share(red, *box_circle((x, y, x + w, y + h)), dark) < HALF_RING:
            # seals overlapping on a slant: one blob no cut can split (two pressed a third of a seal apart make
            # a blob no wider than one seal would be, but not round; three on a slant, one faint, a round blob
            # wider than one seal; two pressed nearly over each other, a round blob whose rim no ring runs round)
            circles = _circles(red, (x, y, w, h), mm, dark, stars)
            if len(circles) > len(found) or rings and halves and len(circles) == len(found) and len(stars) < len(found):
                found, halves = circles, False  # (rings: as many rings as halves cut, the rings, each whole, not
                # the halves' guessed middles; TUNE base moderate 12525)
        if len(stars) > len(found) or halves and len(stars) == len(found) > 1:  # a star is its seal's middle
            d = min(max(min(w, h), 30 * mm), 50 * mm)  # a row of seals: its short side is one seal across
            found = [((int(cx - d / 2), int(cy - d / 2), int(cx + d / 2), int(cy + d / 2)), 0.8)
                     for cx, cy in stars]
            if starred is not None:
                starred.update(b for b, _ in found)
        out.extend(found)
    return out


_STEP = np.array([-0.06, -0.03, 0.0, 0.03, 0.06])  # a ring's centre looked for near an edge circle's, in radii


def _circles(red: np.ndarray, box: tuple[int, int, int, int], mm: float, dark: np.ndarray | None = None,
             stars: Sequence[tuple[float, float]] = ()) -> list[tuple[PxBox, float]]:
    """Round seals in a red blob that is not one seal (two pressed over each other): circles found by
    their edges, each kept when red ink runs round (nearly) all of its outer ring. Circles whose centres lie
    closer than most of a radius are one seal found twice, unless each has a star of its own at its centre
    (stars: the blob's, page coordinates): two seals pressed 11 mm apart (TUNE coop heavy 12472)."""
    x, y, w, h = box
    pad = int(3 * mm)
    x0, y0 = max(0, x - pad), max(0, y - pad)
    sub = red[y0:y + h + pad, x0:x + w + pad]
    dsub = dark[y0:y + h + pad, x0:x + w + pad] if dark is not None else None
    found = cv2.HoughCircles(cv2.GaussianBlur(sub, (9, 9), 2), cv2.HOUGH_GRADIENT, dp=2, minDist=int(12 * mm),
                             param1=100, param2=40, minRadius=int(7.5 * mm), maxRadius=int(32 * mm))
    if found is None:
        return []
    best: list[tuple[float, float, float, float]] = []
    for cx, cy, r in found[0][:12]:
        fit = (ring_share(sub, cx, cy, r, dsub), cx, cy, r)
        for _ in range(3):  # the edge circle is rough: the ring that fits best near it, looked for again
            # around the best one found when that is nearly a ring (an edge circle pulled a tenth of a radius
            # off by the other seal)
            start = fit
            _, fx, fy, fr = start
            dr, dx, dy = (g.ravel() for g in np.meshgrid(np.linspace(0.8, 1.2, 11), _STEP, _STEP, indexing="ij"))
            scores = _rings(sub, fx + dx * fr, fy + dy * fr, fr * dr, dsub)
            i = int(np.argmax(scores))  # the first best, as the loop over dr, dx, dy found it
            if scores[i] > fit[0]:
                fit = (float(scores[i]), fx + dx[i] * fr, fy + dy[i] * fr, fr * dr[i])
            if fit[0] >= 0.85 or fit[0] <= start[0] or fit[0] < 0.7:  # done, or no ring near: as before
                break
        if fit[0] >= 0.85:
            best.append(fit)
    out: list[tuple[PxBox, float]] = []
    kept: list[tuple[float, float, float]] = []

    def star_of(cx: float, cy: float) -> int | None:  # the star at a circle's centre (crop coordinates), if any
        return next((i for i, (sx, sy) in enumerate(stars) if np.hypot(x0 + cx - sx, y0 + cy - sy) <= STAR_AT_MM * mm),
                    None)

    for s, cx, cy, r in sorted(best, key=lambda t: -t[0]):
        own = star_of(cx, cy)
        if any(np.hypot(cx - kx, cy - ky) < min(0.7 * min(r, kr), RINGS_APART_MM * mm)
               and (own is None or own == star_of(kx, ky)) for kx, ky, kr in kept):
            continue
        kept.append((cx, cy, r))
        out.append(((int(x0 + cx - r), int(y0 + cy - r), int(x0 + cx + r), int(y0 + cy + r)), round(0.75 + 0.2 * s, 3)))
    return out


STAR_AT_MM = 2.5  # a star this close to a circle's centre is that circle's seal's


def _seal_in(red: np.ndarray, blob: np.ndarray, box: tuple[int, int, int, int], mm: float
             ) -> tuple[PxBox, float] | None:
    x, y, w, h = box
    if not (15 * mm <= max(w, h) <= 65 * mm and min(w, h) >= 10 * mm):
        return None
    sub = blob[y:y + h, x:x + w]
    cs, _ = cv2.findContours(sub, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not cs:
        return None
    c = max(cs, key=cv2.contourArea)
    if len(c) < 5:
        return None
    (_, _), (a, b), _ = cv2.fitEllipse(c)
    if min(a, b) <= 0 or max(a, b) / min(a, b) > 1.9:
        return None
    ink = float((red[y:y + h, x:x + w] > 0).mean())
    if ink < 0.04:
        return None
    fill = cv2.contourArea(c) / max(1.0, np.pi * a * b / 4)
    conf = float(min(1.0, 0.5 + ink * 2 + 0.3 * min(1.0, fill)))
    return (x, y, x + w, y + h), round(conf, 3)
