"""Where two coop blocks side by side (推荐单位 | 被推荐机构) meet on their signing line: the second block
begins at its labels, read as runs of their own, in one run with the first block's words, or lost under a
signature or a seal."""

from __future__ import annotations

import re

import numpy as np

from haizhi.extractors.scan.blobs import densest_rows

PxBox = tuple[int, int, int, int]
_LABEL = re.compile(r"负责.?\s*[（(]?\s*签?|(?<![人入（(])签[字名学子]")  # one 负责人签字 label, 字 or 签 misread or not
_SIGN_WORD = re.compile(r"签[字名学子章]")
_SIGN_LABEL = re.compile(_SIGN_WORD.pattern + r"|负责人\s*[（(]?\s*签")  # 签 with 字 misread


def label_end(bit: object, char_w: float) -> int:
    """x where the printed 签字 label (and its colon) ends inside its text run (OCR may misread 字)."""
    x0, _y0, x1, _y1 = bit.box  # type: ignore[attr-defined]
    t = bit.text  # type: ignore[attr-defined]
    m = _SIGN_WORD.search(t) or _SIGN_LABEL.search(t)  # the first label (a run may hold two)
    if m is None:
        return x1
    end = m.end()
    if t[end - 1] == "签" and end < len(t) and t[end] not in "）)：:":
        end += 1  # 字 misread
    while end < len(t) and t[end] in "）)：:":
        end += 1
    if end >= len(t):  # the run is the label alone, but its box may take in a small signature after it
        return min(x1, x0 + int((len(t) + 0.4) * char_w))
    return min(x1, x0 + int(end * char_w))


