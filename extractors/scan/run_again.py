"""A line's run outside tables read unsure, read again: its print's own rows without a signature's strokes joined to
it, or its two label–value pairs each on its own."""

from __future__ import annotations

import re
import time

import numpy as np

from haizhi.extractors.scan.blobs import densest_rows
from haizhi.extractors.scan.confidence import LOW_CONFIDENCE
from haizhi.extractors.scan.context import PageCtx
from haizhi.extractors.scan.line_join import unglue


def print_rows(ctx: PageCtx, rest: np.ndarray, seg: tuple[int, int, int, int], text: str, conf: float,
               min_h: int) -> tuple[str, float]:
    """A run read unsure whose band is well taller than a line of type (a signature written into it, its strokes
    joined to the print from below or above): its print's own rows (the densest line of type) read again from
    the plain red channel, where print stays black and a seal's ink is pale, without the strokes outside those
    rows (推荐单位首科学技术协会 → 推荐单位：湖南省科学技术协会). Kept when it starts as the first reading does
    (the same printed words) and reads more characters; still unsure."""
    sx0, ly0, sx1, ly1 = seg
    em = 3 * min_h  # about a line of 12 pt type
    if conf >= LOW_CONFIDENCE or ly1 - ly0 <= 1.4 * em or getattr(ctx.engine, "page_mode", False) \
            or time.process_time() > ctx.deadline:
        return text, conf
    plain = ctx.plain_image()
    if plain is None:
        return text, conf
    top, k = densest_rows((rest[ly0:ly1, sx0:sx1] > 0).sum(axis=1), int(1.1 * em))
    top += ly0
    pad = max(2, k // 5)
    crop = plain[max(0, top - pad):top + k + pad, max(0, sx0 - pad):sx1 + pad]
    alt, _ = ctx.engine.recognize_line(crop)
    alt = unglue(alt)
    a, b = (re.findall(r"[\u4e00-\u9fff]", t) for t in (text, alt))
    if len(b) > len(a) and a[:2] == b[:2]:
        return alt, min(conf, LOW_CONFIDENCE - 0.01)
    return text, conf


_PAIR = re.compile(r"^([^\s:：]{2,}?)\s*[:：]")


def pairs_apart(ctx: PageCtx, rest: np.ndarray, text: str, seg: tuple[int, int, int, int],
                 min_h: int) -> list[tuple[str, tuple[int, int, int, int], float]] | None:
    """A run holding two label–value pairs (联系地址：…    注册时间：…) read unsure: each pair read again on
    its own, cut at the blank column nearest where the second label starts, so that a doubt in one value
    names that field only. None when the run is not two pairs, or the parts do not read as the same two
    labels (a cut through a character)."""
    pieces = text.split("    ")
    heads = [_PAIR.match(p) for p in pieces]
    if len(pieces) != 2 or not all(heads):
        return None
    sx0, ly0, sx1, ly1 = seg
    width = [sum(1.0 if ord(ch) > 0x2E80 else 0.55 for ch in p if not ch.isspace()) for p in pieces]
    x = sx0 + int(width[0] / max(1e-6, sum(width)) * (sx1 - sx0))
    cols = (rest[ly0:ly1, sx0:sx1] > 0).sum(axis=0)
    near = [i for i in range(max(sx0 + 1, x - (ly1 - ly0)), min(sx1 - 1, x + (ly1 - ly0))) if cols[i - sx0] == 0]
    if not near:
        return None
    cut = min(near, key=lambda i: abs(i - x))
    out = []
    for (a, b), head in zip(((sx0, cut), (cut, sx1)), heads, strict=True):
        ink = np.nonzero(cols[a - sx0:b - sx0])[0]
        if not len(ink):
            return None
        box = (a + int(ink[0]), ly0, a + int(ink[-1]) + 1, ly1)
        t, c = ctx.band(rest, box, (0, 0), min_h)
        got = _PAIR.match(unglue(t))
        if got is None or got.group(1) != head.group(1):  # type: ignore[union-attr]
            return None
        out.append((unglue(t), box, c))
    return out
