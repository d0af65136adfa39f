"""Scanned pages → pipeline.layout: orient, separate ink, find cells, OCR, checkboxes, marks."""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import replace
from pathlib import Path

import cv2
import numpy as np

from haizhi.extractors.glyph_marks import marks_from_text
from haizhi.extractors.layout import Cell, Layout, Line, Mark, Page, Table
from haizhi.extractors.normalize import CHECK_GLYPHS, stroke_after_end
from haizhi.extractors.scan import seal_signature as marks_mod
from haizhi.extractors.scan.barcodes import page_codes, whiten
from haizhi.extractors.scan.cells import find_tables, outside_tables, split_lines, split_segments
from haizhi.extractors.scan.checkboxes import (
    find_boxes,
    looks_like_option,
    starts_option,
)
from haizhi.extractors.scan.confidence import LOW_CONFIDENCE
from haizhi.extractors.scan.context import OCR_GLYPH, PageCtx, printed_label
from haizhi.extractors.scan.engines import Engine, get_engine
from haizhi.extractors.scan.glyph_boxes import doubt_glyph_boxes
from haizhi.extractors.scan.ink import binarize, hand_strokes, is_photo, red_mask, text_gray
from haizhi.extractors.scan.lead_stop import ends_paragraph, first_line_stop, lead_stop, stop_after
from haizhi.extractors.scan.line_join import join_wrapped, open_ends, unglue
from haizhi.extractors.scan.options import (
    box_column,
    open_label,
    options_shown,
    options_without_box,
    read_options,
    wrap_label,
)
from haizhi.extractors.scan.orient import orient
from haizhi.extractors.scan.page_order import foreign_pages, order_pages
from haizhi.extractors.scan.photo import even_light, flatten_sheet
from haizhi.extractors.scan.raster import PageImage, read_pages
from haizhi.extractors.scan.ring_text import seal_named
from haizhi.extractors.scan.run_again import pairs_apart as _pairs_apart
from haizhi.extractors.scan.run_again import print_rows
from haizhi.extractors.scan.seal_names import ring_namer
from haizhi.extractors.scan.seals import find_seals
from haizhi.extractors.scan.signing_runs import signing_run
from haizhi.extractors.scan.tick_glyphs import printed_ticks
from haizhi.pipeline.core.errors import UnreadableInput
from haizhi.pipeline.core.record import Finding

WORK_DPI = 200.0
WORK_PIXELS = 12_000_000  # an A3 page at 250 dpi


