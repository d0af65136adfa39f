"""What a scanner and a tired office do to a page, per level: clean, moderate, heavy."""

from __future__ import annotations

import io
import random
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageFilter


@dataclass(frozen=True)
class Level:
    name: str
    dpi: tuple[int, int]
    skew: float  # max degrees, either way
    quarter_turn: float  # chance the page is scanned sideways / upside down
    noise: float  # gaussian noise sigma (0..255)
    specks: float  # share of pixels turned to dark specks
    blur: float  # max gaussian blur radius, px at 200 dpi
    jpeg: tuple[int, int]  # JPEG quality range
    light: float  # depth of uneven lighting (0..1)
    faint_seal: float  # how faded seals may be (0..1)
    hand_ticks: float = 0.0  # share of chosen options ticked by hand in a printed □ instead of a printed ☑


LEVELS: dict[str, Level] = {
    "clean": Level("clean", (200, 300), 0.3, 0.0, 0.0, 0.0, 0.0, (92, 95), 0.0, 0.0, 0.3),
    "moderate": Level("moderate", (150, 200), 1.5, 0.0, 6.0, 0.0003, 0.6, (70, 85), 0.15, 0.2, 0.4),
    "heavy": Level("heavy", (150, 150), 3.0, 0.25, 12.0, 0.001, 1.0, (45, 65), 0.35, 0.45, 0.5),
}


def level(name: str) -> Level:
    try:
        return LEVELS[name]
    except KeyError:
        raise ValueError(f"未知的扫描质量等级：{name}（应为 {' / '.join(LEVELS)}）") from None


def degrade(page: Image.Image, lv: Level, rng: random.Random, dpi: int) -> tuple[Image.Image, int]:
    """The scanned page and the quarter turns (clockwise) it was given."""
    nrng = np.random.default_rng(rng.randrange(2**31))
    im = page.convert("RGB")
    if lv.skew:
        im = im.rotate(rng.uniform(-lv.skew, lv.skew), resample=Image.BICUBIC, expand=True,
                       fillcolor=(255, 255, 255))
    turns = 0
    if lv.quarter_turn and rng.random() < lv.quarter_turn:
        turns = rng.choice((1, 2, 3))
        im = im.rotate(-90 * turns, expand=True)
    a = np.asarray(im, dtype=np.float32)
    if lv.light:
        h, w = a.shape[:2]
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        cx, cy = rng.uniform(0, w), rng.uniform(0, h)
        dist = np.sqrt(((xx - cx) / w) ** 2 + ((yy - cy) / h) ** 2)
        shade = 1 - lv.light * np.clip(dist, 0, 1) * rng.uniform(0.5, 1.0)
        a = a * shade[:, :, None] * np.array([1.0, 0.98, 0.94], dtype=np.float32)  # a yellowish cast
    if lv.noise:
        a = a + nrng.normal(0, lv.noise, a.shape[:2])[:, :, None]
    if lv.specks:
        m = nrng.random(a.shape[:2]) < lv.specks
        a[m] = nrng.uniform(0, 90, (int(m.sum()), 1))
    im = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))
    if lv.blur:
        im = im.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, lv.blur) * dpi / 200))
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=rng.randint(*lv.jpeg))
    buf.seek(0)
    out = Image.open(buf)
    out.load()
    return out.convert("RGB"), turns
