"""Layout → Record: find every field of the form by its label, not its cell position.

The value of a label is (in this order) written after it in the same cell
(标签：值, or heading line then text), in the next cell to the right, or in
the cell below. Grouped sub-labels (姓名, 手机 …) are read inside their group
(机构负责人 / 机构联系人). Tables that follow each other, also across pages,
form one grid, so a split table reads like one. Checkboxes come as Marks.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from dataclasses import dataclass, field
from typing import Any

from haizhi.extractors.choices import read_choice
from haizhi.extractors.detect import LabelHit, lkey, match_group, match_label
from haizhi.extractors.glyph_marks import marks_from_text
from haizhi.extractors.layout import Cell, Layout, Line, Page, Table
from haizhi.extractors.normalize import WIDE_GAP, clean_text, normalize, strip_signature_lines
from haizhi.pipeline.core.fields import FieldSpec, form_spec
from haizhi.pipeline.core.record import Finding, Record


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
        return bool(self.group) or any(h.score >= 0.85 and h.rest is None for h in self.hits) or _is_heading(self.text)


def is_long(f: FieldSpec) -> bool:
    """Free-text fields that run over several lines or paragraphs."""
    return f.type == "text" and (f.max_chars is not None or bool(re.match(r"^[0-9一二三四五六七八九十]+[.、]", f.label))
                                 or (f.group or "").endswith("意见"))


def _is_heading(text: str) -> bool:
    k = lkey(text)
    return bool(k) and len(k) <= 20 and text.strip()[:2] in ("一、", "二、", "三、", "四、", "五、", "六、", "七、", "八、")


class Grid:
    def __init__(self, layout: Layout, form_id: str) -> None:
        self.form_id = form_id
        self.rows: list[list[GCell]] = []
        self.lines: list[tuple[Line, Page]] = []
        self.stitched: list[tuple[GCell, GCell | None]] = []  # value cells joined across a page break
        self.end: tuple[Page, Table] | None = None  # where the last table read ends
        ti = 0
        for page in layout.pages:
            self.lines += [(ln, page) for ln in page.lines]
            self._page_rest_lines(page)
            tables = page.tables
            if tables and all(t.bbox for t in tables):
                tables = sorted(tables, key=lambda t: t.bbox[1])  # type: ignore[index]
            for n, t in enumerate(tables):
                new = [[GCell(c, page, 0, ti, t.n_cols, c.text) for c in r] for r in t.rows()]
                if n == 0 and new and self.rows and self.rows[-1] and self.rows[-1][0].page is not page \
                        and self._stitch(new[0]):
                    new = new[1:]
                self.rows.extend(new)
                self.end = (page, t)
                ti += 1
        for i, r in enumerate(self.rows):
            for g in r:
                g.grow = i
                g.hits = match_label(form_id, g.text, fuzzy=g.cell.confidence < 1)
                for part in g.text.split("\n")[1:]:  # 标签：值 on a later line of the cell
                    seen = {h.field.key for h in g.hits}
                    g.hits += [h for h in match_label(form_id, part, fuzzy=g.cell.confidence < 1, inner=True)
                               if h.field.key not in seen]
                g.group = match_group(form_id, g.text, g.cell.confidence < 1)

    def _stitch(self, first: list[GCell]) -> bool:
        """A row broken by a page: its rest (same table split, or a new label-less table) joins the row above.

        The rest's cells pair with the row's cells by position (same count), or a single cell
        continues the row's last (value) cell. A short first cell may be the wrapped tail of
        the row's label (机构简介（不超500 | 字）).
        """
        prev = self.rows[-1]
        if not first or not any(c.text.strip() for c in first):
            return False
        if any(c.text.strip() and (match_group(self.form_id, c.text)
                                   or any(h.score >= 0.85 and h.rest is None for h in match_label(self.form_id, c.text)))
               for c in first):
            return False
        if len(first) == len(prev):
            pairs = list(zip(prev, first, strict=True))
            tail = first[0].text.strip()
            if len(first) == 1:
                bare = [h for h in match_label(self.form_id, prev[0].text) if h.score >= 0.85 and not h.rest]
                if bare or _is_heading(prev[0].text):
                    return False  # a label at a page's end, its value on the next page
            elif tail and not _label_tail(self.form_id, prev[0].text, tail):
                return False  # a first cell with text that is not a label's wrapped tail
        elif len(first) == 1 and len(prev) >= 2 and match_label(self.form_id, prev[0].text):
            pairs = [(prev[-1], first[0])]
        else:
            return False
        for g, c in pairs:
            add = c.text.strip()
            if not add:
                continue
            if g is prev[0] and len(prev) > 1:
                g.text = g.text.rstrip() + add  # the label's tail
            else:
                g.text = join_page(g.text, add)
            marks = g.cell.marks + c.cell.marks  # checkboxes of the rest (a copy: the layout is not changed)
            if marks and all(m.source == "glyph" for m in marks):
                marks = marks_from_text(g.text)  # a box at the page's end, its option on the next page
            if marks:
                g.cell = dataclasses.replace(g.cell, marks=marks)
            self.stitched.append((g, c))
        return True

    def _page_rest_lines(self, page: Page) -> None:  # noqa: C901
        """PDF: lines at the top of a page, above its first table and before any label, that go on from
        the long value in the last row of the previous page's table."""
        if not self.rows or not page.lines or self.rows[-1][0].page is page:
            return
        prev = self.rows[-1]
        if not prev or not prev[-1].text.strip():
            return
        hits = [h for g in prev[:-1] for h in match_label(self.form_id, g.text)]
        if len(prev) == 1:  # a one-column table: the label is in the row above
            above = self.rows[-2] if len(self.rows) > 1 else []
            hits = [h for g in above for h in match_label(self.form_id, g.text)]
        if not any(is_long(h.field) for h in hits):
            return
        if self.end is None or self.end[0].number != page.number - 1:
            return  # only straight after the page where the table ended
        last, tab = self.end
        bottom = tab.bbox[3] if tab.bbox else None
        for ln, pg in self.lines:  # text after the table on its own page: the value did not run on
            if pg is last and (ln.after_tables == len(last.tables) if ln.bbox is None or bottom is None
                               else ln.bbox[1] >= bottom - 1):
                return
        top = min((t.bbox[1] for t in page.tables if t.bbox), default=float("inf"))
        taken = []
        for ln, pg in self.lines:
            if pg is not page:
                continue
            first = ln.after_tables == 0 if ln.bbox is None else ln.bbox[1] < top
            if not first or _is_heading(ln.text) or \
                    any(h.score >= 0.85 for h in match_label(self.form_id, ln.text)):
                break
            taken.append(ln)
        if taken:
            g = prev[-1]
            for ln in taken:
                g.text = join_page(g.text, ln.text.strip()) if ln is taken[0] else join_wrapped(g.text, ln.text.strip())
            self.lines = [(ln, pg) for ln, pg in self.lines if all(ln is not t for t in taken)]
            self.stitched.append((g, None))

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