def _read_block(ctx: PageCtx, box: tuple[int, int, int, int],
                outer: tuple[int, int, int, int] | None = None) -> tuple[str, float, list[Mark], float]:
    """OCR one cell (or page region): its lines, segments and checkboxes; → (text, confidence, marks, how
    sure its text alone is: the OCR of its runs, not its ticks; in a cell of options, of the line holding
    its 其他 box, whose 请注明 text is the one value read from print there).

    outer: the cell with its rulings, to find boxes drawn as tall as the row (their top and bottom
    edges are the row's rulings, which the inset cell leaves out)."""
    x0, y0, x1, y1 = box
    binary = ctx.binary[y0:y1, x0:x1]
    ctx.open_ends, ctx.kept, ctx.line_confs = (0, False), None, []
    if binary.size == 0 or int((binary > 0).sum()) < max(12, ctx.dpi / 10):
        return "", 1.0, [], 1.0
    min_h = max(4, int(4 * ctx.dpi / 72))
    if outer is None:
        boxes = find_boxes(binary, ctx.dpi)
    else:
        ox0, oy0, ox1, oy1 = outer
        boxes = [replace(b, box=(b.box[0] + ox0 - x0, max(0, b.box[1] + oy0 - y0), b.box[2] + ox0 - x0,
                                 min(y1 - y0, b.box[3] + oy0 - y0)))  # all else kept (a tick over the outline)
                 for b in find_boxes(ctx.binary[oy0:oy1, ox0:ox1], ctx.dpi)]
    lines_out: list[tuple[str, int, int, int]] = []
    confs: list[float] = []
    texts: list[float] = []  # the runs' OCR alone (ticks and boxes not seen aside)
    others: list[float] = []  # … of the lines holding an 其他 box (its 请注明 text)
    signs = 0
    aside: list[float] = []  # strokes read past a gap after a finished sentence (同意推荐。    DO)
    line_confs: list[tuple[str, float]] = []  # each line read and how sure (标签甲：值    标签乙：值 / 标签丙：值)
    marks: list[Mark] = []
    lines_check: list[tuple[str, int, int, int]] = []  # the lines less option labels carried up to a box
    pending: Mark | None = None  # the previous line's last box, its label cut at the line's end
    first = None  # the first line's last run, when read as plain text (lead_stop.first_line_stop)
    tail = None  # the last line read: its last box, ink's right end, height (when a line of options)
    n_marks = 0
    for ly0, ly1 in split_lines(binary, min_h):
        lh = ly1 - ly0
        band = binary[ly0:ly1]
        in_line = [b for b in boxes if ly0 <= (b.box[1] + b.box[3]) / 2 <= ly1]
        ticks = printed_ticks(band, in_line, ly0)  # ✔ printed in place of a box, OCR often dropping it
        if ticks:
            in_line = sorted(in_line + ticks, key=lambda b: b.box[0])
        gap = max(int(1.6 * min(lh, 3 * min_h)), int(12 * ctx.dpi / 72))  # a tall band: handwriting, not type
        segs = [s for s in split_segments(band, gap=gap)
                if int((band[:, s[0]:s[1]] > 0).sum()) >= max(10, lh)]
        if not segs:
            continue
        n_line, n_aside = len(confs), len(aside)
        line_text = None
        if in_line:
            carry = None if pending is None else (pending.label or "")
            line_text, lmarks, lconf = read_options(ctx, box, ly0, ly1, segs, in_line, carry)
            if line_text is not None:
                marks.extend(lmarks)
                confs.append(lconf)
                texts.append(lconf)
                if any(_OTHER_BOX.match(m.label or "") for m in lmarks):
                    others.append(lconf)
                confs.extend(m.confidence for m in lmarks if m.confidence is not None)  # an unclear tick
        tail = (lmarks[-1], max(s[1] for s in segs), lh) if line_text is not None and lmarks else None
        if line_text is None:
            n_conf = len(confs)
            parts = []
            for sx0, sx1 in segs:
                t, c = ctx.band(binary, (sx0, ly0, sx1, ly1), (x0, y0), min_h)
                if t:
                    parts.append(t)
                    confs.append(c)
                    texts.append(c)
            last = (x0 + segs[-1][0], y0 + ly0, x0 + segs[-1][1], y0 + ly1)
            if parts and not lines_out:
                first = last
            if parts and lines_out and ends_paragraph(segs[-1][1], lines_out[-1][1], binary.shape[1], lh, min_h):
                parts[-1], doubt = stop_after(ctx, binary, last, (x0, y0), parts[-1])
                if doubt:  # a stop read after its last character, unsurely: maybe lost
                    confs[-1] = texts[-1] = min(confs[-1], LOW_CONFIDENCE - 0.01)
            cut = next((i for i in range(1, len(parts)) if stroke_after_end(parts[i - 1], parts[i])), None)
            if cut is not None:  # 同意推荐。    DO: kept in the text and counted, but an opinion drops them
                k = len(confs) - (len(parts) - cut)
                aside += confs[k:]
                del confs[k:], texts[len(texts) - (len(parts) - cut):]
            line_text = unglue("    ".join(parts))  # a wide gap: 推荐单位：XX    被推荐机构：
            if signing_run(line_text, signs > 0):
                del texts[len(texts) - (len(confs) - n_conf):]
                del confs[n_conf:], aside[n_aside:]  # 负责人（签字）/（公章）/年 月 日 under the seal, a name signed below
                signs += 1
            if re.search(rf"[{CHECK_GLYPHS}]", line_text):  # boxes the pixels missed, or ticks printed as √ ✓
                got = marks_from_text(line_text, confidence=OCR_GLYPH, box_tick=0.6)
                got = [m for n, m in enumerate(got) if (m.label and looks_like_option(m.label, ctx.words))
                       or (n + 1 == len(got) and starts_option(m.label or "", ctx.words, empty=True))]
                doubt_glyph_boxes(got, band, lh)  # □ not borne out by an empty outline there: unsure
                marks.extend(got)
        check = line_text
        if line_text and pending is not None:
            check = wrap_label(pending, line_text, ctx.words)
        pending = open_label(marks[n_marks:], ctx.words)
        n_marks = len(marks)
        if line_text:
            right = max(sx1 for _, sx1 in segs)
            lines_out.append((line_text, right, right - min(sx0 for sx0, _ in segs), binary.shape[1]))
            line_confs.append((line_text, round(min(confs[n_line:] + aside[n_aside:], default=1.0), 4)))
            lines_check.append((check, right, right - min(sx0 for sx0, _ in segs), binary.shape[1]))
    got = first_line_stop(ctx, binary, (x0, y0), first, lines_out, min_h) if first is not None else None
    if got is not None:
        t, doubt = got
        c = min(line_confs[0][1], LOW_CONFIDENCE - 0.01) if doubt else line_confs[0][1]
        lines_out[0], lines_check[0], line_confs[0] = (t, *lines_out[0][1:]), (t, *lines_check[0][1:]), (t, c)
        if doubt:
            confs.append(c)
            texts.append(c)
    text = join_wrapped(lines_out)
    ctx.open_ends = open_ends(lines_out)  # read by the caller with this cell's text
    ctx.line_confs = line_confs
    if tail is not None and _runs_out(tail[0], right=tail[1], width=x1 - x0, lh=tail[2]):
        confs.append(LOW_CONFIDENCE - 0.01)  # ☑其他 海外人才签| ending the cell: its next line cut off?
        others.append(LOW_CONFIDENCE - 0.01)
    if marks and options_without_box(join_wrapped(lines_check), marks, ctx.words):
        confs.append(0.5)  # an option whose box (or tick) was not seen: the choice is unsure
    conf = min(confs) if confs else (0.0 if text and not signs else 1.0)
    ctx.kept = conf if aside else None  # read by the caller: the reading an opinion has, which drops those strokes
    conf = min([conf, *aside])
    if SURE_PRINT < conf < LOW_CONFIDENCE and not marks and printed_label(text):
        conf = LOW_CONFIDENCE  # a label cell wrapped over lines (设立海外工作站点数 / 量（个）) reading a printed label
    return text, conf, marks, (conf if not marks else min(others or texts + aside, default=conf))


