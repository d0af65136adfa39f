"""Whose handwriting is whose: clusters of strokes across the signing blocks of a page, each given to one block
(the one holding most of it, or told by the seal it was written over, or by the label it follows)."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import numpy as np

from haizhi.extractors.scan.handwriting import CLUSTER_MIN, TALL_EM
from haizhi.extractors.scan.pens import two_pens
from haizhi.extractors.scan.regions import PxBox, Region, overlap
from haizhi.extractors.scan.sign_lines import _labels, label_end


def signature_ink(binary: np.ndarray, regions: list[Region], masks: list[np.ndarray], em: int,
                  seals: list[list[PxBox]] | None = None, whose: list | None = None,
                  tint: np.ndarray | None = None) -> tuple[list[list[int]], list[bool], list[int]]:
    """Each block's clusters of handwriting (ink pixels each), a signature counted whole for the block
    that holds most of it.

    A signature written across the line between two blocks (side by side, or over the next row's
    top) is one cluster of strokes; cutting it at the line gave the neighbour a signature of its own.
    masks: each region's hand_mask; seals: each region's own seals (boxes), when known. Returns (clusters per region, doubt per region, foreign ink per
    region): doubt where a cluster lies largely in this block and another and this block has no other
    signature (its reading rests on whose the cluster is); foreign: ink in this block of clusters given to another block (a neighbour's signature
    reaching in), which a reading beside this block's label must not take for its own. whose, when given,
    gets (x0, y0, map): the handwriting's pixels from (x0, y0) on, each the index of the block its cluster
    was given to (-1: none, or a cluster lying largely in two blocks), so that such a reading can leave the
    strokes that are surely a neighbour's out. tint: the page's blue minus red, when known: two signatures
    in two pens crossing each other are two clusters (see pens.two_pens).
    """
    import cv2

    if not regions:
        return [], [], []
    h, w = binary.shape
    boxes = [tuple(max(0, v) for v in r.box) for r in regions]
    ux0, uy0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
    ux1, uy1 = min(w, max(b[2] for b in boxes)), min(h, max(b[3] for b in boxes))
    hand = np.zeros((max(0, uy1 - uy0), max(0, ux1 - ux0)), np.uint8)
    for (x0, y0, _x1, _y1), m in zip(boxes, masks, strict=True):
        if m.size:
            hand[y0 - uy0:y0 - uy0 + m.shape[0], x0 - ux0:x0 - ux0 + m.shape[1]] |= m
    k = max(3, em // 2) | 1  # strokes of one signature lie closer than half a character
    n, lab, st, _ = cv2.connectedComponentsWithStats(cv2.dilate(hand, np.ones((k, k), np.uint8)), connectivity=8)
    own = np.zeros((n, len(regions)), np.int64)
    for j, (x0, y0, x1, y1) in enumerate(boxes):
        sl = (slice(y0 - uy0, max(y0, y1) - uy0), slice(x0 - ux0, max(x0, x1) - ux0))
        own[:, j] = np.bincount(lab[sl][hand[sl] > 0].ravel(), minlength=n)
    clusters: list[list[int]] = [[] for _ in regions]
    ids = [c for c in range(1, n) if own[c].sum() > 0]
    under = {c: _own_seal(own[c], st[c], ux0, uy0, seals) for c in ids}  # the block whose own seal it is over
    rows = [(own[c], _by_middle(own[c], st[c], boxes, ux0, uy0) if under[c] is None else under[c]) for c in ids]
    led = [_before_label(own[c], _stat_box(st[c], ux0, uy0), regions, em, (own[d] for d in ids if d != c))
           for c in ids]
    rows = [(row, j if k is None else k) for (row, j), k in zip(rows, led, strict=True)]
    if seals is not None:
        rows = _over_a_neighbours_seal(rows, [st[c] for c in ids], ux0, uy0, seals, CLUSTER_MIN * em * em, led)
    rows = _one_each(rows, CLUSTER_MIN * em * em, led)
    pens = two_pens(lab, own, boxes, (ux0, uy0), em, hand, tint[uy0:uy1, ux0:ux1] if tint is not None else None,
                    TALL_EM * em)
    to = np.full(n, -1, np.int32)  # a cluster lying largely in two blocks (whose it is is a doubt): none
    to[ids] = [j if ((row >= ACROSS * row.max()).sum() == 1 or k is not None) and c not in pens else -1
               for c, (row, j), k in zip(ids, rows, led, strict=True)]
    # a cluster of two pens' signatures: each pen's strokes a cluster of their own
    split = [(p, k is not None and c not in pens, c not in pens and under[c] == r[1])
             for c, r, k in zip(ids, rows, led, strict=True) for p in (pens[c][:2] if c in pens else (r,))]
    rows, sure, sealed = [p for p, _, _ in split], [known for _, known, _ in split], [s for _, _, s in split]
    for row, j in rows:
        clusters[j].append(int(row[j] if row[j] == row.max() else row.sum()))
    foreign = [int(sum(row[t] for row, j in rows if j != t)) for t in range(len(regions))]
    if whose is not None:
        wmap = np.where(hand > 0, to[lab], -1)
        for c, ((_, jb), (_, jk), near) in pens.items():  # each pen's strokes: the block its cluster went to
            m = lab == c
            wmap[m] = np.where(near[m], jb, np.where(hand[m] > 0, jk, -1))
        whose.append((ux0, uy0, wmap))
    big = CLUSTER_MIN * em * em
    doubt = [False] * len(regions)
    for (row, j), known, over in zip(rows, sure, sealed, strict=True):
        if row.max() < big or known:  # whose it is told by where it was written
            continue
        for o, v in enumerate(row):
            if o != j and v >= ACROSS * row[j]:
                # a block whose reading rests on whose this cluster is: j with no other signature (the
                # cluster may be o's), o with none of its own (it may be o's); a block with its own
                # signature besides reads "signed" whatever the cluster is. Written over j's own seal while o
                # holds a signature of its own: j's (a block is signed once; TUNE coop heavy 12482)
                own_o = sum(c >= big for c in clusters[o]) >= 1
                for t in (j, o):
                    if sum(c >= big for c in clusters[t]) <= (1 if t == j else 0) and not (t == j and over and own_o):
                        doubt[t] = True
    return clusters, doubt, foreign


def _owner(row: np.ndarray, stat: np.ndarray, boxes: list, ux0: int, uy0: int,
           seals: list[list[PxBox]] | None = None) -> int:
    """The block a cluster of strokes is given to: the one holding most of its ink, or, when it lies
    largely in two (a signature written across the line between them), the one whose own seal it was
    written over, when only one of them has a seal under it (people sign over their own seal), else the one
    holding its middle: where the signature was written, not which half of the name has more strokes."""
    sealed = _own_seal(row, stat, ux0, uy0, seals)
    return sealed if sealed is not None else _by_middle(row, stat, boxes, ux0, uy0)


def _by_middle(row: np.ndarray, stat: np.ndarray, boxes: list, ux0: int, uy0: int) -> int:
    """_owner without the seals: the block holding most of the cluster's ink, or, lying largely in two, its middle."""
    j = int(np.argmax(row))
    two = [o for o, v in enumerate(row) if v >= ACROSS * row[j]]
    if len(two) < 2:
        return j
    box = _stat_box(stat, ux0, uy0)
    cx = (box[0] + box[2]) / 2
    cy = (box[1] + box[3]) / 2
    mid = [o for o, b in enumerate(boxes) if row[o] > 0 and b[0] <= cx <= b[2] and b[1] <= cy <= b[3]]
    return mid[0] if mid else j


