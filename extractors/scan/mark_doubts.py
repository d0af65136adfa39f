"""Doubts about seal readings that one block's reading cannot see: an opinion row lost between two found (its
seal may be on theirs), and two seals cut from one red blob given to two blocks (perhaps one seal read as two);
both lower the readings' confidence so that a finding names them. And one doubt answered: a neighbour's seal
reaching into a block, whose ring is whole and beyond which no red shows, hides no seal of the block's own."""

from __future__ import annotations

import numpy as np

from haizhi.extractors.layout import Mark
from haizhi.extractors.scan.seals import (
    ONE_RING,
    TWO_SEALS_MM,
    PxBox,
    box_circle,
    one_ring,
    ring_share,
    to_pt,
)
from haizhi.pipeline.core.fields import BASE, COOP, form_spec

_OPINION_ORDER = ("applicant", "city", "provincial")


def beside_a_lost_block(marks: list[Mark], base: list) -> None:
    """An opinion row not found between two rows that were (its label misread under a seal): the rows
    beside it took its lines, and a seal pressed on them may be its, so their seal readings are named for a
    check. A row missing at the end of the page may be on the next page: not this one's doubt. A row told
    only by its signing lines (its label not read) is named too, and the rows beside it: where it begins
    and ends is a guess."""
    found = {r.owner for r in base}
    near: set[str] = set()
    for r in base:
        if r.inferred and r.owner in _OPINION_ORDER:  # told by its signing lines, not its label: it and the
            i = _OPINION_ORDER.index(r.owner)  # blocks beside it, where it begins and ends is a guess
            near |= {k for k in _OPINION_ORDER[max(0, i - 1):i + 2] if k in found}
    for i, key in enumerate(_OPINION_ORDER[1:-1], 1):
        if key not in found and _OPINION_ORDER[i - 1] in found and any(k in found for k in _OPINION_ORDER[i + 1:]):
            near |= {_OPINION_ORDER[i - 1], next(k for k in _OPINION_ORDER[i + 1:] if k in found)}
    for m in marks:
        if m.kind == "seal" and m.label in {f"{k}_sealed" for k in near}:
            m.doubt(0.6, "相邻意见栏的位置是推断的（标签没有读出），印章归属不确定")


def halves_of_one(marks: list[Mark], seals: list[tuple[PxBox, float]], dpi: float) -> None:
    """Two seals cut from one red blob no wider than one seal (an oval seal, a seal pressed twice) given
    to two blocks: perhaps one seal read as two, so both readings are named for a check."""
    lim = TWO_SEALS_MM * dpi / 25.4
    boxes = [sb for sb, _ in seals]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            touch = (a[2] == b[0] or b[2] == a[0]) and (a[1], a[3]) == (b[1], b[3]) \
                or (a[3] == b[1] or b[3] == a[1]) and (a[0], a[2]) == (b[0], b[2])
            if not touch or max(max(a[2], b[2]) - min(a[0], b[0]), max(a[3], b[3]) - min(a[1], b[1])) > lim:
                continue
            pts = {box: to_pt(box, dpi) for box in (a, b)}
            for form in (COOP, BASE):  # both forms' blocks were looked at: one form's at a time
                keys = set(form_spec(form).mark_keys)
                mine = [m for m in marks if m.kind == "seal" and m.label in keys and m.bbox in pts.values()]
                if len({m.label for m in mine}) > 1:
                    for m in mine:
                        m.doubt(0.6, "一团红色印迹被分成两枚印章，可能是同一枚")


def nothing_under(red: np.ndarray, block: PxBox, reaching: list[PxBox], seals: list[PxBox], dpi: float) -> bool:
    """A neighbour's seal reaching into a block without a seal hides none of the block's own under it: each
    seal reaching in is one seal, its ring seen all round, and the block holds no red outside the seals'
    circles (a seal pressed under another shows the arcs of its ring beyond the other's, which the corners
    of the other's box would hide). A seal's box may be cut short where a ruling crossed its ring (its arc
    beyond the ruling left out): its circle is then the one fitted to its ring (fit_ring)."""
    if not reaching:
        return False
    mm = dpi / 25.4
    circles = {sb: box_circle(sb) for sb in seals}
    for sb in reaching:
        if not one_ring(red, sb, mm, None):
            fit = fit_ring(red, sb, mm, [o for o in seals if o != sb])
            if fit is None and not one_ring(red, sb, mm, None, FAINT_RING):  # a faint ring still seen round
                return False
            circles[sb] = fit or box_circle(sb)
    x0, y0, x1, y1 = (max(0, v) for v in block)
    left = red[y0:y1, x0:x1] > 0
    if not left.any():
        return True
    yy, xx = np.ogrid[y0:y0 + left.shape[0], x0:x0 + left.shape[1]]
    for cx, cy, r in circles.values():
        left &= (xx - cx) ** 2 + (yy - cy) ** 2 > (1.08 * r) ** 2
    return int(left.sum()) < LOOSE_UNDER_MM2 * mm * mm


