"""Pages that are not ours: what else ends up in the scanner with an application form.

letter: a typed cover letter in Chinese (plain paragraphs, no tables, no form labels);
photo:  a photograph-like page (smooth colour gradients and shapes over most of the page);
blank:  an empty sheet with a little paper tone and dust.
All come at the size of the form's pages and are degraded like them by the caller.
"""

from __future__ import annotations

import random

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from haizhi.pipeline.simulate.stamps import fc_font

KINDS = ("letter", "photo", "blank")
TEXT_FONT = "Noto Serif CJK SC"
_NO_LINE_START = "，。、；：？！）》”’"

_TITLES = ["关于报送申报材料的函", "情况说明", "关于申报材料有关事项的说明", "致评审委员会的信", "申报材料报送函"]
_GREETINGS = ["尊敬的评审专家：", "各位领导：", "尊敬的评审委员会：", "您好："]
_SENTENCES = [
    "根据通知要求，我们认真组织了本次申报工作，现将有关材料一并报送，请予审阅。",
    "本次报送的材料共计一份，均已按要求装订，内容真实、准确。",
    "近年来，我们始终把服务海外人才放在重要位置，不断完善工作机制。",
    "在各级主管部门的关心和支持下，各项工作取得了积极进展。",
    "我们将以此次申报为契机，进一步加强与海外高校和科研院所的交流合作。",
    "如材料中有不清楚或需要补充之处，我们将及时补充完善。",
    "感谢各位专家在百忙之中审阅我们的材料。",
    "今后我们将继续坚持开放合作，努力为人才来华创新创业营造良好环境。",
    "由于时间仓促，材料难免有疏漏之处，敬请批评指正。",
    "去年以来，我们先后组织了多场线上线下交流活动，反响良好。",
    "我们高度重视材料的真实性，所附各项数据均经过认真核对。",
    "下一步，我们将按照评审意见认真做好整改和落实工作。",
    "部分证明材料原件较多，已另行整理备查。",
    "希望能够得到各位专家的指导和帮助。",
]
_CLOSINGS = ["特此说明。", "特此函告。", "此致\n敬礼！", "专此函达，请予支持。"]


def _font(size_px: int) -> ImageFont.FreeTypeFont:
    path, index = fc_font(TEXT_FONT)
    return ImageFont.truetype(path, max(4, size_px), index=index)


def _wrap(text: str, per_line: int, indent: int = 2) -> list[str]:
    """Break a paragraph into lines of `per_line` characters (the first indented), keeping
    closing punctuation off the start of a line."""
    lines: list[str] = []
    rest = "\u3000" * indent + text
    while rest:
        n = min(per_line, len(rest))
        if n < len(rest) and rest[n] in _NO_LINE_START:
            n += 1  # squeeze the punctuation onto this line, as typesetters do
        lines.append(rest[:n])
        rest = rest[n:]
    return lines


def letter_text(rng: random.Random) -> tuple[str, str, list[str], str, str]:
    """Title, greeting, paragraphs, closing and date of a cover letter."""
    pool = list(_SENTENCES)
    rng.shuffle(pool)
    paras = []
    for _ in range(rng.randint(3, 4)):
        k = rng.randint(2, 3)
        paras.append("".join(pool[:k]))
        pool = pool[k:] or list(_SENTENCES)
    date = f"{rng.randint(2023, 2026)}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日"
    return rng.choice(_TITLES), rng.choice(_GREETINGS), paras, rng.choice(_CLOSINGS), date