def _own_seal(row: np.ndarray, stat: np.ndarray, ux0: int, uy0: int, seals: list[list[PxBox]] | None) -> int | None:
    """The block, of the two a cluster lies largely in, whose own seal it was written over: the only one with a seal
    under it, or the one it lies mostly over when both have (pressed over each other); None when that does not tell."""
    two = [o for o, v in enumerate(row) if v >= ACROSS * row.max()]
    if seals is None or len(two) < 2:
        return None
    box = _stat_box(stat, ux0, uy0)
    area = max(1, (box[2] - box[0]) * (box[3] - box[1]))
    cover = {o: max((overlap(box, sb) for sb in seals[o]), default=0) for o in two}
    under = [o for o in two if cover[o] >= SEAL_UNDER * area]
    if len(under) == 1 and not any(cover[o] >= 0.1 * area for o in two if o != under[0]):
        return under[0]
    best = max(under, key=lambda o: cover[o], default=None)
    if best is not None and all(cover[best] >= MOSTLY * cover[o] for o in two if o != best):
        return best  # over both blocks' seals (pressed over each other), mostly over one: that one's
    return None


def _stat_box(stat: np.ndarray, ux0: int, uy0: int) -> PxBox:
    """A connected component's box (its cv2 stats row) on the page, from the union box's corner (ux0, uy0)."""
    import cv2

    x0, y0 = ux0 + int(stat[cv2.CC_STAT_LEFT]), uy0 + int(stat[cv2.CC_STAT_TOP])
    return x0, y0, x0 + int(stat[cv2.CC_STAT_WIDTH]), y0 + int(stat[cv2.CC_STAT_HEIGHT])


SEAL_UNDER = 0.3  # share of a signature's box over a block's own seal that makes it that block's (see _owner)
MOSTLY = 2.0  # … over two blocks' seals, this many times as much over one as over the other
ACROSS = 0.35  # a cluster lies largely in two blocks when a second holds this share of its part in the first


