"""Hand-ticked checkboxes: a printed ☑ becomes a printed □ with a pen tick (or, now and then, a cross) in it.

People often print the blank form and tick the boxes by hand. On the rendered page (before any
degradation) the ☑ glyph is painted white, an empty □ is printed in its place with the form's own
box font, and a wobbly pen stroke in blue-black or black ink is multiplied over it. The stroke
sits mostly inside the box; its long arm may overshoot the border, as real ticks do.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from functools import cache

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from haizhi.pipeline.simulate.source import Glyph
from haizhi.pipeline.simulate.stamps import fc_font, multiply

CHECKED = "☑"  # the glyph the filled forms print for a chosen option
EMPTY = "□"
BOX_FONT = "Noto Serif CJK SC:light"  # the forms' □ comes from Noto Serif CJK Light
P_CROSS = 0.12  # share of hand marks drawn as an × instead of a tick
_SS = 4  # supersampling of the pen layer


@dataclass
class HandTick:
    page: int  # 1-based page of the form
    box: tuple[float, float, float, float]  # the printed □, in points
    kind: str  # check | cross

    def to_json(self) -> dict:
        return {"page": self.page, "box": [round(v, 1) for v in self.box], "kind": self.kind}


@cache
def _box_font(size_px: int) -> ImageFont.FreeTypeFont | None:
    try:
        path, index = fc_font(BOX_FONT)
        return ImageFont.truetype(path, max(4, size_px), index=index)
    except (OSError, FileNotFoundError):
        return None


@cache
def _box_ink(size_px: int) -> tuple[int, int, int, int]:
    """Ink box of the printed □ relative to its left baseline point (the advance box is wider)."""
    font = _box_font(size_px)
    probe = Image.new("L", (3 * size_px, 3 * size_px), 0)
    ImageDraw.Draw(probe).text((size_px, 2 * size_px), EMPTY, font=font, fill=255, anchor="ls")
    x0, y0, x1, y1 = probe.point(lambda v: 255 if v > 100 else 0).getbbox() or (0, 0, size_px, size_px)
    return x0 - size_px, y0 - 2 * size_px, x1 - 1 - size_px, y1 - 1 - 2 * size_px


def print_empty_box(page: Image.Image, g: Glyph, dpi: float) -> tuple[int, int, int, int]:
    """Erase the printed glyph `g` and print an empty □ in its place; returns the □'s pixel box."""
    s = dpi / 72
    cx0, cy0, cx1, cy1 = (int(round(v * s)) for v in g.box)
    cx0, cy0 = max(0, cx0), max(0, cy0)
    cx1, cy1 = min(page.width, cx1 + 1), min(page.height, cy1 + 1)
    gray = np.asarray(page.crop((cx0, cy0, cx1, cy1)).convert("L"))
    ys, xs = np.nonzero(gray < 200)
    if len(xs):
        ink = (cx0 + int(xs.min()), cy0 + int(ys.min()), cx0 + int(xs.max()), cy0 + int(ys.max()))
    else:  # nothing printed there (should not happen): use the middle of the character cell
        side = (cx1 - cx0) * 0.8
        mx, my = (cx0 + cx1) / 2, (cy0 + cy1) / 2
        ink = (int(mx - side / 2), int(my - side / 2), int(mx + side / 2), int(my + side / 2))
    d = ImageDraw.Draw(page)
    d.rectangle((ink[0] - 1, ink[1] - 1, ink[2] + 1, ink[3] + 1), fill=(255, 255, 255))
    font = _box_font(int(round(g.size * s)))
    mid_x = (ink[0] + ink[2]) / 2
    if font is None:  # no CJK font: a thin square the size of the erased glyph
        w = max(1, int(round(0.05 * g.size * s / 4)))
        d.rectangle(ink, outline=(0, 0, 0), width=w)
        return ink
    bx0, by0, bx1, by1 = _box_ink(int(round(g.size * s)))
    x = mid_x - (bx0 + bx1) / 2
    y = g.baseline * s
    d.text((x, y), EMPTY, font=font, fill=(0, 0, 0), anchor="ls")
    return int(x + bx0), int(y + by0), int(x + bx1), int(y + by1)


def _strokes(rng: random.Random, cross: bool) -> list[list[tuple[float, float]]]:
    """Pen strokes in box units: (0, 0) is the box's top-left corner, (1, 1) its bottom-right."""
    if cross:
        a, b = rng.uniform(0.05, 0.25), rng.uniform(0.78, 1.08)
        c, e = rng.uniform(0.05, 0.25), rng.uniform(0.78, 1.05)
        return [[(a, rng.uniform(0.05, 0.25)), (b, rng.uniform(0.78, 1.05))],
                [(e, rng.uniform(0.05, 0.25)), (c, rng.uniform(0.78, 1.05))]]
    start = (rng.uniform(0.1, 0.3), rng.uniform(0.4, 0.62))
    valley = (rng.uniform(0.36, 0.52), rng.uniform(0.7, 0.86))
    end = (rng.uniform(0.85, 1.3), rng.uniform(-0.3, 0.15))  # the long arm often leaves the box
    pts = [start, valley, end]
    if rng.random() < 0.3:  # a small lead-in hook, as many people write √
        pts.insert(0, (start[0] - rng.uniform(0.03, 0.08), start[1] + rng.uniform(0.02, 0.08)))
    return [pts]


