"""Print under a coloured signature, given back: the signature's ink divided out.

A pen's ink lies over the print like a filter: where a blue stroke crosses a black character the page is
the stroke's colour times the print's grey, darker than either. Dividing each pixel of the signature's
footprint by the stroke's own colour there leaves the print under it, dark, and the stroke alone (or over
a red seal) as paper. The footprint is told by its hue: blue ink keeps blue well above green in every
blend with grey print or a red seal, while print, paper and seal have them about equal.
"""

from __future__ import annotations

import cv2
import numpy as np

from haizhi.extractors.scan.ink import blue_ink

BLUISH = 1.3  # blue over green in a signature's footprint (its own ink ~1.6; print, paper, seal ~1.0–1.1)
RIM = 1.08  # … on its rim, a stroke's edge blended with paper
LEVEL_PX = 9  # the window over which a stroke's own colour is taken (it varies along the stroke)


def unsigned(bgr: np.ndarray, base: np.ndarray, hand: np.ndarray) -> np.ndarray:
    """base (a grey view of the same crop: the OCR image or the plain red channel) with the footprint of
    the signature strokes in hand (255 = a signature's blue ink) replaced by the print under them."""
    sig = (blue_ink(bgr) > 0) & (hand > 0)
    if not sig.any():
        return base
    f = bgr.astype(np.float32)
    hue = (f[:, :, 0] + 8) / (f[:, :, 1] + 8)  # damped: a dark pixel's ratio is noise
    n, lab = cv2.connectedComponents((hue > BLUISH).astype(np.uint8), connectivity=8)
    keep = np.zeros(n, bool)
    keep[np.unique(lab[sig])] = True
    keep[0] = False
    foot = keep[lab]  # bluish ink joined to a signature's strokes (under a seal or over print, too)
    foot |= (cv2.dilate(foot.astype(np.uint8), np.ones((5, 5), np.uint8)) > 0) & (hue > RIM)
    near = cv2.blur(sig.astype(np.float32), (LEVEL_PX, LEVEL_PX))
    ratio = np.zeros(base.shape, np.float32)
    for c in range(3):  # the stroke's colour near each pixel; what is left is the print's grey (max: a seal's red)
        ch = f[:, :, c]
        mean = float(np.median(ch[sig]))
        level = np.where(near > 0.02, cv2.blur(ch * sig, (LEVEL_PX, LEVEL_PX)) / np.maximum(near, 1e-3), mean)
        ratio = np.maximum(ratio, ch / np.maximum(level, 1.0))
    out = base.copy()
    out[foot] = np.clip(ratio[foot] * 255, 0, 255).astype(np.uint8)
    return out
