"""The clean, pre-filled form as a PDF, and where its signature and seal blocks are."""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from haizhi.pipeline.core.config import YearConfig
from haizhi.pipeline.core.fields import BASE, COOP
from haizhi.pipeline.core.record import Record

CACHE = Path(os.environ.get("HAIZHI_SIM_CACHE", Path(tempfile.gettempdir()) / "haizhi-sim-cache"))


def _convert(docx: Path, pdf: Path) -> None:
    from haizhi.pipeline.office.convert import shared_converter

    shared_converter().convert(docx, pdf)


def form_pdf(record: Record, cfg: YearConfig) -> bytes:
    """render_form → PDF (cached by the DOCX's hash, so a bench run converts each record once)."""
    from haizhi.pipeline.generate.forms import render_form

    docx = render_form(record, record.form, cfg)
    key = hashlib.sha256(docx).hexdigest()[:24]
    CACHE.mkdir(parents=True, exist_ok=True)
    hit = CACHE / f"{key}.pdf"
    if hit.is_file():
        return hit.read_bytes()
    with tempfile.TemporaryDirectory(prefix="haizhi-sim-") as tmp:
        src = Path(tmp) / f"{key}.docx"
        src.write_bytes(docx)
        dst = Path(tmp) / f"{key}.pdf"
        _convert(src, dst)
        data = dst.read_bytes()
    tmp_hit = hit.with_suffix(f".{os.getpid()}.tmp")
    tmp_hit.write_bytes(data)
    tmp_hit.replace(hit)
    return data


@dataclass
class Block:
    """A place to sign or seal: page (1-based), anchor box in points, the mark key, what to draw."""

    page: int
    box: tuple[float, float, float, float]
    key: str | None  # contract mark key; None for a block the contract does not report
    kind: str  # seal | signature


def _search(page, words: list[str]) -> list[tuple[float, float, float, float]]:
    out = []
    for w in words:
        for m in page.search(w, regex=False):
            out.append((m["x0"], m["top"], m["x1"], m["bottom"]))
        if out:
            break
    return out


def find_blocks(pdf: bytes, form_id: str) -> list[Block]:
    """Signature and seal anchors from the PDF's text layer."""
    import io

    import pdfplumber

    blocks: list[Block] = []
    base_seals: list[tuple[int, tuple[float, float, float, float]]] = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for pno, page in enumerate(doc.pages, start=1):
            if form_id == COOP:
                seals = sorted(_search(page, ["（公章）", "(公章)"]), key=lambda b: b[0])
                signs = sorted(_search(page, ["负责人签字："]), key=lambda b: b[0])
                keys = ("recommender", "institution")
                for i, b in enumerate(seals[:2]):
                    blocks.append(Block(pno, b, f"{keys[i]}_sealed", "seal"))
                for i, b in enumerate(signs[:2]):
                    blocks.append(Block(pno, b, f"{keys[i]}_signed", "signature"))
            elif form_id == BASE:
                for b in _search(page, ["基地负责人（签字）："]):
                    blocks.append(Block(pno, b, "head_signed", "signature"))
                base_seals += [(pno, b) for b in sorted(_search(page, ["（单位公章）"]), key=lambda b: b[1])]
                for b in _search(page, ["负责人（签字）："]):
                    if not any(x.kind == "signature" and x.page == pno and abs(x.box[1] - b[1]) < 2 for x in blocks):
                        blocks.append(Block(pno, b, None, "signature"))
    keys = ("applicant_sealed", "city_sealed", "provincial_sealed")
    for (pno, b), key in zip(base_seals, keys, strict=False):
        blocks.append(Block(pno, b, key, "seal"))
    return blocks


@dataclass
class Glyph:
    """A printed character on the PDF: page (1-based), box and baseline in points, font size in points."""

    page: int
    text: str
    box: tuple[float, float, float, float]
    baseline: float
    size: float


def find_glyphs(pdf: bytes, chars: str) -> list[Glyph]:
    """Every upright occurrence of any of `chars` in the PDF's text layer (e.g. the printed ☑ of chosen options)."""
    import io

    import pdfplumber

    out: list[Glyph] = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for pno, page in enumerate(doc.pages, start=1):
            for ch in page.chars:
                if ch["text"] in chars and ch.get("upright", True):
                    baseline = float(page.height) - float(ch["matrix"][5])
                    out.append(Glyph(pno, ch["text"], (ch["x0"], ch["top"], ch["x1"], ch["bottom"]), baseline,
                                     float(ch["size"])))
    return out
