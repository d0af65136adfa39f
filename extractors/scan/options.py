"""Checkbox option lines of a scanned cell: boxes, the labels after them, ticks printed or written as glyphs."""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np

from haizhi.extractors.layout import Mark
from haizhi.extractors.normalize import BOX_GLYPHS, CHECK_GLYPHS
from haizhi.extractors.scan.checkboxes import box_confidence, looks_like_option, starts_option
from haizhi.extractors.scan.context import BOXLIKE, OCR_GLYPH, TICKED, UNTICKED, PageCtx
from haizhi.extractors.scan.glyph_boxes import EMPTY_INSIDE, doubt_glyph_boxes, empty_outline
from haizhi.extractors.scan.option_text import BOX_READ as _BOX_READ
from haizhi.extractors.scan.option_text import box_places, has_option_text


def open_label(line_marks: list[Mark], words: list[str]) -> Mark | None:
    """A line's last box whose label runs on to the next line (✔创 | 业孵化, or ▣ ending the line)."""
    if not line_marks:
        return None
    # a box with nothing after it ends its line, whatever came after it in the list (√人才招聘 □ | 知识产权: the √'s
    # mark is added after the □'s)
    m = next((x for x in reversed(line_marks) if not (x.label or "").strip()), line_marks[-1])
    label = (m.label or "").strip()
    return m if not looks_like_option(label, words) and starts_option(label, words, empty=True) else None


def wrap_label(m: Mark, line: str, words: list[str]) -> str:
    """Carry the start of ``line`` (up to its first box) into the label of the box that ended the line
    before; → the line less what was carried."""
    lead = re.split(rf"[{CHECK_GLYPHS}]", line, maxsplit=1)[0]
    joined = (m.label or "").strip() + re.sub(r"\s+", "", lead)
    if not lead.strip() or not looks_like_option(joined, words):
        return line
    m.label = joined
    return line[len(lead):]


def options_without_box(text: str, marks: list[Mark], words: list[str]) -> bool:
    """A checkbox cell where an option shows without its box: a line starting with an option's label,
    or a box's label running on into a second option (□高校及科研机构孵化器、服务平台)."""
    for line in text.split("\n"):
        ln = line.strip()
        if ln and ln[0] not in CHECK_GLYPHS and looks_like_option(ln, words):
            return True
    for m in marks:
        label = (m.label or "").strip()
        opt = looks_like_option(label, words) if label else None
        rest = label[len(opt):].lstrip(" _＿") if opt else ""
        if rest and rest[0] not in "（(" and looks_like_option(rest, words):
            return True
    return False


