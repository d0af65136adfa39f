"""DOCX makers shared by the converter tests."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

# (text, east-asian font as the DOCX names it, size pt, bold)
OFFICIAL_RUNS = [
    ("关于开展2026年海智计划工作的通知", "方正小标宋简体", 22, False),
    ("各省级科协：为贯彻落实海智计划，现将有关事项通知如下。", "仿宋_GB2312", 16, False),
    ("一、总体要求", "黑体", 16, False),
    ("（一）申报条件：海外科技团体 Overseas Society", "楷体_GB2312", 16, False),
    ("宋体表格内容", "宋体", 12, False),
]


def make_docx(path: Path, runs: list[tuple[str, str, int, bool]] = OFFICIAL_RUNS) -> Path:
    """A DOCX whose runs name official Chinese fonts (eastAsia) and Times New Roman (latin)."""
    doc = Document()
    for text, font, size, bold in runs:
        run = doc.add_paragraph().add_run(text)
        run.font.size = Pt(size)
        run.font.name = "Times New Roman"
        run.bold = bold
        run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    doc.save(path)
    return path
