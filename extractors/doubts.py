"""Findings for fields read with doubt, so that no wrong field is silent.

A label found twice with other values, a long value cut at a page's bottom, a value of an
unexpected shape. Each names the field and where it was read (page, box).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from haizhi.extractors.detect import lkey
from haizhi.extractors.labels import is_long, label_colon
from haizhi.extractors.normalize import CHECK_GLYPHS, clean_text
from haizhi.pipeline.core.fields import FieldSpec
from haizhi.pipeline.core.record import Finding

SENTENCE_ENDS = ("。", "！", "？", "；", ".", "!", "?", ";", "）", ")")  # a long text's paragraph ends with one of these

if TYPE_CHECKING:
    from haizhi.extractors.grid import Grid
    from haizhi.extractors.mapper import Candidate


def where(p: dict[str, Any]) -> str:
    box = p.get("bbox")
    at = f"（第 {p.get('page')} 页" + (f"，位置 {[round(x) for x in box]}）" if box else "）")
    return at


def _compared(text: str | None) -> str:
    """A reading as two readings of one value are compared: a box glyph read into it (☑海智… from a stroke
    before the name) is no other value."""
    return lkey(re.sub(f"[{CHECK_GLYPHS}]", "", clean_text(text) or ""))


def doubts(grid: Grid, f: FieldSpec, best: Candidate, cands: list[Candidate], prov: dict[str, Any],
            value: Any) -> list[Finding]:
    """Findings for a field read with doubt: its label found twice with other values, or a long value
    that ends at the bottom of a page with no continuation found."""
    out: list[Finding] = []
    val = _compared(best.text)
    rivals = [c for c in cands[1:] if c.score >= best.score - 0.15 and _compared(c.text)
              and _compared(c.text) != val and c.score >= 0.85]
    if rivals and val:
        out.append(Finding("extract.label_twice", "info", f.key,
                           f"“{f.display}”的标签出现了不止一处且内容不同{where(prov)}，已取第一处，请人工核对"))
    if f.type == "text" and not is_long(f) and prov.get("method") == "ocr" and len({c.grow for c in best.cells}) == 1 \
            and len(best.cells) > 1 and hasattr(best.where, "cell") and best.where not in best.cells:
        out.append(Finding("scan.cells_joined", "info", f.key,
                           f"“{f.display}”的内容在同一行分成了几格（可能是扫描出来的多余竖线），已连在一起{where(prov)}，"
                           f"请人工核对"))  # value_cells._cut_by_a_wall: right, or another label not in the form's list
    if is_long(f) and hasattr(best.where, "cell") and best.cells:
        last = best.cells[-1]
        later = [c for r in grid.rows[last.grow + 1:] for c in r]
        more_pages = any(c.page is not last.page for c in later) or any(pg is not last.page for _, pg in grid.lines)
        last_on_page = not any(c.page is last.page and len(c.text.strip()) > 2 for c in later)
        joined = any(g is last for g, _ in grid.stitched)
        ends = not isinstance(value, str) or value.rstrip().endswith(SENTENCE_ENDS)
        if not joined and not ends and last.cell.bbox and last.page.height and more_pages and last_on_page \
                and last.cell.bbox[3] > last.page.height - 110:
            out.append(Finding("extract.page_break", "info", f.key,
                               f"“{f.display}”的内容写到第 {last.page.number} 页底部，下一页未找到续写部分，"
                               f"可能被截断{where(prov)}，请人工核对"))
        elif isinstance(value, str) and any(g is last and lkey(rest[:60]) not in lkey(value) for g, rest in grid.orphans):
            out.append(Finding("extract.page_break", "info", f.key,
                               f"“{f.display}”的内容写到第 {last.page.number} 页，下一页开头有一段未能归属的文字"
                               f"（未与本项连接），内容可能不完整{where(prov)}，请人工核对"))
        elif any(g is last for g in grid.unsure):
            out.append(Finding("extract.page_break", "info", f.key,
                               f"“{f.display}”的内容从第 {last.page.number} 页续写到下一页，续写部分开头有一个未能识别的"
                               f"标点或字符，内容结尾可能缺字{where(prov)}，请人工核对"))
        elif prov.get("method") == "ocr" and isinstance(value, str) and (
                re.search(r"[\u4e00-\u9fff]$", value.rstrip()) or any(c.cell.open_ends for c in best.cells)
                or any(g is c and g.cell.open_tail for c in best.cells for g, _ in grid.stitched)):
            out.append(Finding("scan.stop_missing", "info", f.key,
                               f"“{f.display}”中有段落结尾没有识别到句号等标点，可能漏识别了标点或文字{where(prov)}，"
                               f"请人工核对"))
    elif is_long(f) and prov.get("method") == "ocr" and isinstance(value, str) \
            and re.search(r"[\u4e00-\u9fff]$", value.rstrip()):
        # a paragraph read from lines outside any table (a heading, then its text) ending with no stop: its 。 is a
        # faint small ring the binarization and OCR can both lose (…一站式服务 for …一站式服务。)
        out.append(Finding("scan.stop_missing", "info", f.key,
                           f"“{f.display}”的结尾没有识别到句号等标点，可能漏识别了标点或文字{where(prov)}，请人工核对"))
    return out


_EMAIL = re.compile(r"^[\w.+\-]+@[\w\-]+(\.[\w\-]+)+$")


_PHONE = re.compile(r"^[+＋]?[\d\s\-－()（）/、,，转]{7,}$")


def shape_doubts(form_id: str, f: FieldSpec, value: Any, prov: dict[str, Any]) -> list[Finding]:
    """A value of an unexpected shape: an e-mail or phone that is not one, a short value holding a
    printed label (two pairs read as one)."""
    if not isinstance(value, str) or is_long(f):
        return []
    v = value.strip()
    bad = None
    if f.key.endswith("email") and not _EMAIL.match(re.sub(r"\s+", "", v)):
        bad = "不像电子邮箱地址"
    elif f.key.endswith(("mobile", "phone")) and not _PHONE.match(v):
        bad = "不像电话号码"
    elif label_colon(form_id).search(v) or "\n" in v and f.key not in _MULTILINE_OK:
        bad = "含有另一项的标签或换行，可能混入了相邻内容"
    if bad is None:
        return []
    return [Finding("extract.odd_value", "info", f.key, f"“{f.display}”的内容“{v[:40]}”{bad}{where(prov)}，请人工核对")]


_MULTILINE_OK = frozenset({"registered_address", "contact_address", "address", "name_en"})


_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]{1,3}\s*[、.．]|[（(][一二三四五六七八九十]{1,3}[）)]|第[一二三四五六七八九十]{1,3}[章部分节])"
                      r"\s*[\u4e00-\u9fff（）()、与和及]{2,24}\s*[:：]?\s*$")
_LATIN_RUN = re.compile(r"(?<=[\u4e00-\u9fff）)])\s*(?=[A-Za-z][A-Za-z.,&'\-]*(?:\s+[A-Za-z.,&'\-]+)+)")
_CREDIT = re.compile(r"(?<![0-9A-Za-z])(?=(?:[A-Z]*\d){6})[0-9A-Z]{15,20}(?![0-9A-Za-z])")  # a code, OCR-tolerant


_FURNITURE = re.compile(r"^(?:\d{1,3}\s*/\s*\d{1,3}|[-—–]\s*\d{1,3}(?:\s*[-—–])?|\d{1,3}\s*[-—–]|第\s*\d{1,3}\s*页(?:\s*[，,/]?\s*共\s*\d{1,3}\s*页)?"
                        r"|[（(]\s*\d{4}\s*年?\s*[）)]|[\u4e00-\u9fff（）()]{2,24}(?:申报表|推荐表|登记表|申请表|信息表)"
                        r"(?:[（(]\s*\d{4}\s*年?\s*[）)])?)$")
_ENDS = (*SENTENCE_ENDS, "”")
_TAIL_JUNK = re.compile(r"(?<=[。！？；.!?;])[ \t]*[1Il|!丨]$")  # on the line itself (a line of its own: _JUNK)
_JUNK = re.compile(r"^[1Il|!iI\[\]]{1,3}$|^[A-Za-z0-9]{1,4}$")


def scan_cuts(form_id: str, f: FieldSpec, value: Any, prov: dict[str, Any]) -> tuple[Any, list[Finding]]:
    """Scanned values that swallowed a neighbour: a long text running into the next section's heading
    (cut there, and named), a Chinese name with the English name or a credit code glued on (cut)."""
    if not isinstance(value, str) or prov.get("method") != "ocr":
        return value, []
    if is_long(f):
        tail = _TAIL_JUNK.search(value)
        if tail:  # …围绕海外科技人才引进与服务开展工作。1: a stroke or a page's number glued after the last stop
            value, more = scan_cuts(form_id, f, value[: tail.start()], prov)
            return value, [Finding("scan.odd_value", "info", f.key, f"“{f.display}”末尾句号后的“{tail.group(0).strip()}”"
                                   f"像是笔画或页码，已去掉{where(prov)}，请人工核对")] + more
        lines = value.split("\n")
        kept = [ln for ln in lines if not _FURNITURE.match(ln.strip())]
        junk = [ln for ln in kept if _JUNK.match(ln.strip())]
        kept = [ln for ln in kept if not _JUNK.match(ln.strip())]
        if len(kept) != len(lines):
            value = "\n".join(kept).strip("\n") or None
            cut_short = bool(value) and not value.rstrip().endswith(_ENDS)  # a page's end, no continuation read
            out = [] if value and not junk and not cut_short else [Finding(
                "scan.odd_value", "info", f.key, f"“{f.display}”的内容夹杂了页眉、页码或零散字符，已去掉"
                + ("，剩下的内容为空" if not value else "") + f"，请人工核对{where(prov)}")]
            if value is None:
                return None, out
            value, more = scan_cuts(form_id, f, value, prov)
            return value, out + more
        others = [re.sub(r"[（(][^）)]*[）)]", "", g.label) for g in form_spec_fields(form_id)
                  if g.key != f.key and is_long(g) and len(g.label) >= 4]
        for i, ln in enumerate(lines[1:], 1):
            flat = re.sub(r"\s+", "", ln)
            if _HEADING.match(ln) or any(flat.startswith(o) for o in others if len(o) >= 4):
                cut = "\n".join(lines[:i]).rstrip()
                return cut or None, [Finding("scan.next_section", "info", f.key,
                                             f"“{f.display}”的内容中出现了下一栏的标题“{flat[:20]}”，已在此处截断，"
                                             f"请人工核对{where(prov)}")]
        return value, []
    if f.key.endswith("name_cn"):
        v = value
        m = _CREDIT.search(v)
        if m:
            v = v[: m.start()]
        lm = _LATIN_RUN.search(v)
        if lm:
            v = v[: lm.start()]
        v = v.strip(" ，,;；:：")
        if v != value.strip() or re.search(r"[A-Za-z]{3,}|\d{6}", v):
            if not v or not re.search(r"[\u4e00-\u9fff]{2}", v) or re.search(r"[A-Za-z]{3,}|\d{6}", v):
                return value, [Finding("scan.odd_value", "info", f.key,
                                       f"“{f.display}”的内容“{value[:40]}”混入了英文名称或信用代码{where(prov)}，请人工核对")]
            return v, []
    return value, []


def form_spec_fields(form_id: str) -> list[FieldSpec]:
    from haizhi.pipeline.core.fields import form_spec

    return list(form_spec(form_id).fields)


def choice_doubts(f: FieldSpec, names: list[str], prov: dict[str, Any]) -> list[Finding]:
    """A scanned multiple choice with options whose tick could not be judged, named one by one."""
    if not names or prov.get("method") != "ocr":
        return []
    return [Finding("scan.choice_unclear", "info", f.key,
                    f"“{f.display}”中“{'、'.join(names)}”的勾选状态未能看清（未找到选项或勾选框）"
                    f"{where(prov)}，请人工核对")]


_BOX_IN_TEXT = re.compile(rf"[{CHECK_GLYPHS}]")


def glyph_doubts(f: FieldSpec, value: Any, prov: dict[str, Any]) -> list[Finding]:
    """A scanned text value holding a box or tick glyph (协☑企业): no such glyph is written in a text, a character
    was read as one (a box or tick pressed next to it, or a stroke's frame)."""
    if f.type != "text" or not isinstance(value, str) or prov.get("method") != "ocr":
        return []
    m = _BOX_IN_TEXT.search(value)
    if m is None:
        return []
    around = value[max(0, m.start() - 6):m.end() + 6].replace("\n", " ")
    return [Finding("scan.odd_value", "info", f.key, f"“{f.display}”中“{around}”含有勾选框符号，可能有文字识别错误"
                    f"{where(prov)}，请人工核对")]
