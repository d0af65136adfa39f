"""Ink for the independent scan maker: seals, signatures, hand ticks, and paper/scanner damage.

Written apart from pipeline/simulate (which the readers were tuned on): seals are
drawn with OpenCV (double ring or single ring, star or none, name on the arc with
its own font, ink worn away by a noise field, slight ellipse), signatures are
either a name in a brush-like font sheared and warped per stroke or a cursive
scribble built from random splines, and the page is degraded by its own
chain (skew, blur, noise, JPEG, uneven light, faded toner) or photographed
(perspective, shadow, colour cast).

Every layer is (alpha, colour) and is multiplied onto the page, so print under it stays dark.
"""

from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass
from functools import cache

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

FONTS = {
    "seal": ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
             "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"),
    "hand": ("/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf",
             "/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKaiMono-Regular.ttf",
             "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"),
    "print": ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",),
}
INKS = {"blue": (40, 60, 170), "black": (25, 25, 30), "blue-black": (35, 40, 90)}


@cache
def _font_file(kind: str, i: int) -> str:
    import os

    files = [f for f in FONTS[kind] if os.path.isfile(f)]
    if not files:
        raise FileNotFoundError(f"no {kind} font among {FONTS[kind]}")
    return files[i % len(files)]


def font(kind: str, px: int, i: int = 0) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(_font_file(kind, i), max(6, int(px)))


@dataclass
class Layer:
    """alpha (H, W) float 0..1 and an RGB ink colour, to be multiplied at (x, y) on the page."""

    alpha: np.ndarray
    rgb: tuple[int, int, int]

    @property
    def size(self) -> tuple[int, int]:
        return self.alpha.shape[1], self.alpha.shape[0]


def press(page: np.ndarray, layer: Layer, x: int, y: int) -> None:
    """Multiply layer onto page (H, W, 3 float 0..255) with its top-left at (x, y); clipped at the page."""
    h, w = layer.alpha.shape
    H, W = page.shape[:2]
    x0, y0, x1, y1 = max(0, x), max(0, y), min(W, x + w), min(H, y + h)
    if x0 >= x1 or y0 >= y1:
        return
    a = layer.alpha[y0 - y:y1 - y, x0 - x:x1 - x, None]
    ink = np.array(layer.rgb, np.float32)[None, None, :] / 255.0
    page[y0:y1, x0:x1] *= 1 - a * (1 - ink)


