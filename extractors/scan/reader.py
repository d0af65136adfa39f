"""Scanned pages → pipeline.layout: orient, separate ink, find cells, OCR, checkboxes, marks."""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from haizhi.extractors.glyph_marks import marks_from_text
from haizhi.extractors.layout import Cell, Layout, Line, Mark, Page, Table
from haizhi.extractors.normalize import BOX_GLYPHS, CHECK_GLYPHS, sign_block_line, signature_line
from haizhi.extractors.pdf_reader import page_number_in
from haizhi.extractors.scan import seal_signature as marks_mod
from haizhi.extractors.scan.cells import find_tables, outside_tables, split_lines, split_segments
from haizhi.extractors.scan.checkboxes import (
    PxBox,
    find_boxes,
    looks_like_option,
    option_words,
    starts_option,
)
from haizhi.extractors.scan.confidence import LOW_CONFIDENCE
from haizhi.extractors.scan.engines import Engine, get_engine, tidy
from haizhi.extractors.scan.ink import binarize, is_photo, red_mask, text_gray
from haizhi.extractors.scan.orient import orient
from haizhi.extractors.scan.photo import even_light, flatten_sheet
from haizhi.extractors.scan.raster import PageImage, read_pages
from haizhi.pipeline.core.errors import UnreadableInput
from haizhi.pipeline.core.fields import FORMS
from haizhi.pipeline.core.record import Finding

WORK_DPI = 200.0
WORK_PIXELS = 12_000_000  # an A3 page at 250 dpi
PAGE_BUDGET_S = 60.0  # CPU seconds per page (wall time runs on while a busy machine pauses us); longer: cut short, named
TICKED, UNTICKED = "☑", "□"
OCR_GLYPH = 0.85  # an empty box or a written tick OCR read as a glyph (□ √) where the pixels found no box
_BOXLIKE = "".join(ch for ch in CHECK_GLYPHS if ch not in "√✓✔")  # a box OCR read as a glyph
SEAL_OVER_TEXT = 0.15  # share of a text run's box covered by seal ink that makes its reading unsure
SEAL_OVER_BOX = 0.25  # … or covered by a seal's round outline (its ink is thin where it crosses the text)


@dataclass
class TextBit:
    """One OCR'd run of text on a page, in pixels (for locating signature/seal blocks)."""

    text: str
    box: tuple[int, int, int, int]
    conf: float


