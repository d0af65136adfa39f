"""extract_file: one input file → its records and file-level findings. Never raises for bad input."""

from __future__ import annotations

import hashlib
import logging
import tempfile
from pathlib import Path

from haizhi.extractors.detect import missing_reason, split_forms
from haizhi.extractors.docx_reader import read_docx
from haizhi.extractors.layout import Layout, Page
from haizhi.extractors.mapper import map_layout
from haizhi.extractors.pdf_reader import read_pdf
from haizhi.extractors.safety import IMAGE_EXT, check_docx_zip, check_size, is_odt, sniff
from haizhi.pipeline.core.errors import ConversionError, HaizhiError, UnreadableInput
from haizhi.pipeline.core.record import ExtractResult, Finding, Record

log = logging.getLogger(__name__)
CONVERT_SUFFIX = {"ole": ".doc", "rtf": ".rtf", "odt": ".odt"}


def _unreadable(res: ExtractResult, msg: str) -> ExtractResult:
    res.readable = False
    res.findings.append(Finding("extract.unreadable", "error", None, f"无法读取 {Path(res.file).name}：{msg}"))
    return res


def convert_to_docx(src: Path, kind: str, workdir: Path) -> Path:
    """.doc / .wps / .rtf / .odt → .docx through the warm LibreOffice converter."""
    from haizhi.pipeline.office.convert import shared_converter

    # the converter checks the extension against the content: give it a name that matches
    keep = {"ole": (".doc", ".wps"), "rtf": (".rtf", ".doc"), "odt": (".odt",)}.get(kind, ())
    tmp_src = workdir / ("source" + (src.suffix.lower() if src.suffix.lower() in keep
                                     else CONVERT_SUFFIX.get(kind, ".doc")))
    tmp_src.write_bytes(src.read_bytes())
    dst = workdir / "converted.docx"
    try:
        return shared_converter().convert(tmp_src, dst)
    except ConversionError as e:
        raise UnreadableInput(f"用 LibreOffice 转换失败（{e}）；文件可能已损坏或加密") from e


def _ocr(path: Path, pages: list[int] | None, engine: str | None,
         findings: list[Finding]) -> Layout | None:
    try:
        from haizhi.extractors.scan import read_scan
    except ImportError:
        where = "整个文件" if pages is None else "第 " + "、".join(map(str, pages)) + " 页"
        findings.append(Finding("extract.needs_ocr", "warning", None,
                                f"需要 OCR：{where}没有可用的文字层，但 OCR 组件不可用，未读出内容"))
        return None
    layout, more = read_scan(path, pages, engine)
    findings.extend(more)
    return layout


def read_layout(path: Path, data: bytes, findings: list[Finding], ocr_engine: str | None = None,
                converted: Path | None = None) -> Layout:
    kind = sniff(data[:2048], path.suffix.lower())
    if converted is not None:
        kind = "zip"
        data = converted.read_bytes()
    elif kind == "zip" and is_odt(data):
        kind = "odt"
    if kind == "zip":
        check_docx_zip(data)
        return read_docx(data)
    if kind == "pdf":
        layout = read_pdf(path)
        todo = [p.number for p in layout.pages if p.needs_ocr]
        if todo:
            scanned = _ocr(path, todo, ocr_engine, findings)
            if scanned is not None:
                by_no = {p.number: p for p in scanned.pages}
                layout.pages = [by_no.pop(p.number, p) if p.needs_ocr else p for p in layout.pages]
                layout.pages += list(by_no.values())
        return layout
    if kind in ("ole", "rtf", "odt"):
        with tempfile.TemporaryDirectory(prefix="haizhi-conv-") as td:
            out = convert_to_docx(path, kind, Path(td))
            return read_layout(path, data, findings, ocr_engine, converted=out)
    if kind == "image" or path.suffix.lower() in IMAGE_EXT:
        scanned = _ocr(path, None, ocr_engine, findings)
        return scanned if scanned is not None else Layout(pages=[Page(number=1, needs_ocr=True, method="ocr")])
    raise UnreadableInput("无法识别的文件格式（不是 Word/WPS 文档、PDF，也不是图片）")


def records_from_layout(layout: Layout, file: str, sha256: str | None) -> tuple[list[Record], list[Finding]]:
    """Detect the form(s) in a layout and map each to a record."""
    findings: list[Finding] = []
    if not any(p.tables or p.lines for p in layout.pages):
        findings.append(Finding("extract.no_text", "error", None,
                                f"{Path(file).name} 中没有读出任何文字，未能识别为海智计划的表格"))
        return [], findings
    parts = split_forms(layout)
    if not parts:
        findings.append(Finding("extract.not_our_form", "error", None,
                                f"{Path(file).name}：{missing_reason(layout)}"))
        return [], findings
    records = []
    for form_id, sub in parts:
        rec = map_layout(sub, form_id)
        method = sub.method
        rec.source = {"file": file, "sha256": sha256, "pages": len(sub.pages), "method": method}
        if method == "ocr":
            try:
                from haizhi.extractors.scan import confidence_findings, marks_for

                rec.marks = marks_for(sub, form_id)
                rec.findings.extend(confidence_findings(rec))
            except ImportError:
                pass
        records.append(rec)
    return records, findings


def extract_file(path: Path, *, ocr_engine: str | None = None, timeout: float | None = None) -> ExtractResult:
    """Read one returned file. With a timeout, runs guarded in a child process (time and memory bounded)."""
    if timeout is not None:
        from haizhi.extractors.guard import extract_file_guarded

        return extract_file_guarded(path, ocr_engine=ocr_engine, timeout=timeout)
    return extract_unguarded(Path(path), ocr_engine=ocr_engine)


def extract_unguarded(path: Path, *, ocr_engine: str | None = None, converted: Path | None = None) -> ExtractResult:
    res = ExtractResult(file=str(path))
    try:
        check_size(path)
        data = path.read_bytes()
        res.sha256 = hashlib.sha256(data).hexdigest()
        layout = read_layout(path, data, res.findings, ocr_engine, converted)
    except FileNotFoundError:
        return _unreadable(res, "文件不存在")
    except IsADirectoryError:
        return _unreadable(res, "这是一个文件夹，不是文件")
    except PermissionError:
        return _unreadable(res, "没有读取权限")
    except (UnreadableInput, HaizhiError) as e:
        return _unreadable(res, str(e))
    except MemoryError:
        return _unreadable(res, "读取时内存不足（文件过大或结构异常）")
    except RecursionError:
        return _unreadable(res, "文件结构嵌套过深，疑似损坏或恶意构造")
    except Exception as e:  # noqa: BLE001 - hostile input: any parser error means damaged
        log.debug("reader failed on %s", path, exc_info=True)
        if "memory" in str(e).lower():  # lxml reports a failed allocation as a syntax error
            return _unreadable(res, "读取时内存不足（文件过大或结构异常）")
        return _unreadable(res, f"文件已损坏或格式异常（{type(e).__name__}）")
    layout.file, layout.sha256 = str(path), res.sha256
    try:
        from haizhi.pipeline.codes.readback import read_records  # codes printed on issued forms

        res.records, more = read_records(layout, str(path), res.sha256)
    except RecursionError:
        return _unreadable(res, "文件结构嵌套过深，疑似损坏或恶意构造")
    res.findings.extend(more)
    return res
