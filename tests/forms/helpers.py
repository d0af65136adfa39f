"""Test helpers: DOCX text in document order, seed slices, whitespace-free comparison."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_text(data: bytes) -> str:
    """All text of the body in document order; paragraphs on their own lines, tabs/breaks as whitespace."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    out: list[str] = []
    for el in root.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}p"):
        if el.tag == f"{W}t":
            out.append(el.text or "")
        elif el.tag == f"{W}p":
            out.append("\n")
        else:
            out.append(" ")
    return "".join(out)


def squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def seed_text(shared: Path, prefix: str) -> str:
    (path,) = (shared / "seeds").glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def coop_seed_form(shared: Path) -> str:
    """Seed 000 from the form title after 附件 to the end."""
    text = seed_text(shared, "000")
    start = text.index("推荐中国科协海智计划合作机构信息表", text.rindex("\n附件\n"))
    return text[start:]


def base_seed_form(shared: Path) -> str:
    """Seed 001 from the cover title after the first 附件 up to the second 附件 (the 提纲)."""
    text = seed_text(shared, "001")
    marks = [m.start() for m in re.finditer(r"^附件\s*$", text, flags=re.M)]
    start = text.index("中国科协海智计划基地申报表", marks[0])
    return text[start:marks[1]]