def read_options(ctx: PageCtx, cbox: tuple[int, int, int, int], ly0: int, ly1: int,
                  segs: list[tuple[int, int]], boxes: list,
                  carry: str | None = None) -> tuple[str | None, list[Mark], float]:
    """A line with checkboxes: '☑荐才机构 □平台机构'; None when no square is an option box.

    A square whose following text is not an option label (a frame inside 国 or 知)
    is dropped and the line read again without it. carry: the label the line before left open
    (✔创 | 业孵化 □管理…): the text before the first box finishes it, so that box is no frame in 化.
    """
    x0, y0 = cbox[0], cbox[1]
    boxes = _no_frame_after_box(sorted(boxes, key=lambda b: b.box[0]), ctx.binary[y0:cbox[3], x0:cbox[2]])
    if carry is None:
        plain, conf, runs = _plain_line(ctx, cbox, ly0, ly1, segs)
        if not has_option_text(plain, ctx.words, box_places(runs, [(b.box[0] + b.box[2]) / 2 for b in boxes])):
            return None, [], 0.0  # a frame inside 面 or 国 in a line of plain text: read as text, once
        labels = split_labels(plain, len(boxes), ctx.words)
        if labels is not None and _labels_fit(boxes, labels, min(s[0] for s in segs),
                                              max(s[1] for s in segs)):
            # one option label after each box, room for it, nothing else: no need to read each piece
            return _from_labels(ctx, cbox, boxes, labels, conf)
    line_x0 = x0 + min(s[0] for s in segs)
    line_x1 = x0 + max(s[1] for s in segs)
    for _ in range(3):
        if not boxes:
            return None, [], 0.0
        absb = [(x0 + b.box[0], y0 + b.box[1], x0 + b.box[2], y0 + b.box[3]) for b in boxes]
        top = y0 + min(ly0, min(b.box[1] for b in boxes))
        bot = y0 + max(ly1, max(b.box[3] for b in boxes))
        pieces: list[str] = []
        marks: list[Mark] = []
        confs: list[float] = []
        keep: list[bool] = []
        heads: list[bool] = []
        prev, later = "", False
        if line_x0 < absb[0][0] - 4:
            t, c = ctx.rec(line_x0, top, absb[0][0] - 2, bot, absb)
            ends_carry = carry is not None and looks_like_option(carry + re.sub(r"\s+", "", t), ctx.words)
            if not ends_carry and _inside_glyph(ctx, t, absb[0], top, bot, line_x0):
                boxes = boxes[1:]  # the frame inside 通 or 国 right after the text: not a box
                continue
            if t:
                pieces.append(t)
                confs.append(c)
                marks.extend(_glyph_ticks(t, ctx, (line_x0, top, absb[0][0] - 2, bot)))
        for i, (b, ab) in enumerate(zip(boxes, absb, strict=True)):
            end = absb[i + 1][0] - 2 if i + 1 < len(absb) else line_x1
            t, c = ctx.rec(ab[2] + 1, top, end, bot, absb) if end > ab[2] + 3 else ("", 1.0)
            raw = t
            t = re.sub(r"^[口□☐OoD0]\s*(?=[\u4e00-\u9fff])", "", t)  # the box itself read as a glyph
            label = looks_like_option(t, ctx.words)
            # ▣ | 财税金融 ending the line; ⊠国家海外人才离岸 | 创新创业基地, a line's one box, its label cut
            wrapped = i == len(boxes) - 1 and (starts_option(t, ctx.words, empty=True) if i > 0 else
                                                len(re.sub(r"\s+", "", t)) >= 2 and starts_option(t, ctx.words))
            keep.append((label is not None and not (i == 0 and (_frame_after(carry, t, ctx.words)
                                                   or _box_follows(ctx, raw, ab, top, bot))))
                        or (wrapped and (i == 0 or keep[-1]) and (bool(t.strip()) or _bare_option(prev, ctx.words))))
            later = wrapped and i > 0 and not keep[-2]  # judged again once the box before it is settled
            prev = t
            if label is not None and not t.startswith(label):  # one misread character: the printed label
                t = label + t[len(label):]
            pieces.append((TICKED if b.checked else UNTICKED) + t)
            confs.append(c)
            # a box the pixels missed but OCR read as a glyph: 创业孵化 □管理咨询服务
            first, *more = re.split(rf"\s*([{BOXLIKE}])", t)
            tail = more[-1] if more else t  # the last option's label on this piece: cut short by a frame?
            heads.append(i + 1 < len(boxes) and looks_like_option(tail, ctx.words) is None
                         and starts_option(tail, ctx.words))
            marks.append(Mark(kind="checkbox", checked=b.checked, label=first.strip() or None, bbox=ctx.pt(ab),
                              confidence=_box_conf(b, boxes), source="pixels"))
            n_before = len(marks)
            for n, (glyph, rest) in enumerate(zip(more[::2], more[1::2], strict=False)):
                marks.append(Mark(kind="checkbox", checked=glyph not in BOX_GLYPHS, label=rest.strip() or None,
                                  bbox=ctx.pt(ab), confidence=0.6 if glyph not in BOX_GLYPHS else OCR_GLYPH,
                                  source="glyph"))
                opt = looks_like_option(rest, ctx.words)  # □创业孵化√管理咨询服务: the √ after its label too
                if opt is not None:
                    marks.extend(_glyph_ticks(rest.strip()[len(opt):], ctx, ab,
                                              at_end=i + 1 == len(boxes) and 2 * n + 2 == len(more)))
            if more:  # the pixels' say on the boxes only OCR saw
                doubt_glyph_boxes(marks[n_before:], ctx.binary[top:bot, ab[2] + 1:end], ab[2] - ab[0])
            if label is not None:  # a printed √ or ✓ before a later option on the same piece: 平台机构 √荐才机构
                tail = first.strip()[len(label):]
                marks.extend(_glyph_ticks(tail, ctx, ab, at_end=i + 1 == len(boxes)))
        if all(keep):
            return " ".join(pieces), marks, (min(confs) if confs else 1.0)
        for i, head in enumerate(heads):  # □管理咨询|□服务, □综合|□其他: the box after an option's start
            if head:  # is a frame in its next character (服, 或)
                keep[i], keep[i + 1] = True, False
        keep[-1] = keep[-1] or later
        boxes = [b for b, k in zip(boxes, keep, strict=True) if k]
    return None, [], 0.0


