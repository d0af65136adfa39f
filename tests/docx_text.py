"""All the text of a DOCX in body order: paragraphs and table cells.

Tables come row by row, cells separated by tabs; a merged cell is given once
(horizontal spans are one w:tc; vertical continuations are skipped). Text in
text boxes is kept, the VML fallback copy of a drawing is not. Headers and
footers are not body text and are left out.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from lxml import etree

from haizhi.pipeline.core.errors import UnreadableInput

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


P, TBL, TR, TC, T, TAB, BR, CR, SDT, SDTCONTENT = (
    _w(x) for x in ("p", "tbl", "tr", "tc", "t", "tab", "br", "cr", "sdt", "sdtContent"))
TXBX = _w("txbxContent")
FALLBACK = f"{{{MC}}}Fallback"
_SKIP = {FALLBACK, _w("instrText"), _w("delText"), _w("rPr"), _w("pPr")}


def _inline(el: etree._Element, out: list[str], boxes: list[etree._Element]) -> None:
    """Text of a paragraph's runs; text boxes are collected to be read as blocks."""
    for child in el:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP:
            continue
        if tag == T:
            out.append(child.text or "")
        elif tag == TAB:
            out.append("\t")
        elif tag in (BR, CR):
            out.append("\n")
        elif tag == TXBX:
            boxes.append(child)
        else:
            _inline(child, out, boxes)


def _paragraph(p: etree._Element) -> list[str]:
    parts: list[str] = []
    boxes: list[etree._Element] = []
    _inline(p, parts, boxes)
    lines = ["".join(parts)]
    for box in boxes:
        lines.extend(_blocks(box))
    return lines


def _cell_merged_below(tc: etree._Element) -> bool:
    vm = tc.find(f"{_w('tcPr')}/{_w('vMerge')}")
    return vm is not None and vm.get(_w("val"), "continue") == "continue"


def _table(tbl: etree._Element) -> list[str]:
    lines: list[str] = []
    for tr in tbl.iter(TR):
        if tr.getparent() is not tbl:
            continue  # rows of nested tables are read inside their cell
        cells = []
        for tc in tr.iter(TC):
            if tc.getparent() is not tr and tc.getparent().getparent() is not tr:
                continue  # nested table cell (a tc may sit in an sdt inside the row)
            if _cell_merged_below(tc):
                continue
            cells.append("\n".join(_blocks(tc)).strip("\n"))
        lines.append("\t".join(cells))
    return lines


def _blocks(container: etree._Element) -> list[str]:
    lines: list[str] = []
    for child in container:
        if child.tag == P:
            lines.extend(_paragraph(child))
        elif child.tag == TBL:
            lines.extend(_table(child))
        elif child.tag in (SDT, SDTCONTENT) or child.tag == f"{{{MC}}}AlternateContent" or child.tag == f"{{{MC}}}Choice":
            lines.extend(_blocks(child))
    return lines


def docx_text(src: Path | str | bytes) -> str:
    """Text of a DOCX (path or bytes): paragraphs and table rows, one per line, in body order."""
    data = src if isinstance(src, bytes) else Path(src).read_bytes()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            xml = z.read("word/document.xml")
    except (zipfile.BadZipFile, KeyError):
        name = "（字节数据）" if isinstance(src, bytes) else str(src)
        raise UnreadableInput(f"不是有效的 DOCX 文件：{name}") from None
    root = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, huge_tree=True))
    body = root.find(_w("body"))
    return "\n".join(_blocks(body)) if body is not None else ""