def signing_line_split(bits: list, signs: list, cell: PxBox | None, em: int,
                        binary: np.ndarray | None, ix: int) -> int | None:
    """x where the second of two side-by-side blocks begins: a block runs from its labels to the next
    block's, and the second block's labels are 被推荐机构 (at ix) and, on the line where people sign and
    stamp, its 负责人签字, which need not line up: midway between the leftmost of the two and the end of the
    first block's print (its （公章）) when that is seen, else a quarter em before the leftmost, never past the
    middle of the blank after the first block's （公章）. The 签字 label read in one run with what
    comes before it: the end of that line's blank ending nearest ix. None when the two 签字 labels are not
    found on one line."""
    from haizhi.extractors.scan.regions import _SIGN, SEALWORD, center_in  # regions imports this module

    if cell is not None:
        signs = [s for s in signs if center_in(s.box, cell)]
    found: tuple[int, int] | None = None  # (the second 签字 label's start, the first block's print end)
    seen = False  # the first block's print end seen (its （公章） read, or its ink): the line is midway
    for s in signs:
        if binary is not None and _labels(s.text) >= 2:  # 负责人签字 twice, 字 or 签 misread or not: where
            found = _repeat_of_label(binary, s.box, em, ix) or _blank_near(binary, s.box, ix, em)  # its print repeats
            break
    for i, a in enumerate(signs if found is None else []):
        b = next((o for o in signs[i + 1:] if abs(o.box[1] - a.box[1]) < em), None)
        if b is None:
            continue
        a, b = sorted((a, b), key=lambda o: o.box[0])
        if b.box[0] <= a.box[2]:
            return None
        m = _SIGN.search(b.text)
        if m and binary is not None and re.search(SEALWORD.pattern + r"|[）)]", b.text[:m.start()]):
            # （公章）负责人签字 in one run, or its end only (公）负责人签字, its （ and 章 lost under a seal)
            found = _blank_near(binary, b.box, ix, em) or _by_characters(b, em)
            break
        left = [o for o in bits if abs(o.box[1] - b.box[1]) < em and a.box[0] <= o.box[2] <= b.box[0]
                and (SEALWORD.search(o.text) or _SIGN.search(o.text))]
        last = max(left, key=lambda o: o.box[2]) if left else None
        start = _label_start(b, em)
        if binary is not None and start == b.box[0] and b.box[2] - b.box[0] > (len(b.text) + 3) * em:
            start = _label_in(binary, a.box, b.box, em) or start  # JJ负责人签字：, the strokes not read
        found = (start, last.box[2]) if last else None
        # its （公章） read, or its box runs far past its words (负责人签 over 负责人签字：   （公章）, words lost
        # under a seal): its end is where the first block's print ends; a 签字 label alone ends before that
        seen = last is not None and (bool(SEALWORD.search(last.text))
                                     or last.box[2] - last.box[0] >= 2 * em * max(1, len(last.text)))
        break
    if found is None and len(signs) == 1:  # one 签字 label read: the second block's when print of the first
        found = _second_alone(bits, signs[0], ix, em)  # block goes before it on its line (负责人务字：（公章）)
        seen = found is not None
    if found is None and signs:  # the second 签字 label not read (under a signature or a seal): the run
        found = _after_first_block(bits, signs[0], em, binary, ix)  # after the first block's （公章） begins the second
    if found is None:
        return None
    start, lo = found
    if seen and ix < lo:  # the owner label placed left of the first block's （公章） seen: counted in characters of
        ix = start  # its run, some lost under a signature or a seal (浙江[科学技术协会]被荐机构), it is no guide
    edge = min(start, ix, _second_date(bits, signs[0], lo, em)) - em // 4
    # midway between the first block's print and the second block's labels, where the first block's print is
    # seen; else a quarter em before the second block's labels, never past the middle of the blank before them
    return min(edge, (start + lo) // 2) if seen else max(edge, (start + lo) // 2)


REPEAT_BEFORE_OWNER = 8  # em: the second 签字 label starts no further than this before the second owner label
LABEL_MATCH = 0.45  # likeness (normalised correlation) of the first 签字 label's print that marks the second one


def _repeat_of_label(binary: np.ndarray, box: PxBox, em: int, ix: int | None = None) -> tuple[int, int] | None:
    """(start of the second 负责人签字 label, end of the print before it) in a run that holds both blocks'
    signing lines (负责人签字：（公章）负责人签字：（公章）, OCR losing words under a signature or a seal): the
    second label is the same print as the first, which starts the run, so it is found where the first
    label's ink (five characters) repeats along the line. The blanks between the labels are no guide there:
    a signature fills the one between the blocks, and the one where the first block signs is as wide."""
    import cv2

    x0, y0, x1, y1 = (max(0, v) for v in box)
    band = binary[y0:y1, x0:x1]
    if band.size == 0 or x1 - x0 < 14 * em:
        return None
    ty, k, tpl = _label_print(binary, box, em)
    sx = x0 + 8 * em  # past the first label, its colon and the first block's （公章）
    if ix is not None:  # … and not far before the second owner label (被推荐机构 above it): a signature over the
        sx = max(sx, ix - REPEAT_BEFORE_OWNER * em)  # first （公章） matched the label's print better than the
        # label itself under the second block's seal
    pad = em // 3
    at = _best_match(tpl, binary[max(0, ty - pad):ty + k + pad, sx:x1 + 3 * em])  # OCR may end the run inside it
    if at is None:
        return None
    start = sx + at
    # the first block's print ends at the last ink of its printed line before the label (strokes taller than
    # print, a signature across the line, do not count)
    line = (binary[ty:ty + k, max(x0, start - 4 * em):start - em // 4] > 0)
    n, lab, st, _ = cv2.connectedComponentsWithStats(line.astype(np.uint8), connectivity=8)
    short = np.zeros(n, dtype=bool)
    short[1:] = st[1:, cv2.CC_STAT_HEIGHT] < k - 1  # print stays inside its band
    cols = np.flatnonzero(short[lab].any(axis=0))
    lo = max(x0, start - 4 * em) + int(cols[-1]) + 1 if cols.size else start - 2 * em
    return start, lo


def _label_in(binary: np.ndarray, first: PxBox, run: PxBox, em: int) -> int | None:
    """x where the second 签字 label's print lies in a run far wider than its text (负责人签字： read alone, a
    signature written before it, across the line between the blocks, in its box): where the first block's label
    print (five characters) matches best along the run; None when nowhere well."""
    _ty, k, tpl = _label_print(binary, first, em)
    x0, y0, x1, y1 = (max(0, v) for v in run)
    ry, _k = densest_rows((binary[y0:y1, x0:x1] > 0).sum(axis=1), em)
    pad = em // 3
    at = _best_match(tpl, binary[max(0, y0 + ry - pad):y0 + ry + k + pad, x0:x1])
    return None if at is None else x0 + at


def _label_print(binary: np.ndarray, box: PxBox, em: int) -> tuple[int, int, np.ndarray]:
    """A 签字 run's printed line (its densest em of rows: top row, height) and its first five characters' print,
    the label (负责人签字) to look for elsewhere on the line."""
    x0, y0, x1, y1 = (max(0, v) for v in box)
    ty, k = densest_rows((binary[y0:y1, x0:x1] > 0).sum(axis=1), em)
    return y0 + ty, k, binary[y0 + ty:y0 + ty + k, x0:x0 + 5 * em].astype(np.float32)


def _best_match(tpl: np.ndarray, area: np.ndarray) -> int | None:
    """x in area where the label print tpl matches best, when well enough (LABEL_MATCH); else None."""
    import cv2

    if tpl.std() == 0 or area.shape[0] < tpl.shape[0] or area.shape[1] < tpl.shape[1]:
        return None
    res = cv2.matchTemplate(area.astype(np.float32), tpl, cv2.TM_CCOEFF_NORMED)
    return int(np.unravel_index(int(res.argmax()), res.shape)[1]) if float(res.max()) >= LABEL_MATCH else None


def _second_date(bits: list, first: object, lo: int, em: int) -> int:
    """Where the second block's 年 月 日 line begins, when the blocks' date lines are two runs on one line
    below the signing line (a block's date is one of its lines too); else a large number."""
    y = first.box[3]  # type: ignore[attr-defined]
    dates = sorted((b for b in bits if re.search(r"年.{0,6}月", b.text) and y <= b.box[1] <= y + 4 * em), key=lambda b: b.box[0])
    for a, b in zip(dates, dates[1:], strict=False):
        if abs(a.box[1] - b.box[1]) < em and b.box[0] > lo and b.box[0] >= a.box[2] - em:  # (not one date
            return int(b.box[0])  # read twice, whole and trimmed: TUNE coop moderate 12633)
    return 10**9


def _label_start(run: object, em: int) -> int:
    """x where a 签字 run's label (负责人签字：…) begins: its box's start, or, when OCR read a signature written
    before the label as characters of the run (JUJT负责人签字：), counted back from the run's end in characters
    of print (the handwriting before it is as wide as it was written). Also when the run begins with the first
    block's （公章）, its words lost under a signature written across both blocks (（願人签字： for （公章）负责人签字：):
    its 负责人 counted before its 签 when OCR lost some of them."""
    t, (x0, _y0, x1, _y1) = run.text, run.box  # type: ignore[attr-defined]
    m = re.search(r"负责|签[字名学子]", t)
    if m is None or m.start() == 0:
        return int(x0)
    before = re.search(r"[（(）)]|公章", t[:m.start()])
    if before and (m.group().startswith("负") or re.search(r"负责人?$", t[:m.start()])):
        return int(x0)  # its 负责人 read: the run's print is whole, its box is where it begins
    lead = 3 if before and m.group().startswith("签") else 0  # 负责人, some read as other characters or lost
    return int(max(x0, x1 - (len(t) - m.start() + lead) * em))


def _second_alone(bits: list, s: object, ix: int, em: int) -> tuple[int, int] | None:
    """(start of the 签字 label, end of the print before it) when the one 签字 label read is the second
    block's: it starts near the second block's owner label (ix), and the first block's signing line (its
    label misread, 负责人务字：, and its （公章）) goes before it on its line."""
    from haizhi.extractors.scan.regions import SEALWORD

    x0, y0 = s.box[0], s.box[1]  # type: ignore[attr-defined]
    if not ix - 4 * em <= x0 <= ix + 2 * em:
        return None
    left = [o for o in bits if o is not s and abs(o.box[1] - y0) < em and o.box[2] <= x0 - em // 2]
    if not any(SEALWORD.search(o.text) for o in left):
        return None
    return x0, max(o.box[2] for o in left)


def _after_first_block(bits: list, a: object, em: int, binary: np.ndarray | None = None,
                       ix: int = 0) -> tuple[int, int] | None:
    """(start of the next run, end of the first block's （公章）) on the first block's signing line; when the
    （公章） run goes on with the second block's label, its 签字 lost under a seal (（公卓）负责人), where that
    label begins in the run: the end of the blank nearest ix, else counted in characters."""
    from haizhi.extractors.scan.regions import _SIGN, SEALWORD

    line = sorted((o for o in bits if abs(o.box[1] - a.box[1]) < em and o.box[0] >= a.box[0]),  # type: ignore[attr-defined]
                  key=lambda o: o.box[0])
    m = _SIGN.search(a.text)  # type: ignore[attr-defined]
    seal = next((o for o in line if SEALWORD.search(o.text[m.end():] if o is a and m else o.text)), None)
    if seal is None:
        return None
    sw = SEALWORD.search(seal.text[m.end():] if seal is a and m else seal.text)
    if seal is not a and sw and re.search(r"负责|责人|签[字名]", seal.text[sw.end():]):  # 负 misread: 教责人孩字
        return (_blank_near(binary, seal.box, ix, em) if binary is not None else None) or _by_characters(seal, em)
    nxt = next((o for o in line if o.box[0] >= seal.box[2] + 0.8 * em), None)
    return (nxt.box[0], seal.box[2]) if nxt is not None else None


def _labels(t: str) -> int:
    """How many 负责人签字 labels a run holds: its 签字, and its 负责人 whose 签 was lost (负责人字：…)."""
    return len(re.findall(r"签[字名学子]", t)) + len(re.findall(r"负责.(?!\s*[（(]?\s*签)", t))


def _by_characters(run: object, em: int) -> tuple[int, int] | None:
    """(start of the label, end of what comes before it) in a run （公章）负责人签字： whose blank between the
    two a signature fills: counted in characters of one em back from the run's end, where the label ends
    (the blank before it has no characters to count)."""
    t, (x0, _y0, x1, _y1) = run.text, run.box  # type: ignore[attr-defined]
    m = _LABEL.search(t[t.find("）") + 1:] if "）" in t else t)
    if m is None:
        return None
    i = m.start() + (t.find("）") + 1 if "）" in t else 0)
    start = max(x0, x1 - (len(t) - i) * em)
    return start, min(start, x0 + i * em)


def _blank_near(binary: np.ndarray, box: PxBox, est: int, em: int) -> tuple[int, int] | None:
    """(end, start) of the blank (0.8 em or wider) in a text run's printed line whose end lies nearest
    est, at most 8 em before est or 2 em after it (a block's signing label starts below its owner label or
    left of it, seldom right of it)."""
    x0, y0, x1, y1 = (max(0, v) for v in box)
    band = binary[y0:y1, x0:x1]
    if band.size == 0:
        return None
    top, k = densest_rows((band > 0).sum(axis=1), em)
    cols = (band[top:top + k] > 0).sum(axis=0) > 0
    best: tuple[int, int] | None = None
    run = 0
    for i, on in enumerate(cols):
        if not on:
            run += 1
            continue
        if run >= 0.8 * em and -8 * em <= x0 + i - est <= 2 * em and (best is None or abs(x0 + i - est) < abs(best[0] - est)):
            best = (x0 + i, x0 + i - run)
        run = 0
    return best


def paren_marked(t: str) -> bool:
    """A signing line read with a Latin letter after its 签字 label, before any second block's label (负责人签字：
    （章y): print has none there, a scribble over the （公章） read as one. Something was written on the line, a small
    signature perhaps, its ink cut out with the line's print (TUNE coop heavy 12597)."""
    t = "".join(t.split())
    m = _SIGN_WORD.search(t)
    if m is None:
        return False
    rest = t[m.end():]
    second = re.search(r"[负责签]", rest)
    return bool(re.search(r"[A-Za-z]", rest[:second.start()] if second else rest))
