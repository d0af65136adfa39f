"""Ink apart: red seal ink from black print, uneven light flattened, binarised.

The red channel shows black (and blue) ink dark and red ink as bright as the
paper, so OCR on it reads a value through a seal pressed over it; the seal
itself is kept as a mask for marks.py.
"""

from __future__ import annotations

import contextlib
import weakref

import cv2
import numpy as np


def red_mask(bgr: np.ndarray) -> np.ndarray:
    """255 where the ink is red (seal), else 0."""
    b, g, r = (bgr[:, :, i].astype(np.int16) for i in range(3))
    redness = r - np.maximum(g, b)
    hsv = cv2.cvtColor(bgr, cv2.COLOR_BGR2HSV)
    h, s = hsv[:, :, 0], hsv[:, :, 1]
    hue_red = (h <= 12) | (h >= 160)
    m = (redness > 45) & hue_red & (s > 60) & (r > 90)
    return (m.astype(np.uint8)) * 255


def flatten_light(gray: np.ndarray) -> np.ndarray:
    """Divide out a smooth background so shadows and uneven light become white paper."""
    h, w = gray.shape
    k = max(15, (min(h, w) // 40) | 1)
    small = cv2.resize(gray, (max(1, w // 4), max(1, h // 4)), interpolation=cv2.INTER_AREA)
    bg = cv2.morphologyEx(small, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (k // 4 | 1,) * 2))
    bg = cv2.GaussianBlur(bg, (0, 0), 3)
    bg = cv2.resize(bg, (w, h), interpolation=cv2.INTER_LINEAR)
    out = gray.astype(np.float32) / np.maximum(bg.astype(np.float32), 1) * 255
    return np.clip(out, 0, 255).astype(np.uint8)


def text_gray(bgr: np.ndarray) -> np.ndarray:
    """Gray page for OCR: red channel (red seal ink vanishes), light flattened."""
    r = bgr[:, :, 2]
    g = flatten_light(r)
    # whatever is still reddish but not dark (seal edges, pink halo) → paper
    m = red_mask(bgr)
    g = np.where((m > 0) & (g > 110), 255, g).astype(np.uint8)
    return g


def binarize(gray: np.ndarray) -> np.ndarray:
    """Ink = 255, paper = 0 (Otsu on the flattened page, never too greedy)."""
    blur = cv2.GaussianBlur(gray, (3, 3), 0)
    t, _ = cv2.threshold(blur, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    t = min(max(t, 90), 200)
    return ((blur < t).astype(np.uint8)) * 255


def is_photo(bgr: np.ndarray) -> bool:
    """A page that is a photograph, not a document: little paper-white, many mid tones."""
    small = cv2.resize(bgr, (200, int(200 * bgr.shape[0] / max(1, bgr.shape[1])) or 1),
                       interpolation=cv2.INTER_AREA)
    gray = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
    white = float((flatten_light(gray) > 200).mean())
    mid = float(((gray > 60) & (gray < 170)).mean())
    sat = float((cv2.cvtColor(small, cv2.COLOR_BGR2HSV)[:, :, 1] > 80).mean())
    return white < 0.45 or mid > 0.6 or sat > 0.35


HAND_BLOB_MM = 10.0  # coloured handwriting this wide or tall is a signature or note, not a tick (≤ ~6 mm)


_BLUE: list[tuple[weakref.ReferenceType, np.ndarray]] = []  # the last page's blue_ink, by the page array


def blue_ink(bgr: np.ndarray) -> np.ndarray:
    """255 where the ink is clearly blue (ballpoint, blue-black): print on these forms is black and seals
    are red, so such ink is handwriting wherever it lies. Print, even tinted by a photo or a seal, stays
    well below.

    The scan reader asks twice for one page (hand_strokes, then the marks): the answer for the same page
    array (the same object, still alive) is given again, read-only, not worked out again."""
    for ref, out in _BLUE:
        if ref() is bgr:
            return out
    b, g, r = (bgr[:, :, i].astype(np.int16) for i in range(3))
    out = (((b - r) > 35) & ((b - g) > 10)).astype(np.uint8) * 255
    out.flags.writeable = False
    with contextlib.suppress(TypeError):  # an array-like without weak references: not kept
        _BLUE[:] = [(weakref.ref(bgr), out)]
    return out


def hand_strokes(bgr: np.ndarray, dpi: float) -> np.ndarray:
    """blue_ink in strokes spanning HAND_BLOB_MM or more: a signature that may be written across print.
    Ticks in boxes are smaller and stay."""
    m = blue_ink(bgr)
    if not m.any():
        return np.zeros_like(m)  # not the kept (read-only) array
    mm = dpi / 25.4
    k = max(3, int(1.0 * mm)) | 1
    grown = cv2.dilate(m, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))
    n, lab, stats, _ = cv2.connectedComponentsWithStats(grown, connectivity=8)
    big = np.zeros(n, bool)
    big[1:] = np.maximum(stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_HEIGHT]) >= HAND_BLOB_MM * mm
    if not big.any():
        return np.zeros_like(m)
    edge = cv2.dilate(m, np.ones((3, 3), np.uint8))  # the strokes' lighter rims
    return np.where(big[lab] & (edge > 0), 255, 0).astype(np.uint8)


BLUE_OVER_PRINT = 12  # blue (b − r) this far above the page's print: ink of another colour, by this page's light
BLUE_LOOSE = 15  # ... never less than this (JPEG colour fringes of black print stay under 10)


def page_blue_ink(bgr: np.ndarray, ink: np.ndarray) -> np.ndarray:
    """blue_ink measured against the page's own print (ink: its binarised ink): a phone photo's warm cast and
    even_light take much of a blue-black pen's blue away (b − r 15–30 where print is 5), under blue_ink's
    fixed 35. Print is nearly all the page's ink, so its median tint is the print's; ink well bluer than that
    is handwriting. Never stricter than blue_ink."""
    strict = blue_ink(bgr)
    if bgr.ndim != 3 or ink.shape != bgr.shape[:2]:
        return strict
    on = ink > 0
    if int(on.sum()) < 100:
        return strict
    b, g, r = (bgr[:, :, i].astype(np.int16) for i in range(3))
    print_tint = float(np.median((b - r)[on][::7]))
    thr = min(35.0, max(float(BLUE_LOOSE), print_tint + BLUE_OVER_PRINT))
    loose = on & ((b - r) > thr) & ((b - g) > 10)
    return np.where(loose | (strict > 0), np.uint8(255), np.uint8(0))