_CJK = re.compile(r"[\u4e00-\u9fff]")
_OTHER_BOX = re.compile(r"\s*(?:综合或)?其他")


def _runs_out(m: Mark, right: int, width: int, lh: int) -> bool:
    """A line ending with an 其他 box's own text (☑其他 海外人才签) that fills the cell to its right side: the
    text was wrapped there, and the line after it may be cut off by the row's height."""
    label = (m.label or "").strip()
    other = next((o for o in ("综合或其他", "其他") if label.startswith(o)), None)
    rest = re.sub(r"^[（(]?请注明[）)]?|[（(]?请注明[）)]?$", "", label[len(other):].strip()) if other else ""
    return bool(m.checked and len(rest) >= 2 and width - right < lh)


SURE_PRINT = 0.7  # under it a run's doubt is a seal's over it or characters it lost: a label cell stays named


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
    ctx = PageCtx(gray, binary, dpi, engine)
    ctx.red = red_mask(bgr)
    ctx.hand = hand_strokes(bgr, dpi)
    ctx.bgr = bgr  # text under a seal's ink is read again from its plain red channel
    seals = find_seals(bgr, dpi, ctx.red)
    ctx.seals = [b for b, _ in seals]
    h, w = binary.shape
    page = Page(number=pi.number, width=round(w * 72 / dpi, 1), height=round(h * 72 / dpi, 1),
                method="ocr")
    m = max(3, int(dpi / 40))
    px_tables = find_tables(binary, ctx.red, dpi)
    cell_texts: list[tuple[str, tuple[int, int, int, int]]] = []
    top = min(px_tables, key=lambda t: t.box[1], default=None)
    for t in px_tables:
        cells = []
        merged: set[int] = set()  # narrow cells read with the option cell beside them
        for c in t.cells:
            text, conf, cmarks, tconf = _read_block(ctx, _inset(c.box, m))
            ends, tail = ctx.open_ends
            kept, line_confs, first = ctx.kept, ctx.line_confs, text  # (of this reading, not another's below)
            if options_shown(text, ctx.words) > max(1, len(cmarks)) \
                    and (not cmarks or not box_column(t.cells, c, ctx.dpi)):
                alt = _read_block(ctx, _inset(c.box, m), outer=c.box)  # options, boxes not seen: row-tall boxes?
                if len(alt[2]) > len(cmarks):
                    text, conf, cmarks, tconf = alt
            lead = box_column(t.cells, c, ctx.dpi) if sum(w in text for w in ctx.words if len(w) >= 2) >= 2 else []
            col, span, cbox = c.col, c.colspan, c.box
            if lead:  # boxes stacked down the cell's left side, their sides taken for a ruling: one cell
                alt = _read_block(ctx, _inset(c.box, m), outer=(lead[0].box[0], *c.box[1:]))
                if len(alt[2]) > len(cmarks):
                    text, conf, cmarks, tconf = alt
                    if any(_CJK.search(cells[t.cells.index(x)].text) for x in lead):  # text beside the boxes
                        conf = tconf = min(conf, LOW_CONFIDENCE - 0.01)  # (织 of 国际会议组织 wrapped under them) is
                        # not read with the cell: named
                    merged.update(id(x) for x in lead)
                    col, span, cbox = lead[0].col, span + sum(x.colspan for x in lead), (lead[0].box[0], *c.box[1:])
            left = next((i for i, x in enumerate(t.cells[:len(cells)]) if x.row == c.row and x.rowspan == c.rowspan
                         and abs(x.box[2] - c.box[0]) <= 3 and cells[i].marks and id(x) not in merged), None)
            if left is not None and not cmarks and looks_like_option(text, ctx.words):
                alt = _read_block(ctx, _inset(c.box, m), outer=c.box)  # a row-tall box's side taken for a ruling
                if alt[2]:  # the option cell split at that box: one cell again
                    lc, lx = cells[left], t.cells[left]
                    text, conf, cmarks = lc.text + " " + alt[0], min(lc.confidence, alt[1]), lc.marks + alt[2]
                    tconf = min(lc.text_confidence if lc.text_confidence is not None else lc.confidence, alt[3])
                    merged.add(id(lx))
                    col, span, cbox = lx.col, lx.colspan + span, (lx.box[0], *cbox[1:])
            if text != first:
                kept, line_confs = None, []
            cell_texts.append((text, cbox))
            ix0, iy0, ix1, iy1 = _inset(c.box, m)  # the page's first row may go on from the page before
            stop = lead_stop(ctx.binary[iy0:iy1, ix0:ix1], ctx.dpi) if c.row == 0 and t is top else None
            cells.append(Cell(text=text, row=c.row, col=col, rowspan=c.rowspan, colspan=span,
                              bbox=ctx.pt(cbox), confidence=round(conf, 4), marks=cmarks,
                              text_confidence=round(tconf, 4), lead=stop, open_ends=ends,
                              open_tail=tail, kept_confidence=None if kept is None or cmarks else round(kept, 4),
                              line_confidences=line_confs if len(line_confs) > 1 else None))
        cells = [cell for x, cell in zip(t.cells, cells, strict=True) if id(x) not in merged]
        page.tables.append(Table(cells=cells, page=pi.number, bbox=ctx.pt(t.box)))
    code_boxes, page.codes = page_codes(gray, bgr)
    _read_outside(ctx, whiten(outside_tables(binary, px_tables), code_boxes), page)  # a code is no text
    page.marks.extend(marks_mod.find_marks(bgr, binary, ctx.bits, cell_texts, dpi, seals, ctx.red,
                                           ring_namer(ctx)))
    if turns or abs(skew) >= 0.3:
        findings.append(Finding("scan.rotated", "info", None,
                                f"第 {pi.number} 页已自动转正（旋转 {turns * 90}°，纠偏 {skew:.1f}°）"))
    if time.process_time() > ctx.deadline:
        findings.append(Finding("scan.page_timeout", "warning", None,
                                f"第 {pi.number} 页识别超时，内容可能不完整"))
    return page, findings