def _before_label(row: np.ndarray, box: PxBox, regions: list[Region], em: int,
                  others: Iterable[np.ndarray]) -> int | None:
    """The block a cluster lying in two side-by-side blocks surely belongs to, told by where it was written: it
    begins just after the left block's 签字 label (within a few characters of its end, a line above or below at
    most), left of the right block's label, mostly on the left, so it is the left head's signature running over
    the line, not one written after the right block's label (TUNE coop moderate 12354, 12301). None when that
    does not tell: a signature begun far from both labels (over the date line, say) may be either's; and when the
    left block holds a signature of its own besides (others: the other clusters' ink per block), half this one's
    ink or more, the strokes may be the neighbour's and a block signed once decides (_one_each; TUNE coop clean
    12322). The right block's label not read (under these strokes, often), it must hold a signature of its own."""
    two = [o for o, v in enumerate(row) if v >= ACROSS * row.max()]
    if len(two) != 2:
        return None
    a, b = sorted(two, key=lambda o: regions[o].box[0])
    la, rb = regions[a].box, regions[b].box
    left, right = (getattr(regions[o].label, "box", None) for o in (a, b))
    side = abs(la[2] - rb[0]) <= em and min(la[3], rb[3]) - max(la[1], rb[1]) > 0
    run, text = regions[a].label, getattr(regions[a].label, "text", "")
    if left is not None and left[2] > la[2] + em and _labels(text) >= 2:
        # both blocks' 签字 labels in one run (a signature across the blank between them joined them, 负责人签字：
        # （公单明责人签字：（公章）; TUNE coop clean 12551): the left label ends where its own words do, and the
        # right block's label was read, in that run, where its block begins
        right = right or (rb[0], left[1], left[2], left[3])
        left = (left[0], left[1], label_end(run, em), left[3])
    if not side or left is None or (right is not None and right[0] <= left[2]):
        return None
    gap_y = max(0, left[1] - box[3], box[1] - left[3])
    after = left[2] - em <= box[0] <= left[2] + AFTER_LABEL * em and gap_y <= AFTER_LABEL * em
    # most of it, and its middle, on the left: a right head's name written large below his label spills left
    # over the line too, from just after the left label, but mostly right of it (TUNE coop clean 12365)
    mostly = row[a] >= row[b] and (box[0] + box[2]) / 2 < la[2]
    # the right label's start: its run may begin at the left block's （公章）, read with it (（公章）负责人签字：)
    if not (after and mostly and box[0] < rb[0] and (right is None or box[0] < max(right[0], rb[0]) - em)):
        return None
    others = list(others)
    if any(o[a] >= o.max() and o[a] >= 0.5 * row[a] for o in others):
        return None
    # the right block's label not read (this very signature written over it, TUNE coop heavy 12394, 12402): its
    # head's signature is the one written in that block alone, if there is one
    own = any(o[b] >= o.max() and o[b] >= OWN_NAME * em * em for o in others)
    return a if right is not None or own else None


OWN_NAME = 1.0  # em²: a cluster of this much ink lying in one block is a signature of its own


AFTER_LABEL = 4  # em: a signature begun this near after its 签字 label's end (and above or below it) follows it


def _over_a_neighbours_seal(rows: list, stats: list, ux0: int, uy0: int, seals: list[list[PxBox]],
                            big: float, led: list[int | None]) -> list:
    """rows (each cluster's ink per block, the block it was given) with a cluster that lies in one block but
    written over a neighbour's own seal reaching into it (none of this block's seals under it), while this block
    holds a signature of its own besides: the neighbour's, whose head signed in his seal (it was pressed across
    the line between the two blocks)."""
    signed = Counter(j for row, j in rows if row.max() >= big)
    out = []
    for (row, j), st, known in zip(rows, stats, led, strict=True):
        if known is not None:
            out.append((row, j))
            continue
        box = _stat_box(st, ux0, uy0)
        area = max(1, (box[2] - box[0]) * (box[3] - box[1]))
        over = [o for o in range(len(seals)) if o != j and any(overlap(box, sb) >= IN_SEAL * area for sb in seals[o])]
        if (row.max() >= big and signed[j] >= 2 and len(over) == 1
                and not any(overlap(box, sb) >= 0.1 * area for sb in seals[j])):
            signed[j] -= 1
            j = over[0]
        out.append((row, j))
    return out


IN_SEAL = 0.8  # share of a cluster's box inside a neighbour's seal that makes it (maybe) the neighbour's


def _one_each(rows: list, big: float, led: list[int | None]) -> list:
    """rows with a cluster lying largely in two blocks (a signature across the line between them) given to one
    that holds a signature of its own besides, while the other holds none: the other's (a block is signed once;
    its head wrote below or beside his label, over the neighbour's seal). Whose it is stays a doubt for the
    block that now rests on it (signature_ink)."""
    signed = Counter(j for row, j in rows if row.max() >= big)
    out = []
    for (row, j), known in zip(rows, led, strict=True):
        if row.max() >= big and signed[j] >= 2 and known is None:
            free = [o for o, v in enumerate(row) if o != j and v >= ACROSS * row.max() and not signed[o]]
            if len(free) == 1:
                signed[j] -= 1
                signed[free[0]] += 1
                j = free[0]
        out.append((row, j))
    return out