_PRINTED_TICK = "√✓✔"  # a tick OCR read with no box: printed in place of one (a box ticked is read ☑ or ■)


def _plain_line(ctx: PageCtx, cbox: tuple[int, int, int, int], ly0: int, ly1: int,
                segs: list[tuple[int, int]]) -> tuple[str, float, list[tuple[str, int, int]]]:
    """The line read as plain text, as the reader reads a line with no option (the same crops, so those
    reads are kept for it): a line with a frame inside a character (面, 国, 责) and no option label, box or
    tick in it is not read box by box."""
    x0, y0, x1, y1 = cbox
    binary = ctx.binary[y0:y1, x0:x1]
    min_h = max(4, int(4 * ctx.dpi / 72))
    n_bits = len(ctx.bits)
    read = [(*ctx.band(binary, (sx0, ly0, sx1, ly1), (x0, y0), min_h), sx0, sx1) for sx0, sx1 in segs]
    del ctx.bits[n_bits:]  # the reader (or the option pieces) note these runs once
    read = [r for r in read if r[0]]
    return (" ".join(t for t, *_ in read), min((c for _, c, *_ in read), default=0.0),
            [(t, a, b) for t, _, a, b in read])


def split_labels(text: str, n_boxes: int, words: list[str]) -> list[str] | None:
    """A plain reading of an option line cut into the label after each of its ``n_boxes`` boxes, when it
    is exactly that: option labels read letter for letter, one per box, nothing before the first (box
    glyphs aside, no √ standing for a box) and nothing between them; after the last only its note (（…）)
    or, for 其他, the applicant's words. Anything else (a label misread or cut at the line's end, a box the pixels missed,
    text around the options): None, and the line is read box by box."""
    s = re.sub(r"\s+", "", text)
    labels: list[str] = []
    i = 0
    while i < len(s):
        if s[i] in _PRINTED_TICK:
            return None  # an option ticked with √ in place of its box: the boxes are fewer than the options
        if s[i] in CHECK_GLYPHS or s[i] in _BOX_READ:
            i += 1
            continue
        w = next((w for w in words if s.startswith(w, i)), None)
        if w is None:
            break
        labels.append(w)
        i += len(w)
    rest = s[i:]
    if len(labels) != n_boxes or not labels:
        return None
    if rest:
        other = labels[-1] in ("其他", "综合或其他")
        if re.search(rf"[{CHECK_GLYPHS}{_BOX_READ}]", rest):
            return None  # a box the pixels missed
        if not other and (rest[0] not in "（(" or has_option_text(rest, [w for w in words if len(w) >= 2])):
            return None
        labels[-1] += rest
    return labels


def _labels_fit(boxes: list, labels: list[str], line_x0: int, line_x1: int) -> bool:
    """Each label has room after its box (a Chinese character about as wide as a box) and the line starts
    with the first box: a frame inside a label's character, or a box the pixels missed, fails."""
    side = float(np.median([b.box[3] - b.box[1] for b in boxes]))
    if boxes[0].box[0] - line_x0 > side:
        return False
    ends = [b.box[0] for b in boxes[1:]] + [line_x1]
    return all(end - b.box[2] >= 0.7 * side * len(re.split(r"[（(]", lab)[0])
               for b, lab, end in zip(boxes, labels, ends, strict=True))


def _from_labels(ctx: PageCtx, cbox: tuple[int, int, int, int], boxes: list, labels: list[str],
                 conf: float) -> tuple[str, list[Mark], float]:
    x0, y0 = cbox[0], cbox[1]
    pieces, marks = [], []
    for b, label in zip(boxes, labels, strict=True):
        ab = (x0 + b.box[0], y0 + b.box[1], x0 + b.box[2], y0 + b.box[3])
        pieces.append((TICKED if b.checked else UNTICKED) + label)
        marks.append(Mark(kind="checkbox", checked=b.checked, label=label, bbox=ctx.pt(ab),
                          confidence=_box_conf(b, boxes), source="pixels"))
    return " ".join(pieces), marks, conf


