"""Red official seals and handwritten signatures, drawn with Pillow.

Seal: ring, five-pointed star, organisation name along the upper arc, with
uneven ink (speckled, lighter patches). Signature: a Kai font with per-glyph
jitter, slant and stroke weight, in black or blue-black ink. Both come as an
RGBA layer that is multiplied onto the page, so print under a seal stays dark.
"""

from __future__ import annotations

import math
import random
from functools import cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

SEAL_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)
SIGN_FONTS = (
    "/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf",
    "/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Light.ttf",
)


@cache
def _font_path(candidates: tuple[str, ...]) -> str:
    for p in candidates:
        if Path(p).is_file():
            return p
    import glob

    for pat in ("/usr/share/fonts/**/*WenKai*.ttf", "/usr/share/fonts/**/*CJK*.ttc", "/usr/share/fonts/**/*.tt[fc]"):
        hits = sorted(glob.glob(pat, recursive=True))
        if hits:
            return hits[0]
    raise FileNotFoundError("找不到可用的中文字体（需要 Noto CJK 或霞鹜文楷）")


@cache
def sc_face_index(path: str) -> int:
    """Face index of the Simplified Chinese face of a font collection (.ttc/.otc); 0 for a single font.

    The Noto CJK collections start with the Japanese face (海 with one stroke where Chinese has two
    dots); their SC face is the one whose PostScript name holds "sc-" (or family ends in " SC").
    """
    if not path.lower().endswith((".ttc", ".otc")):
        return 0
    from fontTools.ttLib import TTCollection

    try:
        coll = TTCollection(path, lazy=True)
    except (OSError, ValueError, AssertionError):
        return 0
    try:
        for i, face in enumerate(coll.fonts):
            ps = str(face["name"].getDebugName(6) or "")
            family = str(face["name"].getDebugName(16) or face["name"].getDebugName(1) or "")
            if "sc-" in ps.lower() or family.endswith(" SC"):
                return i
    finally:
        coll.close()
    return 0


@cache
def fc_font(pattern: str, fallback: tuple[str, ...] = SEAL_FONTS) -> tuple[str, int]:
    """(file, face index) of a CJK font from fontconfig (`fc-match`), else the first fallback found.

    Asked with lang=zh-cn, and a collection's face is always its Simplified Chinese one.
    """
    import shutil
    import subprocess

    if shutil.which("fc-match"):
        try:
            out = subprocess.run(["fc-match", "-f", "%{file}|%{index}", f"{pattern}:lang=zh-cn"],
                                 capture_output=True, text=True, timeout=10).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            out = ""
        path, _, idx = out.partition("|")
        # fc-match always answers; only trust it when it found a CJK face
        if path and Path(path).is_file() and any(k in path for k in ("CJK", "WenKai", "wqy", "SourceHan")):
            return path, sc_face_index(path) if path.lower().endswith((".ttc", ".otc")) else int(idx or 0)
    path = _font_path(fallback)
    return path, sc_face_index(path)


def _font(candidates: tuple[str, ...], size: int) -> ImageFont.FreeTypeFont:
    path = _font_path(candidates)
    return ImageFont.truetype(path, max(4, size), index=sc_face_index(path))


def _star(d: ImageDraw.ImageDraw, cx: float, cy: float, r: float, fill: tuple) -> None:
    pts = []
    for i in range(10):
        a = -math.pi / 2 + i * math.pi / 5
        rr = r if i % 2 == 0 else r * 0.382
        pts.append((cx + rr * math.cos(a), cy + rr * math.sin(a)))
    d.polygon(pts, fill=fill)