@dataclass
class Candidate:
    score: float
    text: str | None
    cells: list[GCell]
    where: GCell | tuple[Line, Page]
    confidence: float


def _value_cells(grid: Grid, g: GCell, f: FieldSpec) -> list[GCell]:
    if f.type in ("choice", "choices", "bool"):
        out = []
        for c in grid.right_all(g):
            if c.labelish and not c.cell.marks:
                break
            out.append(c)
        if out:
            return out
    else:
        r = grid.right(g)
        if r is not None and not r.labelish:
            if r.text.strip():
                return [r]
            b = grid.below(g)  # header row of labels, values below; right cell left blank
            if b is not None and b.text.strip() and not b.labelish and not _left_is_label(grid, b) \
                    and _header_row(grid, g):
                return [b]
            return [r]
    b = grid.below(g)
    if b is not None and not b.labelish:
        return [b]
    return []


def _label_tail(form_id: str, label: str, tail: str) -> bool:
    """The first cell of a row's rest is the wrapped end of the row's label (…（时 | 间、颁发机构…）)."""
    before = {h.field.key for h in match_label(form_id, label)}
    if not before:
        return False
    if len(tail) <= 10:
        return True
    return any(h.field.key in before and not h.rest for h in match_label(form_id, label.rstrip() + tail))


