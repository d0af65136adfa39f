"""The one intermediate layout every reader produces and the mapper consumes.

Document → pages → tables of cells, and lines of text outside tables.
Coordinates are in points (1/72 inch) from the page's top-left corner for PDF
and OCR; DOCX has no geometry, so its readers give bbox None and use
row/col for order. Every piece of text carries a confidence (1.0 for a text
layer) and marks (checkboxes, seals, signatures) found on or near it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

BBox = tuple[float, float, float, float]  # x0, y0, x1, y1
MarkKind = Literal["checkbox", "seal", "signature"]


@dataclass
class Mark:
    kind: MarkKind
    checked: bool | None = None  # checkbox state; None for seals/signatures
    label: str | None = None  # checkbox: the option text that follows it
    bbox: BBox | None = None
    confidence: float = 1.0
    source: str | None = None  # glyph / w14:checkbox / FORMCHECKBOX / pixels
    doubts: list[str] = field(default_factory=list)  # why a seal/signature reading is unsure, told to the clerk

    def doubt(self, limit: float, why: str) -> None:
        """Lower the confidence to at most limit, for the reason given (kept for the finding)."""
        self.confidence = min(self.confidence if self.confidence is not None else 1.0, limit)
        if why not in self.doubts:
            self.doubts.append(why)


@dataclass
class Cell:
    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    bbox: BBox | None = None
    confidence: float = 1.0
    marks: list[Mark] = field(default_factory=list)
    text_confidence: float | None = None  # a scanned cell's runs of text alone, its ticks aside
    lead: str | None = None  # a scanned page's first row: a mark alone above its text (a wrapped 。), kept aside
    open_ends: int = 0  # a scanned cell's paragraphs ending well before its right side with no stop read …
    open_tail: bool = False  # … and its last line one of them
    kept_confidence: float | None = None  # a scanned cell's reading less strokes past a gap after a finished
    # sentence (同意推荐。    DO: a signature's), which an opinion drops; None when there are none
    line_confidences: list[tuple[str, float]] | None = None  # a scanned cell of several lines: each as read, and
    # how sure (a pair of label：value on one line is as sure as its line, not the cell's least sure line)


@dataclass
class Table:
    cells: list[Cell]
    page: int = 1
    bbox: BBox | None = None

    @property
    def n_rows(self) -> int:
        return max((c.row + c.rowspan for c in self.cells), default=0)

    @property
    def n_cols(self) -> int:
        return max((c.col + c.colspan for c in self.cells), default=0)

    def rows(self) -> list[list[Cell]]:
        """Cells grouped by starting row, each row left to right."""
        out: list[list[Cell]] = [[] for _ in range(self.n_rows)]
        for c in self.cells:
            out[c.row].append(c)
        for r in out:
            r.sort(key=lambda c: c.col)
        return out


@dataclass
class Line:
    text: str
    bbox: BBox | None = None
    confidence: float = 1.0
    marks: list[Mark] = field(default_factory=list)
    after_tables: int | None = None  # DOCX (no geometry): how many of the page's tables come before it


@dataclass
class Page:
    number: int  # 1-based
    width: float | None = None
    height: float | None = None
    tables: list[Table] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)  # text outside tables, in reading order
    marks: list[Mark] = field(default_factory=list)  # seals/signatures not tied to a cell
    needs_ocr: bool = False  # text layer empty or garbage
    method: Literal["docx", "pdf_text", "ocr"] = "docx"
    codes: list[str] | None = None  # QR texts the scan reader found on the page (None: not looked for)


@dataclass
class Layout:
    pages: list[Page]
    file: str | None = None
    sha256: str | None = None

    @property
    def method(self) -> str:
        methods = {p.method for p in self.pages if not p.needs_ocr}
        if "ocr" in methods:
            return "ocr"
        return "pdf_text" if "pdf_text" in methods else "docx"

    def text(self) -> str:
        """All text, tables and lines, page by page (for form detection)."""
        parts: list[str] = []
        for p in self.pages:
            parts.extend(line.text for line in p.lines)
            for t in p.tables:
                parts.extend(c.text for c in t.cells)
        return "\n".join(parts)
