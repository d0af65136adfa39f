"""python-docx helpers and raw OOXML pieces: content controls, legacy and w14 checkboxes, merges."""

from __future__ import annotations

from docx.enum.text import WD_BREAK
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

NS = nsdecls("w", "w14")


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def set_cell(cell: _Cell, text: str | list[str], *, runs: bool = False) -> None:
    """Paragraph per line; with ``runs`` a str list is one paragraph of several runs (a broken label)."""
    cell.text = ""
    p = cell.paragraphs[0]
    if runs and isinstance(text, list):
        for part in text:
            p.add_run(part)
        return
    lines = text if isinstance(text, list) else text.split("\n")
    for i, ln in enumerate(lines):
        if i:
            p = cell.add_paragraph()
        p.add_run(ln)


def add_lines(cell_or_doc, text: str) -> None:  # noqa: ANN001
    for ln in text.split("\n"):
        cell_or_doc.add_paragraph(ln)


def page_break(doc) -> None:  # noqa: ANN001
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def sdt_run(p: Paragraph, text: str, alias: str = "") -> None:
    """An inline plain-text content control holding ``text``."""
    xml = (f'<w:sdt {NS}><w:sdtPr><w:alias w:val="{_esc(alias)}"/><w:tag w:val="{_esc(alias)}"/><w:text/>'
           f'</w:sdtPr><w:sdtContent><w:r><w:t xml:space="preserve">{_esc(text)}</w:t></w:r></w:sdtContent></w:sdt>')
    p._p.append(parse_xml(xml))


def sdt_block(cell: _Cell, text: str, alias: str = "") -> None:
    """A block content control in a cell, one paragraph per line of ``text`` (a long value)."""
    cell.text = ""
    tc = cell._tc
    for p in tc.findall(qn("w:p")):
        tc.remove(p)
    paras = "".join(f'<w:p><w:r><w:t xml:space="preserve">{_esc(ln)}</w:t></w:r></w:p>' for ln in text.split("\n"))
    tc.append(parse_xml(f'<w:sdt {NS}><w:sdtPr><w:alias w:val="{_esc(alias)}"/><w:richText/></w:sdtPr>'
                        f'<w:sdtContent>{paras}</w:sdtContent></w:sdt>'))


def w14_checkbox(p: Paragraph, checked: bool) -> None:
    glyph = "☒" if checked else "☐"
    xml = (f'<w:sdt {NS}><w:sdtPr><w14:checkbox><w14:checked w14:val="{int(checked)}"/>'
           '<w14:checkedState w14:val="2612" w14:font="MS Gothic"/>'
           '<w14:uncheckedState w14:val="2610" w14:font="MS Gothic"/></w14:checkbox></w:sdtPr>'
           '<w:sdtContent><w:r><w:rPr><w:rFonts w:ascii="MS Gothic" w:eastAsia="MS Gothic" w:hAnsi="MS Gothic"/>'
           f'</w:rPr><w:t>{glyph}</w:t></w:r></w:sdtContent></w:sdt>')
    p._p.append(parse_xml(xml))


def form_checkbox(p: Paragraph, checked: bool, n: int) -> None:
    """A legacy FORMCHECKBOX field (Word 97 form)."""
    checked_el = "<w:checked/>" if checked else ""
    begin = (f'<w:r {NS}><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="Check{n}"/><w:enabled/>'
             f'<w:calcOnExit w:val="0"/><w:checkBox><w:sizeAuto/><w:default w:val="0"/>{checked_el}'
             '</w:checkBox></w:ffData></w:fldChar></w:r>')
    p._p.append(parse_xml(begin))
    p._p.append(parse_xml(f'<w:r {NS}><w:instrText xml:space="preserve"> FORMCHECKBOX </w:instrText></w:r>'))
    p._p.append(parse_xml(f'<w:r {NS}><w:fldChar w:fldCharType="separate"/></w:r>'))
    p._p.append(parse_xml(f'<w:r {NS}><w:fldChar w:fldCharType="end"/></w:r>'))


def merge_down(table, col: int, r0: int, r1: int, text: str) -> None:  # noqa: ANN001
    c = table.cell(r0, col).merge(table.cell(r1, col))
    set_cell(c, text)


def base_font(doc, size: float = 10.5) -> None:  # noqa: ANN001
    st = doc.styles["Normal"]
    st.font.size = Pt(size)
    st.font.name = "SimSun"
    st.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
