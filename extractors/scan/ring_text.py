"""A round seal's own name, read from its ring, for the organisation's name printed under it.

A 科协 presses its seal over the line 推荐单位：XX省科学技术协会, and a signature is written over it too: the
print's reading loses or misreads characters (东省学技术办会, or nothing at all). The seal's ring carries the same
name in large type along its upper arc; unwrapped into a straight strip it reads like a line of print. Only a name
that reads whole (a region's or an organisation's 科学技术协会) is used, and the value it gives stays named.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from functools import cache

import cv2
import numpy as np

from haizhi.extractors.orgname import ORG_FIELDS, check_org, org_ending, provincial_fit
from haizhi.extractors.scan.confidence import LOW_CONFIDENCE
from haizhi.extractors.scan.context import PageCtx
from haizhi.extractors.scan.engines import read_sure
from haizhi.pipeline.core.fields import FORMS

_BAND = (0.55, 0.95)  # of the seal's radius: the ring's lettering, inside its rim, outside the star
_STRIP_H = 48  # px: the strip's height for OCR
_N = 1440  # angular steps of the unwrapped ring
_ARCS = ((150.0, 240.0), (90.0, 300.0), (120.0, 300.0))  # (start, span) in degrees clockwise from 3 o'clock
RING_SURE = 0.9  # the ring's reading is used only this sure
SEAL_NAMED = 0.6  # a value given by the seal's ring, not by the print: always named for a check


def _circle(red: np.ndarray, seal: tuple[int, int, int, int], dpi: float) -> tuple[float, float, float] | None:
    """(cx, cy, r) of the seal's rim: the strongest circle of red ink centred inside its box (the box of two seals
    pressed over each other, or of a seal with a signature's ink, is not the rim's)."""
    x0, y0, x1, y1 = seal
    m = int(0.3 * max(x1 - x0, y1 - y0))
    xa, ya = max(0, x0 - m), max(0, y0 - m)
    sub = cv2.GaussianBlur(red[ya:y1 + m, xa:x1 + m], (5, 5), 0)
    if sub.size == 0:
        return None
    found = cv2.HoughCircles(sub, cv2.HOUGH_GRADIENT, 1.5, 40, param1=100, param2=30,
                             minRadius=int(0.3 * dpi), maxRadius=int(0.9 * dpi))
    for cx, cy, r in (found[0] if found is not None else []):
        if x0 <= xa + cx <= x1 and y0 <= ya + cy <= y1:
            return float(xa + cx), float(ya + cy), float(r)
    return None


def ring_name(bgr: np.ndarray, red: np.ndarray, seal: tuple[int, int, int, int], engine: object,
              dpi: float) -> str | None:
    """The name along a round seal's rim (seal: its box in pixels), when it reads whole and surely. The seal may
    be turned a little, and its lettering run over more or less of the rim: a few arcs round the top are read. A
    reading with characters lost under a signature's strokes is taken when one provincial-level 科协 alone fits it."""
    c = _circle(red, seal, dpi)
    if c is None:
        return None
    for strip in _strips(bgr, c, _N):
        text, conf = read_sure(engine, strip, RING_SURE)  # an arc read unsure is not read at other sizes
        name = "".join(text.split())
        if conf < RING_SURE:
            continue
        if org_ending(name) is not None and check_org(name)[1] is None:
            return check_org(name)[0]
        fit = provincial_fit(name)  # 建省协会: the middle under a signature's strokes
        if fit is not None:
            return fit
    return None


def _strips(bgr: np.ndarray, circle: tuple[float, float, float], n: int) -> Iterator[np.ndarray]:
    """The ring's lettering unwrapped (n angular steps all round) into straight strips, one per arc of _ARCS,
    the rim at the top, _STRIP_H high; each made when asked for (a name read from the first arc needs no more)."""
    cx, cy, r = circle
    pol = cv2.warpPolar(bgr[:, :, 1], (int(r * 1.05), n), (cx, cy), r * 1.05,
                        cv2.WARP_POLAR_LINEAR)[:, int(_BAND[0] * r):int(_BAND[1] * r)]  # rows: angle
    pol = np.concatenate([pol, pol])
    for a0, span in _ARCS:
        strip = cv2.rotate(pol[int(a0 / 360 * n):int((a0 + span) / 360 * n)], cv2.ROTATE_90_COUNTERCLOCKWISE)
        f = _STRIP_H / max(1, strip.shape[0])
        yield cv2.resize(strip, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)