UNDERSIZED = 0.8  # a "box" whose side is under this share of its line's usual box: likely a frame in a character
UNDERSIZED_EMPTY = 0.7  # … an empty one under this: an empty □ is often printed or found a little smaller than
# the ticked ☒ of its line (0.78 of them, TUNE coop clean 12556); a character's frame is far smaller (器's 口: 0.65)


def _box_conf(b: object, boxes: list) -> float:
    """How sure a box's tick state is (checkboxes.box_confidence); a box much smaller than the other boxes
    of its line (printed the same size) may be the frame of a character (器's 口) taken for a box: unsure."""
    conf = box_confidence(b)
    if b.doubt:
        return min(conf, 0.6)
    if len(boxes) >= 3 and not b.glyph:  # a printed ✔ is no character's frame, whatever its size
        side = float(np.median([max(o.box[2] - o.box[0], o.box[3] - o.box[1]) for o in boxes]))
        if max(b.box[2] - b.box[0], b.box[3] - b.box[1]) < (UNDERSIZED if b.checked else UNDERSIZED_EMPTY) * side:
            return min(conf, 0.6)
    return conf


def options_shown(text: str, words: list[str]) -> int:
    """How many option labels of two or more characters the text shows (其他 inside 综合或其他 not again)."""
    s = re.sub(r"\s+", "", text)
    found = [w for w in words if len(w) >= 2 and w in s]
    return sum(not any(w != v and w in v for v in found) for w in found)


