"""Text-layer PDF → Layout with pdfplumber: ruling lines give the cells, words fill them.

Cells come from pdfplumber's line-based table finder; their row/col/span
are read off the grid of distinct cell edges (a merged cell spans several).
Words outside tables become Lines. A page with no text layer, or one that
is mostly (cid:n) / junk glyphs, is marked needs_ocr.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from haizhi.extractors.glyph_marks import marks_from_text
from haizhi.extractors.layout import Cell, Layout, Line, Page, Table
from haizhi.pipeline.core.errors import UnreadableInput

MAX_PAGES = 60
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef□☑■☐☒√✓✔▣]")
_TS = {"vertical_strategy": "lines", "horizontal_strategy": "lines", "snap_tolerance": 3,
       "join_tolerance": 3, "intersection_tolerance": 3}


def _garbage(text: str) -> bool:
    t = re.sub(r"\s+", "", text)
    if len(t) < 4:
        return True
    cid = len(re.findall(r"\(cid:\d+\)", t))
    if cid * 6 > len(t) * 0.3:
        return True
    good = len(_CJK.findall(t)) + len(re.findall(r"[A-Za-z0-9.,:;@()\-/%]", t))
    bad = t.count("\ufffd") + sum(1 for ch in t if ord(ch) < 32 or 0xE000 <= ord(ch) <= 0xF8FF)
    return good < len(t) * 0.6 or bad > len(t) * 0.2


def _edges(values: list[float], tol: float = 2.0) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > tol:
            out.append(v)
    return out


def _idx(edges: list[float], v: float) -> int:
    return min(range(len(edges)), key=lambda i: abs(edges[i] - v))


def _is_cjk(ch: str) -> bool:
    return bool(_CJK.match(ch))


def _latin(ch: str) -> bool:
    return ch.isascii() and not ch.isspace()


def _line_text(chars: list[dict]) -> str:
    """One line of chars → text; spaces only where the gap says so (justified CJK stays tight)."""
    s = ""
    prev = None
    for ch in chars:
        t = ch["text"]
        if t.isspace():
            if s and not s.endswith(" "):
                s += " "
            prev = ch
            continue
        if prev is not None and s and not s.endswith(" "):
            gap = ch["x0"] - prev["x1"]
            size = max(1.0, float(ch.get("size") or (ch["bottom"] - ch["top"])))
            if gap > 1.2 * size:
                s += " " * max(1, min(8, round(gap / size)))
            elif gap > 0.15 * size and _latin(s[-1]) and _latin(t[0]):
                s += " "
        s += t
        prev = ch
    return s.rstrip()


def _lines(chars: list[dict]) -> list[list[dict]]:
    chars = sorted(chars, key=lambda c: (c["top"], c["x0"]))
    lines: list[list[dict]] = []
    for c in chars:
        h = max(2.0, (c["bottom"] - c["top"]) * 0.5)
        if lines and abs((c["top"] + c["bottom"]) / 2 - lines[-1][0]["_mid"]) <= h:
            lines[-1].append(c)
        else:
            c["_mid"] = (c["top"] + c["bottom"]) / 2
            lines.append([c])
    for ln in lines:
        ln.sort(key=lambda c: c["x0"])
    return lines


def _join(chars: list[dict], right: float | None) -> str:
    """Chars → text: a line that had no room for the next line's first word wraps softly."""
    out = ""
    prev_ln: list[dict] | None = None
    for ln in _lines(chars):
        s = _line_text(ln)
        if not s:
            continue
        if prev_ln is None:
            out = s
        else:
            first = s.split(" ", 1)[0]
            width = sum(c["x1"] - c["x0"] for c in ln[: len(first)]) if _latin(first[0]) else (ln[0]["x1"] - ln[0]["x0"])
            soft = right is not None and prev_ln[-1]["x1"] + width + 1 > right
            if not soft:
                out += "\n" + s
            elif _latin(out[-1]) and _latin(s[0]):
                single = " " not in _line_text(prev_ln).strip()
                out += ("" if single or out.endswith(("-", "/", "@", ".")) else " ") + s
            else:
                out += s
        prev_ln = ln
    return out


def _cell_rows(bboxes: list[tuple[float, float, float, float]]) -> list[tuple[int, int, int, int]]:
    xs = _edges([b[0] for b in bboxes] + [b[2] for b in bboxes])
    ys = _edges([b[1] for b in bboxes] + [b[3] for b in bboxes])
    out = []
    for x0, y0, x1, y1 in bboxes:
        c, r = _idx(xs, x0), _idx(ys, y0)
        out.append((r, c, max(1, _idx(ys, y1) - r), max(1, _idx(xs, x1) - c)))
    return out


def _drawn_boxes(pp, chars: list[dict]) -> list[dict]:
    """Checkboxes drawn as small squares (legacy form fields in Word's PDFs) → ☑/□ pseudo-chars.

    Ticked when a line, curve or filled shape sits inside the square (the X or ✓ Word draws).
    """
    out: list[dict] = []
    marks = [o for o in list(pp.lines) + list(pp.curves) if o["x1"] - o["x0"] < 20 and o["bottom"] - o["top"] < 20]
    for r in pp.rects:
        w, h = r["x1"] - r["x0"], r["bottom"] - r["top"]
        if not (5 <= w <= 16 and abs(w - h) <= 1.5):
            continue
        x0, y0, x1, y1 = r["x0"] - 1, r["top"] - 1, r["x1"] + 1, r["bottom"] + 1
        if any(x0 <= (c["x0"] + c["x1"]) / 2 <= x1 and y0 <= (c["top"] + c["bottom"]) / 2 <= y1 for c in chars):
            continue  # a glyph already shows this box
        ticked = bool(r.get("fill")) and r.get("non_stroking_color") not in (None, 1, (1,), (1, 1, 1), [1, 1, 1]) or any(
            x0 <= o["x0"] and o["x1"] <= x1 and y0 <= o["top"] and o["bottom"] <= y1 for o in marks)
        out.append({"text": "☑" if ticked else "□", "x0": r["x0"], "x1": r["x1"], "top": r["top"],
                    "bottom": r["bottom"], "size": h})
    return out