def _header_row(grid: Grid, g: GCell) -> bool:
    """A row of labels only (values in the row below)."""
    row = grid.rows[g.grow]
    return sum(c.labelish for c in row) >= 2 and all(c.labelish or not c.text.strip() for c in row)


def _left_is_label(grid: Grid, g: GCell) -> bool:
    left = [c for c in grid.rows[g.grow] if c.end <= g.col]
    return bool(left) and left[-1].labelish


def _candidates(grid: Grid, f: FieldSpec) -> list[Candidate]:
    out: list[Candidate] = []
    for row in grid.rows:
        for g in row:
            hit = next((h for h in g.hits if h.field.key == f.key), None)
            if hit is None:
                continue
            if hit.needs_group and grid.group_of(g) != f.group:
                continue
            if hit.rest is not None:
                cells, text = [g], (hit.rest if is_long(f) else _cut_next_label(grid.form_id, hit.rest))
            else:
                cells = _value_cells(grid, g, f)
                text = "\n".join(c.text for c in cells) if cells else None
                if f.type in ("choice", "choices", "bool") and cells:
                    text = " ".join(c.text for c in cells)
            conf = min([g.cell.confidence] + [c.cell.confidence for c in cells])
            filled = clean_text(text) is not None
            out.append(Candidate(hit.score + 0.1 * filled, text, cells or [g], g, conf * min(1.0, hit.score / 0.85)))
    # lines outside tables: 标签：值 or a heading followed by paragraphs
    for i, (ln, page) in enumerate(grid.lines):
        hits = match_label(grid.form_id, ln.text, fuzzy=ln.confidence < 1)
        hit = next((h for h in hits if h.field.key == f.key and not h.needs_group), None)
        if hit is None:  # 注册时间：…<Tab>注册资金（万元）：… several pairs on one line
            for part in _later_segments(ln.text):
                hit = next((h for h in match_label(grid.form_id, part, fuzzy=ln.confidence < 1)
                            if h.field.key == f.key and not h.needs_group and h.rest is not None), None)
                if hit is not None:
                    break
        if hit is None:
            continue
        if hit.rest is not None:
            text = hit.rest if is_long(f) else _cut_next_label(grid.form_id, hit.rest)
            if text and i + 1 < len(grid.lines) and _continues(grid.form_id, ln, *grid.lines[i + 1], page):
                text = join_wrapped(text, grid.lines[i + 1][0].text.strip())
        else:
            body = []
            for ln2, page2 in grid.lines[i + 1:]:
                if any(h.score >= 0.85 for h in match_label(grid.form_id, ln2.text)) or _is_heading(ln2.text):
                    break
                if not is_long(f) and re.match(r"^\s*[^\s:：]{1,12}[:：]", ln2.text):
                    break  # the next line is another printed label (负责人签字：)
                if not is_long(f):  # a short field's value sits on the next line, close below
                    near = page2 is page and (ln.bbox is None or ln2.bbox is None or
                                              ln2.bbox[1] - ln.bbox[3] < 2 * (ln.bbox[3] - ln.bbox[1]))
                    if near:
                        body.append(ln2.text)
                    break
                body.append(ln2.text)
            text = "\n".join(body) if body else None
        filled = clean_text(text) is not None
        out.append(Candidate(hit.score + 0.1 * filled - 0.02, text, [], (ln, page), ln.confidence))
    return sorted(out, key=lambda c: -c.score)


@functools.cache
def _printed_words(form_id: str) -> frozenset[str]:
    spec = form_spec(form_id)
    words = {lkey(w) for f in spec.fields for w in (f.label, *f.aliases)}
    words |= {lkey(w) for m in spec.marks for w in m.label.split()}
    return frozenset(w for w in words if len(w) >= 2)


def _misread_label(k: str, words: frozenset[str] | set[str]) -> bool:
    """A printed label of 4+ characters read with its last character lost or one character wrong."""
    if len(k) < 4:
        return False
    for w in words:
        if len(w) == len(k) + 1 and w.startswith(k):
            return True
        if len(w) == len(k) and sum(a != b for a, b in zip(w, k, strict=True)) == 1:
            return True
    return False