def letter_page(size: tuple[int, int], dpi: float, rng: random.Random) -> Image.Image:
    w, h = size
    im = Image.new("RGB", size, (255, 255, 255))
    d = ImageDraw.Draw(im)
    mm = dpi / 25.4
    left, top = int(rng.uniform(25, 30) * mm), int(rng.uniform(30, 40) * mm)
    body = _font(int(rng.choice((12, 14, 15)) * dpi / 72))
    head = _font(int(rng.choice((18, 20, 22)) * dpi / 72))
    step = body.size * rng.uniform(1.6, 1.9)
    per_line = max(10, int((w - 2 * left) / body.size))
    title, greeting, paras, closing, date = letter_text(rng)
    ink = (20, 20, 20)
    d.text((w / 2, top), title, font=head, fill=ink, anchor="mt")
    y = top + head.size * 2.4
    d.text((left, y), greeting, font=body, fill=ink)
    y += step
    for p in paras:
        for line in _wrap(p, per_line):
            d.text((left, y), line, font=body, fill=ink)
            y += step
    for line in closing.split("\n"):
        d.text((left, y), "\u3000\u3000" + line, font=body, fill=ink)
        y += step
    y += step
    d.text((w - left, y), date, font=body, fill=ink, anchor="ra")
    return im


def photo_page(size: tuple[int, int], dpi: float, rng: random.Random) -> Image.Image:
    """A photograph-like print: smooth colour fields and soft shapes over 80–95 % of the page."""
    w, h = size
    nrng = np.random.default_rng(rng.randrange(2**31))
    grid = nrng.uniform(20, 235, (rng.randint(3, 6), rng.randint(3, 6), 3)).astype(np.uint8)
    field = Image.fromarray(grid).resize((w, h), Image.BICUBIC)
    layer = Image.new("RGBA", size, (0, 0, 0, 0))
    d = ImageDraw.Draw(layer)
    for _ in range(rng.randint(6, 14)):
        cx, cy = rng.uniform(0, w), rng.uniform(0, h)
        rx, ry = rng.uniform(0.05, 0.3) * w, rng.uniform(0.05, 0.3) * h
        colour = tuple(rng.randint(0, 255) for _ in range(3)) + (rng.randint(90, 200),)
        if rng.random() < 0.6:
            d.ellipse((cx - rx, cy - ry, cx + rx, cy + ry), fill=colour)
        else:
            d.polygon([(cx + rng.uniform(-rx, rx), cy + rng.uniform(-ry, ry)) for _ in range(rng.randint(3, 6))],
                      fill=colour)
    photo = Image.alpha_composite(field.convert("RGBA"), layer.filter(ImageFilter.GaussianBlur(dpi / 30)))
    a = np.asarray(photo.convert("RGB"), dtype=np.float32) + nrng.normal(0, 6, (h, w, 1))  # film grain
    photo = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))
    cover = rng.uniform(0.8, 0.95) ** 0.5  # area share → side share
    pw, ph = int(w * cover), int(h * cover)
    page = Image.new("RGB", size, (255, 255, 255))
    page.paste(photo.crop((0, 0, pw, ph)), ((w - pw) // 2, (h - ph) // 2))
    return page


def blank_page(size: tuple[int, int], dpi: float, rng: random.Random) -> Image.Image:
    """An empty sheet: faint paper tone, a few dust specks."""
    w, h = size
    nrng = np.random.default_rng(rng.randrange(2**31))
    tone = rng.uniform(246, 254)
    a = np.full((h, w), tone, dtype=np.float32) + nrng.normal(0, 1.5, (h, w))
    n = rng.randint(5, 40)
    ys, xs = nrng.integers(0, h, n), nrng.integers(0, w, n)
    r = max(1, int(dpi / 150))
    for y, x in zip(ys, xs, strict=True):
        a[max(0, y - r):y + r, max(0, x - r):x + r] = nrng.uniform(60, 180)
    return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8)).convert("RGB")


def foreign_page(kind: str, size: tuple[int, int], dpi: float, rng: random.Random) -> Image.Image:
    """A page of `kind` (see KINDS) at `size` pixels."""
    make = {"letter": letter_page, "photo": photo_page, "blank": blank_page}.get(kind)
    if make is None:
        raise ValueError(f"未知的非本表页面类型：{kind}（应为 {' / '.join(KINDS)}）")
    return make(size, dpi, rng)


def foreign_kinds(n: int, rng: random.Random) -> list[str]:
    """n page kinds: every kind once per round of len(KINDS), in a random order within each round."""
    out: list[str] = []
    while len(out) < n:
        round_ = list(KINDS)
        rng.shuffle(round_)
        out += round_
    return out[:n]