def _short_but_clean(text: str) -> bool:
    """A page of a typed PDF with next to no text and no picture: blank (a page break after a table
    that filled its page) or a few words (年 月 日 run over): not a scan."""
    t = re.sub(r"\s+", "", text)
    return len(t) < 4 and all(_CJK.match(ch) or ch.isascii() and ch.isprintable() for ch in t)


def _not_a_box(obj: dict) -> bool:
    """Rulings for the table finder: small squares (drawn checkboxes) and their ticks are not cell edges."""
    if obj.get("object_type") not in ("rect", "line", "curve"):
        return True
    return not (obj["x1"] - obj["x0"] < 20 and obj["bottom"] - obj["top"] < 20)


def _page(pp, number: int) -> Page:
    page = Page(number=number, width=float(pp.width), height=float(pp.height), method="pdf_text")
    chars = [c for c in pp.chars if c.get("text")]
    text = "".join(c["text"] for c in chars)
    if _garbage(text) and (pp.images or len(pp.curves) > 20 or not _short_but_clean(text)):
        page.needs_ocr = True  # no text layer, or junk glyphs over a picture: a scanned page
        return page
    chars += _drawn_boxes(pp, chars)
    used: set[int] = set()
    for tf in pp.filter(_not_a_box).find_tables(table_settings=_TS):
        bboxes = [tuple(float(v) for v in c) for c in tf.cells if c]
        if len(bboxes) < 2:
            continue
        cells = []
        for bbox, (r, c, rs, cs) in zip(bboxes, _cell_rows(bboxes), strict=True):
            x0, y0, x1, y1 = bbox
            inside = [i for i, ch in enumerate(chars) if i not in used
                      and x0 <= (ch["x0"] + ch["x1"]) / 2 <= x1 and y0 <= (ch["top"] + ch["bottom"]) / 2 <= y1]
            used.update(inside)
            t = _join([chars[i] for i in inside], x1 - 7)
            cells.append(Cell(text=t, row=r, col=c, rowspan=rs, colspan=cs, bbox=bbox, marks=marks_from_text(t)))
        page.tables.append(Table(cells=cells, page=number, bbox=tuple(float(v) for v in tf.bbox)))
    rest = [ch for i, ch in enumerate(chars) if i not in used]
    for ln in _lines(rest):
        t = _line_text(ln)
        if not t.strip():
            continue
        bbox = (min(c["x0"] for c in ln), min(c["top"] for c in ln), max(c["x1"] for c in ln),
                max(c["bottom"] for c in ln))
        if _page_number(t, bbox, float(pp.height)):
            continue  # page furniture: 第 2 页 共 5 页 in the footer is not part of any field
        page.lines.append(Line(text=t, bbox=bbox, marks=marks_from_text(t)))
    return page


_DASH = r"[-—–－一_]"  # OCR reads a printed dash as 一 or _, and may lose one of the two
_PAGE_NO = re.compile(rf"^(?:第\s*(\d+)\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|{_DASH}*\s*(\d{{1,3}})\s*{_DASH}*"
                      r"|(\d+)\s*/\s*\d+|(?:page|Page|PAGE)\s*(\d+)(?:\s*(?:of|/)\s*\d+)?|共\s*\d+\s*页\s*第\s*(\d+)\s*页)$")


def page_number_in(text: str) -> int | None:
    """The number of a printed page number (— 3 —, - 3, 第 3 页 共 5 页, 3/5, Page 3), or None."""
    m = _PAGE_NO.match(text.strip())
    return int(next(g for g in m.groups() if g is not None)) if m else None


def _page_number(text: str, bbox: tuple[float, float, float, float], height: float) -> bool:
    """A page number in the header or footer band (top or bottom 9 % of the page)."""
    return page_number_in(text) is not None and (bbox[3] < height * 0.09 or bbox[1] > height * 0.91)


def read_pdf(path: Path) -> Layout:
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    try:
        pdf = pdfplumber.open(str(path))
    except Exception as e:
        inner = e.args[0] if e.args else e
        if isinstance(e, PDFPasswordIncorrect | PDFEncryptionError) or isinstance(
                inner, PDFPasswordIncorrect | PDFEncryptionError):
            raise UnreadableInput("PDF 文件已加密（需要密码），无法读取") from e
        if "crypt" in type(inner).__name__.lower() or "crypt" in str(inner).lower():
            raise UnreadableInput(f"PDF 文件的加密方式不受支持或已损坏（{inner}）") from e
        raise
    with pdf:
        n = len(pdf.pages)
        if n == 0:
            raise UnreadableInput("PDF 文件没有页面")
        if n > MAX_PAGES:
            raise UnreadableInput(f"PDF 有 {n} 页，超过上限 {MAX_PAGES} 页，不像一份申报表")
        pages = []
        for i, pp in enumerate(pdf.pages, start=1):
            try:
                pages.append(_page(pp, i))
            finally:
                pp.close()
    return Layout(pages=pages)
