"""One dispatch table of readers: every reader is `reader(path, data, ctx) -> Layout`.

The format is sniffed once (sniff_kind, from the file's first bytes and its
suffix) and the kind picks the reader:

    READERS = {"docx": read_docx_file, "pdf": read_pdf_file, "image": read_image_file,
               "legacy": read_legacy_file}

"legacy" (.doc / .wps / .rtf / .odt) is converted to DOCX by LibreOffice first;
the guard does that in its own process and hands the converted file over in
ctx.converted. Each reader checks what the file may expand to (extractors.limits,
extractors.safety) before its parser sees it.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from haizhi.extractors.docx_reader import read_docx
from haizhi.extractors.layout import Layout, Page
from haizhi.extractors.limits import check_pdf, limit_cause, pdf_operator_budget
from haizhi.extractors.pdf_reader import read_pdf
from haizhi.extractors.safety import IMAGE_EXT, check_docx_zip, is_odt, sniff
from haizhi.pipeline.core.errors import ConversionError, UnreadableInput
from haizhi.pipeline.core.record import Finding

# the converter checks the extension against the content: give the copy a name that matches
_KEEP_SUFFIX = {"ole": (".doc", ".wps"), "rtf": (".rtf", ".doc"), "odt": (".odt",)}
_CONVERT_SUFFIX = {"ole": ".doc", "rtf": ".rtf", "odt": ".odt"}


@dataclass
class ReadContext:
    """What a reader needs besides the file: where to put findings, the OCR engine, a converted copy."""

    findings: list[Finding] = field(default_factory=list)
    ocr_engine: str | None = None
    converted: Path | None = None  # DOCX made by LibreOffice from a legacy file (see convert_to_docx)


Reader = Callable[[Path, bytes, ReadContext], Layout]


def sniff_kind(head: bytes, suffix: str) -> tuple[str, str]:
    """(kind, detail) from the first 2 KB: kind is a READERS key or "unknown";
    detail is the raw format ("zip", "ole", "rtf", "odt", ...), which LibreOffice needs for legacy files."""
    raw = sniff(head, suffix.lower())
    if raw == "zip" and is_odt(head):
        return "legacy", "odt"
    if raw in ("ole", "rtf"):
        return "legacy", raw
    if raw == "zip":
        return "docx", raw
    if raw in ("pdf", "image"):
        return raw, raw
    if suffix.lower() in IMAGE_EXT:
        return "image", "image"
    return "unknown", raw


def convert_to_docx(src: Path, detail: str, workdir: Path) -> Path:
    """.doc / .wps / .rtf / .odt → .docx through the warm LibreOffice converter."""
    from haizhi.pipeline.office.convert import shared_converter

    suffix = src.suffix.lower()
    tmp_src = workdir / ("source" + (suffix if suffix in _KEEP_SUFFIX.get(detail, ())
                                     else _CONVERT_SUFFIX.get(detail, ".doc")))
    tmp_src.write_bytes(src.read_bytes())
    dst = workdir / "converted.docx"
    try:
        return shared_converter().convert(tmp_src, dst)
    except ConversionError as e:
        raise UnreadableInput(f"用 LibreOffice 转换失败（{e}）；文件可能已损坏或加密") from e


def _ocr(path: Path, pages: list[int] | None, ctx: ReadContext) -> Layout | None:
    try:  # OCR needs heavy third-party parts (OpenCV, an OCR runtime) an installation may lack
        from haizhi.extractors.scan import read_scan
    except ImportError:
        where = "整个文件" if pages is None else "第 " + "、".join(map(str, pages)) + " 页"
        ctx.findings.append(Finding("extract.needs_ocr", "warning", None,
                                    f"需要 OCR：{where}没有可用的文字层，但 OCR 组件不可用，未读出内容"))
        return None
    layout, more = read_scan(path, pages, ctx.ocr_engine)
    ctx.findings.extend(more)
    return layout


def read_docx_file(path: Path, data: bytes, ctx: ReadContext) -> Layout:
    check_docx_zip(data)
    return read_docx(data)


def read_pdf_file(path: Path, data: bytes, ctx: ReadContext) -> Layout:
    check_pdf(data)
    try:
        with pdf_operator_budget():
            layout = read_pdf(path)
    except Exception as e:
        limit = limit_cause(e)  # pdfplumber wraps what pdfminer raised
        if limit is not None and limit is not e:
            raise limit from None
        raise
    todo = [p.number for p in layout.pages if p.needs_ocr]
    scanned = _ocr(path, todo, ctx) if todo else None
    if scanned is not None:
        by_no = {p.number: p for p in scanned.pages}
        layout.pages = [by_no.pop(p.number, p) if p.needs_ocr else p for p in layout.pages]
        layout.pages += list(by_no.values())
    return layout


def read_image_file(path: Path, data: bytes, ctx: ReadContext) -> Layout:
    scanned = _ocr(path, None, ctx)
    return scanned if scanned is not None else Layout(pages=[Page(number=1, needs_ocr=True, method="ocr")])


def read_legacy_file(path: Path, data: bytes, ctx: ReadContext) -> Layout:
    if ctx.converted is not None:
        return read_docx_file(ctx.converted, ctx.converted.read_bytes(), ctx)
    _, detail = sniff_kind(data[:2048], path.suffix)
    with tempfile.TemporaryDirectory(prefix="haizhi-conv-") as td:
        out = convert_to_docx(path, detail, Path(td))
        return read_docx_file(out, out.read_bytes(), ctx)


READERS: dict[str, Reader] = {
    "docx": read_docx_file,
    "pdf": read_pdf_file,
    "image": read_image_file,
    "legacy": read_legacy_file,
}


def read_layout(path: Path, data: bytes, ctx: ReadContext, kind: str | None = None) -> Layout:
    """The layout of one file; kind as sniff_kind gave it (sniffed here when None)."""
    if kind is None:
        kind, _ = sniff_kind(data[:2048], path.suffix)
    reader = READERS.get(kind)
    if reader is None:
        raise UnreadableInput("无法识别的文件格式（不是 Word/WPS 文档、PDF，也不是图片）")
    return reader(path, data, ctx)
