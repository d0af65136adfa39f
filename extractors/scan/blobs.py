"""A page's binary image in parts: connected components (fast), ruling-line masks (kept for the page)."""

from __future__ import annotations

import contextlib
import weakref

import cv2
import numpy as np


def components(mask: np.ndarray, connectivity: int = 8) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
    """cv2.connectedComponentsWithStats, the same labels, stats and centroids, some three times faster: with
    16-bit labels (OpenCV then takes its plain path), 32-bit ones only when there are too many for 16."""
    try:
        return cv2.connectedComponentsWithStats(mask, connectivity=connectivity, ltype=cv2.CV_16U)
    except cv2.error:  # 65535 components or more
        return cv2.connectedComponentsWithStats(mask, connectivity=connectivity)


def kept(cache: list, page: np.ndarray):  # noqa: ANN201
    """The answer kept in cache for this page array (the same object, still alive), else None."""
    for ref, out in cache:
        if ref() is page:
            return out
    return None


def keep(cache: list, page: np.ndarray, out: object) -> None:
    """Keep out as cache's answer for this page array (the last page's only)."""
    with contextlib.suppress(TypeError):  # an array-like without weak references: not kept
        cache[:] = [(weakref.ref(page), out)]


_MASKS: list[tuple[weakref.ReferenceType, tuple[np.ndarray, np.ndarray]]] = []  # the last page's line_masks


def densest_rows(prof: np.ndarray, h: int) -> tuple[int, int]:
    """(top, k): where the densest window of k = h rows (at most the profile's length, at least one) starts in a
    crop's row profile of ink. The densest one-em window of a run is its printed line (handwriting makes runs
    taller). (0, 0) for an empty profile."""
    n = len(prof)
    if n == 0:
        return 0, 0
    k = max(1, min(n, h))
    return int(np.argmax(np.convolve(np.asarray(prof, dtype=np.float64), np.ones(k), mode="valid"))), k


def print_band(ink: np.ndarray, hand: np.ndarray | None, h: int) -> tuple[int, int]:
    """densest_rows of a run's ink (crop) leaving out its handwriting (hand: the same crop of the page's coloured
    handwriting, or None): a thick signature's rows are denser than the print's (省级科协意见 under 张明华)."""
    ink = ink > 0
    if hand is not None and hand.shape == ink.shape and hand.any():
        ink = ink & ~(hand > 0)
    if ink.shape[0] > 1.6 * h:  # a run much taller than type: black strokes taller than any character are a
        # signature's (张明华 written down over the next block's label 所在地市科协意见: TUNE base heavy 12630)
        n, lab, st, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
        tall = np.flatnonzero(st[:, cv2.CC_STAT_HEIGHT] > 1.5 * h)
        tall = tall[tall > 0]
        if tall.size:
            rest = ink & ~np.isin(lab, tall)
            if rest.sum() >= 0.3 * h * h:  # a character's ink or more left
                ink = rest
    return densest_rows(ink.sum(axis=1), h)


def line_masks(binary: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Horizontal and vertical ruling lines (ink = 255), read-only: asked twice for one page (find_tables,
    the marks' _without_rulings), given again for the same page array (the same object, still alive)."""
    out = kept(_MASKS, binary)
    if out is not None:
        return out
    h, w = binary.shape
    bridged = cv2.morphologyEx(binary, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (5, 1)))
    hm = cv2.morphologyEx(bridged, cv2.MORPH_OPEN,
                          cv2.getStructuringElement(cv2.MORPH_RECT, (max(30, w // 22), 1)))
    bridged = cv2.morphologyEx(binary, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (1, 5)))
    vm = cv2.morphologyEx(bridged, cv2.MORPH_OPEN,
                          cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(30, h // 45))))
    hm.flags.writeable = vm.flags.writeable = False
    keep(_MASKS, binary, (hm, vm))
    return hm, vm
