"""DOCX → Layout with python-docx's parsed XML.

Walks the body in order: paragraphs become Lines, tables become Tables
(gridSpan → colspan, vMerge → rowspan, nested tables become their own
Tables), content controls are read through, checkboxes of every kind
(glyphs, w14:checkbox, FORMCHECKBOX, Wingdings symbols) become ☑/□ in the
text plus a Mark. Explicit page and section breaks start a new Page.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from haizhi.extractors.glyph_marks import Spot, glyph_spots, marks_from_text
from haizhi.extractors.layout import Cell, Layout, Line, Page, Table

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"

# Wingdings / Wingdings 2 code points applicants insert as checkboxes
_SYM = {
    ("wingdings", "fe"): "☑", ("wingdings", "fd"): "☒", ("wingdings", "fc"): "✓", ("wingdings", "a8"): "□",
    ("wingdings", "6f"): "□", ("wingdings", "71"): "□", ("wingdings", "78"): "☒",
    ("wingdings 2", "52"): "☑", ("wingdings 2", "54"): "☒", ("wingdings 2", "50"): "✓", ("wingdings 2", "a3"): "□",
    ("wingdings 2", "2a"): "□", ("wingdings 2", "51"): "☒",
}


def _ln(el) -> str:
    tag = el.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _attr(el, name: str, ns: str = W) -> str | None:
    return el.get(f"{{{ns}}}{name}")


def _on(el, ns: str = W) -> bool:
    """OOXML on/off element: present and val not false/0."""
    v = _attr(el, "val", ns)
    return v is None or v.lower() not in ("0", "false", "off")


class _Buf:
    """Text with the offsets of checkboxes in it."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.n = 0
        self.spots: list[Spot] = []
        self.page_break = False

    def add(self, s: str) -> None:
        if s:
            self.parts.append(s)
            self.n += len(s)

    def box(self, checked: bool, source: str) -> None:
        self.spots.append((self.n, checked, source))
        self.add("☑" if checked else "□")

    def text(self) -> str:
        return "".join(self.parts)


def _sym_glyph(el) -> str | None:
    font = (_attr(el, "font") or "").lower()
    code = (_attr(el, "char") or "").lower()
    code = code[2:] if len(code) == 4 and code.startswith("f0") else code
    return _SYM.get((font, code))


def _run_font(r) -> str:
    rpr = r.find(f"{{{W}}}rPr")
    if rpr is None:
        return ""
    f = rpr.find(f"{{{W}}}rFonts")
    return ((f.get(f"{{{W}}}ascii") or f.get(f"{{{W}}}hAnsi") or "") if f is not None else "").lower()


def _inline(el, buf: _Buf) -> None:
    """Text of a paragraph's content (runs, hyperlinks, sdt, fields, ins)."""
    for ch in el:
        name = _ln(ch)
        if name == "r":
            font = _run_font(ch)
            for x in ch:
                xn = _ln(x)
                if xn == "t":
                    t = x.text or ""
                    if font.startswith("wingdings"):
                        t = "".join(_SYM.get((font, f"{ord(c) & 0xFF:02x}"), c) for c in t)
                    start = buf.n
                    buf.add(t)
                    buf.spots.extend((start + i, ok, "glyph") for i, ok, _ in glyph_spots(t))
                elif xn == "tab":
                    buf.add("\t")
                elif xn in ("br", "cr"):
                    if _attr(x, "type") == "page":
                        buf.page_break = True
                    else:
                        buf.add("\n")
                elif xn == "sym":
                    g = _sym_glyph(x)
                    if g:
                        buf.box(g != "□", "glyph")
                elif xn == "fldChar" and _attr(x, "fldCharType") == "begin":
                    cb = x.find(f"{{{W}}}ffData/{{{W}}}checkBox")
                    if cb is not None:
                        st = cb.find(f"{{{W}}}checked")
                        if st is None:
                            st = cb.find(f"{{{W}}}default")
                            checked = st is not None and _attr(st, "val") not in (None, "0", "false")
                        else:
                            checked = _on(st)
                        buf.box(checked, "FORMCHECKBOX")
                elif xn == "AlternateContent":
                    pass  # drawings / text boxes: read separately
        elif name == "sdt":
            _sdt_inline(ch, buf)
        elif name in ("hyperlink", "ins", "moveTo", "smartTag", "fldSimple", "customXml", "dir", "bdo", "sdtContent"):
            _inline(ch, buf)


def _sdt_inline(sdt, buf: _Buf) -> None:
    pr = sdt.find(f"{{{W}}}sdtPr")
    content = sdt.find(f"{{{W}}}sdtContent")
    if pr is not None:
        cb = pr.find(f"{{{W14}}}checkbox")
        if cb is not None:
            st = cb.find(f"{{{W14}}}checked")
            buf.box(st is not None and _attr(st, "val", W14) in ("1", "true", "on"), "w14:checkbox")
            return
        if pr.find(f"{{{W}}}showingPlcHdr") is not None:
            return  # the control still shows its placeholder text
    if content is not None:
        _inline(content, buf)


def _para(p, buf: _Buf) -> None:
    ppr = p.find(f"{{{W}}}pPr")
    if ppr is not None:
        pb = ppr.find(f"{{{W}}}pageBreakBefore")
        if pb is not None and _on(pb) and buf.n == 0:
            buf.page_break = True
    _inline(p, buf)


