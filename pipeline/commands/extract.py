"""haizhi extract: read returned forms (DOCX/DOC/WPS/PDF/scans) into records."""

from __future__ import annotations

import json
import os
import sys
import unicodedata
from pathlib import Path
from typing import Any

import click

from haizhi.pipeline.core.fields import form_spec
from haizhi.pipeline.core.record import SEVERITY_CN, ExtractResult, Finding, Record

METHOD_CN = {"docx": "可编辑文档", "pdf_text": "PDF 文字层", "ocr": "OCR 识别"}


def _show(v: Any) -> str:
    if v is None:
        return "（空）"
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, list):
        return "、".join(map(str, v)) or "（空）"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _finding_line(f: Finding) -> str:
    return f"  [{SEVERITY_CN.get(f.severity, f.severity)}] {f.message}"


def render_table(rec: Record) -> str:
    spec = form_spec(rec.form)
    src = rec.source
    head = (f"{spec.title}  （文件：{src.get('file')}，{src.get('pages')} 页，"
            f"{METHOD_CN.get(src.get('method', ''), src.get('method'))}）")
    labels = [f.display for f in spec.fields]
    w = max(map(_width, labels))
    out = [head, "-" * min(100, _width(head))]
    for f in spec.fields:
        val = _show(rec.fields[f.key]) if f.key in rec.fields else "（未找到）"
        lines = val.split("\n")
        pad = " " * (w - _width(f.display))
        out.append(f"{f.display}{pad}  {lines[0]}")
        out.extend(" " * (w + 2) + ln for ln in lines[1:])
    shown = {k: v for k, v in (rec.marks or {}).items() if v is not None}
    if shown:
        names = {m.key: m.label for m in spec.marks}
        out.append("签章：" + "；".join(f"{names.get(k, k)}：{'有' if v else '无'}" for k, v in shown.items()))
    if rec.findings:
        out.append("发现：")
        out.extend(_finding_line(f) for f in rec.findings)
    return "\n".join(out)


def _read_all(files: tuple[Path, ...], ocr_engine: str | None, timeout: float, workers: int) -> list[ExtractResult]:
    """Every file in a guarded child, `workers` at a time; results in input order. Each thread keeps one
    long-lived reading child (extractors.warm) so the OCR models load once per thread, not per file."""
    from concurrent.futures import ThreadPoolExecutor, as_completed
    from queue import SimpleQueue

    from haizhi.extractors import extract_file
    from haizhi.extractors.safety import IMAGE_EXT
    from haizhi.extractors.warm import WarmReader

    if len(files) == 1:
        return [extract_file(files[0], ocr_engine=ocr_engine, timeout=timeout)]
    scans = any(p.suffix.lower() in IMAGE_EXT | {".pdf"} for p in files)  # load the OCR models only if needed
    readers = [WarmReader(timeout=timeout, preload=scans) for _ in range(min(workers, len(files)))]
    free: SimpleQueue[WarmReader] = SimpleQueue()
    for r in readers:
        free.put(r)

    def read(p: Path) -> ExtractResult:
        r = free.get()
        try:
            return extract_file(p, ocr_engine=ocr_engine, timeout=timeout, reader=r)
        finally:
            free.put(r)

    out: list[ExtractResult | None] = [None] * len(files)
    try:
        with ThreadPoolExecutor(max_workers=len(readers)) as pool:
            futs = {pool.submit(read, p): i for i, p in enumerate(files)}
            for k, fut in enumerate(as_completed(futs), 1):
                i = futs[fut]
                out[i] = fut.result()
                click.echo(f"已读取 {k}/{len(files)}：{files[i]}", err=True)
    finally:
        for r in readers:
            r.close()
    return [r for r in out if r is not None]


@click.command("extract")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="按记录契约输出 JSON（一个文件含两张表时输出列表）")
@click.option("--ocr", "ocr_engine", type=click.Choice(["tesseract", "rapidocr"]), default=None,
              help="扫描件使用的 OCR 引擎（默认 rapidocr，基准测试中最准也最快；也可用环境变量 HAIZHI_OCR）")
@click.option("--timeout", type=float, default=180.0, show_default=True, help="每个文件的读取时限（秒）")
@click.option("--workers", "-j", type=click.IntRange(1, 64), default=None,
              help="同时读取的文件数（默认为 CPU 核数；每个文件在独立子进程中读取）")
def cmd(files: tuple[Path, ...], as_json: bool, ocr_engine: str | None, timeout: float,
        workers: int | None) -> None:
    """从回收的表格读出记录：DOCX、DOC/WPS、PDF（文字层或扫描件）、图片。

    \b
    按标签而不是单元格位置找字段；无法识别的值留空并给出发现项。
    不是海智计划表格的文件不产生记录；无法读取的文件以非零状态退出，原因写到标准错误。
    """
    results = _read_all(files, ocr_engine, timeout, workers or os.cpu_count() or 1)
    unreadable = False
    all_records: list[Record] = []
    for res in results:
        if not res.readable:
            unreadable = True
            for f in res.findings:
                click.echo(f"错误：{f.message}", err=True)
            continue
        all_records.extend(res.records)
        if as_json:
            for f in res.findings:
                click.echo(f"{SEVERITY_CN.get(f.severity, f.severity)}：{f.message}", err=True)
        else:
            if res.findings:
                click.echo(f"{res.file}：")
                click.echo("\n".join(_finding_line(f) for f in res.findings))
            for rec in res.records:
                click.echo(render_table(rec))
                click.echo("")
    if as_json:
        if len(results) == 1 and len(all_records) == 1:
            payload: Any = all_records[0].to_dict()
        else:
            payload = [r.to_dict() for r in all_records]
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    if unreadable:
        sys.exit(2)
