"""The scan reader's pixel work made cheaper gives the same answers: each faster function against the plain
form it replaced (kept here as the reference), on tricky small images and on a cell cut from a TUNE page
(coop photo 11707: boxes ticked, crossed into their label ⊠创, empty)."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from haizhi.extractors.scan import checkboxes as cb
from haizhi.extractors.scan import ink
from haizhi.extractors.scan.blobs import components, line_masks
from haizhi.extractors.scan.cells import find_tables
from haizhi.extractors.scan.tick_glyphs import printed_ticks

DATA = Path(__file__).parent / "data"


def _halves_ref(rects: list, lo: float, hi: float, t: int) -> list:
    parts = [r for r in rects if lo / 4 <= max(r[2], r[3]) <= hi]
    out = []
    for along in (0, 1):
        span = sorted(parts, key=lambda r: r[along])
        for i, p in enumerate(span):
            for q in span[i + 1:]:
                if q[along] - p[along] > t + 1:
                    break
                lo_, hi_ = sorted((p, q), key=lambda r: r[1 - along])
                if abs(p[along] + p[2 + along] - q[along] - q[2 + along]) <= t + 1 \
                        and -max(t + 1, min(p[3 - along], q[3 - along]) // 2) \
                        <= hi_[1 - along] - (lo_[1 - along] + lo_[3 - along]) <= t + 3:
                    x0, y0 = min(p[0], q[0]), min(p[1], q[1])
                    out.append((x0, y0, max(p[0] + p[2], q[0] + q[2]) - x0, max(p[1] + p[3], q[1] + q[3]) - y0))
    return out


def _reach_ref(lines: np.ndarray) -> int:
    ends = []
    for ln in lines:
        on = np.flatnonzero(ln)
        if on.size:
            gap = np.flatnonzero(~ln[on[0]:])
            ends.append(on[0] + (int(gap[0]) if gap.size else ln.size - on[0]))
    return int(np.median(ends)) if ends else 0


def _longest_ref(row: np.ndarray) -> int:
    edges = np.flatnonzero(np.diff(np.concatenate(([0], row.astype(np.int8), [0]))))
    return int((edges[1::2] - edges[::2]).max()) if edges.size else 0


def test_box_halves_paired_all_at_once_as_one_by_one() -> None:
    rng = np.random.default_rng(7)
    # two halves of one box (a top and a bottom, a left and a right), ties in x and y, and noise around them
    rects = [(10, 10, 20, 9), (10, 20, 20, 10), (50, 10, 9, 20), (60, 10, 10, 20), (10, 10, 20, 9)]
    rects += [tuple(int(v) for v in rng.integers([0, 0, 2, 2], [80, 80, 30, 30])) for _ in range(300)]
    got = cb._halves(rects, 16.7, 47.2, 2)
    assert got == _halves_ref(rects, 16.7, 47.2, 2)
    assert (10, 10, 20, 20) in got and (50, 10, 20, 20) in got
    assert all(type(v) is int for r in got for v in r)
    assert cb._halves([], 16.7, 47.2, 2) == []


def _insets_ref(sq: np.ndarray) -> tuple[int, ...]:
    h, w = sq.shape
    if h < 8 or w < 8:
        return 0, 0, 0, 0
    rows, cols = sq[h // 4:h - h // 4], sq[:, w // 4:w - w // 4].T
    sides = [_reach_ref(rows), _reach_ref(rows[:, ::-1]), _reach_ref(cols), _reach_ref(cols[:, ::-1])]
    cap = min(min(sides) + 2, min(h, w) // 3)
    return tuple(min(v, cap) for v in sides)


def test_outline_reach_and_longest_runs_as_row_by_row() -> None:
    rng = np.random.default_rng(3)
    for _ in range(300):
        h, w = rng.integers(1, 40, 2)
        sq = rng.random((h, w)) < rng.random()
        sq[rng.integers(0, h)] = True  # a row inked to the end: no paper after its ink
        if rng.random() < 0.3:
            sq[:, : rng.integers(0, w)] = False  # blank rows and columns on one side
        assert cb._longest_runs(sq).tolist() == [_longest_ref(r) for r in sq]
        assert cb._outline_insets(sq) == _insets_ref(sq)
    box = np.zeros((20, 20), bool)
    box[2:5, 2:18] = box[15:18, 2:18] = box[2:18, 2:4] = box[2:18, 16:18] = True  # bold top and bottom
    assert cb._outline_insets(box) == (4, 4, 5, 5)


def test_a_cell_of_boxes_from_a_tune_page_reads_as_before() -> None:
    binary = cv2.imread(str(DATA / "cpunp_coop_services_photo_11707.png"), cv2.IMREAD_GRAYSCALE)
    got = [(b.box, bool(b.checked), round(b.fill, 6), b.crossed) for b in cb.find_boxes(binary, 200.0)]
    assert got == [((15, 8, 37, 30), False, 0.0, False), ((144, 3, 170, 27), True, 0.727679, False),
                   ((231, 7, 258, 34), True, 0.93007, False), ((307, 8, 329, 30), False, 0.0, False),
                   ((15, 92, 36, 114), False, 0.0, False), ((15, 50, 37, 71), False, 0.0, False),
                   ((161, 48, 188, 75), True, 0.85641, False), ((177, 92, 199, 114), False, 0.0, False),
                   ((234, 48, 260, 73), False, 0.0, False), ((337, 92, 360, 115), True, 0.335165, False),
                   ((398, 50, 420, 72), False, 0.0, False), ((15, 134, 36, 156), False, 0.0, False)]
    assert all(type(b.fill) is float and type(b.checked) is bool for b in cb.find_boxes(binary, 200.0))


def _ticks_ref(band: np.ndarray, boxes: list, y0: int) -> list:
    from haizhi.extractors.scan.glyph_boxes import ink_runs
    from haizhi.extractors.scan.tick_glyphs import _tick_shaped

    rows = np.flatnonzero((band > 0).any(axis=1))
    if rows.size == 0:
        return []
    top, bot = int(rows[0]), int(rows[-1])
    text_h = bot - top + 1
    out = []
    for a, b in ink_runs(band):
        if any(x.box[0] - 2 <= a and b <= x.box[2] + 2 for x in boxes):
            continue
        obj = band[:, a:b] > 0
        r = np.flatnonzero(obj.any(axis=1))
        if r[0] - top < 0.12 * text_h or bot - r[-1] > 0.25 * text_h or not _tick_shaped(obj, text_h):
            continue
        out.append((a, y0 + int(r[0]), b, y0 + int(r[-1]) + 1, float(obj.mean())))
    return out


def test_printed_ticks_as_run_by_run() -> None:
    binary = cv2.imread(str(DATA / "cpunp_coop_services_photo_11707.png"), cv2.IMREAD_GRAYSCALE)
    boxes = cb.find_boxes(binary, 200.0)
    for y0, y1 in ((0, 40), (40, 85), (85, 125), (125, 160)):
        band = binary[y0:y1]
        for kept in (boxes, []):
            got = [(*b.box, b.fill) for b in printed_ticks(band, kept, y0)]
            assert got == _ticks_ref(band, kept, y0)
    tick = np.zeros((30, 60), np.uint8)  # a ✔ low on a line of one character's height
    cv2.rectangle(tick, (2, 2), (20, 28), 255, 2)
    cv2.polylines(tick, [np.array([[30, 18], [35, 27], [48, 10]])], False, 255, 3)
    assert [(*b.box, b.fill) for b in printed_ticks(tick, [], 0)] == _ticks_ref(tick, [], 0)


def test_ink_masks_as_the_int16_formulas() -> None:
    rng = np.random.default_rng(5)
    for n in range(40):
        h, w = (int(v) for v in rng.integers(1, 120, 2))
        bgr = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
        if n % 4 == 0:
            bgr[..., 2] = np.maximum(bgr[..., 2], 230)  # near-saturated red: r + 45 over 255
        if n % 4 == 1:
            bgr[..., 0] = np.maximum(bgr[..., 0], 240)
        b, g, r = (bgr[:, :, i].astype(np.int16) for i in range(3))
        hsv = cv2.cvtColor(bgr, cv2.COLOR_BGR2HSV)
        red = ((r - np.maximum(g, b) > 45) & ((hsv[..., 0] <= 12) | (hsv[..., 0] >= 160)) & (hsv[..., 1] > 60)
               & (r > 90)).astype(np.uint8) * 255
        assert np.array_equal(ink.red_mask(bgr), red)
        assert ink.red_mask(bgr) is ink.red_mask(bgr)  # the same page: made once, kept read-only
        assert not ink.red_mask(bgr).flags.writeable
        blue = (((b - r) > 35) & ((b - g) > 10)).astype(np.uint8) * 255
        assert np.array_equal(ink.blue_ink(bgr.copy()), blue)
        on = rng.random((h, w)) < rng.random()
        got = ink.page_blue_ink(bgr.copy(), on.astype(np.uint8) * 255)
        if on.sum() >= 100:
            thr = min(35.0, max(float(ink.BLUE_LOOSE), float(np.median((b - r)[on][::7])) + ink.BLUE_OVER_PRINT))
            blue = np.where((on & ((b - r) > thr) & ((b - g) > 10)) | (blue > 0), 255, 0).astype(np.uint8)
        assert np.array_equal(got, blue)


def test_components_as_opencv_even_past_16_bit_labels() -> None:
    rng = np.random.default_rng(1)
    m = ((rng.random((300, 400)) < 0.3) * 255).astype(np.uint8)
    for a, b in zip(components(m), cv2.connectedComponentsWithStats(m, connectivity=8), strict=True):
        assert np.array_equal(a, b)
    dots = np.zeros((600, 600), np.uint8)
    dots[::2, ::2] = 255  # 90 000 components: more than 16-bit labels hold
    n, lab, st, _ = components(dots)
    assert n == 90_001 and int(lab.max()) == 90_000 and st.shape == (90_001, 5)


def test_line_masks_kept_for_the_page_and_untouched_by_find_tables() -> None:
    page = np.zeros((400, 500), np.uint8)
    for y in (20, 120, 220, 380):
        page[y:y + 2, 20:480] = 255
    for x in (20, 250, 479):
        page[20:382, x:x + 2] = 255
    red = np.zeros_like(page)
    red[100:140, 200:300] = 255  # a seal over a ruling: bridged on the table's own copy
    page[120:122, 230:270] = 0
    fresh = [m.copy() for m in line_masks(page.copy())]
    hm, vm = line_masks(page)
    assert line_masks(page)[0] is hm and not hm.flags.writeable
    assert len(find_tables(page, red, 200.0)) == 1
    assert np.array_equal(hm, fresh[0]) and np.array_equal(vm, fresh[1])
