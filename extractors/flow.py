"""Text that flows across pages and lines: rows broken by a page, page-top lines, wrapped labels.

Called by the mapper's Grid while it lays the tables of all pages into one grid.
"""

from __future__ import annotations

import dataclasses
import re
from typing import TYPE_CHECKING

from haizhi.extractors.detect import match_group, match_label
from haizhi.extractors.glyph_marks import marks_from_text
from haizhi.extractors.labels import is_heading, is_long, join_page, join_wrapped, label_colon, line_label
from haizhi.extractors.layout import Cell, Line, Page
from haizhi.extractors.normalize import CHECK_GLYPHS
from haizhi.extractors.opinion_rows import opinion_conf

STOP = "。"  # scan.lead_stop's mark for a ring read alone (the scan package is not imported here)
ENDS = ("。", "！", "？", "；", ".", "!", "?", ";", "）", ")", "”", "，", ",", "、", "：", ":")

if TYPE_CHECKING:
    from haizhi.extractors.grid import GCell, Grid


def _margin_noise(ln: Line, page: Page) -> bool:
    """A scanned page's edge: specks and the scanner's shadow read as letters (BONNIWSINRNT) in the top or
    bottom margin, no words in them. Not text after (or before) a table."""
    if page.method != "ocr" or ln.bbox is None or not page.height:
        return False
    in_margin = ln.bbox[1] > float(page.height) - 50 or ln.bbox[3] < 40
    words = len(re.findall(r"[\u4e00-\u9fff]", ln.text))
    return in_margin and words < 2 and (ln.confidence or 0) < 0.9 or words == 0 and _folio(ln, page)


def _folio(ln: Line, page: Page) -> bool:
    """A short run centred in the page's header or footer band: its printed page number misread (-3- as 5•)."""
    assert ln.bbox is not None
    h, w = float(page.height or 0), float(page.width or 0)
    band = ln.bbox[1] > 0.91 * h or ln.bbox[3] < 0.09 * h
    centred = w > 0 and abs((ln.bbox[0] + ln.bbox[2]) / 2 - w / 2) < 0.06 * w
    return band and centred and len("".join(ln.text.split())) <= 4


def _ran_on(grid: Grid, page: Page) -> bool:
    """The last table read ended its page (no text after it there, none on the pages between): what
    starts ``page`` may go on from it."""
    if grid.end is None or grid.end[0].number >= page.number:
        return False
    last, bottom, after = grid.end
    between = {p.number for p in grid.pages if last.number < p.number < page.number}
    if any(p.tables for p in grid.pages if p.number in between) or any(pg.number in between for _, pg in grid.lines):
        return False
    return not any(pg is last and not _margin_noise(ln, pg) and ((ln.after_tables or 0) >= after
                                                                 if ln.bbox is None or bottom is None
                                                                 else ln.bbox[1] >= bottom - 1) for ln, pg in grid.lines)


