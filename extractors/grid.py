"""The grid the mapper reads: every table cell of a layout in one row order (tables that follow each
other, also across pages, form one grid), each cell with the labels found in it and its neighbours."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise

from haizhi.extractors.detect import LabelHit, match_group, match_label
from haizhi.extractors.flow import mend_wrapped_labels, orphan, page_rest_lines, stitch, wrapped_label
from haizhi.extractors.labels import is_heading, later_segments
from haizhi.extractors.layout import Cell, Layout, Line, Page
from haizhi.extractors.pdf_reader import _page_number


@dataclass
class GCell:
    cell: Cell
    page: Page
    grow: int
    ti: int  # table index (global)
    ncols: int
    text: str
    hits: list[LabelHit] = field(default_factory=list)
    group: str | None = None

    @property
    def col(self) -> int:
        return self.cell.col

    @property
    def end(self) -> int:
        return self.cell.col + self.cell.colspan

    @property
    def labelish(self) -> bool:
        return bool(self.group) or any(h.score >= 0.85 and h.rest is None for h in self.hits) or is_heading(self.text)


class Grid:
    def __init__(self, layout: Layout, form_id: str) -> None:
        self.form_id = form_id
        self.rows: list[list[GCell]] = []
        self.lines: list[tuple[Line, Page]] = []
        self.stitched: list[tuple[GCell, GCell | None]] = []  # value cells joined across a page break
        self.unsure: list[GCell] = []  # … whose rest began with a mark not read (the value's end?)
        # … a page's first row of text under no label, not joined to the value that ended the page before
        self.orphans: list[tuple[GCell, str]] = []
        # where the last table (or the lines that went on from it) ends: page, bottom y, tables before
        self.end: tuple[Page, float | None, int] | None = None
        self.pages = layout.pages
        ti = 0
        for page in layout.pages:
            lines = [ln for ln in page.lines if not _page_number_line(ln, page)]
            self.lines += [(ln, page) for ln in mend_wrapped_labels(form_id, lines)]
            page_rest_lines(self, page)
            tables = page.tables
            if tables and all(t.bbox for t in tables):
                tables = sorted(tables, key=lambda t: t.bbox[1])  # type: ignore[index]
            for n, t in enumerate(tables):
                new = [[GCell(c, page, 0, ti, t.n_cols, c.text) for c in r] for r in t.rows()]
                if n == 0 and new and self.rows and self.rows[-1] and self.rows[-1][0].page is not page:
                    if stitch(self, new[0]):
                        new = new[1:]
                    else:
                        self.orphans += orphan(self, new[0])
                self.rows.extend(new)
                self.end = (page, t.bbox[3] if t.bbox else None, n + 1)
                ti += 1
        for i, r in enumerate(self.rows):
            for g in r:
                g.grow = i
                g.hits = match_label(form_id, g.text, fuzzy=g.cell.confidence < 1)
                lines = g.text.split("\n")
                parts = lines[1:] + [seg for ln in lines for seg in later_segments(ln, form_id)]
                # …    注册地是否在境 / 外：☑是 □否: a second pair's label wrapped at the cell's right edge
                parts += [j for a, b in pairwise(lines)
                          if (j := wrapped_label(form_id, a, b)) is not None]
                for part in parts:  # 标签：值 on a later line of the cell, or after another pair on a line
                    seen = {h.field.key for h in g.hits}
                    g.hits += [h for h in match_label(form_id, part, fuzzy=g.cell.confidence < 1, inner=True)
                               if h.field.key not in seen and (h.rest or part in lines)]
                g.group = match_group(form_id, g.text, g.cell.confidence < 1)


    def right_all(self, g: GCell) -> list[GCell]:
        return [c for c in self.rows[g.grow] if c.col >= g.end]

    def right(self, g: GCell) -> GCell | None:
        r = self.right_all(g)
        return r[0] if r else None

    def below(self, g: GCell) -> GCell | None:
        i = g.grow + g.cell.rowspan
        if i >= len(self.rows):
            return None
        for c in self.rows[i]:
            if c.ti == g.ti or c.ncols == g.ncols:
                if c.col < g.end and g.col < c.end:
                    return c
            elif g.cell.bbox and c.cell.bbox:
                if c.cell.bbox[0] < g.cell.bbox[2] and g.cell.bbox[0] < c.cell.bbox[2]:
                    return c
            elif c.col < g.end and g.col < c.end:
                return c
        return None

    def spanning(self, g: GCell) -> GCell | None:
        """A cell right of g starting in a row above whose rows reach g's row, the label cells of those rows
        left blank: a value cell that also covers g's row."""
        for back in range(1, 4):
            i = g.grow - back
            if i < 0:
                break
            row = self.rows[i]
            if any(c.col < g.end and c.text.strip() for c in row):
                return None  # the rows above have their own label
            hit = [c for c in row if c.col >= g.end and c.ti == g.ti and c.cell.rowspan > back and c.text.strip()]
            if hit:
                return hit[0]
        return None

    def group_of(self, g: GCell) -> str | None:
        """The group a sub-label belongs to: a group cell left of it in its row or a row above."""
        for back in range(6):
            i = g.grow - back
            if i < 0:
                break
            row = self.rows[i]
            grp = [c for c in row if c.group and (c.col < g.col or (back > 0 and c.col <= g.col < c.end))]
            if grp:
                return max(grp, key=lambda c: c.col).group
            if back and row and row[0].col == 0 and row[0].text.strip() and row[0].col < g.col:
                return None  # another field's row in between
        return None


def _page_number_line(ln: Line, page: Page) -> bool:
    """A scanned page's printed page number (1/3, — 2 —) in its header or footer band: page furniture that
    must not stop a long value from going on to the next page."""
    return page.method == "ocr" and ln.bbox is not None and bool(page.height) \
        and _page_number(ln.text, ln.bbox, float(page.height or 0))
