"""Where a label cell's value is on the page: the cells beside or below it (a header row of labels with
values below, an option row a page break split), or, on a scan whose value column lost its rulings,
the lines to its right."""

from __future__ import annotations

import re

from haizhi.extractors.detect import lkey
from haizhi.extractors.grid import GCell, Grid
from haizhi.pipeline.core.fields import FieldSpec


def value_cells(grid: Grid, g: GCell, f: FieldSpec) -> list[GCell]:
    """The cells holding the value of label cell g."""
    if f.type in ("choice", "choices", "bool"):
        out = []
        for c in grid.right_all(g):
            if c.labelish and not c.cell.marks:
                break
            out.append(c)
        if out:
            return out + _options_rest(grid, g, out, f)
    else:
        r = grid.right(g)
        if r is not None and not r.labelish:
            if r.text.strip():
                return [r, *_cut_by_a_wall(grid, r)]
            b = grid.below(g)  # header row of labels, values below; right cell left blank
            if b is not None and b.text.strip() and not b.labelish and not _left_is_label(grid, b) \
                    and _header_row(grid, g):
                return [b]
            return [r]
    b = grid.below(g)
    if b is not None and not b.labelish:
        return [b]
    if f.type not in ("choice", "choices", "bool") and grid.right(g) is None:
        s = grid.spanning(g)  # the value cell drawn across this row and the one above (a ruling not seen)
        if s is not None:
            return [s]
    return []


def _cut_by_a_wall(grid: Grid, r: GCell) -> list[GCell]:
    """On a scan, the cells after value cell r to its row's end when each holds text and none is a label, even
    read loosely: the value cut by a wall the scan made up (江苏省苏州市 | 长江路135号: a column ruling of the row
    below reaching up a photo's slanted row), not a row of more pairs."""
    if r.page.method != "ocr":
        return []
    rest = grid.right_all(r)
    if any(c.labelish or not c.text.strip() or any(h.score >= LOOSE_LABEL for h in c.hits) for c in rest):
        return []
    return rest


LOOSE_LABEL = 0.6  # a cell's text this like a label (fuzzily) may be that label misread


def _options_rest(grid: Grid, g: GCell, out: list[GCell], f: FieldSpec) -> list[GCell]:
    """An option row broken by a page and not joined (its value split in two cells at a box's side): the
    next page's first row, the label's wrapped tail (（可多选）) then option cells with boxes of this
    field's options (not the next field's row), goes on."""
    from haizhi.extractors.flow import _label_tail

    if g.grow + 1 >= len(grid.rows) or any(s is out[-1] for s, _ in grid.stitched):
        return []
    nxt = grid.rows[g.grow + 1]
    if not nxt or nxt[0].page is g.page or len(nxt) < 2 or not _label_tail(grid.form_id, g.text, nxt[0].text.strip()):
        return []
    rest = nxt[1:]
    mine = any(lkey(o) in lkey(c.text) for c in rest for o in f.options)
    return rest if mine and all(c.cell.marks for c in rest) else []


_JUNK_LINE = re.compile(r"^[1Il|!丨]$")


def beside_lines(grid: Grid, g: GCell) -> tuple[str | None, float]:
    """Scanned lines right of a label cell that ends its row, within the row's height: the value cell's
    rulings were lost (a seal pressed over the table's edge), so its text was read as lines."""
    box = g.cell.bbox
    if box is None or g.page.method != "ocr":
        return None, 1.0
    near = [ln for ln, pg in grid.lines if pg is g.page and ln.bbox and ln.bbox[0] >= box[2] - 2
            and box[1] <= (ln.bbox[1] + ln.bbox[3]) / 2 <= box[3] and not _JUNK_LINE.match(ln.text.strip())
            and not (ln.confidence < 0.5 and len(ln.text.strip()) <= 2)]
    if not near:
        return None, 1.0
    near.sort(key=lambda ln: (ln.bbox[1], ln.bbox[0]))  # type: ignore[index]
    text = near[0].text
    for a, b in zip(near, near[1:], strict=False):
        same = abs(a.bbox[1] - b.bbox[1]) < 0.5 * (a.bbox[3] - a.bbox[1])  # type: ignore[index]
        text += ("    " if same else "\n") + b.text
    return text, min(ln.confidence for ln in near)


def beside_cells(grid: Grid, g: GCell) -> tuple[str | None, float]:
    """Scanned cells of another table right of a label cell that ends its row, their middles within the row's
    height: the ruling between the label column and the value column was broken (a seal over it), so the two
    were found as two tables (TUNE base heavy 12497: 省级科协意见 alone, 同意推荐。 and its signing lines beside)."""
    box = g.cell.bbox
    if box is None or g.page.method != "ocr":
        return None, 1.0
    near = [c for row in grid.rows for c in row if c.page is g.page and c.ti != g.ti and c.cell.bbox
            and abs(c.cell.bbox[0] - box[2]) <= 6 and box[1] - 2 <= (c.cell.bbox[1] + c.cell.bbox[3]) / 2 <= box[3] + 2]
    if not any(c.text.strip() for c in near):
        return None, 1.0
    near.sort(key=lambda c: c.cell.bbox[1])  # type: ignore[index]
    return "\n".join(c.text for c in near if c.text.strip()), min(c.cell.confidence for c in near)


def _header_row(grid: Grid, g: GCell) -> bool:
    """A row of labels only (values in the row below)."""
    row = grid.rows[g.grow]
    return sum(c.labelish for c in row) >= 2 and all(c.labelish or not c.text.strip() for c in row)


def _left_is_label(grid: Grid, g: GCell) -> bool:
    left = [c for c in grid.rows[g.grow] if c.end <= g.col]
    return bool(left) and left[-1].labelish