def stitch(grid: Grid, first: list[GCell]) -> bool:
    """A row broken by a page: its rest (same table split, or a new label-less table) joins the row above.

    The rest's cells pair with the row's cells by position (same count), or a single cell
    continues the row's last (value) cell. A short first cell may be the wrapped tail of
    the row's label (机构简介（不超500 | 字）).
    """
    prev = grid.rows[-1]
    if not first or not any(c.text.strip() or c.cell.lead for c in first):
        return False
    if not _ran_on(grid, first[0].page):
        return False
    top = first[0].cell.bbox[1] if first[0].cell.bbox else None
    if any(pg is first[0].page and not _margin_noise(ln, pg)
           and (ln.after_tables == 0 if ln.bbox is None or top is None else ln.bbox[3] <= top) for ln, pg in grid.lines):
        return False  # text above the table on its page: not the rest of a row
    if any(c.text.strip() and (match_group(grid.form_id, c.text)
                               or any(h.score >= 0.85 and (h.rest is None or not h.rest.strip())
                                      for h in match_label(grid.form_id, c.text)))  # 所在地市科协意见：（empty）
           for c in first):
        return False
    if len(first) == len(prev):
        pairs = list(zip(prev, first, strict=True))
        tail = first[0].text.strip()
        if len(first) == 1:
            bare = [h for h in match_label(grid.form_id, prev[0].text) if h.score >= 0.85 and not h.rest]
            if bare or is_heading(prev[0].text):
                return False  # a label at a page's end, its value on the next page
        elif tail and not _label_tail(grid.form_id, prev[0].text, tail):
            return False  # a first cell with text that is not a label's wrapped tail
    elif len(first) == 1 and len(prev) >= 2 and match_label(grid.form_id, prev[0].text):
        pairs = [(prev[-1], first[0])]
    else:
        return False
    for g, c in pairs:
        add = c.text.strip()
        value = g is not prev[0] or len(prev) == 1  # (a first cell goes on with the row's label)
        if value and add and not c.cell.lead and g.cell.open_tail:  # the rest starts on its cell's first line:
            g.cell = dataclasses.replace(g.cell, open_tail=False)  # a sentence cut by the page, not a paragraph
        if value and c.cell.lead and g.text.strip() and not g.text.rstrip().endswith(ENDS) \
                and not add.startswith(ENDS):
            if c.cell.lead == STOP:  # a paragraph's last 。 wrapped alone to the top of this page
                g.text = g.text.rstrip() + STOP
                g.cell = dataclasses.replace(g.cell, open_tail=False)
            else:
                grid.unsure.append(g)  # a mark there not read: the value may lack its end
        if not add:
            grid.stitched.append((g, c))
            continue
        if g is prev[0] and len(prev) > 1:
            g.text = g.text.rstrip() + add  # the label's tail
        else:
            g.text = join_page(g.text, add)
        g.cell = _surest(g.cell, c.cell)  # the rest's reading as unsure as it was (闭环 read 团环 on the next page)
        marks = g.cell.marks + c.cell.marks  # checkboxes of the rest (a copy: the layout is not changed)
        if marks and all(m.source == "glyph" for m in marks):
            marks = marks_from_text(g.text)  # a box at the page's end, its option on the next page
        if marks:
            g.cell = dataclasses.replace(g.cell, marks=marks)
        if c.cell.open_ends:  # the rest's paragraphs ending with no stop read are the value's now
            g.cell = dataclasses.replace(g.cell, open_ends=g.cell.open_ends + c.cell.open_ends)
        grid.stitched.append((g, c))
    return True


def _surest(cell: Cell, rest: Cell) -> Cell:
    """cell, joined by rest: no surer than either's reading (of its text alone too, when a scan gave that)."""
    def text(c: Cell) -> float:
        return c.confidence if c.text_confidence is None else c.text_confidence

    both = None if cell.text_confidence is None and rest.text_confidence is None else min(text(cell), text(rest))
    kept = None if cell.kept_confidence is None and rest.kept_confidence is None else min(
        opinion_conf(cell), opinion_conf(rest))
    return dataclasses.replace(cell, confidence=min(cell.confidence, rest.confidence), text_confidence=both,
                               kept_confidence=kept)


def orphan(grid: Grid, first: list[GCell]) -> list[tuple[GCell, str]]:
    """A page's first row not joined to the row that ended the page before, with text and no label, group
    or heading in it: maybe the rest of that row's value, not attached. (The value cell, the row's text.)"""
    text = " ".join(c.text.strip() for c in first if c.text.strip())
    if len(text) < 4 or any(match_group(grid.form_id, c.text) or is_heading(c.text)
                            or any(h.score >= 0.85 for h in match_label(grid.form_id, c.text)) for c in first):
        return []
    return [(grid.rows[-1][-1], text)]


