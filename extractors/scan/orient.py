"""Page rotation (0/90/180/270) and skew.

Quarter turns: characters of an upright page join into long runs across it,
of a sideways page down it; 0 against 180 is decided by the
OCR engine's confidence on a few text lines read both ways up. Skew: the angle
that makes the row profile sharpest, coarse then fine.
"""

from __future__ import annotations

import cv2
import numpy as np

from haizhi.extractors.scan.blobs import components
from haizhi.extractors.scan.engines import Engine, read_plain

MAX_SKEW = 8.0  # degrees


def _small(binary: np.ndarray, width: int = 700) -> np.ndarray:
    h, w = binary.shape
    s = width / max(w, h)
    if s >= 1:
        return binary
    return cv2.resize(binary, (max(1, int(w * s)), max(1, int(h * s))), interpolation=cv2.INTER_AREA)


def _sharpness(binary: np.ndarray, angle: float) -> float:
    h, w = binary.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    r = cv2.warpAffine(binary, m, (w, h), flags=cv2.INTER_NEAREST, borderValue=0)
    # row sums (whole numbers, exact in int32 and in float64): cv2 sums a uint8 image ten times faster than numpy
    prof = cv2.reduce(r, 1, cv2.REDUCE_SUM, dtype=cv2.CV_32S)[:, 0].astype(np.float64)
    return float(np.sum(np.diff(prof) ** 2))


def skew_angle(binary: np.ndarray) -> float:
    """Degrees to rotate (counter-clockwise, cv2 convention) to level the page."""
    b = _small(binary, 900)
    if b.sum() == 0:
        return 0.0
    angles = np.arange(-MAX_SKEW, MAX_SKEW + 1e-6, 0.5)
    scores = [_sharpness(b, a) for a in angles]
    best = float(angles[int(np.argmax(scores))])
    fine = np.arange(best - 0.45, best + 0.46, 0.1)
    scores = [_sharpness(b, a) for a in fine]
    return float(fine[int(np.argmax(scores))])


def rotate(img: np.ndarray, angle: float) -> np.ndarray:
    """Rotate about the centre, keeping the whole page, white outside."""
    if abs(angle) < 0.05:
        return img
    h, w = img.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    cos, sin = abs(m[0, 0]), abs(m[0, 1])
    nw, nh = int(h * sin + w * cos), int(h * cos + w * sin)
    m[0, 2] += nw / 2 - w / 2
    m[1, 2] += nh / 2 - h / 2
    border = (255, 255, 255) if img.ndim == 3 else 255
    return cv2.warpAffine(img, m, (nw, nh), flags=cv2.INTER_LINEAR, borderValue=border)


def quarter(img: np.ndarray, k: int) -> np.ndarray:
    """Rotate by k quarter turns clockwise."""
    k %= 4
    if k == 0:
        return img
    code = {1: cv2.ROTATE_90_CLOCKWISE, 2: cv2.ROTATE_180, 3: cv2.ROTATE_90_COUNTERCLOCKWISE}[k]
    return cv2.rotate(img, code)


def _no_rulings(binary: np.ndarray) -> np.ndarray:
    h, w = binary.shape
    hl = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(9, w // 8), 1)))
    vl = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(9, h // 8))))
    return cv2.subtract(binary, cv2.bitwise_or(hl, vl))


def _line_length(ink: np.ndarray, mm: float) -> int:
    """Total length of text-line-like runs: characters joined along rows, one line high."""
    k = max(3, int(round(0.9 * mm)))  # wider than the gap between characters, narrower than between lines
    blob = cv2.dilate(ink, cv2.getStructuringElement(cv2.MORPH_RECT, (k, 1)))
    n, _, st, _ = components(blob)
    wid, hgt = st[1:n, cv2.CC_STAT_WIDTH].astype(np.int64), st[1:n, cv2.CC_STAT_HEIGHT]
    return int(wid[(2 * mm <= hgt) & (hgt <= 8 * mm) & (wid >= 4 * hgt)].sum())


def is_sideways(binary: np.ndarray, dpi: float | None = None) -> bool:
    """Text runs top to bottom: characters join into long runs down the page, not across it.

    Rulings are removed first. With no text to go by, a landscape page counts as sideways
    (forms are portrait); with some, a landscape page needs less of it running down.
    """
    h, w = binary.shape
    s = min(1.0, 1400 / max(h, w))
    b = cv2.resize(binary, (max(1, int(w * s)), max(1, int(h * s))), interpolation=cv2.INTER_AREA) if s < 1 else binary
    b = ((b > 96) * 255).astype(np.uint8)
    mm = dpi * s / 25.4 if dpi else max(b.shape) / 297  # unknown dpi: an A4 page, long side 297 mm
    long_ = max(9, int(12 * mm))
    hl = cv2.morphologyEx(b, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (long_, 1)))
    vl = cv2.morphologyEx(b, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, long_)))
    ink = cv2.subtract(b, cv2.dilate(cv2.bitwise_or(hl, vl), np.ones((3, 3), np.uint8)))
    across = _line_length(ink, mm)
    down = _line_length(np.ascontiguousarray(ink.T), mm)
    if across == down == 0:
        return w > 1.15 * h
    # a landscape page of a portrait form is sideways unless its text says otherwise: a page turned on a phone's
    # photo with little text on it (two opinion rows, their seals and signatures) reads down only 1.3× across
    return down > (1.0 if w > 1.15 * h else 1.5) * across


