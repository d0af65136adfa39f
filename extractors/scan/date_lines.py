"""Date lines (年 月 日) of signing blocks: how wide and how inked their print is, measured by the page's date
lines read alone (one form prints them alike), and what written over them looks like when OCR read it as text."""

from __future__ import annotations

import re

import numpy as np

from haizhi.extractors.scan.regions import PxBox, center_in

_LABEL_CHARS = frozenset("负责人签字名章公盖单位年月日")


def _date_print(run: object, t: str, bits: list, em: int) -> int | None:
    """Width of the printed 年 月 日 in a run that goes on after it with characters no date line prints (a small
    signature written right after the date, OCR reading it as text of the run: 年月日翔网), taken from a date
    line of the page read alone (one form prints its date lines alike); None when there is no such run or no
    such line to measure by (then the run is print, as before). A name written over the 日 (年月陈文): only
    年 月 are print, the 日 goes with the name; over 月 and 日 (年马晓涵): only the 年 (TUNE coop clean 12586:
    the 年 left as handwriting, in the block beside, made it look signed)."""
    m = re.fullmatch(r"年(?:(月)(日?))?([^\d年月日号（()）公章盖签字：:，。,.]{1,4})", t)
    if m is None:
        return None
    h = run.box[3] - run.box[1]  # type: ignore[attr-defined]
    alone = [b[2] - b[0] for b in _dates_alone(bits, h, em)]
    if alone:
        w = int(np.median(alone)) - (0 if m.group(2) else em if m.group(1) else 2 * em)
    elif m.group(1) and not m.group(2) and (two := _dates_alone(bits, h, em, "年月")):
        w = int(np.median([b[2] - b[0] for b in two]))  # the other date line read 年月, its 日 under a seal: it
        # measures the 年 月 of this one (年月林磊, the name over the 日, the run reaching into the block beside)
    else:
        return None
    return w if w + em <= run.box[2] - run.box[0] else None  # type: ignore[attr-defined]


def _dates_alone(bits: list, h: int, em: int, text: str = "年月日") -> list[PxBox]:
    """Boxes of the page's date lines read alone (年月日) at about height h: the form prints them alike, so
    they measure how wide the printed date is and how much ink it holds."""
    return [o.box for o in bits if o.text.replace(" ", "") == text and abs((o.box[3] - o.box[1]) - h) <= 0.5 * em]


def written_over(t: str) -> bool:
    """A date line's text as OCR reads it when something is written over its 年 (and 月): other characters in
    their place, its 日 left (曾寿台月日, 张明华日). A date filled in has digits; a label has its words."""
    other = [c for c in t if c not in "年月日"]
    return t.endswith("日") and len(other) >= 2 and len(t) <= 8 and all(
        re.fullmatch(r"[\u4e00-\u9fffA-Za-z]", c) and c not in _LABEL_CHARS for c in other)


def date_marked(t: str) -> bool:
    """A date line read with a character no date prints between or before its words (年入月日: a scribble over
    年 月 read as one character): something was written over it, a signature perhaps (written_over when two or more)."""
    m = re.fullmatch(r"(.{0,2})年(.{0,2})月(.{0,2})日", t)
    return m is not None and any(re.search(r"[^\d\s〇一二三四五六七八九十]", g) for g in m.groups())


CUT_SHORT = 0.8  # a run read 日 (月日) this share as wide as the page's whole date lines is a whole date line


def date_overwritten(binary: np.ndarray, bits: list, region: PxBox, em: int) -> float | None:
    """Ink (em²) in the block's date line, read as other characters (written_over), beyond what its print
    holds: the page's date lines read alone (年月日, the form prints them alike) give the print's ink per width.
    Also a line read 日 or 月日 as wide as a whole date line: its 年 (月) lost under something written there.
    A signature written over the date at the size of print is cut out with the line's print by hand_mask, as
    OCR read it as text; its ink is what the print does not explain. None: no such line in the block, or no
    date line read alone on the page to measure by."""
    def ink(b: PxBox) -> int:
        x0, y0, x1, y1 = (max(0, v) for v in b)
        return int((binary[y0:y1, x0:x1] > 0).sum())

    out = None
    for run in bits:
        t = run.text.replace(" ", "")
        over = written_over(t)
        if not center_in(run.box, region) or not (over or t in ("日", "月日")):
            continue
        dates = _dates_alone(bits, run.box[3] - run.box[1], em)
        if not over and not (dates and run.box[2] - run.box[0] >= CUT_SHORT * float(
                np.median([b[2] - b[0] for b in dates]))):
            continue  # 日 (月日) no wider than itself: the date's print, no more
        alone = [b for b in dates if b[2] > b[0]]
        if not alone:
            continue
        per_w = float(np.median([ink(b) / (b[2] - b[0]) for b in alone]))
        extra = (ink(run.box) - per_w * (run.box[2] - run.box[0])) / (em * em)
        out = extra if out is None else max(out, extra)
    return out
