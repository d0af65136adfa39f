"""Ink apart: red seal ink from black print, uneven light flattened, binarised.

The red channel shows black (and blue) ink dark and red ink as bright as the
paper, so OCR on it reads a value through a seal pressed over it; the seal
itself is kept as a mask for marks.py.
"""

from __future__ import annotations

import weakref

import cv2
import numpy as np

from haizhi.extractors.scan.blobs import components, keep, kept

# the last page's channels and red_mask, by the page array (see blue_ink)
_SPLIT: list[tuple[weakref.ReferenceType, tuple[np.ndarray, np.ndarray, np.ndarray]]] = []
_RED: list[tuple[weakref.ReferenceType, np.ndarray]] = []


def channels(bgr: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The page's b, g, r planes (read-only), split once for the same page array."""
    out = kept(_SPLIT, bgr)
    if out is None:
        out = tuple(cv2.split(bgr))
        for c in out:
            c.flags.writeable = False
        keep(_SPLIT, bgr, out)
    return out


def red_mask(bgr: np.ndarray) -> np.ndarray:
    """255 where the ink is red (seal), else 0.

    Asked for one page several times (text_gray, the reader, seals): the answer for the same page array (the
    same object, still alive) is given again, read-only, not worked out again."""
    out = kept(_RED, bgr)
    if out is not None:
        return out
    out = _reddish(bgr, 45, 60)
    out.flags.writeable = False
    keep(_RED, bgr, out)
    return out


FAINT_RED = 25  # r above max(g, b) by this much: a faded seal's ink (red_mask asks for 45)


def faint_red(bgr: np.ndarray) -> np.ndarray:
    """255 where the ink is red however faded (a seal pressed lightly, washed out by a heavy scan: its ring in
    arcs under red_mask's bar); only for looking for a seal's ring where red_mask found none."""
    return _reddish(bgr, FAINT_RED, 30)


def _reddish(bgr: np.ndarray, over: int, saturation: int) -> np.ndarray:
    """255 where r exceeds max(g, b) by more than over (and 90), its hue red and saturation above saturation.
    Hue and saturation are worked out only around the pixels red enough by the channels (the rest fail anyway)."""
    b, g, r = channels(bgr)
    # r − max(g, b) > over and r > 90: r above max + over saturated at 255 is the same test (r ≤ 255)
    cand = cv2.compare(r, cv2.add(cv2.max(g, b), over), cv2.CMP_GT)
    cv2.bitwise_and(cand, cv2.compare(r, 90, cv2.CMP_GT), dst=cand)
    out = np.zeros(bgr.shape[:2], np.uint8)
    if cv2.countNonZero(cand):
        x, y, w, h = cv2.boundingRect(cand)
        hsv = cv2.cvtColor(np.ascontiguousarray(bgr[y:y + h, x:x + w]), cv2.COLOR_BGR2HSV)
        hue, sat = hsv[:, :, 0], hsv[:, :, 1]
        m = (cand[y:y + h, x:x + w] > 0) & ((hue <= 12) | (hue >= 160)) & (sat > saturation)
        out[y:y + h, x:x + w] = m.view(np.uint8) * np.uint8(255)
    return out


def flatten_light(gray: np.ndarray) -> np.ndarray:
    """Divide out a smooth background so shadows and uneven light become white paper."""
    h, w = gray.shape
    k = max(15, (min(h, w) // 40) | 1)
    small = cv2.resize(gray, (max(1, w // 4), max(1, h // 4)), interpolation=cv2.INTER_AREA)
    bg = cv2.morphologyEx(small, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (k // 4 | 1,) * 2))
    bg = cv2.GaussianBlur(bg, (0, 0), 3)
    bg = cv2.resize(bg, (w, h), interpolation=cv2.INTER_LINEAR)
    out = gray.astype(np.float32)
    out /= np.maximum(bg, 1).astype(np.float32)
    out *= 255
    np.minimum(out, 255, out=out)  # never below 0: gray ≥ 0, bg ≥ 1
    return out.astype(np.uint8)


def text_gray(bgr: np.ndarray) -> np.ndarray:
    """Gray page for OCR: red channel (red seal ink vanishes), light flattened."""
    g = flatten_light(channels(bgr)[2])
    # whatever is still reddish but not dark (seal edges, pink halo) → paper
    m = red_mask(bgr)
    if cv2.countNonZero(m):
        g[(m > 0) & (g > 110)] = 255
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
    out = kept(_BLUE, bgr)
    if out is not None:
        return out
    b, g, r = channels(bgr)
    out = _bluer(b, r, g, 35)
    out.flags.writeable = False
    keep(_BLUE, bgr, out)
    return out


def _bluer(b: np.ndarray, r: np.ndarray, g: np.ndarray, k: int) -> np.ndarray:
    """255 where b − r > k and b − g > 10 (k ≥ 0; the sums saturate at 255, as b ≤ 255 the same test)."""
    out = cv2.compare(b, cv2.add(r, k), cv2.CMP_GT)
    return cv2.bitwise_and(out, cv2.compare(b, cv2.add(g, 10), cv2.CMP_GT), dst=out)


def hand_strokes(bgr: np.ndarray, dpi: float) -> np.ndarray:
    """blue_ink in strokes spanning HAND_BLOB_MM or more: a signature that may be written across print.
    Ticks in boxes are smaller and stay."""
    m = blue_ink(bgr)
    if not m.any():
        return np.zeros_like(m)  # not the kept (read-only) array
    mm = dpi / 25.4
    k = max(3, int(1.0 * mm)) | 1
    grown = cv2.dilate(m, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))
    n, lab, stats, _ = components(grown)
    big = np.zeros(n, bool)
    big[1:] = np.maximum(stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_HEIGHT]) >= HAND_BLOB_MM * mm
    if not big.any():
        return np.zeros_like(m)
    edge = cv2.dilate(m, np.ones((3, 3), np.uint8))  # the strokes' lighter rims
    return np.where(big[lab] & (edge > 0), np.uint8(255), np.uint8(0))


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
    on = cv2.compare(ink, 0, cv2.CMP_GT)
    if cv2.countNonZero(on) < 100:
        return strict
    b, g, r = channels(bgr)
    every = np.flatnonzero(on)[::7]  # every 7th ink pixel
    print_tint = float(np.median(b.ravel()[every].astype(np.int16) - r.ravel()[every]))
    thr = min(35.0, max(float(BLUE_LOOSE), print_tint + BLUE_OVER_PRINT))
    loose = _bluer(b, r, g, int(np.floor(thr)))  # an integer difference above thr: above its floor
    cv2.bitwise_and(loose, on, dst=loose)
    return cv2.bitwise_or(loose, strict)