class _Ctx:
    def __init__(self, gray: np.ndarray, binary: np.ndarray, dpi: float, engine: Engine) -> None:
        self.gray, self.binary, self.dpi, self.engine = gray, binary, dpi, engine
        self.red: np.ndarray | None = None  # seal ink on the levelled page (text under it is less sure)
        self.seals: list[tuple[int, int, int, int]] = []  # the seals' boxes
        self.bits: list[TextBit] = []
        self.words = option_words()
        self.deadline = time.process_time() + PAGE_BUDGET_S
        self._words: list | None = None
        self._read: dict[tuple, tuple[str, float]] = {}  # the same crop is asked for again (options re-read)

    def _from_page(self, region: tuple[int, int, int, int], masked: list) -> tuple[str, float]:
        """Words of a page-mode engine (one call per page) whose centre lies in region."""
        if self._words is None:
            from haizhi.extractors.scan.cells import line_masks

            hm, vm = line_masks(self.binary)
            rulings = cv2.dilate(cv2.bitwise_or(hm, vm), np.ones((5, 5), np.uint8))
            clean = self.gray.copy()
            clean[rulings > 0] = 255
            self._words = self.engine.page_words(clean)  # type: ignore[attr-defined]
        x0, y0, x1, y1 = region
        hits = []
        for t, (a, b, c, d), conf in self._words:
            cx, cy = (a + c) / 2, (b + d) / 2
            if x0 <= cx <= x1 and y0 <= cy <= y1 and not any(
                    m[0] <= cx <= m[2] and m[1] <= cy <= m[3] for m in masked):
                hits.append((b, a, t, conf))
        if not hits:
            return "", 0.0
        hits.sort(key=lambda h: h[1])
        text = tidy(" ".join(h[2] for h in hits))
        return text, min(h[3] for h in hits)

    def _views_disagree(self, key: tuple, crop: np.ndarray, text: str) -> bool:
        """Text under a seal read confidently, or text read half-surely: read again from the crop enlarged and
        from it shrunk. A character the seal's ink confused (优→仇) or hid (扎实→实), or a signature's stroke
        across the print (材料真→鞭镇), is often read otherwise at another size, while sound text reads the
        same; any difference makes the reading unsure."""
        if getattr(self.engine, "page_mode", False):
            return False
        want = "".join(text.split())
        for fx, interp in ((1.5, cv2.INTER_CUBIC), (0.7, cv2.INTER_AREA)):
            k = (*key, fx)
            if k not in self._read:
                self._read[k] = self.engine.recognize_line(cv2.resize(crop, None, fx=fx, fy=fx, interpolation=interp))
            if "".join(self._read[k][0].split()) != want:
                return True
        return False

    def pt(self, box: tuple[int, int, int, int]) -> tuple[float, float, float, float]:
        s = 72.0 / self.dpi
        return (round(box[0] * s, 1), round(box[1] * s, 1), round(box[2] * s, 1), round(box[3] * s, 1))

    def rec(self, x0: int, y0: int, x1: int, y1: int, mask_boxes: list | None = None) -> tuple[str, float]:
        pad = max(2, (y1 - y0) // 5)
        ya, yb = max(0, y0 - pad), min(self.gray.shape[0], y1 + pad)
        xa, xb = max(0, x0 - pad), min(self.gray.shape[1], x1 + pad)
        crop = self.gray[ya:yb, xa:xb]
        if mask_boxes:
            crop = crop.copy()
            for bx0, by0, bx1, by1 in mask_boxes:
                crop[max(0, by0 - 2 - ya):max(0, by1 + 3 - ya), max(0, bx0 - 2 - xa):max(0, bx1 + 3 - xa)] = 255
        if crop.size == 0 or time.process_time() > self.deadline:
            return "", 0.0
        key = (xa, ya, xb, yb, tuple(map(tuple, mask_boxes or ())))
        if key in self._read:
            text, conf = self._read[key]
        elif getattr(self.engine, "page_mode", False):
            text, conf = self._read[key] = self._from_page((xa, ya, xb, yb), mask_boxes or [])
        else:
            text, conf = self._read[key] = self.engine.recognize_line(crop)
        if text and self.red is not None:
            under = self.red[y0:y1, x0:x1]
            area = max(1, (x1 - x0) * (y1 - y0))
            covered = max((_inter(s, (x0, y0, x1, y1)) for s in self.seals), default=0) / area
            sealed = under.size and float((under > 0).mean()) > SEAL_OVER_TEXT or covered > SEAL_OVER_BOX
            if sealed and (conf < 0.97 or self._views_disagree(key, crop, text)):
                conf = min(conf, 0.7)  # a seal pressed over the text: OCR may confuse a character (术/木, 扎/孔)
            elif not sealed and LOW_CONFIDENCE <= conf < 0.97 and self._views_disagree(key, crop, text):
                conf = min(conf, LOW_CONFIDENCE - 0.05)  # a half-sure reading (a stroke across it) read otherwise
            if covered > SEAL_OVER_TEXT and _too_short(text, x1 - x0, y1 - y0):
                conf = min(conf, 0.6)  # under a seal, fewer characters read than the ink holds: some were lost
        if text:
            self.bits.append(TextBit(text, (x0, y0, x1, y1), conf))
        return text, conf


def _too_short(text: str, width: int, height: int) -> bool:
    """The characters read fill well under the run's ink width (a Chinese character is about as wide as
    the line is high, a Latin one about half): characters were dropped (情况属实，同报。)."""
    est = sum(1.0 if ord(ch) > 0x2E80 else 0.55 for ch in text if not ch.isspace()) * height
    return est < 0.7 * width


def _inter(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> int:
    return max(0, min(a[2], b[2]) - max(a[0], b[0])) * max(0, min(a[3], b[3]) - max(a[1], b[1]))


def _read_block(ctx: _Ctx, box: tuple[int, int, int, int],
                outer: tuple[int, int, int, int] | None = None) -> tuple[str, float, list[Mark]]:
    """OCR one cell (or page region): its lines, segments and checkboxes.

    outer: the cell with its rulings, to find boxes drawn as tall as the row (their top and bottom
    edges are the row's rulings, which the inset cell leaves out)."""
    x0, y0, x1, y1 = box
    binary = ctx.binary[y0:y1, x0:x1]
    if binary.size == 0 or int((binary > 0).sum()) < max(12, ctx.dpi / 10):
        return "", 1.0, []
    min_h = max(4, int(4 * ctx.dpi / 72))
    if outer is None:
        boxes = find_boxes(binary, ctx.dpi)
    else:
        ox0, oy0, ox1, oy1 = outer
        boxes = [PxBox((b.box[0] + ox0 - x0, max(0, b.box[1] + oy0 - y0), b.box[2] + ox0 - x0,
                        min(y1 - y0, b.box[3] + oy0 - y0)), b.checked, b.fill)
                 for b in find_boxes(ctx.binary[oy0:oy1, ox0:ox1], ctx.dpi)]
    lines_out: list[tuple[str, int, int, int]] = []
    confs: list[float] = []
    signs = 0
    marks: list[Mark] = []
    lines_check: list[tuple[str, int, int, int]] = []  # the lines less option labels carried up to a box
    pending: Mark | None = None  # the previous line's last box, its label cut at the line's end
    n_marks = 0
    for ly0, ly1 in split_lines(binary, min_h):
        lh = ly1 - ly0
        band = binary[ly0:ly1]
        in_line = [b for b in boxes if ly0 <= (b.box[1] + b.box[3]) / 2 <= ly1]
        gap = max(int(1.6 * min(lh, 3 * min_h)), int(12 * ctx.dpi / 72))  # a tall band: handwriting, not type
        segs = [s for s in split_segments(band, gap=gap)
                if int((band[:, s[0]:s[1]] > 0).sum()) >= max(10, lh)]
        if not segs:
            continue
        line_text = None
        if in_line:
            carry = None if pending is None else (pending.label or "")
            line_text, lmarks, lconf = _read_options(ctx, box, ly0, ly1, segs, in_line, carry)
            if line_text is not None:
                marks.extend(lmarks)
                confs.append(lconf)
                confs.extend(m.confidence for m in lmarks if m.confidence is not None)  # an unclear tick
        if line_text is None:
            n_conf = len(confs)
            parts = []
            for sx0, sx1 in segs:
                t, c = ctx.rec(x0 + sx0, y0 + ly0, x0 + sx1, y0 + ly1)
                if t:
                    parts.append(t)
                    confs.append(c)
            line_text = _unglue("    ".join(parts))  # a wide gap: 推荐单位：XX    被推荐机构：
            if sign_block_line(line_text) or (signs and signature_line(line_text)):
                del confs[n_conf:]  # 负责人（签字）/（公章）/年 月 日 under the seal, a name signed below them
                signs += 1
            if re.search(rf"[{CHECK_GLYPHS}]", line_text):  # boxes the pixels missed, or ticks printed as √ ✓
                got = marks_from_text(line_text, confidence=OCR_GLYPH, box_tick=0.6)
                marks.extend(m for n, m in enumerate(got) if (m.label and looks_like_option(m.label, ctx.words))
                             or (n + 1 == len(got) and starts_option(m.label or "", ctx.words, empty=True)))
        check = line_text
        if line_text and pending is not None:
            check = _wrap_label(pending, line_text, ctx.words)
        pending = _open_label(marks[n_marks:], ctx.words)
        n_marks = len(marks)
        if line_text:
            right = max(sx1 for _, sx1 in segs)
            lines_out.append((line_text, right, right - min(sx0 for sx0, _ in segs), binary.shape[1]))
            lines_check.append((check, right, right - min(sx0 for sx0, _ in segs), binary.shape[1]))
    text = _join_wrapped(lines_out)
    if marks and _options_without_box(_join_wrapped(lines_check), marks, ctx.words):
        confs.append(0.5)  # an option whose box (or tick) was not seen: the choice is unsure
    return text, (min(confs) if confs else (0.0 if text and not signs else 1.0)), marks


def _open_label(line_marks: list[Mark], words: list[str]) -> Mark | None:
    """A line's last box whose label runs on to the next line (✔创 | 业孵化, or ▣ ending the line)."""
    if not line_marks:
        return None
    m = line_marks[-1]
    label = (m.label or "").strip()
    return m if not looks_like_option(label, words) and starts_option(label, words, empty=True) else None


def _wrap_label(m: Mark, line: str, words: list[str]) -> str:
    """Carry the start of ``line`` (up to its first box) into the label of the box that ended the line
    before; → the line less what was carried."""
    lead = re.split(rf"[{CHECK_GLYPHS}]", line, maxsplit=1)[0]
    joined = (m.label or "").strip() + re.sub(r"\s+", "", lead)
    if not lead.strip() or not looks_like_option(joined, words):
        return line
    m.label = joined
    return line[len(lead):]


def _label_pattern() -> re.Pattern:
    labels = {lb for spec in FORMS.values() for f in spec.fields for lb in (f.label, *f.aliases) if len(lb) >= 3}
    labels.add("被推荐机构")  # the 承诺 block's second owner, beside 推荐单位
    alt = "|".join(re.escape(lb) for lb in sorted(labels, key=len, reverse=True))
    return re.compile(rf"(?<=[^\s：:（(])(?=(?:{alt})\s*[：:])")


_GLUED = _label_pattern()


def _unglue(text: str) -> str:
    """A second label run into the first value by OCR (协会被推荐机构：): the gap the page had between them."""
    return _GLUED.sub("    ", text)


def _options_without_box(text: str, marks: list[Mark], words: list[str]) -> bool:
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


def _join_wrapped(lines: list[tuple[str, int, int, int]]) -> str:
    """Join lines; a line broken only because the next word did not fit was wrapped, not broken.

    Each line: (text, right edge px, ink width px, cell width px).
    """
    out = ""
    for i, (t, _, width, _) in enumerate(lines):
        if i == 0:
            out = t
            continue
        p_text, p_right, p_width, cell_w = lines[i - 1]
        if "    " in out.split("\n")[-1] or re.match(r"^[^\s:：]{1,10}[:：]", t):
            out += "\n" + t  # label–value pairs side by side, or a new label: not a wrapped value
            continue
        first = re.match(r"[A-Za-z0-9@._\-]+", t)
        n_first = len(first.group(0)) if first else 1
        char_w = max(width / max(1, len(t)), p_width / max(1, len(p_text)))
        a, b = out[-1:], t[:1]
        latin = a.isascii() and b.isascii() and a.isalnum() and b.isalnum()
        slack = 0.9 if latin or a in "。；！？：.;!?:" else 1.5  # mid-sentence CJK: a little looser
        if p_right + (n_first + (1 if latin else 0)) * char_w * slack >= cell_w:
            out += (" " if latin and not (a.isdigit() and b.isdigit()) else "") + t  # 1838205 / 0261: one number
        else:
            out += "\n" + t
    return out


def _read_options(ctx: _Ctx, cbox: tuple[int, int, int, int], ly0: int, ly1: int,
                  segs: list[tuple[int, int]], boxes: list,
                  carry: str | None = None) -> tuple[str | None, list[Mark], float]:
    """A line with checkboxes: '☑荐才机构 □平台机构'; None when no square is an option box.

    A square whose following text is not an option label (a frame inside 国 or 知)
    is dropped and the line read again without it. carry: the label the line before left open
    (✔创 | 业孵化 □管理…): the text before the first box finishes it, so that box is no frame in 化.
    """
    x0, y0 = cbox[0], cbox[1]
    boxes = sorted(boxes, key=lambda b: b.box[0])
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
            t = re.sub(r"^[口□☐OoD0]\s*(?=[\u4e00-\u9fff])", "", t)  # the box itself read as a glyph
            label = looks_like_option(t, ctx.words)
            wrapped = 0 < i == len(boxes) - 1 and starts_option(t, ctx.words, empty=True)  # ▣ | 财税金融
            keep.append((label is not None and not (i == 0 and _frame_after(carry, t, ctx.words)))
                         or (wrapped and keep[-1] and (bool(t.strip()) or _bare_option(prev, ctx.words))))
            later = wrapped and not keep[-2]  # judged again once the box before it is settled
            prev = t
            if label is not None and not t.startswith(label):  # one misread character: the printed label
                t = label + t[len(label):]
            pieces.append((TICKED if b.checked else UNTICKED) + t)
            confs.append(c)
            # a box the pixels missed but OCR read as a glyph: 创业孵化 □管理咨询服务
            first, *more = re.split(rf"\s*([{_BOXLIKE}])", t)
            tail = more[-1] if more else t  # the last option's label on this piece: cut short by a frame?
            heads.append(i + 1 < len(boxes) and looks_like_option(tail, ctx.words) is None
                         and starts_option(tail, ctx.words))
            marks.append(Mark(kind="checkbox", checked=b.checked, label=first.strip() or None, bbox=ctx.pt(ab),
                              confidence=round(min(1.0, abs(b.fill - 0.07) * 8 + 0.5), 3), source="pixels"))
            for glyph, rest in zip(more[::2], more[1::2], strict=False):
                marks.append(Mark(kind="checkbox", checked=glyph not in BOX_GLYPHS, label=rest.strip() or None,
                                  bbox=ctx.pt(ab), confidence=0.6 if glyph not in BOX_GLYPHS else OCR_GLYPH,
                                  source="glyph"))
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


def _frame_after(carry: str | None, label: str, words: list[str]) -> bool:
    """The line before ended with an option's start (□综合 |) and this line's first "box" is followed by
    the option's end less one character (|或其他): the box is the frame inside that character (或)."""
    if not carry:
        return False
    rest = re.sub(r"\s+", "", label)
    return any(w.startswith(carry) and len(w) > len(carry) + 1 and rest.startswith(w[len(carry) + 1:])
               for w in words)


def _bare_option(text: str, words: list[str]) -> bool:
    """The text is an option label and nothing more (or its printed note): 创业服务, 综合或其他（请注明）."""
    label = looks_like_option(text, words)
    rest = text.strip()[len(label):].strip() if label else ""
    return label is not None and (not rest or rest[0] in "（(")


def _inside_glyph(ctx: _Ctx, before: str, box: tuple[int, int, int, int], top: int, bot: int, x0: int) -> bool:
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


def _glyph_ticks(text: str, ctx: _Ctx, box: tuple[int, int, int, int], at_end: bool = False) -> list[Mark]:
    """Options ticked with a printed glyph and no box (√荐才机构), as OCR read them.

    √ ✓ ■ read as such are sure; V, x or / may be a misread tick, so they come with a low
    confidence (the field then gets a finding). An option cut by the line's end keeps its start as label,
    for the next line to finish.
    """
    out = []
    for m in _TICK_BEFORE.finditer(text):
        rest = text[m.end():]
        label = looks_like_option(rest, ctx.words)
        sure = m.group(1) in "√✓✔■☑☒▣"
        conf = 0.9 if sure else 0.6
        if label is None:  # the option cut short where the next box's text begins (√管理|咨询服务)
            head = re.match(r"[\u4e00-\u9fff]{2,}", rest)
            starts = [w for w in ctx.words if head and w.startswith(head.group(0))] if head else []
            if len(starts) != 1 or not sure:
                continue
            label, conf = starts[0], 0.6
            if at_end and rest.strip() == head.group(0):  # cut by the line's end: the next line finishes it
                label, conf = head.group(0), 0.9
        out.append(Mark(kind="checkbox", checked=True, label=label, bbox=ctx.pt(box), confidence=conf,
                        source="glyph"))
    return out


def _box_column(cells: list, c: object, dpi: float) -> list:
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


def _inset(box: tuple[int, int, int, int], m: int) -> tuple[int, int, int, int]:
    x0, y0, x1, y1 = box
    return (x0 + m, y0 + m, max(x0 + m, x1 - m), max(y0 + m, y1 - m))


def read_page(pi: PageImage, engine: Engine) -> tuple[Page, list[Finding]]:
    findings = list(pi.findings)
    if pi.image is None:
        return Page(number=pi.number, method="ocr"), findings
    bgr = pi.image
    dpi = pi.dpi
    f = min(WORK_DPI / dpi, (WORK_PIXELS / max(1, bgr.shape[0] * bgr.shape[1])) ** 0.5)
    if f < 0.9:  # finer scans gain nothing for OCR here and cost time
        bgr = cv2.resize(bgr, (max(1, int(bgr.shape[1] * f)), max(1, int(bgr.shape[0] * f))),
                         interpolation=cv2.INTER_AREA)
        dpi = dpi * f
    bgr, flattened = flatten_sheet(bgr)  # a phone photo: the sheet cut out of its background and made upright
    if flattened:
        bgr = even_light(bgr)  # before judging it: a sheet photographed in dim light is mostly mid-grey
    if is_photo(bgr):
        findings.append(Finding("scan.photo_page", "warning", None,
                                f"第 {pi.number} 页像是照片而不是表格，未识别其中内容"))
        return Page(number=pi.number, method="ocr"), findings
    if flattened:
        findings.append(Finding("scan.photo_flattened", "info", None,
                                f"第 {pi.number} 页是拍照件：已按纸张边缘矫正透视"))
    g0 = text_gray(bgr)
    b0 = binarize(g0)
    if float((b0 > 0).mean()) < 0.0008:
        findings.append(Finding("scan.blank_page", "info", None, f"第 {pi.number} 页是空白页"))
        return Page(number=pi.number, method="ocr"), findings
    bgr, gray, binary, turns, skew = orient(bgr, engine, text_gray, binarize, g0, b0, dpi)
    ctx = _Ctx(gray, binary, dpi, engine)
    ctx.red = red_mask(bgr)
    seals = marks_mod.find_seals(bgr, dpi)
    ctx.seals = [b for b, _ in seals]
    h, w = binary.shape
    page = Page(number=pi.number, width=round(w * 72 / dpi, 1), height=round(h * 72 / dpi, 1),
                method="ocr")
    m = max(3, int(dpi / 40))
    px_tables = find_tables(binary)
    cell_texts: list[tuple[str, tuple[int, int, int, int]]] = []
    for t in px_tables:
        cells = []
        merged: set[int] = set()  # narrow cells read with the option cell beside them
        for c in t.cells:
            text, conf, cmarks = _read_block(ctx, _inset(c.box, m))
            if not cmarks and sum(w in text for w in ctx.words if len(w) >= 2) >= 2:
                alt = _read_block(ctx, _inset(c.box, m), outer=c.box)  # options, no box seen: row-tall boxes?
                if alt[2]:
                    text, conf, cmarks = alt
            lead = _box_column(t.cells, c, ctx.dpi) if sum(w in text for w in ctx.words if len(w) >= 2) >= 2 else []
            col, span, cbox = c.col, c.colspan, c.box
            if lead:  # boxes stacked down the cell's left side, their sides taken for a ruling: one cell
                alt = _read_block(ctx, _inset(c.box, m), outer=(lead[0].box[0], *c.box[1:]))
                if len(alt[2]) > len(cmarks):
                    text, conf, cmarks = alt
                    merged.update(id(x) for x in lead)
                    col, span, cbox = lead[0].col, span + sum(x.colspan for x in lead), (lead[0].box[0], *c.box[1:])
            left = next((i for i, x in enumerate(t.cells[:len(cells)]) if x.row == c.row and x.rowspan == c.rowspan
                         and abs(x.box[2] - c.box[0]) <= 3 and cells[i].marks and id(x) not in merged), None)
            if left is not None and not cmarks and looks_like_option(text, ctx.words):
                alt = _read_block(ctx, _inset(c.box, m), outer=c.box)  # a row-tall box's side taken for a ruling
                if alt[2]:  # the option cell split at that box: one cell again
                    lc, lx = cells[left], t.cells[left]
                    text, conf, cmarks = lc.text + " " + alt[0], min(lc.confidence, alt[1]), lc.marks + alt[2]
                    merged.add(id(lx))
                    col, span, cbox = lx.col, lx.colspan + span, (lx.box[0], *cbox[1:])
            cell_texts.append((text, cbox))
            cells.append(Cell(text=text, row=c.row, col=col, rowspan=c.rowspan, colspan=span,
                              bbox=ctx.pt(cbox), confidence=round(conf, 4), marks=cmarks))
        cells = [cell for x, cell in zip(t.cells, cells, strict=True) if id(x) not in merged]
        page.tables.append(Table(cells=cells, page=pi.number, bbox=ctx.pt(t.box)))
    _read_outside(ctx, outside_tables(binary, px_tables), page)
    page.marks.extend(marks_mod.find_marks(bgr, binary, ctx.bits, cell_texts, dpi, seals))
    if turns or abs(skew) >= 0.3:
        findings.append(Finding("scan.rotated", "info", None,
                                f"第 {pi.number} 页已自动转正（旋转 {turns * 90}°，纠偏 {skew:.1f}°）"))
    if time.process_time() > ctx.deadline:
        findings.append(Finding("scan.page_timeout", "warning", None,
                                f"第 {pi.number} 页识别超时，内容可能不完整"))
    return page, findings


def _read_outside(ctx: _Ctx, rest: np.ndarray, page: Page) -> None:
    min_h = max(4, int(4 * ctx.dpi / 72))
    for ly0, ly1 in split_lines(rest, min_h):
        lh = ly1 - ly0
        if lh > 6 * min_h * 3:  # a tall blob (photo, seal remnant): not a text line
            continue
        band = rest[ly0:ly1]
        for sx0, sx1 in split_segments(band, gap=max(int(2.0 * lh), int(14 * ctx.dpi / 72))):
            if int((band[:, sx0:sx1] > 0).sum()) < max(10, lh):
                continue
            t, c = ctx.rec(sx0, ly0, sx1, ly1)
            if t:
                page.lines.append(Line(text=_unglue(t), bbox=ctx.pt((sx0, ly0, sx1, ly1)), confidence=round(c, 4)))


def _page_text(page: Page) -> str:
    text = "".join(ln.text for ln in page.lines) + "".join(c.text for t in page.tables for c in t.cells)
    return text.replace(" ", "")


def _label_hits(text: str, spec) -> list[int]:  # noqa: ANN001
    return [i for i, f in enumerate(spec.fields) if any(len(lb) >= 4 and lb in text for lb in (f.label, *f.aliases))]


def _label_rank(page: Page, form: int | None = None) -> tuple[int, int]:
    """Where a page sits in its form: (form order, first field label index); foreign pages last.

    ``form``: the form the return was found to be (a label of another form on one page, 法定代表人 on a
    base form's page, does not make that page another form's)."""
    text = _page_text(page)
    best = (99, 10**6)
    for fi, spec in enumerate(FORMS.values()):
        if form is not None and fi != form:
            continue
        hits = _label_hits(text, spec)
        if hits:  # the middle label: one early label quoted on a later page (基地负责人（签字）) does not move it
            best = min(best, (fi, hits[len(hits) // 2]))
    return best


def _main_form(pages: list[Page]) -> int | None:
    """The form most labels of all pages belong to."""
    text = "".join(_page_text(p) for p in pages)
    counts = [len(_label_hits(text, spec)) for spec in FORMS.values()]
    return max(range(len(counts)), key=counts.__getitem__) if any(counts) else None


def footer_number(page: Page) -> int | None:
    """The printed page number (— 3 —, 第 3 页, 3/5) at the foot of the page, if read."""
    if not page.height:
        return None
    for ln in page.lines:
        if ln.bbox and ln.bbox[1] > 0.85 * page.height:
            num = page_number_in(ln.text)
            if num is not None:
                return num
    return None


def order_pages(pages: list[Page]) -> list[Page]:
    """Pages in form order (a scan's pages may come shuffled); pages not of a form after, as they came.

    Within a form: the printed page number where it was read, else the first field label on the page;
    when two pages show the same number (one misread), the order they were scanned in. A page with a
    table but no label right after a form page is the rest of that page's last row: it stays after it.
    """
    return [p for _, p in sorted(_keys(pages), key=lambda r: r[0])]


def _keys(pages: list[Page]) -> list[tuple[tuple, Page]]:
    """Sort keys (form, number or label rank, after, scan index, rest-of-page): when some pages show a
    printed number and others do not (lost under a seal or a crease), a page without one goes by its labels
    among the numbered pages: a label rank and a page number are not on one scale."""
    form = _main_form(pages)
    ranks = [(_label_rank(p, form), footer_number(p)) for p in pages]
    nums = [num for _, num in ranks if num is not None]
    trust = len(nums) == len(set(nums))  # two pages with one number: one was misread (3 read as 5)
    ranked: list[tuple[tuple, Page]] = []
    for k, (((form_i, label_i), num), p) in enumerate(zip(ranks, pages, strict=True)):
        if form_i == 99 and p.tables and ranked and ranked[-1][0][0] < 99:  # a long text's label-less rest
            prev = ranked[-1][0]
            key: tuple = (prev[0], num, 0, k, 0) if trust and num is not None else (*prev[:4], 1)
        elif not trust:
            key = (form_i, 0, 0, k, 0)  # as scanned: a misread number makes the others doubtful too
        elif num is not None:
            key = (form_i, num, 0, k, 0)
        elif nums:  # before the first numbered page whose labels come later, else after the last one
            later = [n for (fi, li), n in ranks if n is not None and fi == form_i and li > label_i]
            mine = [n for (fi, _), n in ranks if n is not None and fi == form_i]
            key = (form_i, min(later), -1, k, 0) if later else (form_i, max(mine, default=0), 1, k, 0)
        else:
            key = (form_i, label_i / 1000, 0, k, 0)
        ranked.append((key, p))
    return ranked


def foreign_pages(pages: list[Page]) -> list[Page]:
    """Pages with text that order_pages puts after the form as not of it (none when no page is of a form)."""
    keyed = [(key, p) for key, p in _keys(pages) if p.tables or p.lines]
    if not any(key[0] < 99 for key, _ in keyed):
        return []
    return [p for key, p in keyed if key[0] == 99]


def read_scan(path: Path, pages: list[int] | None = None, engine: str | None = None,
              dpi: float | None = None) -> tuple[Layout, list[Finding]]:
    """OCR a scanned PDF or image file: its layout plus file-level findings (Chinese)."""
    path = Path(path)
    eng = get_engine(engine)
    images = read_pages(path, pages, dpi) if dpi else read_pages(path, pages)
    out_pages: list[Page] = []
    findings: list[Finding] = []
    for pi in images:
        if not pi.is_page:
            findings.extend(pi.findings)
            continue
        page, f = read_page(pi, eng)
        pi.image = None  # free memory as we go
        out_pages.append(page)
        findings.extend(f)
    if not any(p.tables or p.lines for p in out_pages):
        findings.append(Finding("scan.nothing_read", "warning", None,
                                f"{path.name} 中没有识别出任何文字（空白、照片或无法读取的页面）"))
    else:  # a form is here: say which pages are not of it
        for p in foreign_pages(out_pages):
            findings.append(Finding("scan.foreign_page", "info", None,
                                    f"第 {p.number} 页没有表格栏目，可能不是申请表的页面（如说明信、附件），"
                                    "已排在最后，未从中读取字段"))
    sha = hashlib.sha256(path.read_bytes()).hexdigest() if path.stat().st_size < 512 * 2**20 else None
    return Layout(pages=order_pages(out_pages), file=str(path), sha256=sha), findings


def ocr_pages(path: Path, pages: list[int] | None = None, engine: str | None = None) -> Layout:
    """The extraction entry point: OCR the given 1-based pages (None = all) into a Layout."""
    layout, findings = read_scan(path, pages, engine)
    if not any(p.tables or p.lines for p in layout.pages) and findings:
        bad = [f for f in findings if f.rule in ("scan.too_large", "scan.too_small", "scan.damaged_page")]
        if bad and len(bad) == len([p for p in layout.pages]):
            raise UnreadableInput("；".join(f.message for f in bad[:3]))
    return layout
