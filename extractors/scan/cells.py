"""Tables from pixels: ruling lines by morphology, grid, merged cells; text lines in a cell.

All boxes here are pixel boxes (x0, y0, x1, y1) on the levelled page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np

from haizhi.extractors.scan.blobs import components, line_masks
from haizhi.extractors.scan.ruling_masks import box_side, bridge_under_seals, erase, inked_sides, text_strokes

PxBox = tuple[int, int, int, int]


@dataclass
class PxCell:
    row: int
    col: int
    rowspan: int
    colspan: int
    box: PxBox


@dataclass
class PxTable:
    box: PxBox
    cells: list[PxCell]


def _segments(mask: np.ndarray, horizontal: bool) -> list[tuple[int, int, int]]:
    """Line segments as (position, start, end): y, x0, x1 for horizontal ones."""
    return [s for s, _ in _segments_w(mask, horizontal)]


THICK_SEGMENT = 8  # px: a ruling thicker than this has strokes run into it


def _segments_w(mask: np.ndarray, horizontal: bool) -> list[tuple[tuple[int, int, int], int]]:
    """Line segments with their thickness (height of a horizontal one, width of a vertical one).

    A thick one is a ruling with a pen's strokes run into it (a signature across a row's top): it lies where
    most of its length is inked, not at the middle of the strokes (that would set the row's top a line lower
    and cut its first line of text in two)."""
    n, labels, stats, _ = components(mask)
    out = []
    for i in range(1, n):
        x, y, w, h, _ = stats[i]
        thick = int(h if horizontal else w)
        at = (y + h // 2) if horizontal else (x + w // 2)
        if thick > THICK_SEGMENT:
            sub = labels[y:y + h, x:x + w] == i
            at = (y if horizontal else x) + int(np.argmax(sub.sum(axis=1 if horizontal else 0)))
        if horizontal:
            out.append(((int(at), int(x), int(x + w)), thick))
        else:
            out.append(((int(at), int(y), int(y + h)), thick))
    return out


def _cluster(vals: list[int], tol: int) -> list[int]:
    vals = sorted(vals)
    groups: list[list[int]] = []
    for v in vals:
        if groups and v - groups[-1][-1] <= tol:
            groups[-1].append(v)
        else:
            groups.append([v])
    return [int(round(float(np.mean(g)))) for g in groups]


def _coverage(mask: np.ndarray, band: tuple[int, int, int, int], horizontal: bool) -> float:
    """Share of positions along a boundary band that have ruling ink: along x for a floor (horizontal),
    along y for a wall. The direction is given, not guessed from the band's shape: the floor of a
    column narrower than the band is tall (a checkbox side taken for a ruling makes such columns)."""
    x0, y0, x1, y1 = band
    if horizontal and x1 <= x0:  # a column narrower than the margins: look at its middle
        x0 = x1 = (x0 + x1) // 2
        x1 += 1
    if not horizontal and y1 <= y0:
        y0 = y1 = (y0 + y1) // 2
        y1 += 1
    sub = mask[max(0, y0):max(0, y1), max(0, x0):max(0, x1)]
    if sub.size == 0:
        return 0.0
    along = sub.any(axis=0) if horizontal else sub.any(axis=1)
    return float(along.mean())


def find_tables(binary: np.ndarray, red: np.ndarray | None = None, dpi: float = 200.0) -> list[PxTable]:
    """Tables of ruled cells; red: the page's seal ink, under which rulings may have gaps."""
    h, w = binary.shape
    hm, vm = (m.copy() for m in line_masks(binary))  # bridged below: the kept masks stay as they are
    bridge_under_seals(hm, vm, red, dpi, binary)
    tol = max(6, int(min(h, w) * 0.006))
    hs_segs = _segments_w(hm, True)
    hs = [s for s, _ in hs_segs]
    vs_w = _segments_w(vm, False)
    vs = [s for s, _ in vs_w]
    # keep only rulings that meet a ruling of the other direction (drops underlines, dashes), and short
    # ones only where they meet a long one: bold handwriting strokes meet each other, not the frame
    long_h, long_v = 3 * max(30, w // 22), 3 * max(30, h // 45)

    def h_meets(s: tuple[int, int, int], v: tuple[int, int, int]) -> bool:
        return v[1] - tol <= s[0] <= v[2] + tol and (abs(v[0] - s[1]) <= tol or abs(v[0] - s[2]) <= tol
                                                     or s[1] - tol <= v[0] <= s[2] + tol)

    def v_meets(s: tuple[int, int, int], g: tuple[int, int, int]) -> bool:
        return g[1] - tol <= s[0] <= g[2] + tol and (abs(g[0] - s[1]) <= tol or abs(g[0] - s[2]) <= tol)

    hs = [s for s in hs if any(h_meets(s, v) and (s[2] - s[1] >= long_h or v[2] - v[1] >= long_v) for v in vs)]
    # a short piece with strokes close above and below it along its length: a signature's stroke run into the
    # frame (it would cut an opinion row in two and lose the line it crosses), or a bold label's joined strokes (a
    # floor through its merged cell), not a ruling: no ruling, nor ink in the floor mask
    strokes = text_strokes(binary, hs_segs, long_h)
    stroke_segs = {st for st, _ in strokes}
    hs = [s for s in hs if s not in stroke_segs]
    erase(hm, strokes)
    ruled = sorted(width for s, width in vs_w if s[2] - s[1] >= long_v)
    thick = max(3, ruled[len(ruled) // 2] if ruled else int(dpi / 60))  # wider than the page's rulings: a pen stroke

    def v_keep(s: tuple[int, int, int], width: int) -> bool:
        if s[2] - s[1] >= long_v:
            return any(v_meets(s, g) for g in hs)
        if inked_sides(binary, s, width):
            return False  # a stroke of a signature among its other strokes, not a ruling beside blank paper
        ends = [any(g[1] - tol <= s[0] <= g[2] + tol and abs(g[0] - y) <= tol for g in hs) for y in (s[1], s[2])]
        # a short one meets a long ruling; a thick short one (a signature's stroke ending on a ruling by
        # chance) must span the whole row, from one ruling to the next
        if box_side(binary, s, ends):
            return False  # a checkbox's side, the box printed against the row's ruling
        return any(v_meets(s, g) and g[2] - g[1] >= long_h for g in hs) and (width <= thick or all(ends))

    vs = [s for s, width in vs_w if v_keep(s, width)]
    if len(hs) < 2 or len(vs) < 2:
        return []
    grid = np.zeros_like(binary)
    for y, x0, x1 in hs:
        cv2.line(grid, (x0, y), (x1, y), 255, 3)
    for x, y0, y1 in vs:
        cv2.line(grid, (x, y0), (x, y1), 255, 3)
    grid = cv2.dilate(grid, np.ones((tol, tol), np.uint8))
    n, labels, stats, _ = components(grid)
    tables: list[PxTable] = []
    for i in range(1, n):
        x, y, bw, bh, _ = stats[i]
        if bw < w // 5 or bh < h // 30:
            continue
        def mine(x: int, y: int, i: int = i) -> bool:
            return 0 <= y < h and 0 <= x < w and labels[y, x] == i

        th = [s for s in hs if mine((s[1] + s[2]) // 2, s[0])]
        tv = [s for s in vs if mine(s[0], (s[1] + s[2]) // 2)]
        t = _grid_cells(hm, vm, th, tv, tol)
        if t is not None:
            tables.append(t)
    tables.sort(key=lambda t: t.box[1])
    return tables


FLOOR_MIN = 0.5  # share of a cell's floor inked for the floor to be there
FAINT_FLOOR_MIN = 0.25  # ... when the same ruling runs whole under most other columns


def _floor_min(row: list[float], c: int) -> float:
    """How much of a cell's floor must be inked: less where the ruling runs whole (≥ 0.8) under at least half the
    other columns (two at least), as one faint stretch of a ruling drawn across the table (a heavy scan) would
    otherwise join the rows above and below it, and with them every cell the row's missing walls join (注册地址
    and 联系地址 read as one value). A floor that is not there (a merged cell's) has next to no ink at all."""
    whole = sum(v >= 0.8 for i, v in enumerate(row) if i != c)
    return FAINT_FLOOR_MIN if whole >= max(2, (len(row) - 1) / 2) else FLOOR_MIN


def _grid_cells(hm: np.ndarray, vm: np.ndarray, hs: list, vs: list, tol: int) -> PxTable | None:
    ys = _cluster([s[0] for s in hs], tol)
    xs = _cluster([s[0] for s in vs], tol)
    if len(ys) < 2 or len(xs) < 2:
        return None
    nr, nc = len(ys) - 1, len(xs) - 1
    parent = list(range(nr * nc))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    def union(a: int, b: int) -> None:
        parent[find(a)] = find(b)

    m = tol // 2 + 1
    floors = [[_coverage(hm, (xs[c] + m, ys[r + 1] - tol, xs[c + 1] - m, ys[r + 1] + tol + 1), True)
               for c in range(nc)] for r in range(nr - 1)]
    runs = []  # per row, each column's run of cells its missing walls join: (first column, last column)
    for r in range(nr):
        row = [[0, 0] for _ in range(nc)]
        start = 0
        for c in range(nc):
            if c + 1 < nc and _coverage(vm, (xs[c + 1] - tol, ys[r] + m, xs[c + 1] + tol + 1, ys[r + 1] - m),
                                        False) < 0.5:  # no wall to the right
                union(r * nc + c, r * nc + c + 1)
                continue
            for k in range(start, c + 1):
                row[k] = [start, c]
            start = c + 1
        runs.append(row)
    for r in range(nr - 1):
        need = [_floor_min(floors[r], k) for k in range(nc)]
        for c in range(nc):
            # a cell's floor is judged along all of it that lies over the cell below (a wide cell over a wide
            # cell: one faint stretch of the ruling does not join them)
            lo, hi = max(runs[r][c][0], runs[r + 1][c][0]), min(runs[r][c][1], runs[r + 1][c][1])
            span = range(lo, hi + 1)
            widths = [xs[k + 1] - xs[k] for k in span]
            cov = sum(floors[r][k] * wd for k, wd in zip(span, widths, strict=True)) / max(1, sum(widths))
            if cov < min(need[k] for k in span):
                union(r * nc + c, (r + 1) * nc + c)
    groups = _rectangular(nr, nc, find, union)
    cells = []
    for members in groups.values():
        r0 = min(r for r, _ in members)
        r1 = max(r for r, _ in members)
        c0 = min(c for _, c in members)
        c1 = max(c for _, c in members)
        cells.append(PxCell(r0, c0, r1 - r0 + 1, c1 - c0 + 1, (xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1])))
    cells.sort(key=lambda c: (c.row, c.col))
    return PxTable((xs[0], ys[0], xs[-1], ys[-1]), cells)


def _rectangular(nr: int, nc: int, find: Callable[[int], int], union: Callable[[int, int], None]
                 ) -> dict[int, list[tuple[int, int]]]:
    """The grid's cells grouped by their joins, each group closed to the rectangle it spans. A group shaped like an
    L (a short made-up wall and floor, a signature's strokes inside a merged cell, cut a corner off it) would
    otherwise be given its bounding box, over the corner's own small cells: two cells at one place, the empty
    corner taken for the value (所在地市科协意见 read empty under a seal and a signature)."""
    while True:
        groups: dict[int, list[tuple[int, int]]] = {}
        for r in range(nr):
            for c in range(nc):
                groups.setdefault(find(r * nc + c), []).append((r, c))
        joined = False
        for root, members in groups.items():
            r0, r1 = min(r for r, _ in members), max(r for r, _ in members)
            c0, c1 = min(c for _, c in members), max(c for _, c in members)
            if len(members) == (r1 - r0 + 1) * (c1 - c0 + 1):
                continue
            for r in range(r0, r1 + 1):
                for c in range(c0, c1 + 1):
                    if find(r * nc + c) != find(root):
                        union(r * nc + c, root)
                        joined = True
        if not joined:
            return groups


def split_lines(binary: np.ndarray, min_h: int = 4) -> list[tuple[int, int]]:
    """Text line bands (y0, y1) in a cell by the row profile of its ink."""
    if binary.size == 0:
        return []
    prof = (binary > 0).sum(axis=1)
    on = prof > max(1, int(0.004 * binary.shape[1]))
    bands: list[list[int]] = []
    y = 0
    n = len(on)
    while y < n:
        if on[y]:
            y0 = y
            while y < n and on[y]:
                y += 1
            bands.append([y0, y])
        y += 1
    # merge bands split inside one line (e.g. 二 or a dot above) and drop specks
    merged: list[list[int]] = []
    for b in bands:
        if merged and b[0] - merged[-1][1] <= 2 and (b[1] - merged[-1][0]) < 2.2 * max(
                min_h * 3, merged[-1][1] - merged[-1][0]):
            merged[-1][1] = b[1]
        else:
            merged.append(b)
    merged = [piece for b in merged for piece in _split_tall(binary, prof, b, min_h)]
    heights = [b[1] - b[0] for b in merged]
    if not heights:
        return []
    big = min(max(heights), int(4.5 * min_h))  # a merged band must not make real lines look like specks
    out = []
    dots = -1  # the top of a speck just above the next line: i's dot over a line of x-height letters (iao.com)
    for i, b in enumerate(merged):
        hgt = b[1] - b[0]
        if hgt >= min_h and hgt >= 0.25 * big:
            out.append((b[0] if dots < 0 else dots, b[1]))
            dots = -1
            continue
        nxt = merged[i + 1] if i + 1 < len(merged) else None
        gap_up = b[0] - out[-1][1] if out else 1 << 30
        if nxt is not None and hgt <= min_h // 2 and nxt[0] - b[1] <= min_h // 2 and nxt[0] - b[1] < gap_up \
                and nxt[1] - nxt[0] >= max(min_h, 0.25 * big):
            dots = b[0] if dots < 0 else dots  # left out, its line read without it: i read as t, silently
        elif out and b[0] - out[-1][1] <= 3:  # a low mark (comma, underline) belongs to the line above
            out[-1] = (out[-1][0], b[1])
    return _thin_lines(binary, prof, out, min_h)


def _thin_lines(binary: np.ndarray, prof: np.ndarray, lines: list[tuple[int, int]],
                min_h: int) -> list[tuple[int, int]]:
    """Lines whose rows are mostly thinner than the page-wide threshold: a paragraph's last line of one or
    two characters (上。, 人) on a page is a few strokes, its rows under the threshold. Dropped as specks,
    or cut to its widest rows, the field lost its end silently. A run of inked rows a line high, holding
    compact ink (not specks across a noisy page), is that line: added, or the short line found in it
    made as tall as the run."""
    if not lines:
        return lines
    usual = float(np.median([y1 - y0 for y0, y1 in lines]))
    out = list(lines)
    for a, b in _runs(prof > 0, 0, min_h):
        inside = [i for i, (y0, y1) in enumerate(out) if a < y1 and y0 < b]
        if b - a > 1.3 * max(usual, 3 * min_h) or len(inside) > 1:
            continue
        if inside:
            y0, y1 = out[inside[0]]
            if y1 - y0 < 0.8 * usual:
                out[inside[0]] = (a, b)  # 人 cut to its legs
            continue
        sub = binary[a:b] > 0
        cols = np.flatnonzero(sub.any(axis=0))
        ink = int(sub.sum())
        if ink >= 0.5 * min_h * min_h and ink >= 0.05 * (b - a) * (cols[-1] - cols[0] + 1):
            out.append((a, b))
    return sorted(out)


def _runs(on: np.ndarray, y0: int, min_len: int) -> list[list[int]]:
    out: list[list[int]] = []
    y = 0
    while y < len(on):
        if on[y]:
            start = y
            while y < len(on) and on[y]:
                y += 1
            if y - start >= min_len:
                out.append([y0 + start, y0 + y])
        y += 1
    return out


SPLIT_TALL = 5.5  # bands taller than this many min_h may be two lines bridged by handwriting


def _split_tall(binary: np.ndarray, prof: np.ndarray, band: list[int], min_h: int) -> list[list[int]]:
    """A band over two lines high (a signature or seal remnant bridging lines): cut it into lines.

    First without the ink blobs taller than type (handwriting); then, if that does not
    separate lines, at rows under 15 % of the band's peak (thin strokes across the gap).
    """
    y0, y1 = band
    if y1 - y0 <= SPLIT_TALL * min_h:  # a 12 pt line is some 3 min_h: two lines of it with no gap at all
        return [band]
    sub = binary[y0:y1]
    n, lab, st, _ = components(sub)
    hs = [int(st[i, cv2.CC_STAT_HEIGHT]) for i in range(1, n) if st[i, cv2.CC_STAT_AREA] >= min_h]
    typ = float(np.median(hs)) if hs else 0.0  # type's own height: handwriting is taller than the print around it
    pieces: list[list[int]] = []
    # blobs taller than type are handwriting: the tallest first (a long stroke), then any a good deal taller
    # than a character (a signature 6 mm high joining an opinion's line to the 负责人（签字） line below it)
    for limit, lines in ((max(4.5 * min_h, 2.2 * typ), 0), (max(3 * min_h, 1.4 * typ), 2)):
        tall = [i for i in range(1, n) if st[i, cv2.CC_STAT_HEIGHT] > limit]
        if not tall:
            continue
        keep = sub.copy()
        keep[np.isin(lab, tall)] = 0
        kp = (keep > 0).sum(axis=1)
        if kp.sum() < 0.05 * prof[y0:y1].sum():  # (nearly) all ink is "tall": the type is just large
            kp = kp * 0
        pieces = _runs(kp > max(1, int(0.004 * sub.shape[1])), y0, max(2, min_h // 2))
        if sum(p[1] - p[0] >= min_h for p in pieces) < lines:  # the second pass: two lines of print left,
            pieces = []  # not one line and specks
        if len(pieces) >= 2:
            break
    if len(pieces) < 2:
        sm = np.convolve(prof[y0:y1].astype(np.float64), np.ones(3) / 3, mode="same")
        pieces = _runs(sm > 0.15 * float(sm.max()), y0, max(2, min_h // 2))
    if len(pieces) < 2:
        return [band]
    out: list[list[int]] = []
    for p in pieces:  # a thin sliver next to a line is part of it (a descender, a stroke's end)
        if out and (p[1] - p[0] < min_h or out[-1][1] - out[-1][0] < min_h) and p[0] - out[-1][1] <= min_h:
            out[-1][1] = p[1]
        else:
            out.append(p)
    out[0][0], out[-1][1] = min(out[0][0], y0), max(out[-1][1], y1)  # handwriting above / below stays
    return out


def split_segments(binary_line: np.ndarray, gap: int) -> list[tuple[int, int]]:
    """Runs of ink (x0, x1) along a line, split where the blank gap is at least `gap` px."""
    cols = (binary_line > 0).any(axis=0)
    xs = np.flatnonzero(cols)
    if xs.size == 0:
        return []
    out = []
    start = prev = int(xs[0])
    for x in xs[1:]:
        x = int(x)
        if x - prev > gap:
            out.append((start, prev + 1))
            start = x
        prev = x
    out.append((start, prev + 1))
    return out


def outside_tables(binary: np.ndarray, tables: list[PxTable]) -> np.ndarray:
    """The page's ink with table areas blanked."""
    out = binary.copy()
    for t in tables:
        x0, y0, x1, y1 = t.box
        out[max(0, y0 - 3):y1 + 4, max(0, x0 - 3):x1 + 4] = 0
    return out