def _no_frame_after_box(boxes: list, binary: np.ndarray) -> list:
    """Two "boxes" less than a box's width apart: one is the frame of a character, for no label fits
    between them. The first, when print runs right up to its left side, is the last character of the
    label before (□社会组织 □高校…, 只's square in 织); else the second is the first character of the
    first one's label (⊠国家…, 国's outline). The frame goes; the box keeps its label. An empty outline given
    up for a ticked one is a guess (知's 矢 and 口 run together look like an inked box): unsure."""
    out: list = []
    for b in boxes:
        if out and b.box[0] - out[-1].box[2] < 0.8 * (out[-1].box[2] - out[-1].box[0]):
            a = out[-1].box
            edge = _outline_left(binary, a)
            left = binary[a[1]:a[3], max(0, edge - max(3, (a[2] - a[0]) // 4)):max(0, edge - 1)]
            if left.size and bool((left > 0).any()):  # the first was in the label before it
                # a clear empty outline given up for an inked "box" (a character run together): a guess
                out[-1] = replace(b, doubt=True) if b.checked and out[-1].fill < EMPTY_INSIDE else b
            continue
        out.append(b)
    return out


def _outline_left(binary: np.ndarray, box: tuple[int, int, int, int]) -> int:
    """The column where a box's left side starts: its rectangle may start a pixel or two inside the ink of
    a side that blur made bold, and those columns, inked down most of the box's height, are its own side,
    not print running up to it."""
    x, h = box[0] - 1, max(1, box[3] - box[1])
    while x >= 0 and box[0] - x <= max(2, (box[2] - box[0]) // 5) \
            and int((binary[box[1]:box[3], x] > 0).sum()) >= 0.6 * h:
        x -= 1
    return x + 1


def _frame_after(carry: str | None, label: str, words: list[str]) -> bool:
    """The line before ended with an option's start (□综合 |) and this line's first "box" is followed by
    the option's end less one character (|或其他): the box is the frame inside that character (或)."""
    if not carry:
        return False
    rest = re.sub(r"\s+", "", label)
    return any(w.startswith(carry) and len(w) > len(carry) + 1 and rest.startswith(w[len(carry) + 1:])
               for w in words)


def _box_follows(ctx: PageCtx, raw: str, box: tuple[int, int, int, int], top: int, bot: int) -> bool:
    """The text after a "box" is a box OCR saw and then an option (融 | □法律服务, the line before ending 财税金),
    and the pixels show it: right after the "box", past clear paper, an outline its size with an empty inside
    that the box finder missed (a heavy scan broke its sides). Two boxes with no label between them are no two
    option boxes: the first is a frame in a character (融's), the option belongs to the second."""
    m = re.match(rf"\s*[{BOX_GLYPHS}口囗]\s*(\S.*)", raw)
    if m is None or looks_like_option(m.group(1), ctx.words) is None:
        return False
    side = box[2] - box[0]
    return empty_outline(ctx.binary[top:bot, box[2] + 1:box[2] + 1 + 3 * side], side) is not None


def _bare_option(text: str, words: list[str]) -> bool:
    """The text is an option label and nothing more (or its printed note, closed): 创业服务, 孵化器、服务平台.
    A note still open (用才机构（为引进的…充分发挥其优势和价 |) runs on: a "box" after it is a frame in its
    next character (值), no box whose label starts the next line."""
    label = looks_like_option(text, words)
    rest = text.strip()[len(label):].strip() if label else ""
    if label in ("其他", "综合或其他"):  # the list's last option: a "box" after it is a frame in the words
        return False  # written for it (☑其他 国 | 际会议组织: 国's outline), no option's box
    return label is not None and (not rest or (rest[0] in "（(" and rest[-1] in "）)"))


def _inside_glyph(ctx: PageCtx, before: str, box: tuple[int, int, int, int], top: int, bot: int, x0: int) -> bool:
    """A "box" that follows a Chinese character with less than a third of its width of paper between
    them, the text before it no option and no box (西安恒|通 …): a frame inside a character, not a checkbox."""
    b = before.strip()
    if not b or not ("\u4e00" <= b[-1] <= "\u9fff") or re.search(rf"[{CHECK_GLYPHS}]", b) \
            or any(w in b for w in ctx.words if len(w) >= 2):
        return False  # an option list: ☑投融资☑创业服务 has boxes close after the text
    w = box[2] - box[0]
    band = ctx.binary[top:bot, x0:box[0] - 1]
    cols = np.flatnonzero((band > 0).any(axis=0)) if band.size else []
    return len(cols) > 0 and box[0] - (x0 + int(cols[-1])) < w / 3


_TICK_BEFORE = re.compile(r"([√✓✔■☑☒▣Vv✗×Xx/])\s*(?=[\u4e00-\u9fff])")


def _glyph_ticks(text: str, ctx: PageCtx, box: tuple[int, int, int, int], at_end: bool = False) -> list[Mark]:
    """Options ticked with a printed glyph and no box (√荐才机构), as OCR read them.

    √ ✓ ■ read as such are sure; V, x or / may be a misread tick, so they come with a low
    confidence (the field then gets a finding). An option cut by the line's end keeps its start as label,
    for the next line to finish.
    """
    out = []
    end = re.search(r"([√✓✔■☑☒▣])\s*$", text)
    if at_end and end:  # □法律服务√技术转移√ | 人才招聘: the tick ends the line, its option starts the next
        text = text[:end.start()]
    for m in _TICK_BEFORE.finditer(text):
        rest = text[m.end():]
        label = looks_like_option(rest, ctx.words)
        sure = m.group(1) in "√✓✔■☑☒▣"
        conf = 0.9 if sure else 0.6
        if label is None:  # the option cut short where the next box's text begins (√管理|咨询服务)
            head = re.match(r"[\u4e00-\u9fff]+", rest)
            h = head.group(0) if head else ""
            starts = [w for w in ctx.words if h and w.startswith(h) and len(w) > len(h)]
            if at_end and sure and starts and rest.strip() == h:  # cut by the line's end (√知 | 识产权):
                label, conf = h, 0.9  # the next line finishes it
            elif len(h) >= 2 and len(starts) == 1 and sure:
                label, conf = starts[0], 0.6
            else:
                continue
        out.append(Mark(kind="checkbox", checked=True, label=label, bbox=ctx.pt(box), confidence=conf,
                        source="glyph"))
    if at_end and end:  # no label yet: open_label keeps it for the next line's start (wrap_label)
        out.append(Mark(kind="checkbox", checked=True, label=None, bbox=ctx.pt(box), confidence=0.9,
                        source="glyph"))
    return out


def box_column(cells: list, c: object, dpi: float) -> list:
    """Cells no wider than a checkbox right before ``c`` in its rows: legacy boxes stacked down the left
    of an option cell, whose sides were taken for a column ruling."""
    out: list = []
    x = c.box[0]
    while True:
        left = next((d for d in cells if d.row == c.row and d.rowspan == c.rowspan and abs(d.box[2] - x) <= 3
                     and d.box[2] - d.box[0] <= 20 * dpi / 72), None)
        if left is None:
            return out
        out.insert(0, left)
        x = left.box[0]