LOOSE_UNDER_MM2 = 8.0  # red beyond the seals' circles, in mm², that may be the arcs of a seal under them
FAINT_RING = 0.6  # share of a round box's rim of one seal's size a faded ring (a heavy scan, rulings across it)
# still runs round: one seal, its box's circle its ring's (HALF_RING: under it, two seals; TUNE base heavy 12595:
# 0.73 round, all the red it put in the block beside within it, yet that block's "no seal" was named)


def fit_ring(red: np.ndarray, box: PxBox, mm: float, others: list[PxBox]) -> tuple[float, float, float] | None:
    """The circle of one seal's ring, fitted to the red farthest from the box's middle in each direction (its
    ring's outer edge) around the box and a margin, when nearly all directions lie on one circle of a seal's
    size and red runs round it: (cx, cy, r). Directions whose farthest red lies in another seal's circle (others:
    their boxes) are that seal's, not looked at. None for anything else (two seals pressed over each other where
    only one was found: the arcs of the other stand out of any one circle)."""
    m = int(FIT_MARGIN * max(box[2] - box[0], box[3] - box[1]))
    x0, y0 = max(0, box[0] - m), max(0, box[1] - m)
    ys, xs = np.nonzero(red[y0:box[3] + m, x0:box[2] + m])
    if len(xs) < 50:
        return None
    xs, ys = xs + x0, ys + y0
    theirs = np.zeros(len(xs), bool)
    for o in others:
        ox, oy, orr = box_circle(o)
        theirs |= (xs - ox) ** 2 + (ys - oy) ** 2 <= orr ** 2
    cx, cy, _ = box_circle(box)
    for _ in range(2):  # the box's middle may be off: once more from the fitted centre
        ang = np.arctan2(ys - cy, xs - cx)
        dist = np.hypot(xs - cx, ys - cy)
        b = ((ang + np.pi) / (2 * np.pi) * FIT_BINS).astype(int) % FIT_BINS
        far = np.full(FIT_BINS, -1.0)
        np.maximum.at(far, b, dist)
        pick = [i for i in (int(np.flatnonzero((b == k) & (dist == far[k]))[0]) for k in range(FIT_BINS)
                            if far[k] >= 0) if not theirs[i]]
        if len(pick) < FIT_BINS * FIT_OWN:
            return None
        px, py = xs[pick].astype(float), ys[pick].astype(float)
        a = np.column_stack([px, py, np.ones_like(px)])  # x² + y² = 2 cx x + 2 cy y + c (Kåsa)
        sol, *_ = np.linalg.lstsq(a, px ** 2 + py ** 2, rcond=None)
        cx, cy = sol[0] / 2, sol[1] / 2
        r = float(np.sqrt(max(sol[2] + cx ** 2 + cy ** 2, 0.0)))
    off = np.abs(np.hypot(px - cx, py - cy) - r)
    if not (SEAL_R_MM[0] * mm <= r <= SEAL_R_MM[1] * mm) or (off > FIT_OFF * r).mean() > 1 - FIT_SEEN:
        return None
    return (float(cx), float(cy), r) if ring_share(red, cx, cy, r) >= ONE_RING else None


FIT_MARGIN = 0.15  # share of a seal's box looked at around it for the rest of its ring
FIT_BINS = 72  # directions (5° each) in which the ring's outer edge is looked for
FIT_OWN = 0.6  # share of directions whose farthest red is in no other seal's circle, needed for a fit
FIT_SEEN = 0.85  # share of those that must lie on the fitted circle
FIT_OFF = 0.06  # farther from the circle than this share of its radius: not on it
SEAL_R_MM = (15.0, 24.0)  # a seal's radius, mm (seals are 38–45 mm across; worn or pressed unevenly)