def _wobble(pts: list[tuple[float, float]], rng: random.Random, amp: float) -> list[tuple[float, float]]:
    """Resample a polyline densely and bend it a little with smooth, low-frequency noise."""
    dense: list[tuple[float, float]] = []
    for (x0, y0), (x1, y1) in zip(pts, pts[1:], strict=False):
        n = max(2, int(math.hypot(x1 - x0, y1 - y0) / 0.04))
        dense += [(x0 + (x1 - x0) * t / n, y0 + (y1 - y0) * t / n) for t in range(n)]
    dense.append(pts[-1])
    f1, f2 = rng.uniform(1.0, 2.5), rng.uniform(3.0, 6.0)
    p1, p2 = rng.uniform(0, 2 * math.pi), rng.uniform(0, 2 * math.pi)
    out = []
    m = len(dense) - 1
    for i, (x, y) in enumerate(dense):
        t = i / m
        off = amp * (math.sin(2 * math.pi * f1 * t + p1) + 0.4 * math.sin(2 * math.pi * f2 * t + p2))
        out.append((x + off * 0.6, y + off))
    return out


def draw_hand_mark(side: float, dpi: float, rng: random.Random, cross: bool = False) -> tuple[Image.Image, int]:
    """An RGBA pen tick (or ×) for a box `side` px wide, and the padding: the layer's top-left corner
    goes `pad` px above and left of the box's top-left corner."""
    pad = int(math.ceil(side * 0.8))
    size = int(math.ceil(side)) + 2 * pad
    mask = Image.new("L", (size * _SS, size * _SS), 0)
    d = ImageDraw.Draw(mask)
    scale = rng.uniform(0.85, 1.1)
    rot = math.radians(rng.uniform(-12, 12))
    shift = (rng.uniform(-0.05, 0.05), rng.uniform(-0.05, 0.03))
    pen = rng.uniform(0.25, 0.6) * dpi / 25.4  # pen width in px: ballpoint to gel pen
    pen = max(1.2, min(pen, side * 0.22))
    for stroke in _strokes(rng, cross):
        pts = _wobble(stroke, rng, rng.uniform(0.008, 0.025))
        xy = []
        for x, y in pts:  # scale and turn around the box centre, then into layer pixels
            u, v = (x - 0.5) * scale, (y - 0.5) * scale
            u, v = u * math.cos(rot) - v * math.sin(rot), u * math.sin(rot) + v * math.cos(rot)
            xy.append(((pad + (0.5 + u + shift[0]) * side) * _SS, (pad + (0.5 + v + shift[1]) * side) * _SS))
        taper = rng.uniform(0.45, 0.8)  # the pen lifts off: the stroke thins toward its end
        n = len(xy) - 1
        for i in range(n):
            w = pen * _SS * (1 - (1 - taper) * i / n)
            d.line((xy[i], xy[i + 1]), fill=255, width=max(1, int(round(w))))
            r = w / 2
            d.ellipse((xy[i + 1][0] - r, xy[i + 1][1] - r, xy[i + 1][0] + r, xy[i + 1][1] + r), fill=255)
        r = pen * _SS / 2
        d.ellipse((xy[0][0] - r, xy[0][1] - r, xy[0][0] + r, xy[0][1] + r), fill=255)
    mask = mask.resize((size, size), Image.LANCZOS)
    strength = rng.uniform(0.82, 0.95)
    if rng.random() < 0.6:
        ink = (rng.randint(15, 40), rng.randint(25, 55), rng.randint(90, 150))  # blue-black ballpoint
    else:
        ink = (rng.randint(15, 35),) * 3
    out = Image.new("RGBA", (size, size), ink + (0,))
    out.putalpha(mask.point(lambda v: int(v * strength)))
    return out, pad


def hand_tick_page(page: Image.Image, glyphs: list[Glyph], dpi: float, rng: random.Random,
                   share: float) -> list[HandTick]:
    """Turn a share of the page's printed ☑ into hand-ticked □, in place; the ticks drawn."""
    done: list[HandTick] = []
    s = dpi / 72
    for g in glyphs:
        if g.text != CHECKED or rng.random() >= share:
            continue
        box = print_empty_box(page, g, dpi)
        side = max(box[2] - box[0], box[3] - box[1])
        cross = rng.random() < P_CROSS
        layer, pad = draw_hand_mark(side, dpi, rng, cross)
        multiply(page, layer, (box[0] - pad, box[1] - pad))
        done.append(HandTick(g.page, tuple(v / s for v in box), "cross" if cross else "check"))
    return done
