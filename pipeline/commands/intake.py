"""haizhi intake INBOX: take a whole inbox of returns into the ledger, check them, export."""

from __future__ import annotations

import json
import os
from pathlib import Path

import click


@click.command("intake")
@click.argument("inbox", type=click.Path(exists=True, file_okay=True, dir_okay=True, path_type=Path))
@click.option("--db", "db", default=None, metavar="URL",
              help="数据库地址；默认 OUT/haizhi.db（SQLite），也可用 postgresql+psycopg://用户@主机/库")
@click.option("--workers", "-j", type=click.IntRange(1, 64), default=None,
              help="并行处理的进程数（默认为 CPU 核数）")
@click.option("--year", type=int, default=None, help="年度（默认最新的年度配置）")
@click.option("--config", "config", type=click.Path(exists=True, dir_okay=False), default=None,
              help="年度配置文件（优先于 --year）")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=Path("outputs"),
              show_default=True, help="输出目录：数据库、原件存档 store/、审核导出 exports/")
@click.option("--timeout", type=click.FloatRange(1, 3600), default=180.0, show_default=True,
              help="每个文件的处理时限（秒），超时的文件被跳过并记录原因")
@click.option("--mem-mb", type=click.IntRange(256, 65536), default=4096, show_default=True,
              help="每个处理进程的内存上限（MB，RLIMIT_AS）")
@click.option("--ocr-engine", type=click.Choice(["rapidocr", "tesseract"]), default=None,
              help="扫描件使用的 OCR 引擎（默认由抽取模块决定）")
@click.option("--retry-failed", is_flag=True, help="重新处理上次超时或处理进程崩溃的文件")
@click.option("--no-export", is_flag=True, help="只登记和初审，不写审核导出")
@click.option("--no-pdf", is_flag=True, help="导出时不生成 PDF 审核表（更快）")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 打印汇总")
@click.option("--quiet", "-q", is_flag=True, help="不显示进度条")
def cmd(inbox: Path, db: str | None, workers: int | None, year: int | None, config: str | None, out: Path,
        timeout: float, mem_mb: int, ocr_engine: str | None, retry_failed: bool, no_export: bool, no_pdf: bool, as_json: bool,
        quiet: bool) -> None:
    """整批收件：遍历收件箱（每个申请单位一个文件夹，或平铺；可含 zip），先把每个原件按哈希存档，
    再分类、归组为申请、抽取、比对可编辑版本与扫描件、初审（单份和整批），写入台账数据库，
    最后导出审核表格。重复运行不会重复登记；中途被终止后再次运行会接着完成。

    \b
    例：haizhi intake 收件箱/ --workers 2
        haizhi intake 收件箱/ --db postgresql+psycopg://haizhi@127.0.0.1/haizhi
    """
    from haizhi.pipeline.intake.db import default_url
    from haizhi.pipeline.intake.run import Options, run_intake

    os.environ.setdefault("HAIZHI_DB", db or default_url(out))  # codes on scans are looked up in this ledger

    opts = Options(inbox=inbox, out=out, db=db, workers=workers or (os.cpu_count() or 1), year=year,
                   config=config, timeout=timeout, mem_mb=mem_mb, ocr_engine=ocr_engine,
                   retry_failed=retry_failed, exports=not no_export, pdf=not no_pdf, progress=not quiet and not as_json)
    summary = run_intake(opts)
    if as_json:
        click.echo(json.dumps(summary.to_dict(), ensure_ascii=False, indent=2, default=str))
    else:
        click.echo(summary.text())