def text_lines(binary: np.ndarray, limit: int = 4, dpi: float | None = None) -> list[tuple[int, int, int, int]]:
    """A few likely single text lines (x0, y0, x1, y1), those with the most characters first.

    Rulings go first, down to a short cell's (its sides join the lines in it into one block); a run counts
    only its character-sized pieces, so a heavy scan's ruling left in bits (read 一 both ways) never leads."""
    h, w = binary.shape
    mm = dpi / 25.4 if dpi else max(h, w) / 297  # unknown dpi: an A4 page, long side 297 mm
    k = max(5, w // 80)
    hl = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (w // 8, 1)))
    vl = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, int(5.4 * mm))))
    ink = cv2.subtract(binary, cv2.bitwise_or(hl, vl))
    min_h, max_h = max(8, int(2.5 * mm)), max(20, int(6.6 * mm))  # one line of type, not two
    n, _, st, cen = components(ink)
    cw, ch = st[1:n, cv2.CC_STAT_WIDTH], st[1:n, cv2.CC_STAT_HEIGHT]
    glyph = (ch >= 1.85 * mm) & (cw <= 3 * ch) & (ch <= max_h)
    gx, gy = cen[1:n, 0][glyph], cen[1:n, 1][glyph]
    blob = cv2.dilate(ink, cv2.getStructuringElement(cv2.MORPH_RECT, (k, 1)))
    n, _, stats, _ = components(blob)
    st = stats[1:n]
    bw_, bh_ = st[:, cv2.CC_STAT_WIDTH], st[:, cv2.CC_STAT_HEIGHT]
    cands = []
    for x, y, bw, bh, _a in st[(min_h <= bh_) & (bh_ <= max_h) & (bw_ >= 4 * bh_)].tolist():
        chars = int(((gx >= x) & (gx < x + bw) & (gy >= y) & (gy < y + bh)).sum())
        if chars >= 3:
            cands.append((chars, (x, y, x + bw, y + bh)))
    cands.sort(reverse=True)
    return [b for _, b in cands[:limit]]


JUNK_READ = 0.6  # a line read at under this either way is no evidence of the page's turn


def upside_down(gray: np.ndarray, binary: np.ndarray, engine: Engine, dpi: float | None = None) -> bool:
    """True when the engine reads the page's text lines better turned 180°."""
    up = down = 0.0
    for x0, y0, x1, y1 in text_lines(binary, limit=3, dpi=dpi):
        pad = max(2, (y1 - y0) // 4)
        crop = gray[max(0, y0 - pad):y1 + pad, max(0, x0 - pad):x1 + pad]
        if crop.size == 0:
            continue
        crop = crop[:, : min(crop.shape[1], 10 * crop.shape[0])]
        t1, c1 = read_plain(engine, crop)  # one read each way: views or parts would not tell the turn better
        if c1 >= 0.93 and len(t1) >= 4 and up == down == 0:  # reads fluently as it is: upright
            return False
        t2, c2 = read_plain(engine, cv2.rotate(crop, cv2.ROTATE_180))
        up += c1 * len(t1) if c1 >= JUNK_READ else 0.0  # junk both ways (八1- / 0t6-17000105, each at 0.5: a row
        down += c2 * len(t2) if c2 >= JUNK_READ else 0.0  # of cells read across) tells neither way
        if abs(up - down) > 4 and (up > 2 * down or down > 2 * up):  # clear enough after one line
            break
    return down > 1.4 * up + 2  # a photo's slanted edges and shadows read as junk both ways: ask for clear evidence


def orient(bgr: np.ndarray, engine: Engine, gray_fn, bin_fn, gray: np.ndarray | None = None,
           binary: np.ndarray | None = None, dpi: float | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray, int, float]:
    """Upright, levelled page: (bgr, gray, binary, quarter turns applied clockwise, skew degrees)."""
    gray = gray_fn(bgr) if gray is None else gray
    binary = bin_fn(gray) if binary is None else binary
    k = 0
    if is_sideways(binary, dpi):
        k = 1
        bgr, gray, binary = quarter(bgr, 1), quarter(gray, 1), quarter(binary, 1)
    ang = skew_angle(binary)
    if abs(ang) >= 0.05:
        bgr = rotate(bgr, ang)
        gray = gray_fn(bgr)
        binary = bin_fn(gray)
    if upside_down(gray, binary, engine, dpi):
        k = (k + 2) % 4
        bgr, gray, binary = quarter(bgr, 2), quarter(gray, 2), quarter(binary, 2)
    return bgr, gray, binary, k, ang