def ring_reading(bgr: np.ndarray, red: np.ndarray, seal: tuple[int, int, int, int], engine: object,
                 dpi: float) -> tuple[str, float]:
    """The ring's lettering as read, sure or not (the arc read surest): enough to tell which of two names printed
    on the page it is, not to be a value. Unwrapped at the lettering's own scale (a step a pixel at 0.75 r), the
    characters neither stretched nor squeezed."""
    c = _circle(red, seal, dpi)
    if c is None:
        return "", 0.0
    best = ("", 0.0)
    for strip in _strips(bgr, c, max(64, int(2 * np.pi * 0.75 * c[2]))):
        text, conf = engine.recognize_line(strip)  # type: ignore[attr-defined]
        if conf > best[1]:
            best = ("".join(text.split()), float(conf))
    return best


@cache
def _org_labels() -> tuple[str, ...]:
    return tuple(sorted({f.label for spec in FORMS.values() for f in spec.fields if f.key in ORG_FIELDS}, key=len))


def _label_at(text: str) -> tuple[int, int, str] | None:
    """(start, end) of an organisation field's printed label in a run (推荐单位, or with one character after its
    first misread: 推荐单信), with its colon if read; not a longer label ending so (被推荐机构 is not 推荐…)."""
    for lb in _org_labels():
        alt = "|".join([re.escape(lb)] + [re.escape(lb[:i]) + r"[\u4e00-\u9fff]" + re.escape(lb[i + 1:])
                                          for i in range(1, len(lb))])
        m = re.search(rf"(?<![\u4e00-\u9fff])(?:{alt})\s*[:：]?", text)
        if m:
            return m.start(), m.end(), lb
    return None


def _form_of_org() -> str:
    return next(fid for fid, spec in FORMS.items() if any(f.key in ORG_FIELDS for f in spec.fields))


def named_by_seal(text: str, name: str) -> str | None:
    """The run 推荐单位：<misread>    被推荐机构：… with the seal's name as its value, when the value read is no
    whole name of its own; None when the run holds no such label, or its value already reads whole."""
    from haizhi.extractors.labels import cut_next_label

    at = _label_at(text)
    if at is None:
        return None
    rest = text[at[1]:]
    value = cut_next_label(_form_of_org(), rest).strip()
    if value == rest.strip() and len(value) > len(name) + 2:
        return None  # no end of the value found (the next label read past knowing): the line as read
    if value and check_org(value)[1] is None and org_ending(value) is not None and value == check_org(value)[0]:
        return None  # read whole: the print's own reading stands
    after = rest.strip()[len(value):].strip() if rest.strip().startswith(value) else ""
    return text[:at[0]] + at[2] + "：" + name + ("    " + after if after else "")


def seal_named(ctx: PageCtx, text: str, box: tuple[int, int, int, int], conf: float,
               rings: dict[tuple[int, int, int, int], str | None]) -> tuple[str, float]:
    """A run 推荐单位：… read unsure with a seal pressed over it: the value from the seal's ring, when the print's
    reading is no whole name (named_by_seal); named for a check all the same."""
    if conf >= LOW_CONFIDENCE or ctx.bgr is None or ctx.red is None or getattr(ctx.engine, "page_mode", False):
        return text, conf
    for s in ctx.seals:
        if min(s[2], box[2]) <= max(s[0], box[0]) or min(s[3], box[3]) <= max(s[1], box[1]):
            continue
        if s not in rings:
            rings[s] = ring_name(ctx.bgr, ctx.red, s, ctx.engine, ctx.dpi) if time.process_time() < ctx.deadline else None
        got = named_by_seal(text, rings[s]) if rings[s] else None
        if got is not None:
            return got, min(conf, SEAL_NAMED)
    return text, conf
