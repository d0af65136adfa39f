"""Checkboxes from pixels: a printed square outline, ticked when its inside has ink.

Printed ☑ / ■ and a hand-drawn tick (or cross) in a printed □ all count as
ticked. Boxes are found from their straight edges (diagonal tick strokes do
not survive the morphology), so a tick that runs over the border still leaves
the box visible.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import cv2
import numpy as np

from haizhi.extractors.normalize import CHECK_GLYPHS
from haizhi.extractors.scan.blobs import components
from haizhi.pipeline.core.fields import FORMS

TICK_RATIO = 0.07  # inked share of a box's inside that counts as ticked


@dataclass
class PxBox:
    box: tuple[int, int, int, int]
    checked: bool
    fill: float
    crossed: bool = False  # ink runs out over the box's top edge: a tick's arm drawn across the outline
    doubt: bool = False  # kept over an empty box right beside it, taken for a frame in a character: a guess
    glyph: bool = False  # a ✔ printed in a box's place (tick_glyphs.printed_ticks): the glyph's size, not a box's


CROSSED_FILL = 0.03  # with a stroke crossing the outline, this much ink inside is a tick, not noise


def box_confidence(b: PxBox) -> float:
    """How sure a box's tick state is: by how far its inked share is from the ticked threshold. A hand tick
    drawn over the outline (its arm out over the top edge) with some ink inside is a sure tick; with next
    to none inside (drawn along the box's right side) it is a tick, but unsure."""
    conf = min(1.0, abs(b.fill - TICK_RATIO) * 8 + 0.5)
    if b.crossed:
        return 0.9 if b.fill > CROSSED_FILL else 0.6
    return round(conf, 3)


def option_words() -> list[str]:
    words = {"是", "否"}
    for spec in FORMS.values():
        for f in spec.fields:
            words.update(f.options)
    return sorted(words, key=len, reverse=True)


def _cov(sub: np.ndarray, axis: int) -> float:
    """Share of positions along ``axis``'s other side with any ink (``sub``: ink as True)."""
    if not sub.size:
        return 0.0
    along = sub.any(axis=axis)
    return int(np.count_nonzero(along)) / along.size


def _edge_cov(ink: np.ndarray, x0: int, y0: int, x1: int, y1: int, t: int, need: float = 0.0) -> list[float]:
    """Inked share of the top, bottom, left and right edges (ink: the crop as bool); with ``need``, stops
    at the first edge under it (the rest left out: the box already fails)."""
    sides = ((ink[max(0, y0 - t):y0 + t + 1, x0:x1], 0), (ink[max(0, y1 - t - 1):y1 + t, x0:x1], 0),
             (ink[y0:y1, max(0, x0 - t):x0 + t + 1], 1), (ink[y0:y1, max(0, x1 - t - 1):x1 + t], 1))
    out: list[float] = []
    for sub, axis in sides:
        out.append(_cov(sub, axis))
        if out[-1] < need:
            break
    return out


def _square(ink: np.ndarray, x: int, y: int, w: int, h: int, lo: float, hi: float, t: int) -> bool:
    if not (lo <= w <= hi and lo <= h <= hi and 0.8 <= w / h <= 1.25):
        return False
    return min(_edge_cov(ink, x, y, x + w - 1, y + h - 1, t, 0.8)) >= 0.8


def _cut_at_top(ink: np.ndarray, x: int, y: int, w: int, h: int, lo: float, hi: float, t: int) -> bool:
    """A box drawn as tall as its row, its top edge left outside the cell's crop (inset from the ruling):
    it touches the crop's top, a little shorter than wide, its sides and bottom whole."""
    if y > t + 1 or not (lo <= w <= hi and 0.75 * w <= h < w):
        return False
    _top, bot, lef, rig = _edge_cov(ink, x, y, x + w - 1, y + h - 1, t)
    return min(bot, lef, rig) >= 0.9


def _refine(hm: np.ndarray, vm: np.ndarray, x: int, y: int, w: int, h: int) -> tuple[int, int, int, int]:
    """The square's own edges inside a contour's bounding box: a tick's arm that overshoots
    the border makes the box taller or wider than the printed square (hm, vm: the line masks as bool)."""
    if w < 4 or h < 4:
        return x, y, w, h
    rows = np.count_nonzero(hm[y:y + h, x:x + w], axis=1)
    cols = np.count_nonzero(vm[y:y + h, x:x + w], axis=0)
    q_h, q_w = max(1, h // 3), max(1, w // 3)
    top = int(np.argmax(rows[:q_h]))
    if rows[top] < 0.5 * w:  # the arm rose a third of the contour or more above the box: its top further down
        top = int(np.argmax(rows[:max(1, h // 2)]))
    bot = h - 1 - int(np.argmax(rows[::-1][:q_h]))
    lef = int(np.argmax(cols[:q_w]))
    rig = w - 1 - int(np.argmax(cols[::-1][:q_w]))
    if rows[top] < 0.5 * w or cols[lef] < 0.5 * h:  # no clear edges: leave it as it was
        return x, y, w, h
    return x + lef, y + top, rig - lef + 1, bot - top + 1


def _add(found: list[PxBox], binary: np.ndarray, x: int, y: int, w: int, h: int, t: int,
         gap: int | None = None) -> None:
    """binary: the crop's ink as bool."""
    x1, y1 = x + w - 1, y + h - 1
    hole = next((b for b in found if _hole_of(b.box, (x, y, x + w, y + h), binary)), None)
    if any(abs(b.box[0] - x) < w // 2 and abs(b.box[1] - y) < h // 2 for b in found if b is not hole):
        return
    strict = gap is not None
    gap = gap or max(2, w // 6)  # a real box stands apart; a frame inside a character (知, 国) does not
    left = binary[(y if strict else y + h // 4):(y1 if strict else y1 - h // 4), max(0, x - gap):max(0, x - t - 1)]
    if left.size and left.any() and x - gap > t + 2:  # at the crop's edge: a cell ruling's rest
        return
    ins = max(2, w // 5)
    inner = binary[y + ins:y1 - ins + 1, x + ins:x1 - ins + 1]
    fill = int(np.count_nonzero(inner)) / inner.size if inner.size else 0.0
    if _strokes_across(inner, fill):
        return  # the outline of 国 (玉 inside), not a box
    reach = _outline_insets(binary[y:y1 + 1, x:x1 + 1])
    il, ir, it, ib = (max(ins, v + 1) for v in reach)
    if min(reach) > t and max(il, ir, it, ib) > ins:  # the inside within an outline bold all round
        inner = binary[y + it:y1 - ib + 1, x + il:x1 - ir + 1]
        fill = int(np.count_nonzero(inner)) / inner.size if inner.size else 0.0
    crossed = _crossed(binary, x, y, x1, w, h, t)
    if hole is not None:  # the bold box's hole found first: the outer edge stands for it
        found.remove(hole)
    found.append(PxBox((x, y, x + w, y + h), fill > TICK_RATIO or crossed, fill, crossed))


def _hole_of(inner: tuple[int, int, int, int], outer: tuple[int, int, int, int], binary: np.ndarray) -> bool:
    """``inner`` is the hole of a bold box whose outer edge is ``outer``: well inside it on every side, with
    solid ink all round between them (a thin outline's two contours lie a pixel apart)."""
    margins = (inner[0] - outer[0], inner[1] - outer[1], outer[2] - inner[2], outer[3] - inner[3])
    if min(margins) < 2:
        return False
    ring = binary[outer[1]:outer[3], outer[0]:outer[2]] > 0
    hole = np.zeros_like(ring)
    hole[margins[1]:ring.shape[0] - margins[3], margins[0]:ring.shape[1] - margins[2]] = True
    return bool(ring[~hole].size) and float(ring[~hole].mean()) >= 0.85


def _outline_insets(sq: np.ndarray) -> tuple[int, int, int, int]:
    """How far in from each side (left, right, top, bottom) a box's outline reaches, as printed or as blur and a
    dark scan made it bold: where the paper starts again after the first ink, the median over the middle half of
    that side. A side may reach at most two pixels further than the thinnest (the box's rectangle is a pixel
    off), and no side further than a third of the box: a tick against one side is no bold outline."""
    h, w = sq.shape
    if h < 8 or w < 8:
        return 0, 0, 0, 0

    def reach(lines: np.ndarray) -> int:
        lines = lines[lines.any(axis=1)]  # each inked line: where the paper starts again after its first ink
        if not lines.size:
            return 0
        first = np.argmax(lines, axis=1)
        after = ~lines & (np.arange(lines.shape[1]) >= first[:, None])
        ends = np.where(after.any(axis=1), np.argmax(after, axis=1), lines.shape[1])
        return int(np.median(ends))

    rows, cols = sq[h // 4:h - h // 4], sq[:, w // 4:w - w // 4].T
    sides = [reach(rows), reach(rows[:, ::-1]), reach(cols), reach(cols[:, ::-1])]
    cap = min(min(sides) + 2, min(h, w) // 3)
    return tuple(min(v, cap) for v in sides)  # type: ignore[return-value]


def _longest_runs(rows: np.ndarray) -> np.ndarray:
    """The longest run of True in each row of a bool array (0 for a row without any)."""
    pad = np.zeros((rows.shape[0], rows.shape[1] + 2), np.int8)
    pad[:, 1:-1] = rows
    r, c = np.nonzero(np.diff(pad, axis=1))  # row by row, a run's start then its end
    out = np.zeros(rows.shape[0], np.intp)
    np.maximum.at(out, r[::2], c[1::2] - c[::2])
    return out


def _strokes_across(inner: np.ndarray, fill: float) -> bool:
    """Two or more separate straight strokes across a square's inside, with near-clear rows between them: a
    character's enclosure (国: 玉 inside). A tick or a cross crosses a row in two pieces (in one only where
    its strokes meet, with no clear row there), ■ and a scribble fill the inside."""
    if inner.size == 0 or fill > 0.78:
        return False
    full = _longest_runs(inner) >= 0.75 * inner.shape[1]
    strokes = int(full[0]) + int(np.count_nonzero(full[1:] & ~full[:-1]))
    if strokes < 2:
        return False
    rows = np.flatnonzero(full)
    return float(inner[rows[0]:rows[-1]].mean(axis=1).min()) < 0.35  # near-clear paper between two strokes


def _crossed(binary: np.ndarray, x: int, y: int, x1: int, w: int, h: int, t: int) -> bool:
    """A stroke joined to the box's outline runs well above its top edge (a tick's long arm, drawn over the
    outline or out of its top-right corner): a mark, not print (a label's characters stand apart)."""
    ya, xa = max(0, y - h), max(0, x - 2)
    win = binary[ya:y + h + 1, xa:min(binary.shape[1], x1 + w)].astype(np.uint8)
    if win.size == 0 or y - ya < h // 2:
        return False
    _n, lab = cv2.connectedComponents(win, connectivity=8)
    top, right = y - ya, x1 - xa
    edge = set(np.unique(lab[top:top + t + 1, x - xa:right + 1])) | set(np.unique(lab[top:top + h, right - t:right + 1]))
    edge.discard(0)
    reach = max(3, h // 5)
    for k in edge:
        above = lab[:top - 1] == k
        rows = np.flatnonzero(above.any(axis=1))
        if not rows.size or rows[0] >= top - reach:
            continue
        # a stroke is one narrow run a row: the rows where the ink is wide (the bottom edge of the box on the
        # line above, its corner on this box's) say nothing of a slant
        mids = [c.mean() for c in (np.flatnonzero(above[r]) for r in rows) if c[-1] - c[0] <= max(3, w // 5)]
        if len(mids) >= 0.6 * len(rows) and abs(mids[0] - mids[-1]) >= 3:  # slanting (a ruling runs straight up)
            return True
    return False


def _halves(rects: list[tuple[int, int, int, int]], lo: float, hi: float,
            t: int) -> list[tuple[int, int, int, int]]:
    """Boxes a heavy scan broke in two: a box's thin sides broken across the same height, left and right,
    leave a top half and a bottom half (or a left and a right half) the same width, one against the other,
    each too short for a box → the two together."""
    parts = np.array([r for r in rects if lo / 4 <= max(r[2], r[3]) <= hi], np.int64).reshape(-1, 4)
    out: list[tuple[int, int, int, int]] = []
    for along in (0, 1):  # 0: a top and a bottom half (the same x-span); 1: a left and a right half
        span = parts[np.argsort(parts[:, along], kind="stable")]
        key = span[:, along]
        # every pair (p, q), q after p, q's start along at most t + 1 past p's: p by p, q in order
        n = len(span)
        stop = np.searchsorted(key, key + t + 1, side="right")
        cnt = np.maximum(0, stop - np.arange(1, n + 1))
        pi = np.repeat(np.arange(n), cnt)
        qi = pi + 1 + np.arange(int(cnt.sum())) - np.repeat(np.cumsum(cnt) - cnt, cnt)
        p, q = span[pi], span[qi]
        a, b = along, 1 - along
        first = np.where((q[:, b] < p[:, b])[:, None], q, p)  # the one starting first across (p on a tie)
        second = np.where((q[:, b] < p[:, b])[:, None], p, q)
        between = second[:, b] - (first[:, b] + first[:, 2 + b])
        ok = (np.abs(p[:, a] + p[:, 2 + a] - q[:, a] - q[:, 2 + a]) <= t + 1) \
            & (-np.maximum(t + 1, np.minimum(p[:, 2 + b], q[:, 2 + b]) // 2) <= between) & (between <= t + 3)
        p, q = p[ok], q[ok]
        x0, y0 = np.minimum(p[:, 0], q[:, 0]), np.minimum(p[:, 1], q[:, 1])
        x1 = np.maximum(p[:, 0] + p[:, 2], q[:, 0] + q[:, 2])
        y1 = np.maximum(p[:, 1] + p[:, 3], q[:, 1] + q[:, 3])
        out += [tuple(r) for r in np.stack([x0, y0, x1 - x0, y1 - y0], axis=1).tolist()]
    return out


def _top_and_bottom(hm: np.ndarray, binary: np.ndarray, lo: float, hi: float,
                    t: int) -> list[tuple[int, int, int, int]]:
    """Boxes whose thin sides a heavy scan broke in several places (toner worn off in patches): a top and a
    bottom edge of the same span, as far apart as they are long, and sides that still show over most of
    their height → the square between them."""
    segs = [cv2.boundingRect(c) for c in cv2.findContours(hm, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)[0]]
    segs = sorted((r for r in segs if lo <= r[2] <= hi and r[3] <= 3 * t + 2), key=lambda r: r[1])
    out = []
    for i, a in enumerate(segs):
        for b in segs[i + 1:]:
            dy = b[1] + b[3] - a[1]
            if dy > 1.25 * a[2]:
                break
            if dy < 0.8 * a[2] or abs(a[0] - b[0]) > max(3, a[2] // 6) \
                    or abs(a[0] + a[2] - b[0] - b[2]) > max(3, a[2] // 6):
                continue
            x, w = min(a[0], b[0]), max(a[0] + a[2], b[0] + b[2]) - min(a[0], b[0])
            top, bot, lef, rig = _edge_cov(binary, x, a[1], x + w - 1, a[1] + dy - 1, t)
            if min(top, bot) >= 0.85 and min(lef, rig) >= 0.5:
                out.append((x, a[1], w, dy))
    return out


def _worn(binary: np.ndarray, lo: float, hi: float, t: int) -> list[tuple[int, int, int, int]]:
    """Boxes whose outline a heavy scan wore through in places (gaps in each side, too many for the line
    masks to keep an edge): one piece of ink as big as a box, square, its outline there over most of each
    side and nearly all round."""
    ink = binary.astype(np.uint8)
    k = 2 * t + 1  # an outline worn into pieces (TUNE coop heavy 12520: □平台机构 in eight) closed into one
    out: list[tuple[int, int, int, int]] = []
    for img in (ink, cv2.morphologyEx(ink, cv2.MORPH_CLOSE, np.ones((k, k), np.uint8))):
        n, _lab, stats, _c = components(img)
        st = stats[1:n]
        w_, h_ = st[:, 2], st[:, 3]
        sized = (lo <= w_) & (w_ <= hi) & (lo <= h_) & (h_ <= hi)
        for x, y, w, h, _a in st[sized].tolist():
            if 0.8 <= w / h <= 1.25 and (x, y, w, h) not in out:
                cov = _edge_cov(binary, x, y, x + w - 1, y + h - 1, t, WORN_SIDE)  # the outline's own ink
                if min(cov) >= WORN_SIDE and sum(cov) >= 4 * WORN_ROUND:
                    out.append((x, y, w, h))
    return out


WORN_SIDE, WORN_ROUND = 0.55, 0.75  # a worn outline: share of each side still inked, and of the four together


def find_boxes(binary: np.ndarray, dpi: float) -> list[PxBox]:
    """Checkbox squares in a cell's binary crop (ink = 255), left to right, top to bottom."""
    if binary.size == 0:
        return []
    lo, hi = 6.0 * dpi / 72, 17 * dpi / 72  # side of a □ at 9–20 pt type
    k = max(3, int(lo * 0.6))
    t = max(1, int(dpi / 100))
    found: list[PxBox] = []
    refined: list[tuple[int, int, int, int]] = []
    hm = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (k, 1)))
    vm = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, k)))
    contours, _ = cv2.findContours(cv2.bitwise_or(hm, vm), cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    rects = [cv2.boundingRect(c) for c in contours]
    ink, hb, vb = binary > 0, hm > 0, vm > 0
    for x, y, w, h in rects:
        if _square(ink, x, y, w, h, lo, hi, t) or _cut_at_top(ink, x, y, w, h, lo, hi, t):
            _add(found, ink, x, y, w, h, t)
        else:
            # a tick's arm over the border: the square inside (never wider or taller than the contour, so
            # none in a contour narrower or lower than a box)
            r = _refine(hb, vb, x, y, w, h) if min(w, h) >= lo else (x, y, w, h)
            if r != (x, y, w, h) and _square(ink, *r, lo, hi, t):
                refined.append(r)
            elif w > 1.25 * h and lo <= h <= 1.3 * hi:  # ⊠ blurred into its label's first character (⊠创)
                r = _refine(hb, vb, x, y, h, h)  # the square at the left end of the run, its own edges
                if _square(ink, *r, lo, hi, t):
                    refined.append(r)
    refined += [r for r in _halves(rects, lo, hi, t) if _square(ink, *r, lo, hi, t)]
    refined += _top_and_bottom(hm, ink, lo, hi, t) + _worn(ink, lo, hi, t)
    for x, y, w, h in refined:  # only with clear paper to its left (frames in 国 or 咨 have a neighbour)
        _add(found, ink, x, y, w, h, t, gap=w // 2)
    # a box inside a box (☑ drawn as a frame plus inner frame) → keep the outer
    found = [b for b in found if not any(o is not b and o.box[0] < b.box[0] and o.box[1] < b.box[1]
                                         and o.box[2] > b.box[2] and o.box[3] > b.box[3] for o in found)]
    found.sort(key=lambda b: (b.box[1] // max(1, int(hi)), b.box[0]))
    return found


def looks_like_option(text: str, words: list[str]) -> str | None:
    """The option label a box's following text starts with, if any (OCR-tolerant)."""
    s = text.strip().lstrip(CHECK_GLYPHS).strip()
    for w in words:
        if s.startswith(w):
            return w
    for w in words:  # one misread character in a longer label
        if len(w) >= 3 and len(s) >= len(w) - 1 and sum(a == b for a, b in zip(w, s, strict=False)) >= len(w) - 1:
            return w
    return None


def starts_option(text: str, words: list[str], empty: bool = False) -> bool:
    """The text is the start of an option label cut short (✔创 | 业孵化 wrapped, □管理咨询|服 with a false
    box inside 服); empty counts when ``empty`` (a box ending its line, its label on the next)."""
    s = re.sub(r"\s+", "", text.strip().lstrip(CHECK_GLYPHS))
    if not s:
        return empty
    return any(len(w) > len(s) and w.startswith(s) for w in words)
