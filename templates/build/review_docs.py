"""Build the reviewer templates: approval_sheet.docx (初审审核表), batch_list.docx
(推荐名单汇总表) and public_notice.docx (公示). Context: pipeline/generate/approval_sheet.py.

Also the python-docx table helpers the form builder (forms.py) shares.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from docx.enum.table import WD_ALIGN_VERTICAL, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph

from haizhi.templates.build import gbt

TABLE_STYLE = "HZ表格"
RunSpec = str | tuple[str, dict[str, Any]]
LineSpec = str | Sequence[RunSpec]


# --- table helpers (forms.py uses them too) -----------------------------------

def tag(expr: str) -> str:
    """A Jinja print tag: tag("r.name_cn|t") → '{{ r.name_cn|t }}'."""
    return "{{ " + expr + " }}"


def block(stmt: str) -> str:
    return "{% " + stmt + " %}"


def ensure_table_style(doc, size: float = gbt.SIZE["小四"]) -> None:
    """Paragraph style for table text: 仿宋, no grid snapping, no indent."""
    if TABLE_STYLE in [s.name for s in doc.styles]:
        return
    from docx.enum.style import WD_STYLE_TYPE

    st = doc.styles.add_style(TABLE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    st.base_style = doc.styles["Normal"]
    gbt._style_font(st, gbt.FONT_BODY, size)
    pf = st.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(round(size * 1.45, 1))
    pf.space_before = pf.space_after = Pt(0)
    pf.first_line_indent = Pt(0)
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    st.element.get_or_add_pPr().append(snap)


def write(target, lines: Sequence[LineSpec], align: str | None = None, style: str = TABLE_STYLE,
          font: str | None = None, size: float | None = None, bold: bool = False) -> None:
    """Write lines (one paragraph each) into a cell or document.

    A line is a string or a list of runs; a run is a string or (text, {"u": True, "b": True}).
    In a cell the first line reuses the cell's empty paragraph.
    """
    is_cell = hasattr(target, "_tc")
    for i, line in enumerate(lines):
        if is_cell and i == 0 and len(target.paragraphs) == 1 and not target.paragraphs[0].text:
            par = target.paragraphs[0]
            par.style = target.part.document.styles[style]
        else:
            par = target.add_paragraph(style=style)
        if align:
            par.alignment = gbt.ALIGN[align]
        runs = [line] if isinstance(line, str) else list(line)
        for spec in runs:
            text, fmt = (spec, {}) if isinstance(spec, str) else spec
            run = par.add_run(text)
            if font or size or bold or fmt.get("b"):
                gbt.set_font(run, font or gbt.FONT_BODY, size or gbt.SIZE["小四"], bold=bold or fmt.get("b", False))
            if fmt.get("u"):
                run.font.underline = True


def new_table(doc, widths_mm: Sequence[float], n_rows: int, borders: bool = True):
    table = doc.add_table(rows=n_rows, cols=len(widths_mm))
    if borders:
        table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for col, w in zip(table.columns, widths_mm, strict=True):
        col.width = Mm(w)
    mar = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(round(Mm(1.2).twips)))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    table._tbl.tblPr.append(mar)
    table._hz_widths = list(widths_mm)
    return table


def span(table, row: int, c0: int, c1: int | None = None, row_end: int | None = None):
    """Merge columns c0..c1 (inclusive) of rows row..row_end; returns the merged cell."""
    c1 = c0 if c1 is None else c1
    row_end = row if row_end is None else row_end
    a, b = table.cell(row, c0), table.cell(row_end, c1)
    return a if a._tc is b._tc else a.merge(b)


def fix_widths(table) -> None:
    """Give every cell a w:tcW matching the grid (Word needs it; LibreOffice reads the grid)."""
    widths = table._hz_widths
    for tr in table._tbl.tr_lst:
        col = 0
        for tc in tr.tc_lst:
            n = tc.grid_span
            tc.width = Mm(sum(widths[col:col + n]))
            col += n


def row_height(table, row: int, mm: float) -> None:
    r = table.rows[row]
    r.height = Mm(mm)
    r.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST


def keep_rows(table, rows: Sequence[int], with_next: bool = False) -> None:
    """Rows not split across pages; with_next also keeps each row on the page of the next one."""
    for i in rows:
        tr = table.rows[i]._tr
        tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        if with_next:
            for p in table.rows[i].cells[0].paragraphs:
                p.paragraph_format.keep_with_next = True


def hide_borders(cell, sides: Sequence[str]) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    b = tcpr.find(qn("w:tcBorders"))
    if b is None:
        b = OxmlElement("w:tcBorders")
        tcpr.append(b)
    for side in sides:
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), "nil")
        b.append(el)


def label(cell, text: str | Sequence[LineSpec], bold: bool = False) -> None:
    write(cell, [text] if isinstance(text, str) else text, align="center", bold=bold)
    cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER


def value(cell, lines: Sequence[LineSpec], align: str = "left") -> None:
    write(cell, lines, align=align)
    cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER


def title(doc, text: str, size: float = gbt.SIZE["二号"], space_after: float = 12) -> None:
    par = doc.add_paragraph(style="GB标题")
    run = par.add_run(text)
    gbt.set_font(run, gbt.FONT_TITLE, size)
    par.paragraph_format.space_after = Pt(space_after)
    no_grid(par)


def no_grid(par) -> None:
    """Keep a paragraph off the document grid (big titles would otherwise take two cells a character)."""
    ppr = par._p.get_or_add_pPr()
    if ppr.find(qn("w:snapToGrid")) is None:
        snap = OxmlElement("w:snapToGrid")
        snap.set(qn("w:val"), "0")
        ppr.append(snap)


def save(doc, path: Path) -> None:
    """Forms are tables, not running text: every paragraph off the character grid."""
    for p in doc.element.body.iter(qn("w:p")):
        no_grid(Paragraph(p, doc))
    doc.save(path)


SMALL = gbt.SIZE["五号"]


def _loop_table(doc, widths: Sequence[float], headers: Sequence[str], cells: Sequence[str], loop: str,
                empty: str | None = None):
    """Header row + a row repeated by {%tr for … %}; optional row shown when the list is empty."""
    n = len(widths)
    rows = 4 + (3 if empty else 0)
    t = new_table(doc, widths, rows)
    for i, h in enumerate(headers):
        label(t.cell(0, i), h, bold=True)
    write(t.cell(1, 0), ["{%tr for " + loop + " %}"])
    for i, c in enumerate(cells):
        value(t.cell(2, i), [c], align="center" if i == 0 else "left")
    write(t.cell(3, 0), ["{%tr endfor %}"])
    if empty:
        list_name = loop.split(" in ", 1)[1]
        write(t.cell(4, 0), ["{%tr if not " + list_name + " %}"])
        write(span(t, 5, 0, n - 1), [empty], align="center")
        write(t.cell(6, 0), ["{%tr endif %}"])
    # the header repeats on every page
    t.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    fix_widths(t)
    return t


def _sign_block(cell, sign: str = "签字：") -> None:
    write(cell, ["", "", ""])
    gap = "\u3000"  # ideographic spaces: kept at the end of a right-aligned line
    write(cell, [sign + gap * 8, "年" + gap * 2 + "月" + gap * 2 + "日" + gap], align="right")
    cell.vertical_alignment = WD_ALIGN_VERTICAL.TOP


def build_approval(path: Path) -> None:
    doc = gbt.new_document()
    ensure_table_style(doc, size=SMALL)
    title(doc, tag("title"), size=18)
    gbt.add_par(doc, "候选对象：" + tag("candidate"), align="center")
    gbt.add_par(doc, "一、基本信息", style="GB一级")
    info = new_table(doc, (30, 48, 30, 48), 3)
    write(info.cell(0, 0), ["{%tr for row in info %}"])
    for i in range(2):
        label(info.cell(1, 2 * i), tag(f"row[{i}].label"))
        value(info.cell(1, 2 * i + 1), [tag(f"row[{i}].value")])
    write(info.cell(2, 0), ["{%tr endfor %}"])
    fix_widths(info)
    gbt.add_par(doc, "二、初审发现", style="GB一级")
    _loop_table(doc, (12, 20, 34, 60, 30), ("序号", "严重程度", "字段", "问题说明", "依据"),
                (tag("f.no"), tag("f.severity"), tag("f.field"), tag("f.message|ml"), tag("f.basis")),
                "f in findings", empty="未发现问题")
    par = gbt.add_par(doc, "三、初审结论：", style="GB一级")
    run = par.add_run(tag("status"))
    gbt.set_font(run, gbt.FONT_HEI, gbt.SIZE["三号"], bold=True)
    gbt.add_par(doc, tag("summary"), style="GB正文")
    gbt.add_par(doc, "四、审核意见", style="GB一级").paragraph_format.keep_with_next = True
    t = new_table(doc, (30, 126), 3)
    for row, name in enumerate(("初审意见", "专家评审意见", "审定意见")):
        label(t.cell(row, 0), name)
        _sign_block(t.cell(row, 1))
        row_height(t, row, 32)
    fix_widths(t)
    save(doc, path)


def build_batch(path: Path) -> None:
    doc = gbt.new_document()
    ensure_table_style(doc, size=SMALL)
    title(doc, tag("title"))
    gbt.add_par(doc, "年度：" + tag("year") + "年　　" + "制表：" + tag("cfg.issuer.office"), align="center")
    _loop_table(doc, (10, 36, 28, 14, 16, 30, 22),
                ("序号", tag("headers.name"), tag("headers.kind"), "注册地是否在境外", "注册国家",
                 tag("headers.by"), "初审结论"),
                (tag("c.no"), tag("c.name"), tag("c.kind"), tag("c.overseas"), tag("c.country"), tag("c.by"),
                 tag("c.status")),
                "c in rows", empty="（无候选对象）")
    gbt.add_par(doc, tag("summary"), style="GB正文").paragraph_format.space_before = Pt(6)
    save(doc, path)


def build_public(path: Path) -> None:
    doc = gbt.new_document()
    ensure_table_style(doc, size=gbt.SIZE["小四"])
    title(doc, tag("title|ml"))
    doc.add_paragraph()
    for text in (
        "根据《" + tag("notice_title") + "》（" + tag("doc_number") + "）要求，经推荐单位推荐、形式审查和专家评审，"
        "现将" + tag("year") + "年中国科协海智计划" + tag("programme") + "拟认定名单予以公示（见附表），"
        "公示期为" + tag("days") + "天" + block("if period") + "（" + tag("period") + "）" + block("endif") + "。",
        "公示期间，如对公示名单有异议，请以书面形式向" + tag("cfg.issuer.office") + "反映。单位反映意见须加盖公章，"
        "个人反映意见须署真实姓名并提供有效联系方式。",
        "联系人：" + tag("contacts") + "　电话：" + tag("phone") + "　邮箱：" + tag("email"),
    ):
        gbt.add_par(doc, text, style="GB正文")
    doc.add_paragraph()
    gbt.add_par(doc, tag("cfg.issuer.department"), style="GB正文", align="right").paragraph_format.right_indent = Pt(
        4 * gbt.SIZE["三号"])
    p = gbt.add_par(doc, tag("issued_on|cn_date"), style="GB正文", align="right")
    p.paragraph_format.right_indent = Pt(4 * gbt.SIZE["三号"])
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    gbt.add_par(doc, "附表", style="GB一级")
    title(doc, tag("list_title"), size=gbt.SIZE["三号"])
    _loop_table(doc, (14, 62, 40, 40), ("序号", tag("headers.name"), tag("headers.kind"), tag("headers.by")),
                (tag("c.no"), tag("c.name"), tag("c.kind"), tag("c.by")), "c in rows", empty="（无）")
    save(doc, path)


def build(out_dir: Path) -> list[Path]:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [out_dir / "approval_sheet.docx", out_dir / "batch_list.docx", out_dir / "public_notice.docx"]
    for builder, path in zip((build_approval, build_batch, build_public), paths, strict=True):
        builder(path)
    return paths


if __name__ == "__main__":
    for p in build(Path(__file__).resolve().parent.parent):
        print(p)