def draw_seal(name: str, dpi: float, rng: random.Random, diameter_mm: float = 42.0,
              faint: float = 0.0) -> Image.Image:
    """An RGBA official seal for `name` (organisation), about diameter_mm across."""
    px = int(diameter_mm * dpi / 25.4)
    s = 2  # draw at double size, then scale down (smoother edges)
    size = px * s
    im = Image.new("L", (size, size), 0)
    d = ImageDraw.Draw(im)
    c = size / 2
    ring = max(2, int(size * 0.035))
    d.ellipse((ring // 2 + 1, ring // 2 + 1, size - ring // 2 - 2, size - ring // 2 - 2), outline=255, width=ring)
    _star(d, c, c, size * 0.16, 255)
    text = name[:22] or "单位"
    n = len(text)
    span = min(250.0, 30 + 12.5 * n)  # degrees of arc the name covers
    fsize = int(size * (0.15 if n <= 10 else 0.12 if n <= 15 else 0.10))
    font = _font(SEAL_FONTS, fsize)
    radius = c - ring - fsize * 0.62
    for i, ch in enumerate(text):
        ang = -90 - span / 2 + span * (i + 0.5) / n  # degrees, 0 = east, clockwise
        a = math.radians(ang)
        glyph = Image.new("L", (fsize * 2, fsize * 2), 0)
        ImageDraw.Draw(glyph).text((fsize, fsize), ch, font=font, fill=255, anchor="mm")
        glyph = glyph.rotate(-(ang + 90), resample=Image.BICUBIC)
        gx = int(c + radius * math.cos(a) - fsize)
        gy = int(c + radius * math.sin(a) - fsize)
        im.paste(255, (gx, gy), glyph)
    im = im.resize((px, px), Image.LANCZOS)
    a = np.asarray(im, dtype=np.float32) / 255
    # ink texture: speckles, a lighter side, a little blur
    nrng = np.random.default_rng(rng.randrange(2**31))
    speck = nrng.random(a.shape) > (0.10 + 0.25 * faint)
    yy, xx = np.mgrid[0:px, 0:px] / max(1, px)
    tilt = rng.uniform(0, 2 * math.pi)
    light = 0.65 + 0.35 * (0.5 + 0.5 * np.cos(tilt) * (xx - 0.5) * 2 + 0.5 * np.sin(tilt) * (yy - 0.5) * 2)
    alpha = np.clip(a * speck * light * (0.92 - 0.45 * faint), 0, 1)
    alpha_img = Image.fromarray((alpha * 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(0.6))
    red = (rng.randint(200, 235), rng.randint(20, 50), rng.randint(30, 60))
    out = Image.new("RGBA", (px, px), red + (0,))
    out.putalpha(alpha_img)
    return out.rotate(rng.uniform(-25, 25), resample=Image.BICUBIC, expand=False)


def draw_signature(name: str, dpi: float, rng: random.Random, height_mm: float = 8.0) -> Image.Image:
    """An RGBA handwritten-looking signature of `name`."""
    fsize = int(height_mm * dpi / 25.4)
    font = _font(SIGN_FONTS, fsize)
    chars = list(name[:6] or "签")
    w = int(fsize * (len(chars) * 0.95 + 1.2))
    h = int(fsize * 1.8)
    im = Image.new("L", (w, h), 0)
    x = fsize * 0.3
    stroke = max(1, int(fsize / 22)) if rng.random() < 0.7 else 0
    for ch in chars:
        g = Image.new("L", (fsize * 2, fsize * 2), 0)
        ImageDraw.Draw(g).text((fsize, fsize), ch, font=font, fill=255, anchor="mm", stroke_width=stroke,
                               stroke_fill=255)
        g = g.rotate(rng.uniform(-12, 12), resample=Image.BICUBIC)
        sc = rng.uniform(0.85, 1.15)
        g = g.resize((max(1, int(g.width * sc)), max(1, int(g.height * sc))), Image.BICUBIC)
        y = int(h / 2 - g.height / 2 + rng.uniform(-0.12, 0.12) * fsize)
        im.paste(255, (int(x - fsize * 0.5), y), g)
        x += fsize * rng.uniform(0.72, 0.95)
    im = im.transform(im.size, Image.AFFINE, (1, rng.uniform(-0.35, -0.1), fsize * 0.3, 0, 1, 0),
                      resample=Image.BICUBIC)
    ink = (rng.randint(10, 40), rng.randint(10, 40), rng.randint(40, 110)) if rng.random() < 0.5 else (25, 25, 30)
    out = Image.new("RGBA", im.size, ink + (0,))
    out.putalpha(im.point(lambda v: int(v * 0.93)))
    return out


def multiply(page: Image.Image, layer: Image.Image, xy: tuple[int, int]) -> None:
    """Multiply an RGBA ink layer onto an RGB page in place (ink darkens, never lightens)."""
    x, y = xy
    box = (max(0, x), max(0, y), min(page.width, x + layer.width), min(page.height, y + layer.height))
    if box[2] <= box[0] or box[3] <= box[1]:
        return
    lay = layer.crop((box[0] - x, box[1] - y, box[2] - x, box[3] - y))
    base = np.asarray(page.crop(box), dtype=np.float32) / 255
    la = np.asarray(lay, dtype=np.float32) / 255
    alpha = la[:, :, 3:4]
    ink = la[:, :, :3]
    out = base * (1 - alpha + alpha * ink)
    page.paste(Image.fromarray((np.clip(out, 0, 1) * 255).astype(np.uint8)), box[:2])
