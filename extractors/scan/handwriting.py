"""Handwriting in a signing block: the block's ink that is not print (its OCR'd runs, by their printed
band), rulings or specks. Whose each cluster of it is: sign_clusters."""

from __future__ import annotations

import re

import numpy as np

from haizhi.extractors.scan.date_lines import _LABEL_CHARS, _date_print
from haizhi.extractors.scan.owner_line import print_rows
from haizhi.extractors.scan.regions import _SIGN, PxBox


def hand_mask(binary: np.ndarray, region: PxBox, bits: list, em: int, printed_re: re.Pattern,
              sign_label: object | None, label_end: int | None, dpi: float,
              coloured: np.ndarray | None = None) -> np.ndarray:
    """The region's ink (the region clipped to the page) that is not print nor specks: handwriting.

    coloured: ink that is blue or another colour print never is: handwriting even on a printed line
    (a small signature across the date line)."""
    import cv2

    x0, y0, x1, y1 = (max(0, v) for v in region)
    sub = binary[y0:y1, x0:x1].copy()
    if sub.size == 0:
        return sub
    keep = coloured[y0:y1, x0:x1] & sub if coloured is not None else None
    orig = sub.copy()
    cut: list[tuple[int, int, int, int, float]] = []  # the printed lines' bands taken out (sub's coordinates),
    # and, when the run is sparse (blanks between its words: 年  月  日, 签字：   （公章）, where people write), the
    # share of its box a stroke along it may fill (0: not sparse)
    small: list[tuple[int, int, int, int, int]] = []  # the 签字 label's run when its line goes on (（公章）): its band,
    # and where its label ends (sub's coordinates)
    for b in bits:
        bx0, by0, bx1, by1 = b.box
        if bx1 < x0 or bx0 > x1 or by1 < y0 or by0 > y1:
            continue
        t = b.text.replace(" ", "")
        if (dw := _date_print(b, t, bits, em)) is not None:  # 年月日翔网: a name written after the date, read with it
            t, bx1 = t[:3] if t.startswith("年月日") else t[:2] if t.startswith("年月") else t[:1], bx0 + dw
        after = -1  # x (sub's) from which a small stroke over the run's print is a signature (its label's run)
        paren = None  # the printed （公章） ending the label's run when something was read between them
        if b is sign_label and label_end is not None:
            m = re.search(r"签[字名学子章]", t) or _SIGN.search(t)  # not 负责人签 with 字 left in the rest
            rest = t[m.end():] if m else ""
            second = re.search(r"[负责签]", rest)  # a second block's label on the line (side by side): print,
            # from its first character read (负签字：, 责人签字：)
            own = re.sub(r"[（()）：:公章单位年月日盖]", "", _PAREN_PRINT.sub("", rest[:second.start()] if second else rest))
            if len(re.findall(r"[\u4e00-\u9fffA-Za-z√✓]", own)) >= (2 if second else 1):  # before a second
                # label, a name (张明): one character there is a misread colon or bracket (签字二（公负责…)
                bx1 = label_end  # something written after the label: only the label is print …
                if second is not None:  # … and the second block's label (负责人签字：张明章）负责人签字：, a small
                    # name written over the first （公章）)
                    paren = max(label_end, b.box[2] - (len(rest) - second.start()) * em), b.box[2]
                elif (pm := re.search(_PAREN_PRINT.pattern + "$", t)) is not None:  # … or the （公章） ending it
                    paren = max(label_end, b.box[2] - len(pm.group()) * em), b.box[2]  # (兴（公章）: a seal's
                    # red remnant read as a character between them)
            else:
                after = max(0, label_end - x0)
                ref = _signing_print(b, bits, em) if second is None and _PAREN_PRINT.search(t) else None
                if ref is not None and ref[1] - ref[0] >= GAP_EM * em:
                    # 签字：   （公章） read with nothing between them: the blank where people sign is no print (a
                    # small name written there, dark as print, OCR skipped): only the label and the （公章） are
                    # cut, where the other block's signing line, read in two runs, prints them (a quarter em
                    # more, from the run's start and from its end: a character at its start may be lost)
                    bx1 = bx0 + ref[0] + em // 4
                    paren = min(bx0 + ref[1], b.box[2] - ref[2]) - em // 4, b.box[2]
        elif not (printed_re.search(t) or len(t) >= 5 or re.search(r"[\d，。、：:（）()；;]", t) or _label_bits(t)
                    or _print_sized(b.box, t, em) or _wrapped_tail(b, t, bits, binary, em)):
            continue  # a short run of a few characters may be a signature read as text
        elif re.fullmatch(r"[0-9A-Za-z]{1,2}", t) and (by1 - by0 > 1.2 * em or not any(
                o is not b and min(by1, o.box[3]) - max(by0, o.box[1]) > 0.5 * (by1 - by0)
                and min(abs(o.box[0] - bx1), abs(bx0 - o.box[2])) < 1.5 * em for o in bits)):
            continue  # a lone digit or mark taller than print or alone on its line: a scribble read as text
        band = print_rows(binary, (max(bx0, x0), by0, min(bx1, x1), by1), em)  # the run's part in this block: a large
        # signature in the block beside, on the same run, is not its printed line
        pad = max(1, em // 6)
        r = (max(0, bx0 - 2 - x0), max(0, band[0] - pad - y0), max(0, bx1 + 3 - x0), max(0, band[1] + pad - y0))
        sub[r[1]:r[3], r[0]:r[2]] = 0
        sparse = (bx1 - bx0) >= SPARSE * em * max(1, _print_chars(t))
        cut.append((*r, (MIXED_FILL if _print_chars(t) < len(t) else ALONG_FILL) if sparse else 0.0))
        if paren is not None:
            p = (max(0, paren[0] - 2 - x0), r[1], max(0, min(x1, paren[1]) + 3 - x0), r[3])
            sub[p[1]:p[3], p[0]:p[2]] = 0
            cut.append((*p, 0.0))
        if after >= 0:
            small.append((r[0], r[1], max(r[2], p[2]) if paren is not None else r[2], r[3], after))
    sub |= crossing(orig, cut, em)
    sub |= _small_after_label(orig, small, em)
    if keep is not None:
        sub |= keep
    n, lab, st, _ = cv2.connectedComponentsWithStats(sub, connectivity=8)
    min_area = max(6, int((dpi / 100) ** 2 * 10))
    keep = np.zeros(n, dtype=bool)
    keep[1:] = st[1:, cv2.CC_STAT_AREA] >= min_area
    return np.where(keep[lab], np.uint8(255), np.uint8(0))


GAP_EM = 1.5  # a blank this wide (em) between a 签字 label and its （公章） is room for a name
_PAREN_PRINT = re.compile(r"[（(][^（()）]{1,3}[）)]")  # the printed （公章） after a 签字 label, whatever OCR read in
# it (（么章）): a name written after the label is not put in brackets


def _signing_print(run: object, bits: list, em: int) -> tuple[int, int, int] | None:
    """Where a signing line's label ends and its （公章） begins (x from the line's start), and how wide the
    （公章） is, measured on another block's signing line on the same line read in two runs (负责人签字： and
    （公章）): one form prints them alike. None when no such line was read."""
    y = run.box[1]  # type: ignore[attr-defined]
    line = [o for o in bits if o is not run and abs(o.box[1] - y) < em / 2]
    for o in line:
        if not _SIGN.search(o.text) or not re.search(r"签[字名学子章]?[：:\s]*$", o.text):  # the label alone
            continue
        p = next((q for q in line if q.box[0] > o.box[2] and q.box[0] - o.box[2] < 8 * em
                  and _PAREN_PRINT.fullmatch(q.text.replace(" ", ""))), None)
        if p is not None:
            return o.box[2] - o.box[0], p.box[0] - o.box[0], p.box[2] - p.box[0]
    return None


def _print_chars(t: str) -> int:
    """Characters of a run that print takes room for: Latin letters in a signing block's line are strokes of a
    signature that OCR read as text (WAAN日 for a scribble over 年 月 日), not print, so they hold no room."""
    if not re.search(r"[A-Za-z]", t):
        return len(t)
    return len(re.sub(r"[A-Za-z\s]", "", t))


CROSS_EM = 0.5  # a stroke reaching this far (em) above or below a printed line's band crosses it
ALONG_EM = 1.6  # a stroke this wide (em), not flat and not dense, in a sparse printed line is no character
ALONG_FILL = 0.4  # not dense: it fills less than this share of its box
MIXED_FILL = 0.55  # in a run that OCR read with Latin letters (a scribble over 年 月 日 read WAAN日) the stroke
# joins the characters it runs over into one blob, which fills more of its box
SPARSE = 1.4  # a run this many em wide per character holds blanks
TALL_EM = 1.3  # a stroke this tall (em) is no printed character, though inside the band and its margins


def crossing(ink: np.ndarray, cut: list[tuple[int, int, int, int, float]], em: int) -> np.ndarray:
    """Strokes in a printed line's band that are not print: ink connected through the band to CROSS_EM or
    more above or below it, or TALL_EM tall (a name written small after its label, read with it as text),
    or, in a run with blanks, one thin stroke running ALONG_EM along the line.
    Print stays inside its one-em band, a character in one em; a signature written over the date line (or
    over its label) does not, and cutting the band out of it lost it (small, written on the line) or left
    pieces that went to the block beside it (large, across the line). Characters of a dense run that a
    heavy scan ran together are as wide, but dense, and there are no blanks there to write in."""
    import cv2

    out = np.zeros_like(ink)
    if not cut or not ink.any():
        return out
    n, lab, st, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    reach = int(CROSS_EM * em)
    keep = np.zeros(n, dtype=bool)
    for x0, y0, x1, y1, fill in cut:
        ids = np.unique(lab[y0:y1, x0:x1])
        for i in ids[ids > 0]:
            top, bottom = st[i, cv2.CC_STAT_TOP], st[i, cv2.CC_STAT_TOP] + st[i, cv2.CC_STAT_HEIGHT]
            w, h = st[i, cv2.CC_STAT_WIDTH], st[i, cv2.CC_STAT_HEIGHT]
            if top <= y0 - reach or bottom >= y1 + reach or h >= TALL_EM * em or (
                    fill and w >= ALONG_EM * em and h >= 0.6 * em and st[i, cv2.CC_STAT_AREA] < fill * w * h):
                keep[i] = True
    if keep.any():
        out[keep[lab]] = 255
    return out


SMALL_EM = 1.15  # a stroke this wide (em), after the 签字 label on its own printed line, not dense: a small
# signature (a tick-like scrawl) written over the label's colon and the （公章） after it
SMALL_FILL = 0.32  # ... filling less than this share of its box: strokes, not a character (print fills 0.4 or more)


def _small_after_label(ink: np.ndarray, runs: list[tuple[int, int, int, int, int]], em: int) -> np.ndarray:
    """Strokes in the 签字 label's own run, right of the label, that no printed character makes: a thin stroke
    SMALL_EM or more wide, at least 0.6 em tall, filling less than SMALL_FILL of its box. A small signature written
    on the label's line (a ✓-like scrawl over its colon, under a seal) stays inside the printed band, and the
    label's line being dense (no blanks: 负责人签字：（公章）) the ALONG_EM rule for sparse runs missed it. The
    characters after the label (（公章）, a colon) are narrower, or dense."""
    import cv2

    out = np.zeros_like(ink)
    if not runs or not ink.any():
        return out
    n, lab, st, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    keep = np.zeros(n, dtype=bool)
    for x0, y0, x1, y1, after in runs:
        ids = np.unique(lab[y0:y1, max(x0, after):x1])
        for i in ids[ids > 0]:
            left, w, h = st[i, cv2.CC_STAT_LEFT], st[i, cv2.CC_STAT_WIDTH], st[i, cv2.CC_STAT_HEIGHT]
            if left >= after and w >= SMALL_EM * em and 0.6 * em <= h < TALL_EM * em \
                    and st[i, cv2.CC_STAT_AREA] < SMALL_FILL * w * h:
                keep[i] = True
    if keep.any():
        out[keep[lab]] = 255
    return out


CLUSTER_MIN = 0.15  # a cluster of handwriting smaller than this (em²) is specks or a ruling's stub, not a signature


def _label_bits(t: str) -> bool:
    """A short run made of the signing lines' printed words, some lost (负责签 for 负责人签字, 公 章): print,
    not a signature that OCR read as characters."""
    t = re.sub(r"[\s（()）：:]", "", t)
    return len(t) >= 2 and sum(c in _LABEL_CHARS for c in t) >= 0.6 * len(t)  # 小年日: 2 of 3


def _print_sized(box: PxBox, t: str, em: int) -> bool:
    """Characters no bigger than print (the last character of a value wrapped onto a line of its own: 司):
    print. A signature that OCR read as characters is written larger than the form's print."""
    w, h = box[2] - box[0], box[3] - box[1]
    return bool(re.fullmatch(r"[\u4e00-\u9fff]+", t)) and h <= 1.15 * em and w <= 1.15 * em * len(t) + 0.3 * em


def _wrapped_tail(run: object, t: str, bits: list, binary: np.ndarray, em: int) -> bool:
    """The last characters of a value wrapped onto a line of their own (司 under 推荐单位：…), their OCR box taller
    than their ink: starting where the line of print just above starts, and their ink print-sized. A signature
    is rarely written flush under a printed line's first character (TUNE coop moderate 12585: the 司 left as
    handwriting made the block look signed)."""
    x0, y0, x1, y1 = (max(0, v) for v in run.box)  # type: ignore[attr-defined]
    above = [o for o in bits if o is not run and abs(o.box[0] - x0) <= em / 2 and 0 <= y0 - o.box[3] <= 1.5 * em
             and o.box[2] - o.box[0] >= 4 * em]
    ink = np.argwhere(binary[y0:y1, x0:x1] > 0)
    if not above or not ink.size:
        return False
    (iy0, ix0), (iy1, ix1) = ink.min(axis=0), ink.max(axis=0)
    return _print_sized((x0 + ix0, y0 + iy0, x0 + ix1 + 1, y0 + iy1 + 1), t, em)