class _Reader:
    def __init__(self) -> None:
        self.pages: list[Page] = [Page(number=1, method="docx")]
        self.pending_break = False

    @property
    def page(self) -> Page:
        return self.pages[-1]

    def new_page(self) -> None:
        if self.page.tables or self.page.lines:
            self.pages.append(Page(number=len(self.pages) + 1, method="docx"))

    def body(self, body) -> None:
        for el in body:
            name = _ln(el)
            if name == "p":
                self.paragraph(el)
            elif name == "tbl":
                self.table(el)
            elif name == "sdt":
                content = el.find(f"{{{W}}}sdtContent")
                if content is not None:
                    self.body(content)
            elif name in ("customXml", "ins"):
                self.body(el)

    def paragraph(self, p) -> None:
        buf = _Buf()
        ppr = p.find(f"{{{W}}}pPr")
        if ppr is not None:
            pb = ppr.find(f"{{{W}}}pageBreakBefore")
            if pb is not None and _on(pb):
                self.new_page()
        _inline(p, buf)
        text = buf.text()
        if text.strip():
            self.page.lines.append(Line(text=text, marks=marks_from_text(text, buf.spots),
                                        after_tables=len(self.page.tables)))
        if buf.page_break or (ppr is not None and ppr.find(f"{{{W}}}sectPr") is not None):
            self.new_page()

    def table(self, tbl) -> None:
        cells: list[Cell] = []
        nested: list = []
        open_v: dict[int, Cell] = {}  # grid col → cell being merged downwards
        rows = [r for r in tbl.iter(f"{{{W}}}tr") if r.getparent() is tbl or _ln(r.getparent()) in (
            "sdtContent", "customXml") and _owner_tbl(r) is tbl]
        for ri, tr in enumerate(rows):
            col = 0
            trpr = tr.find(f"{{{W}}}trPr")
            if trpr is not None:
                gb = trpr.find(f"{{{W}}}gridBefore")
                if gb is not None:
                    col += int(_attr(gb, "val") or 0)
            for tc in _row_cells(tr):
                tcpr = tc.find(f"{{{W}}}tcPr")
                span, vmerge = 1, None
                if tcpr is not None:
                    gs = tcpr.find(f"{{{W}}}gridSpan")
                    if gs is not None:
                        try:
                            span = max(1, min(64, int(_attr(gs, "val") or 1)))
                        except ValueError:
                            span = 1
                    vm = tcpr.find(f"{{{W}}}vMerge")
                    if vm is not None:
                        vmerge = _attr(vm, "val") or "continue"
                if vmerge == "continue" and col in open_v:
                    above = open_v[col]
                    above.rowspan = ri - above.row + 1
                    extra = self.cell_text(tc, nested)[0]
                    if extra.strip():
                        above.text = (above.text + "\n" + extra).strip("\n")
                    col += span
                    continue
                text, spots = self.cell_text(tc, nested)
                cell = Cell(text=text, row=ri, col=col, colspan=span, marks=marks_from_text(text, spots))
                cells.append(cell)
                for c in range(col, col + span):
                    open_v.pop(c, None)
                if vmerge == "restart":
                    open_v[col] = cell
                col += span
        if len(cells) == 1 and cells[0].rowspan == cells[0].colspan == 1:
            # a one-cell table is a framed block of text: keep it in reading order with the paragraphs
            for part in cells[0].text.split("\n"):
                if part.strip():
                    self.page.lines.append(Line(text=part, marks=marks_from_text(part),
                                                after_tables=len(self.page.tables)))
        elif cells:
            self.page.tables.append(Table(cells=cells, page=self.page.number))
        for t in nested:
            self.table(t)

    def cell_text(self, tc, nested: list) -> tuple[str, list[Spot]]:
        buf = _Buf()
        first = True
        for el in _cell_blocks(tc):
            if _ln(el) == "tbl":
                nested.append(el)
                continue
            if not first:
                buf.add("\n")
            first = False
            _para(el, buf)
        return buf.text(), buf.spots


def _owner_tbl(el):
    p = el.getparent()
    while p is not None and _ln(p) != "tbl":
        p = p.getparent()
    return p


def _row_cells(tr):
    for el in tr:
        n = _ln(el)
        if n == "tc":
            yield el
        elif n in ("sdt", "customXml"):
            content = el.find(f"{{{W}}}sdtContent") if n == "sdt" else el
            if content is not None:
                yield from (c for c in content if _ln(c) == "tc")


def _cell_blocks(tc):
    for el in tc:
        n = _ln(el)
        if n in ("p", "tbl"):
            yield el
        elif n in ("sdt", "customXml"):
            content = el.find(f"{{{W}}}sdtContent") if n == "sdt" else el
            if content is not None:
                yield from _cell_blocks(content)


def _textboxes(body, page: Page) -> None:
    """Paragraphs in text boxes (not their VML fallback copies) as extra lines."""
    for tx in body.iter(f"{{{W}}}txbxContent"):
        anc, skip = tx.getparent(), False
        while anc is not None:
            if anc.tag == f"{{{MC}}}Fallback":
                skip = True
                break
            anc = anc.getparent()
        if skip:
            continue
        for p in tx.iter(f"{{{W}}}p"):
            buf = _Buf()
            _inline(p, buf)
            text = buf.text()
            if text.strip():
                page.lines.append(Line(text=text, marks=marks_from_text(text, buf.spots)))


def read_docx(src: Path | bytes) -> Layout:
    import docx  # python-docx; its parser has resolve_entities=False

    doc = docx.Document(BytesIO(src) if isinstance(src, bytes) else str(src))
    body = doc.element.body
    r = _Reader()
    r.body(body)
    _textboxes(body, r.pages[-1])
    return Layout(pages=r.pages)
