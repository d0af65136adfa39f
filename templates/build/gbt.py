"""python-docx helpers for GB/T 9704-2012 党政机关公文格式.

A4; 版心 156 × 225 mm (top 37, left 28, right 26, bottom 35); body 三号 仿宋,
22 lines × 28 characters; page numbers "— N —" in 四号 宋体, odd pages right,
even pages left.
"""

from __future__ import annotations

import math

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph
from docx.text.run import Run

FONT_TITLE = "方正小标宋简体"
FONT_BODY = "仿宋_GB2312"
FONT_HEI = "黑体"
FONT_KAI = "楷体_GB2312"
FONT_SONG = "宋体"
SIZE = {"初号": 42, "小初": 36, "一号": 26, "二号": 22, "三号": 16, "四号": 14, "小四": 12, "五号": 10.5}

# Page geometry (mm) and the 22 × 28 grid.
PAGE_W, PAGE_H = 210, 297
MARGIN_TOP, MARGIN_LEFT, MARGIN_RIGHT, MARGIN_BOTTOM = 37, 28, 26, 35
LINES_PER_PAGE, CHARS_PER_LINE = 22, 28
TYPE_W, TYPE_H = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT, PAGE_H - MARGIN_TOP - MARGIN_BOTTOM  # 156 × 225
_MM_PT = 72 / 25.4
# whole twips, rounded down: 22 lines of 28.99 pt are stored as 580 twips each, 4 twips more than the
# 225 mm type area (12756 twips), and LibreOffice then fits only 21; 579 twips (28.95 pt) fit 22.
LINE_PITCH_PT = math.floor(TYPE_H * _MM_PT / LINES_PER_PAGE * 20) / 20  # 28.95 pt
CHAR_PITCH_PT = TYPE_W * _MM_PT / CHARS_PER_LINE  # 15.80 pt

ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    "distribute": WD_ALIGN_PARAGRAPH.DISTRIBUTE,
}

Container = "docx.document.Document | docx.table._Cell"


# child order of w:rPr and w:pPr (ECMA-376 CT_RPr / CT_PPr), for elements python-docx has no API for
_SEQ = {
    qn("w:rPr"): (
        "w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps", "w:strike", "w:dstrike",
        "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof", "w:snapToGrid", "w:vanish", "w:webHidden",
        "w:color", "w:spacing", "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect",
        "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",
        "w:specVanish", "w:oMath",
    ),
    qn("w:pPr"): (
        "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl", "w:numPr",
        "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
        "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
        "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
        "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle",
        "w:rPr", "w:sectPr", "w:pPrChange",
    ),
}


def _insert_in_order(parent, tag: str):
    """Add an empty child where the schema sequence (python-docx's _tag_seq) puts it."""
    seq = _SEQ[parent.tag]
    el = OxmlElement(tag)
    return parent.insert_element_before(el, *seq[seq.index(tag) + 1:])


def _rfonts(rpr, east_asia: str, latin: str | None = None) -> None:
    """Set w:rFonts on an rPr: eastAsia plus ascii/hAnsi (theme fonts dropped)."""
    rf = rpr.get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rf.attrib.pop(qn(attr), None)
    latin = latin or east_asia
    rf.set(qn("w:ascii"), latin)
    rf.set(qn("w:hAnsi"), latin)
    rf.set(qn("w:eastAsia"), east_asia)
    rf.set(qn("w:hint"), "eastAsia")


def set_font(run: Run, east_asia: str, size_pt: float, bold: bool = False, color: str | None = None) -> None:
    """Font of one run: w:eastAsia + ascii/hAnsi, size, bold, colour hex ("FF0000")."""
    _rfonts(run._element.get_or_add_rPr(), east_asia)
    run.font.size = Pt(size_pt)
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = docx.shared.RGBColor.from_string(color.upper())


def _style_font(style, east_asia: str, size_pt: float, bold: bool = False) -> None:
    _rfonts(style.element.get_or_add_rPr(), east_asia)
    style.font.size = Pt(size_pt)
    style.font.bold = bold


def _exact(pf, pt: float) -> None:
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(pt)
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)


def _first_line_chars(style_or_par, chars: int = 2, size_pt: float = SIZE["三号"]) -> None:
    """First-line indent in characters (w:firstLineChars) with a twip fallback."""
    pf = style_or_par.paragraph_format
    pf.first_line_indent = Pt(chars * size_pt)
    ind = pf._element.get_or_add_pPr().find(qn("w:ind"))
    if ind is not None:
        ind.set(qn("w:firstLineChars"), str(chars * 100))


def _add_style(doc, name: str, font: str, size: float, align=None, indent: bool = False,
               line_pt: float = LINE_PITCH_PT):
    st = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    st.base_style = doc.styles["Normal"]
    st.quick_style = True
    _style_font(st, font, size)
    _exact(st.paragraph_format, line_pt)
    if align is not None:
        st.paragraph_format.alignment = align
    if indent:
        _first_line_chars(st)
    return st