_NEXT_PAIR = re.compile(r"\s+(?=[\u4e00-\u9fff（）()]{2,12}[:：])")


def _cut_next_label(form_id: str, text: str) -> str:
    """标签：值    下一个标签 — a printed label after a wide gap is not part of the value."""
    if not text:
        return text
    m = _NEXT_PAIR.search(text.strip())
    if m and m.start() > 0:  # 推荐单位：甲 被推荐机构：乙 (a PDF keeps one space of the gap)
        text = text.strip()[: m.start()]
    parts = WIDE_GAP.split(text.strip())
    if len(parts) < 2:
        return text
    words = _printed_words(form_id)
    keep = [parts[0]]
    for p in parts[1:]:
        k = lkey(p)
        if k in words or p.rstrip().endswith((":", "：")) or _misread_label(k, words):
            break
        keep.append(p)
    return "    ".join(keep)


def _later_segments(text: str) -> list[str]:
    """The line from each tab / wide gap on (label–value pairs side by side)."""
    out = []
    for m in WIDE_GAP.finditer(text.strip()):
        rest = text.strip()[m.end():]
        if rest:
            out.append(rest)
    return out


def _continues(form_id: str, ln: Line, ln2: Line, page2: Page, page: Page) -> bool:
    """PDF/OCR: the next line is the wrapped rest of an inline value (indented under the value)."""
    if page2 is not page or ln.bbox is None or ln2.bbox is None:
        return False
    h = ln.bbox[3] - ln.bbox[1]
    return (ln2.bbox[0] > ln.bbox[0] + 1.5 * h and 0 <= ln2.bbox[1] - ln.bbox[3] < 1.2 * h
            and not re.match(r"^\s*[^\s:：]{1,12}[:：]", ln2.text) and not match_label(form_id, ln2.text))


def join_page(a: str, b: str) -> str:
    """Join a value's part before a page break and its rest (a line break; comparison ignores it)."""
    a = a.rstrip()
    return a + "\n" + b if a else b


def join_wrapped(a: str, b: str) -> str:
    """Join a line wrapped by layout: CJK closes up; Latin words keep one space."""
    if a and b and a[-1].isdigit() and b[0].isdigit():
        return a + b  # a phone number or code broken by a narrow cell
    if a and b and a[-1].isascii() and b[0].isascii() and a[-1].isalnum() and b[0].isalnum():
        return a + " " + b
    return a + b


def _provenance(c: Candidate) -> dict[str, Any]:
    if isinstance(c.where, GCell):
        src = c.cells[0] if c.cells else c.where
        return {"page": src.page.number, "bbox": list(src.cell.bbox) if src.cell.bbox else None,
                "method": src.page.method, "confidence": round(c.confidence, 3)}
    ln, page = c.where
    return {"page": page.number, "bbox": list(ln.bbox) if ln.bbox else None, "method": page.method,
            "confidence": round(c.confidence, 3)}


def _marks_of(c: Candidate) -> list[list]:
    out = []
    for g in c.cells:
        out.append([g.text, g.cell.marks or marks_from_text(g.text)])
    if not c.cells and c.text:
        out.append([c.text, marks_from_text(c.text)])
    return out


