"""One input file → its records and file-level findings, in this process. Never raises for bad input.

Untrusted files are read through extractors.guard.extract_file, which runs
extract_unguarded in a child process with time and memory limits.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from haizhi.extractors.detect import missing_reason, split_forms
from haizhi.extractors.layout import Layout
from haizhi.extractors.mapper import map_layout
from haizhi.extractors.readers import ReadContext, read_layout
from haizhi.extractors.safety import check_size
from haizhi.pipeline.core.errors import HaizhiError, UnreadableInput
from haizhi.pipeline.core.record import ExtractResult, Finding, Record

log = logging.getLogger(__name__)


def open_error(e: OSError) -> str:
    """Why a file could not be opened, for a user (the guard's pre-checks and the readers share it)."""
    if isinstance(e, FileNotFoundError):
        return "文件不存在"
    if isinstance(e, IsADirectoryError):
        return "这是一个文件夹，不是文件"
    if isinstance(e, PermissionError):
        return "没有读取权限"
    return f"文件无法打开（{e.strerror or type(e).__name__}）"


def _unreadable(res: ExtractResult, msg: str) -> ExtractResult:
    res.readable = False
    res.findings.append(Finding("extract.unreadable", "error", None, f"无法读取 {Path(res.file).name}：{msg}"))
    return res


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


def extract_unguarded(path: Path, *, ocr_engine: str | None = None, kind: str | None = None,
                      converted: Path | None = None) -> ExtractResult:
    """Read one file in THIS process, without time or memory limits: only for the guard's child
    (extractors.guard) and for files this program made itself. Never raises for bad input."""
    path = Path(path)
    res = ExtractResult(file=str(path))
    try:
        check_size(path)
        data = path.read_bytes()
        res.sha256 = hashlib.sha256(data).hexdigest()
        ctx = ReadContext(findings=res.findings, ocr_engine=ocr_engine, converted=converted)
        layout = read_layout(path, data, ctx, kind)
    except (FileNotFoundError, IsADirectoryError, PermissionError) as e:  # other OSErrors: damaged content (PIL)
        return _unreadable(res, open_error(e))
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
