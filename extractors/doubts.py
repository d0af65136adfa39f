"""Findings for fields read with doubt, so that no wrong field is silent.

A label found twice with other values, a long value cut at a page's bottom, a value of an
unexpected shape. Each names the field and where it was read (page, box).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from haizhi.extractors.detect import lkey
from haizhi.extractors.labels import is_long, label_colon
from haizhi.extractors.normalize import clean_text
from haizhi.pipeline.core.fields import FieldSpec
from haizhi.pipeline.core.record import Finding

if TYPE_CHECKING:
    from haizhi.extractors.mapper import Candidate, Grid


def where(p: dict[str, Any]) -> str:
    box = p.get("bbox")
    at = f"（第 {p.get('page')} 页" + (f"，位置 {[round(x) for x in box]}）" if box else "）")
    return at


def doubts(grid: Grid, f: FieldSpec, best: Candidate, cands: list[Candidate], prov: dict[str, Any],
            value: Any) -> list[Finding]:
    """Findings for a field read with doubt: its label found twice with other values, or a long value
    that ends at the bottom of a page with no continuation found."""
    out: list[Finding] = []
    val = lkey(clean_text(best.text) or "")
    rivals = [c for c in cands[1:] if c.score >= best.score - 0.15 and lkey(clean_text(c.text) or "")
              and lkey(clean_text(c.text) or "") != val and c.score >= 0.85]
    if rivals and val:
        out.append(Finding("extract.label_twice", "info", f.key,
                           f"“{f.display}”的标签出现了不止一处且内容不同{where(prov)}，已取第一处，请人工核对"))
    if is_long(f) and hasattr(best.where, "cell") and best.cells:
        last = best.cells[-1]
        later = [c for r in grid.rows[last.grow + 1:] for c in r]
        more_pages = any(c.page is not last.page for c in later) or any(pg is not last.page for _, pg in grid.lines)
        last_on_page = not any(c.page is last.page and len(c.text.strip()) > 2 for c in later)
        joined = any(g is last for g, _ in grid.stitched)
        ends = not isinstance(value, str) or value.rstrip().endswith(("。", "！", "？", "；", ".", "!", "?", ";", "）", ")"))
        if not joined and not ends and last.cell.bbox and last.page.height and more_pages and last_on_page \
                and last.cell.bbox[3] > last.page.height - 110:
            out.append(Finding("extract.page_break", "info", f.key,
                               f"“{f.display}”的内容写到第 {last.page.number} 页底部，下一页未找到续写部分，"
                               f"可能被截断{where(prov)}，请人工核对"))
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