def page_rest_lines(grid: Grid, page: Page) -> None:  # noqa: C901
    """PDF: lines at the top of a page, above its first table and before any label, that go on from
    the long value in the last row of the previous page's table."""
    if not grid.rows or not page.lines:
        return
    prev = grid.rows[-1]
    if not prev or prev[0].page is page or not prev[-1].text.strip():  # an OCR row can be empty
        return
    hits = [h for g in prev[:-1] for h in match_label(grid.form_id, g.text)]
    if len(prev) == 1:  # a one-column table: the label is in the row above
        above = grid.rows[-2] if len(grid.rows) > 1 else []
        hits = [h for g in above for h in match_label(grid.form_id, g.text)]
    if not any(is_long(h.field) for h in hits):
        return
    if not _ran_on(grid, page):
        return
    top = min((t.bbox[1] for t in page.tables if t.bbox), default=float("inf"))
    taken = []
    for ln, pg in grid.lines:
        if pg is not page or _margin_noise(ln, pg):
            continue
        first = ln.after_tables == 0 if ln.bbox is None else ln.bbox[1] < top
        if not first or is_heading(ln.text) or \
                any(h.score >= 0.85 for h in match_label(grid.form_id, ln.text)):
            break
        taken.append(ln)
    if taken:
        g = prev[-1]
        for ln in taken:
            g.text = join_page(g.text, ln.text.strip()) if ln is taken[0] else join_wrapped(g.text, ln.text.strip())
        # the value is as sure as its least sure part (a rest read 口络 for 络，: TUNE coop heavy 12543)
        g.cell = _surest(g.cell, Cell("", 0, 0, confidence=min(ln.confidence for ln in taken)))
        grid.lines = [(ln, pg) for ln, pg in grid.lines if all(ln is not t for t in taken)]
        grid.stitched.append((g, None))
        grid.end = (page, taken[-1].bbox[3] if taken[-1].bbox else None, 0)


def _label_tail(form_id: str, label: str, tail: str) -> bool:
    """The first cell of a row's rest is the wrapped end of the row's label (…（时 | 间、颁发机构…）)."""
    before = {h.field.key for h in match_label(form_id, label)}
    if not before:
        return False
    if len(tail) <= 10:
        return True
    return any(h.field.key in before and not h.rest for h in match_label(form_id, label.rstrip() + tail))


def wrapped_label(form_id: str, line: str, nxt: str) -> str | None:
    """The line's last pair (or the whole run: OCR reads a second pair as a line of its own) is a printed label
    wrapped onto the next line (…    注册地是否在境 / 外：☑是 □否): that label joined with its value."""
    m = re.search(r"(?:^|\t|\s)(\S{1,24})\s*$", line)
    if m is None or re.search(r"[:：]", m.group(1)):
        return None
    joined = m.group(1) + nxt.strip()
    return joined if label_colon(form_id).match(joined) else None


def mend_wrapped_labels(form_id: str, lines: list[Line]) -> list[Line]:
    """PDF lines: a second label wrapped at the line's end (…：甲    注册地是否在 / 境外：☑是), or the value of
    a label：value line wrapped at the right margin (…28 / 层), is one line again."""
    out: list[Line] = []
    pat = label_colon(form_id)
    right = max((ln.bbox[2] for ln in lines if ln.bbox), default=None)
    for ln in lines:
        prev = out[-1] if out else None
        if prev is not None and prev.bbox and ln.bbox and right is not None and prev.bbox[2] > right - 14 \
                and 0 <= ln.bbox[1] - prev.bbox[3] < (prev.bbox[3] - prev.bbox[1]) and len(ln.text.strip()) <= 12 \
                and not re.search(r"[:：]", ln.text) and not match_label(form_id, ln.text) \
                and not is_heading(ln.text) and (pat.search(prev.text) or line_label(form_id, prev.text)):
            out[-1] = dataclasses.replace(prev, text=join_wrapped(prev.text.rstrip(), ln.text.strip()),
                                          bbox=(prev.bbox[0], prev.bbox[1], prev.bbox[2], ln.bbox[3]),
                                          marks=prev.marks + ln.marks)
            continue
        prev = out[-1] if out else None
        if prev is not None and prev.bbox and ln.bbox and 0 <= ln.bbox[1] - prev.bbox[3] < (prev.bbox[3] - prev.bbox[1]) \
                and not match_label(form_id, ln.text):
            m = re.search(r"(?:^|\t|\s)(\S{1,24})\s*$", prev.text)
            box_last = prev.text.rstrip()[-1:] in CHECK_GLYPHS  # …境外:☑ / 是 □否: a box whose option wrapped
            # …（万元）： / 141.01 万: a label ending the line, its value on the next
            colon_last = bool(m) and prev.text.rstrip()[-1:] in ":：" and bool(pat.fullmatch(m.group(1).strip()))
            if box_last or colon_last or wrapped_label(form_id, prev.text, ln.text) is not None:
                out[-1] = dataclasses.replace(prev, text=prev.text.rstrip() + ln.text.strip(),
                                              bbox=(prev.bbox[0], prev.bbox[1], max(prev.bbox[2], ln.bbox[2]),
                                                    ln.bbox[3]), marks=prev.marks + ln.marks)
                continue
        out.append(ln)
    return out