SHORT_READ, WIDE_RUN = 3, 8  # a run read as this many characters or fewer, its ink wider than this many lines high
RULE_MM = 30  # a horizontal stroke this long outside the tables is a ruling (of a table not found), not text


def _without_rules(rest: np.ndarray, dpi: float) -> np.ndarray:
    """rest without its long horizontal strokes: the rulings of a table not found as one (a one-row rest of a table
    at a page's top) would make one run of the row's whole width with its text, which OCR then reads short
    (络， read 络, sure: TUNE coop moderate 12543)."""
    k = max(8, int(RULE_MM * dpi / 25.4))
    rules = cv2.morphologyEx(rest, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (k, 1)))
    if not rules.any():
        return rest
    return cv2.bitwise_and(rest, cv2.bitwise_not(cv2.dilate(rules, np.ones((3, 1), np.uint8))))


def _read_outside(ctx: PageCtx, rest: np.ndarray, page: Page) -> None:
    min_h = max(4, int(4 * ctx.dpi / 72))
    rest = _without_rules(rest, ctx.dpi)
    signs = False  # the line before was a signing block's
    boxes: list[tuple[int, int, int, int]] = []  # each line's box in pixels, as page.lines
    first = len(page.lines)
    rings: dict[tuple[int, int, int, int], str | None] = {}  # each seal's name read from its ring, when asked
    for ly0, ly1 in split_lines(rest, min_h):
        lh = ly1 - ly0
        if lh > 6 * min_h * 3:  # a tall blob (photo, seal remnant): not a text line
            continue
        band = rest[ly0:ly1]
        for sx0, sx1 in split_segments(band, gap=max(int(2.0 * lh), int(14 * ctx.dpi / 72))):
            if int((band[:, sx0:sx1] > 0).sum()) < max(10, lh) or _ruling_piece(band[:, sx0:sx1]):
                continue
            t, c = ctx.band(rest, (sx0, ly0, sx1, ly1), (0, 0), min_h)
            if not t:
                continue
            t, c = print_rows(ctx, rest, (sx0, ly0, sx1, ly1), t, c, min_h)
            if len(t.strip()) <= SHORT_READ and sx1 - sx0 > WIDE_RUN * lh:
                # a character or three read from a run many characters wide: what else its ink holds (a ruling's
                # rest left in pieces by a heavy scan, with 络， in it read 络: TUNE coop heavy 12543) is not read
                c = min(c, LOW_CONFIDENCE - 0.01)
            runs = _pairs_apart(ctx, rest, unglue(t), (sx0, ly0, sx1, ly1), min_h) if c < LOW_CONFIDENCE else None
            for text, box, conf in runs or [(unglue(t), (sx0, ly0, sx1, ly1), c)]:
                text, conf = seal_named(ctx, text, box, conf, rings)
                signs = signing_run(text, signs)
                if signs:  # 负责人（签字）：孤约华: the handwriting's doubt is no value's (the opinion above it)
                    conf = max(conf, LOW_CONFIDENCE)
                page.lines.append(Line(text=text, bbox=ctx.pt(box), confidence=round(conf, 4)))
                boxes.append(box)
    right = max((b[2] for b in boxes), default=0)  # the text column's right side: a line well short of it ends a paragraph
    for i, (ln, box) in enumerate(zip(page.lines[first:], boxes, strict=True)):
        if i and ends_paragraph(box[2], boxes[i - 1][2], right, box[3] - box[1], min_h):
            ln.text, doubt = stop_after(ctx, rest, box, (0, 0), ln.text)
            if doubt:
                ln.confidence = min(ln.confidence, LOW_CONFIDENCE - 0.01)


def _ruling_piece(seg: np.ndarray) -> bool:
    """A thin straight stroke, standing alone, half the line's height or more: a piece of a ruling (a faint
    table's border, the table not found) crossing the line, which OCR reads as 1 at the line's end. (A 1 or l
    of type has a flag, foot or serif, and stands beside other characters.)"""
    ys, xs = np.nonzero(seg.any(axis=1))[0], np.nonzero(seg.any(axis=0))[0]
    tall = ys[-1] - ys[0] + 1
    return tall >= 0.5 * seg.shape[0] and xs[-1] - xs[0] + 1 <= max(2, 0.2 * tall)


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
