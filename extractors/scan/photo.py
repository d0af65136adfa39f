"""A phone photo of a form: the sheet found against what lies around it and flattened.

A photographed page shows the sheet as a four-sided shape, its edges converging (the phone
was not parallel to the paper), on a darker desk or table. Its table rulings are then not
parallel, and cells are found badly. flatten_sheet finds the sheet's outline (the largest
outer edge contour, reduced to four corners) and maps it onto an upright rectangle.

It only acts when the outline is clearly a sheet on a background: it covers at least half the
image, what lies outside it is much darker than the paper, and its corners are not already
the image's own. A scan (paper to the edges), or a table outline on white paper, is left as is.
"""

from __future__ import annotations

import cv2
import numpy as np

WORK_SIDE = 800  # the outline is looked for on a copy this long
MIN_AREA = 0.5  # share of the image the sheet covers at least
DARKER = 0.8  # outside median brightness below this share of the paper's
INSET = 0.004  # corners pulled towards the centre by this share: no desk edge left as a ruling
MIN_OFFSET = 0.008  # corners nearer the frame than this share of its size: nothing to flatten


def sheet_corners(bgr: np.ndarray) -> np.ndarray | None:
    """The sheet's corners (tl, tr, br, bl) in image pixels, or None when the image is no photo of a sheet."""
    h, w = bgr.shape[:2]
    s = WORK_SIDE / max(h, w)
    small = cv2.resize(bgr, (max(1, int(w * s)), max(1, int(h * s))), interpolation=cv2.INTER_AREA)
    gray = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY) if small.ndim == 3 else small
    edges = cv2.dilate(cv2.Canny(cv2.GaussianBlur(gray, (5, 5), 0), 20, 60), np.ones((3, 3), np.uint8))
    contours, _ = cv2.findContours(edges, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    hull = cv2.convexHull(max(contours, key=cv2.contourArea))
    peri = cv2.arcLength(hull, True)
    quad = None
    for eps in (0.01, 0.02, 0.03, 0.05):
        approx = cv2.approxPolyDP(hull, eps * peri, True)
        if len(approx) == 4:
            quad = approx.reshape(4, 2).astype(np.float32)
            break
    if quad is None:
        return None
    sh, sw = gray.shape[:2]
    if cv2.contourArea(quad) < MIN_AREA * sh * sw:
        return None
    mask = np.zeros((sh, sw), np.uint8)
    cv2.fillConvexPoly(mask, quad.astype(np.int32), 255)
    inside, outside = gray[mask > 0], gray[mask == 0]
    if outside.size < 0.02 * sh * sw or float(np.median(outside)) > DARKER * float(np.median(inside)):
        return None
    corners = _order(quad)
    frame = np.float32([[0, 0], [sw, 0], [sw, sh], [0, sh]])
    if float(np.abs(corners - frame).max()) < MIN_OFFSET * max(sh, sw):
        return None
    centre = corners.mean(axis=0)
    corners = corners + (centre - corners) * INSET * 2
    return corners / s


def _order(pts: np.ndarray) -> np.ndarray:
    """Top-left, top-right, bottom-right, bottom-left."""
    total, diff = pts.sum(axis=1), np.diff(pts, axis=1).ravel()
    return np.float32([pts[np.argmin(total)], pts[np.argmin(diff)], pts[np.argmax(total)], pts[np.argmax(diff)]])


def flatten_sheet(bgr: np.ndarray) -> tuple[np.ndarray, bool]:
    """(the sheet mapped onto an upright rectangle, True), or (the image unchanged, False)."""
    c = sheet_corners(bgr)
    if c is None:
        return bgr, False
    tl, tr, br, bl = c
    width = int(round(max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl))))
    height = int(round(max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr))))
    if width < 50 or height < 50:
        return bgr, False
    dst = np.float32([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]])
    m = cv2.getPerspectiveTransform(c.astype(np.float32), dst)
    border = (255, 255, 255) if bgr.ndim == 3 else 255
    out = cv2.warpPerspective(bgr, m, (width, height), flags=cv2.INTER_LINEAR, borderValue=border)
    return out, True