def _doc_defaults(doc) -> None:
    rpr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _rfonts(rpr, FONT_BODY)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = _insert_in_order(rpr, "w:lang")
    lang.set(qn("w:eastAsia"), "zh-CN")


def _doc_grid(section) -> None:
    """No snap-to-grid (LibreOffice widens text on a character grid); the 22 lines come
    from Normal's exact line spacing and the 28 characters from its condensed spacing."""
    sect = section._sectPr
    grid = sect.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect.append(grid)
    for attr in ("w:type", "w:charSpace"):
        grid.attrib.pop(qn(attr), None)
    grid.set(qn("w:linePitch"), str(round(LINE_PITCH_PT * 20)))


def _condense(style, pt: float) -> None:
    """Character spacing (w:spacing in rPr, twentieths of a point; negative = condensed)."""
    rpr = style.element.get_or_add_rPr()
    sp = rpr.find(qn("w:spacing"))
    if sp is None:
        sp = _insert_in_order(rpr, "w:spacing")
    sp.set(qn("w:val"), str(round(pt * 20)))


def _page_field(par: Paragraph) -> None:
    """Append a PAGE field (complex field, so Word/WPS/LibreOffice all update it)."""
    def run_with(tag: str, **attrs: str) -> None:
        r = par.add_run()
        set_font(r, FONT_SONG, SIZE["四号"])
        el = OxmlElement(tag)
        for k, v in attrs.items():
            el.set(qn(k), v)
        if tag == "w:instrText":
            el.set(qn("xml:space"), "preserve")
            el.text = " PAGE "
        r._element.append(el)

    run_with("w:fldChar", **{"w:fldCharType": "begin"})
    run_with("w:instrText")
    run_with("w:fldChar", **{"w:fldCharType": "separate"})
    r = par.add_run("1")
    set_font(r, FONT_SONG, SIZE["四号"])
    run_with("w:fldChar", **{"w:fldCharType": "end"})


def _page_number(footer, align: str) -> None:
    par = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    par.alignment = ALIGN[align]
    pf = par.paragraph_format
    _exact(pf, SIZE["四号"] * 1.2)
    # 一字 (one 四号 character) from the type-area edge
    if align == "right":
        pf.right_indent = Pt(SIZE["四号"])
    else:
        pf.left_indent = Pt(SIZE["四号"])
    r = par.add_run("— ")
    set_font(r, FONT_SONG, SIZE["四号"])
    _page_field(par)
    r = par.add_run(" —")
    set_font(r, FONT_SONG, SIZE["四号"])


def new_document() -> docx.document.Document:
    """A blank GB/T 9704 document: page setup, Normal, GB styles, page-number footers."""
    doc = docx.Document()
    _doc_defaults(doc)
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(PAGE_W), Mm(PAGE_H)
    sec.top_margin, sec.bottom_margin = Mm(MARGIN_TOP), Mm(MARGIN_BOTTOM)
    sec.left_margin, sec.right_margin = Mm(MARGIN_LEFT), Mm(MARGIN_RIGHT)
    sec.header_distance = Mm(15)
    sec.footer_distance = Mm(28 - 7)  # 页码 bottom edge about 7 mm below the type area
    _doc_grid(sec)

    normal = doc.styles["Normal"]
    _style_font(normal, FONT_BODY, SIZE["三号"])
    _exact(normal.paragraph_format, LINE_PITCH_PT)
    normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    normal.paragraph_format.widow_control = False
    _condense(normal, CHAR_PITCH_PT - SIZE["三号"])  # 16 pt characters on a 15.79 pt pitch

    _add_style(doc, "GB标题", FONT_TITLE, SIZE["二号"], WD_ALIGN_PARAGRAPH.CENTER, line_pt=35)
    _add_style(doc, "GB一级", FONT_HEI, SIZE["三号"], indent=True)
    _add_style(doc, "GB二级", FONT_KAI, SIZE["三号"], indent=True)
    _add_style(doc, "GB正文", FONT_BODY, SIZE["三号"], WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True)

    doc.settings.odd_and_even_pages_header_footer = True
    _page_number(sec.footer, "right")
    _page_number(sec.even_page_footer, "left")

    # the default template starts with one empty paragraph-less body; keep it clean
    body = doc.element.body
    for p in list(body.iterchildren(qn("w:p"))):
        body.remove(p)
    return doc


def add_par(doc_or_cell, text: str = "", style: str | None = None, align: str | None = None) -> Paragraph:
    """Append a paragraph (to a document or a table cell) with one run of text."""
    par = doc_or_cell.add_paragraph(style=style)
    if text:
        par.add_run(text)
    if align is not None:
        par.alignment = ALIGN[align]
    return par


def page_break(doc) -> None:
    """Start a new page (a paragraph holding a page break)."""
    doc.add_page_break()