def map_layout(layout: Layout, form_id: str) -> Record:
    spec = form_spec(form_id)
    grid = Grid(layout, form_id)
    fields: dict[str, Any] = {}
    prov: dict[str, dict[str, Any]] = {}
    findings: list[Finding] = []
    others = {f.group: f for f in spec.fields if f.key.endswith("_other")}
    for f in spec.fields:
        if f.key.endswith("_other"):
            continue
        cands = _candidates(grid, f)
        if not cands:
            if f.required or f.key not in ("awards",):
                findings.append(Finding("extract.label_missing", "warning", f.key,
                                        f"未找到标签“{f.display}”，该项未读出"))
            continue
        best = cands[0]
        prov[f.key] = _provenance(best)
        if f.type in ("choice", "choices"):
            other = others.get(f.label) or next((o for g, o in others.items() if lkey(g) and lkey(f.label).startswith(
                lkey(g))), None)
            value, other_text, msgs = read_choice(f, best.text, _marks_of(best))
            fields[f.key] = value
            if other is not None:
                fields[other.key] = other_text
                if other_text is not None:
                    prov[other.key] = dict(prov[f.key])
            for m in msgs:
                findings.append(Finding("extract.bad_choice", "warning", f.key, m))
            if not value and not msgs and f.required and clean_text(best.text):
                findings.append(Finding("extract.choice_unread", "info", f.key,
                                        f"“{f.display}”{_where(prov[f.key])}未读出勾选的选项，请人工核对"))
                if other is not None:
                    findings.append(Finding("extract.choice_unread", "info", other.key,
                                            f"“{other.display}”随“{f.display}”未能读出，请人工核对"))
            continue
        text = best.text
        if text and "\n" in text and not is_long(f) and prov[f.key]["method"] != "docx":
            parts = [p.strip() for p in text.split("\n") if p.strip()]  # a short value wrapped in its cell
            text = parts[0] if parts else ""
            for p in parts[1:]:
                text = text + p if text.endswith(("-", "@", ".", "/", "_")) else join_wrapped(text, p)
        if f.group == "八、单位意见":
            text = strip_signature_lines(text, scanned=prov[f.key]["method"] == "ocr")
        if text and f.key.endswith(_NO_SPACES) and prov[f.key]["method"] != "docx":
            text = re.sub(r"\s+", "", text)  # an address or number wrapped in a narrow cell: no space in it
        try:
            fields[f.key] = normalize(f.type, text)
        except ValueError:
            fields[f.key] = None
            raw = " ".join((best.text or "").split())[:60]
            findings.append(Finding("extract.bad_value", "warning", f.key,
                                    f"“{f.display}”的内容“{raw}”无法识别为{_TYPE_CN[f.type]}，已留空"))
        findings += _doubts(grid, f, best, cands, prov[f.key], fields[f.key])
    fields = {k: fields[k] for k in spec.keys if k in fields}
    return Record(form=form_id, fields=fields, provenance=prov, findings=findings,
                  marks={m.key: None for m in spec.marks})


_NO_SPACES = ("email", "mobile", "phone", "credit_code")
_TYPE_CN = {"date": "日期", "number": "数字", "int": "整数", "bool": "是/否", "text": "文字",
            "choice": "选项", "choices": "选项"}


def _where(p: dict[str, Any]) -> str:
    box = p.get("bbox")
    at = f"（第 {p.get('page')} 页" + (f"，位置 {[round(x) for x in box]}）" if box else "）")
    return at


def _doubts(grid: Grid, f: FieldSpec, best: Candidate, cands: list[Candidate], prov: dict[str, Any],
            value: Any) -> list[Finding]:
    """Findings for a field read with doubt: its label found twice with other values, or a long value
    that ends at the bottom of a page with no continuation found."""
    out: list[Finding] = []
    val = lkey(clean_text(best.text) or "")
    rivals = [c for c in cands[1:] if c.score >= best.score - 0.15 and lkey(clean_text(c.text) or "")
              and lkey(clean_text(c.text) or "") != val and c.score >= 0.85]
    if rivals and val:
        out.append(Finding("extract.label_twice", "info", f.key,
                           f"“{f.display}”的标签出现了不止一处且内容不同{_where(prov)}，已取第一处，请人工核对"))
    if is_long(f) and isinstance(best.where, GCell) and best.cells:
        last = best.cells[-1]
        later = [c for r in grid.rows[last.grow + 1:] for c in r]
        more_pages = any(c.page is not last.page for c in later) or any(pg is not last.page for _, pg in grid.lines)
        last_on_page = not any(c.page is last.page and len(c.text.strip()) > 2 for c in later)
        joined = any(g is last for g, _ in grid.stitched)
        ends = not isinstance(value, str) or value.rstrip().endswith(("。", "！", "？", "；", ".", "!", "?", ";", "）", ")"))
        if not joined and not ends and last.cell.bbox and last.page.height and more_pages and last_on_page \
                and last.cell.bbox[3] > last.page.height - 110:
            out.append(Finding("extract.page_break", "info", f.key,
                               f"“{f.display}”的内容写到第 {last.page.number} 页底部，下一页未找到续写部分，"
                               f"可能被截断{_where(prov)}，请人工核对"))
    return out
