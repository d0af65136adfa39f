"""GB/T 9704 layout in the DOCX XML, and docx_text on tables."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from lxml import etree

from haizhi.pipeline.core.config import YearConfig
from haizhi.pipeline.generate.notices import (
    forwarding_context,
    render_forwarding,
    render_notice,
    render_outline,
)
from haizhi.pipeline.generate.render import render_docx
from haizhi.templates.build import gbt
from tests.docx_text import docx_text


@pytest.fixture(scope="module")
def coop_docx(cfg2023: YearConfig) -> bytes:
    return render_notice(cfg2023, "coop")


@pytest.fixture(scope="module")
def doc(coop_docx: bytes):
    return docx.Document(io.BytesIO(coop_docx))


def _east_asia(el) -> str | None:
    rf = el.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
    return None if rf is None else rf.get(qn("w:eastAsia"))


def _par(doc, text: str):
    return next(p for p in doc.paragraphs if p.text == text)


def test_page_setup(doc) -> None:
    (sec,) = doc.sections
    def mm(*lengths) -> tuple[float, ...]:  # stored in twips: compare to 0.1 mm
        return tuple(round(x.mm, 1) for x in lengths)

    assert mm(sec.page_width, sec.page_height) == (210, 297)
    assert mm(sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin) == (37, 35, 28, 26)
    type_w = sec.page_width.mm - sec.left_margin.mm - sec.right_margin.mm
    type_h = sec.page_height.mm - sec.top_margin.mm - sec.bottom_margin.mm
    assert (round(type_w, 1), round(type_h, 1)) == (156, 225)


def test_body_font_and_grid(doc) -> None:
    normal = doc.styles["Normal"]
    assert _east_asia(normal.element) == gbt.FONT_BODY == "仿宋_GB2312"
    assert normal.font.size == Pt(16)
    pf = normal.paragraph_format
    assert pf.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert round(Mm(225) / pf.line_spacing, 1) == 22.0  # 22 lines per page
    spacing = normal.element.find(f"{qn('w:rPr')}/{qn('w:spacing')}")
    pitch = 16 + int(spacing.get(qn("w:val"))) / 20  # condensed character pitch
    assert round(Mm(156).pt / pitch) == 28  # 28 characters per line


def test_styles_name_official_fonts(doc) -> None:
    want = {"GB标题": ("方正小标宋简体", 22), "GB一级": ("黑体", 16), "GB二级": ("楷体_GB2312", 16),
            "GB正文": ("仿宋_GB2312", 16)}
    for name, (font, size) in want.items():
        st = doc.styles[name]
        assert (_east_asia(st.element), st.font.size) == (font, Pt(size)), name
    assert doc.styles["GB标题"].paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert doc.styles["GB正文"].paragraph_format.first_line_indent == Pt(32)  # 2 characters


def test_masthead_number_red_line_title(doc, cfg2023: YearConfig) -> None:
    pars = doc.paragraphs
    mast = _par(doc, cfg2023.issuer.masthead)
    run = mast.runs[0]
    assert str(run.font.color.rgb) == "FF0000" and _east_asia(run._element) == "方正小标宋简体"
    assert mast.alignment == WD_ALIGN_PARAGRAPH.CENTER or mast.style.paragraph_format.alignment == 1
    i = pars.index(next(p for p in pars if p.text == cfg2023.coop.doc_number))
    line = pars[i + 1]
    bottom = line._p.find(f"{qn('w:pPr')}/{qn('w:pBdr')}/{qn('w:bottom')}")
    assert bottom is not None and bottom.get(qn("w:color")) == "FF0000"
    title = next(p for p in pars if p.style.name == "GB标题")
    assert title.text.replace("\n", "") == cfg2023.coop.title
    headings = {p.text: p.style.name for p in pars if p.style.name in ("GB一级", "GB二级")}
    assert headings["一、合作机构认定条件"] == "GB一级" and headings["（一）推荐"] == "GB二级"


def test_signature_and_attachment_label(doc) -> None:
    pars = doc.paragraphs
    texts = [p.text for p in pars]
    i = texts.index("中国科协国际合作部")
    assert texts[i + 1] == "2023年7月24日"
    assert texts.index("附件：推荐中国科协海智计划合作机构信息表（样表）") < i
    label = next(p for p in pars if p.text == "附件")
    assert label.paragraph_format.page_break_before is True
    assert _east_asia(label.style.element) == "黑体"


def test_page_numbers_odd_right_even_left(doc, coop_docx: bytes) -> None:
    settings = doc.settings.element
    assert settings.find(qn("w:evenAndOddHeaders")) is not None
    sec = doc.sections[0]
    for footer, align in ((sec.footer, WD_ALIGN_PARAGRAPH.RIGHT), (sec.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        (p,) = footer.paragraphs
        assert p.alignment == align
        instr = "".join(t.text for t in p._p.iter(qn("w:instrText")))
        assert instr.strip() == "PAGE"
        assert p.text.startswith("— ") and p.text.endswith(" —")
        assert all(_east_asia(r._element) == "宋体" and r.font.size == Pt(14) for r in p.runs)


@pytest.mark.parametrize("which", ["coop", "base", "forwarding", "outline"])
def test_property_order_follows_schema(which: str, cfg2023: YearConfig) -> None:
    """Word refuses files whose rPr/pPr children are out of schema order (the notice parts built here)."""
    data = {"coop": lambda: render_notice(cfg2023, "coop", with_attachments=False),
            "base": lambda: render_notice(cfg2023, "base", with_attachments=False),
            "forwarding": lambda: render_docx("forwarding_notice.docx", forwarding_context(cfg2023, "广东")),
            "outline": lambda: render_outline(cfg2023)}[which]()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for part in ("word/document.xml", "word/styles.xml", "word/footer1.xml", "word/footer2.xml"):
            root = etree.fromstring(z.read(part))
            for tag, seq in gbt._SEQ.items():
                order = [qn(t) for t in seq]
                for el in root.iter(tag):
                    idx = [order.index(c.tag) for c in el if c.tag in order]
                    assert idx == sorted(idx), (part, [c.tag.split("}")[1] for c in el])


def test_forwarding_then_national_notice_on_new_page(cfg2023: YearConfig) -> None:
    d = docx.Document(io.BytesIO(render_forwarding(cfg2023, "广东")))
    mast = next(p for p in d.paragraphs if p.text == cfg2023.issuer.masthead)
    assert mast.paragraph_format.page_break_before is True
    assert d.paragraphs[[p.text for p in d.paragraphs].index("粤科协办发〔2023〕30号")].style.name == "GB发文字号"


def test_docx_text_tables_merged_cells_once() -> None:
    d = gbt.new_document()
    gbt.add_par(d, "表前")
    t = d.add_table(rows=3, cols=3)
    t.cell(0, 0).merge(t.cell(0, 2)).text = "横向合并"
    t.cell(1, 0).merge(t.cell(2, 0)).text = "纵向合并"
    t.cell(1, 1).text, t.cell(1, 2).text, t.cell(2, 1).text, t.cell(2, 2).text = "a", "b", "c", "d"
    inner = t.cell(2, 2).add_table(rows=1, cols=2)
    inner.cell(0, 0).text, inner.cell(0, 1).text = "内1", "内2"
    gbt.add_par(d, "表后")
    buf = io.BytesIO()
    d.save(buf)
    lines = docx_text(buf.getvalue()).split("\n")
    assert lines[0] == "表前" and lines[-1] == "表后"
    text = "\n".join(lines)
    assert text.count("横向合并") == 1 and text.count("纵向合并") == 1
    assert lines[1] == "横向合并"
    assert lines[2] == "纵向合并\ta\tb"
    assert lines[3].startswith("c\td") and "内1\t内2" in text


def test_docx_text_rejects_non_docx(tmp_path) -> None:
    from haizhi.pipeline.core.errors import UnreadableInput

    p = tmp_path / "x.docx"
    p.write_bytes(b"not a zip")
    with pytest.raises(UnreadableInput, match="不是有效的 DOCX"):
        docx_text(p)


@pytest.mark.parametrize("year", [2023, 2026])
def test_signature_date_alignment(year: int) -> None:
    """成文日期首字比署名首字右移二字, both at least 右空二字 (widths in characters, digits half)."""
    from haizhi.pipeline.core.config import load_year
    from haizhi.pipeline.generate.notices import text_width

    d = docx.Document(io.BytesIO(render_forwarding(load_year(year), "广东")))
    pars = d.paragraphs
    pairs = [(a, b) for a, b in zip(pars, pars[1:], strict=False)
             if a.style.name == "GB署名" and b.style.name == "GB成文日期"]
    assert len(pairs) == 2  # provincial and national
    for sig, date in pairs:
        sr, dr = sig.paragraph_format.right_indent.pt / 16, date.paragraph_format.right_indent.pt / 16
        sig_start, date_start = sr + text_width(sig.text), dr + text_width(date.text)
        assert sig_start - date_start == pytest.approx(2.0, abs=0.01)
        assert min(sr, dr) == pytest.approx(2.0, abs=0.01)
