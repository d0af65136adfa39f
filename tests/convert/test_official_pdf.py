"""Our own PDFs are checked after conversion: a Japanese face (other glyph forms) stops the document."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from haizhi.pipeline.core.errors import ConversionError
from haizhi.pipeline.office.official import official_pdf
from haizhi.pipeline.office.pdfcheck import font_problems


def _doc(path: Path, east_asia: str) -> Path:
    doc = Document()
    run = doc.add_paragraph().add_run("海智计划合作机构推荐通知：海外人才为骨干")
    run.font.name = east_asia
    rpr = run._element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), east_asia)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:eastAsia"), "zh-CN")
    rpr.append(lang)
    doc.save(str(path))
    return path


def test_a_document_in_a_japanese_face_is_stopped(tmp_path: Path) -> None:
    # an editor picks the collection's "SC" face from the font menu: LibreOffice prints it with the
    # collection's shared Japanese glyphs (see pipeline/office/sc_fonts.py)
    src = _doc(tmp_path / "日文字形.docx", "Noto Serif CJK SC")
    with pytest.raises(ConversionError) as e:
        official_pdf(src, tmp_path / "日文字形.pdf")
    assert "日文、韩文或繁体中文字形" in str(e.value) and "JP" in str(e.value).upper()
    assert not (tmp_path / "日文字形.pdf").exists(), "a PDF with the wrong glyph forms is not left behind"


def test_a_document_in_a_simplified_chinese_face_passes(tmp_path: Path) -> None:
    src = _doc(tmp_path / "简体.docx", "宋体")  # the official name, as the templates use it
    out = official_pdf(src, tmp_path / "简体.pdf")
    assert out.is_file() and font_problems(out) == []