def _wear(shape: tuple[int, int], rng: random.Random, strength: float) -> np.ndarray:
    """A smooth random field 1 − strength·noise: uneven seal ink."""
    nr = np.random.default_rng(rng.randrange(2**32))
    small = nr.random((max(2, shape[0] // 12), max(2, shape[1] // 12))).astype(np.float32)
    field = cv2.resize(small, (shape[1], shape[0]), interpolation=cv2.INTER_CUBIC)
    speck = nr.random(shape).astype(np.float32) < 0.04 * strength
    out = np.clip(1 - strength * field, 0.15, 1)
    out[speck] *= 0.2
    return out


def seal(name: str, dpi: float, rng: random.Random, diameter_mm: float | None = None) -> Layer:
    """An official round seal: ring(s), maybe a star, the name along the upper arc."""
    d = int((diameter_mm or rng.uniform(38, 45)) * dpi / 25.4)
    big = 3 * d  # draw large, then shrink
    im = Image.new("L", (big, big), 0)
    dr = ImageDraw.Draw(im)
    ring = int(big * rng.uniform(0.028, 0.04))
    dr.ellipse((ring, ring, big - ring, big - ring), outline=255, width=ring)
    if rng.random() < 0.3:
        gap = int(big * 0.06)
        dr.ellipse((gap, gap, big - gap, big - gap), outline=255, width=max(2, ring // 3))
    c = big / 2
    if rng.random() < 0.8:
        r = big * 0.13
        pts = [(c + (r if i % 2 == 0 else r * 0.38) * math.cos(-math.pi / 2 + i * math.pi / 5),
                c + (r if i % 2 == 0 else r * 0.38) * math.sin(-math.pi / 2 + i * math.pi / 5)) for i in range(10)]
        dr.polygon(pts, fill=255)
    text = name[:18] or "公章"
    fsz = int(big * (0.15 if len(text) <= 8 else 0.11))
    f = font("seal", fsz, rng.randrange(3))
    span = math.radians(min(250, 28 * len(text) + 40))
    rad = c - ring * 2.2 - fsz * 0.6
    for i, ch in enumerate(text):
        a = -math.pi / 2 - span / 2 + span * (i + 0.5) / len(text)
        g = Image.new("L", (fsz * 2, fsz * 2), 0)
        ImageDraw.Draw(g).text((fsz, fsz), ch, font=f, fill=255, anchor="mm")
        g = g.rotate(-math.degrees(a + math.pi / 2), resample=Image.BICUBIC)
        im.paste(255, (int(c + rad * math.cos(a) - fsz), int(c + rad * math.sin(a) - fsz)), g)
    if rng.random() < 0.3:
        dr.text((c, c + big * 0.27), "专用章", font=font("seal", int(fsz * 0.8), 0), fill=255, anchor="mm")
    sx = rng.uniform(0.93, 1.0)  # pressed unevenly: a little oval
    im = im.rotate(rng.uniform(-25, 25), resample=Image.BICUBIC)
    im = im.resize((max(4, int(d * sx)), d), Image.LANCZOS)
    a = np.asarray(im, np.float32) / 255.0
    a *= _wear(a.shape, rng, rng.uniform(0.15, 0.55)) * rng.uniform(0.75, 0.95)
    rgb = (rng.randint(195, 235), rng.randint(15, 60), rng.randint(25, 70))
    return Layer(a, rgb)


def signature(name: str, dpi: float, rng: random.Random, height_mm: float, ink: str) -> Layer:
    """A handwritten signature about height_mm tall: a sheared, jittered name, or a cursive scribble."""
    h = max(8, int(height_mm * dpi / 25.4))
    if rng.random() < 0.35:
        a = _scribble(h, rng, len(name) or 3)
    else:
        w = int(h * (len(name) + 1) * 0.95)
        im = Image.new("L", (w, int(h * 1.6)), 0)
        dr = ImageDraw.Draw(im)
        x = h * 0.2
        for ch in name:
            sz = int(h * rng.uniform(0.8, 1.1))
            g = Image.new("L", (sz * 2, sz * 2), 0)
            ImageDraw.Draw(g).text((sz, sz), ch, font=font("hand", sz, rng.randrange(3)), fill=255, anchor="mm",
                                   stroke_width=max(0, int(sz / 28 * rng.uniform(0.5, 1.6))), stroke_fill=255)
            g = g.rotate(rng.uniform(-12, 12), resample=Image.BICUBIC)
            im.paste(255, (int(x - sz * 0.5), int(h * 0.8 - sz + rng.uniform(-0.15, 0.15) * h)), g)
            x += sz * rng.uniform(0.7, 0.95)  # handwriting runs characters together
        if rng.random() < 0.6:  # a closing flourish
            y = int(h * rng.uniform(0.9, 1.3))
            dr.line([(int(x - h * 0.5), y), (int(x + h * 0.4), y - int(h * 0.3))], fill=255,
                    width=max(1, h // 14))
        a = np.asarray(im, np.float32)[:, :int(x + h * 0.6)] / 255.0
        shear = rng.uniform(-0.35, 0.1)
        H, W = a.shape
        m = np.float32([[1, shear, -shear * H if shear < 0 else 0], [0, 1, 0]])
        a = cv2.warpAffine(a, m, (W + int(abs(shear) * H), H))
    a = np.clip(a * rng.uniform(0.8, 1.0), 0, 1)
    return Layer(a, INKS[ink])


def _scribble(h: int, rng: random.Random, n: int) -> np.ndarray:
    """Cursive strokes: a spline through jittered points, looping along n character cells."""
    w = int(h * (n * 0.9 + 0.8))
    a = np.zeros((int(h * 1.5), w), np.float32)
    pts = []
    for i in range(n * 4 + 2):
        x = h * 0.3 + (w - h * 0.6) * i / (n * 4 + 1) + rng.uniform(-0.2, 0.2) * h
        y = h * 0.75 + rng.uniform(-0.5, 0.5) * h
        pts.append((x, y))
    t = np.linspace(0, 1, len(pts))
    tt = np.linspace(0, 1, 40 * len(pts))
    xs = np.interp(tt, t, [p[0] for p in pts])
    ys = np.interp(tt, t, [p[1] for p in pts])
    k = np.ones(9) / 9
    xs, ys = np.convolve(xs, k, "same"), np.convolve(ys, k, "same")
    poly = np.stack([xs[5:-5], ys[5:-5]], 1).astype(np.int32)
    cv2.polylines(a, [poly], False, 1.0, thickness=max(1, h // 12), lineType=cv2.LINE_AA)
    return a


def hand_tick(page: np.ndarray, box_px: tuple[int, int, int, int], how: str, rng: random.Random) -> None:
    """Paint over a printed ☑ and mark the option as a person (or another program) would.

    how: box_tick (□ + hand ✓), box_cross (□ + hand ×), box_fill (□ scribbled dark), check (a printed √ or ✓,
    no box), filled (printed ■).
    """
    x0, y0, x1, y1 = box_px
    s = max(6, y1 - y0)
    page[y0:y1 + 1, x0:x1 + 1] = 255  # the printed ☑ goes
    im = Image.fromarray(page.clip(0, 255).astype(np.uint8))
    dr = ImageDraw.Draw(im)
    bx0, by0 = x0 + (x1 - x0 - s * 0.8) / 2, y0 + s * 0.1
    bx1, by1 = bx0 + s * 0.8, by0 + s * 0.8
    ink = tuple(rng.choice(list(INKS.values())))
    if how in ("check", "filled"):
        ch = {"check": rng.choice("√✓"), "filled": "■"}[how]
        dr.text(((x0 + x1) / 2, (y0 + y1) / 2), ch, font=font("print", int(s * 0.9)), fill=(0, 0, 0), anchor="mm")
    else:
        dr.rectangle((bx0, by0, bx1, by1), outline=(0, 0, 0), width=max(1, s // 14))
        lw = max(2, s // 7)
        j = lambda: rng.uniform(-0.12, 0.12) * s  # noqa: E731
        if how == "box_tick":
            dr.line([(bx0 + 0.1 * s + j(), by0 + 0.4 * s + j()), (bx0 + 0.35 * s, by1 - 0.05 * s + j()),
                     (bx1 + 0.25 * s + j(), by0 - 0.3 * s + j())], fill=ink, width=lw, joint="curve")
        elif how == "box_cross":
            dr.line([(bx0 - 0.05 * s, by0 + j()), (bx1 + 0.05 * s, by1 + j())], fill=ink, width=lw)
            dr.line([(bx1 + 0.05 * s, by0 + j()), (bx0 - 0.05 * s, by1 + j())], fill=ink, width=lw)
        else:
            for k in range(7):
                yy = by0 + (k + 0.5) * (by1 - by0) / 7
                dr.line([(bx0 + 1, yy + j() / 3), (bx1 - 1, yy + j() / 3)], fill=ink, width=lw)
    page[:] = np.asarray(im, np.float32)


@dataclass(frozen=True)
class Damage:
    dpi: tuple[int, int]
    skew: float  # degrees, ±
    blur: float  # gaussian sigma in px at 200 dpi
    noise: float  # gray levels
    light: float  # depth of uneven light
    jpeg: tuple[int, int]
    fade: float  # toner fade: print lightened by this share


DAMAGE = {
    "clean": Damage((200, 300), 0.3, 0.0, 2.0, 0.04, (88, 95), 0.0),
    "moderate": Damage((150, 250), 1.5, 0.7, 7.0, 0.18, (60, 78), 0.1),
    "heavy": Damage((150, 200), 3.0, 1.1, 13.0, 0.32, (38, 52), 0.25),
}


def degrade(page: np.ndarray, level: str, dpi: int, rng: random.Random) -> Image.Image:
    """Scanner damage at a level → an RGB image (JPEG-compressed in memory)."""
    dm = DAMAGE[level]
    nr = np.random.default_rng(rng.randrange(2**32))
    img = page.astype(np.float32)
    if dm.fade:
        img = 255 - (255 - img) * (1 - dm.fade * rng.uniform(0.5, 1))
    H, W = img.shape[:2]
    ang = rng.uniform(-dm.skew, dm.skew)
    m = cv2.getRotationMatrix2D((W / 2, H / 2), ang, 1.0)
    img = cv2.warpAffine(img, m, (W, H), borderValue=(250, 250, 250), flags=cv2.INTER_LINEAR)
    if dm.blur:
        img = cv2.GaussianBlur(img, (0, 0), dm.blur * dpi / 200 * rng.uniform(0.7, 1.2))
    if dm.light:
        yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
        cx, cy = rng.uniform(0, W), rng.uniform(0, H)
        dist = np.sqrt((xx - cx) ** 2 + (yy - cy) ** 2) / math.hypot(W, H)
        img *= (1 - dm.light * dist * rng.uniform(0.6, 1.2))[:, :, None]
    img += nr.normal(0, dm.noise, img.shape[:2]).astype(np.float32)[:, :, None]
    out = Image.fromarray(np.clip(img, 0, 255).astype(np.uint8))
    return _jpeg(out, rng.randint(*dm.jpeg))


def photograph(page: np.ndarray, rng: random.Random) -> Image.Image:
    """A phone photo of the page: perspective, a shadow across it, warm cast, a table edge around it."""
    img = page.astype(np.float32)
    H, W = img.shape[:2]
    pad = int(0.025 * W)
    canvas = np.full((H + 2 * pad, W + 2 * pad, 3), (150, 140, 125), np.float32)
    canvas[pad:pad + H, pad:pad + W] = img
    Hc, Wc = canvas.shape[:2]
    j = lambda s: rng.uniform(0, s)  # noqa: E731
    src = np.float32([[0, 0], [Wc, 0], [Wc, Hc], [0, Hc]])
    d = 0.03
    dst = np.float32([[j(d * Wc), j(d * Hc)], [Wc - j(d * Wc), j(d * Hc)], [Wc - j(d * Wc), Hc - j(d * Hc)],
                      [j(d * Wc), Hc - j(d * Hc)]])
    m = cv2.getPerspectiveTransform(src, dst)
    canvas = cv2.warpPerspective(canvas, m, (Wc, Hc), borderValue=(150, 140, 125))
    yy, xx = np.mgrid[0:Hc, 0:Wc].astype(np.float32)
    ang = rng.uniform(0, math.pi)
    edge = (xx * math.cos(ang) + yy * math.sin(ang)) / math.hypot(Wc, Hc) - rng.uniform(0.3, 0.7)
    shade = 1 - 0.35 * (1 / (1 + np.exp(-edge * 25)))
    canvas *= shade[:, :, None]
    canvas *= np.array([0.93, 0.97, 1.0], np.float32)[None, None, :]  # RGB: warm cast (less blue)
    canvas = cv2.GaussianBlur(canvas, (0, 0), 0.8)
    canvas += np.random.default_rng(rng.randrange(2**32)).normal(0, 4, canvas.shape[:2])[:, :, None]
    return _jpeg(Image.fromarray(np.clip(canvas, 0, 255).astype(np.uint8)), rng.randint(72, 85))


def _jpeg(im: Image.Image, q: int) -> Image.Image:
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=q)
    buf.seek(0)
    return Image.open(buf).convert("RGB")
