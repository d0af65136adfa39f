"""haizhi intake INBOX: take a whole inbox of returns into the ledger, check them, export."""

from __future__ import annotations

import json
import os
from pathlib import Path

import click


@click.command("intake")
@click.argument("inbox", required=False, type=click.Path(exists=True, file_okay=True, dir_okay=True, path_type=Path))
@click.option("--db", "db", default=None, metavar="URL",
              help="数据库地址；默认 OUT/haizhi.db（SQLite），也可用 postgresql+psycopg://用户@主机/库")
@click.option("--workers", "-j", type=click.IntRange(0, 64), default=None,
              help="并行处理的进程数（默认为 CPU 核数）；PostgreSQL 台账时为本机启动的队列工作进程数，"
                   "0 = 只排队，由其他机器上的 haizhi worker 处理")
@click.option("--store", "store", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="原件存档目录（默认 OUT/store）；多台机器处理时用所有机器都能访问的共享目录")
@click.option("--local", is_flag=True, help="PostgreSQL 台账也用本机进程池处理，不经任务队列")
@click.option("--no-wait", is_flag=True, help="PostgreSQL 台账：排队后立即返回，不等处理完成")
@click.option("--status", "show_status", is_flag=True, help="显示任务队列：排队、处理中、完成、失败（需 --db 或 --out）")
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
def cmd(inbox: Path | None, db: str | None, workers: int | None, store: Path | None, local: bool, no_wait: bool,
        show_status: bool, year: int | None, config: str | None, out: Path, timeout: float, mem_mb: int,
        ocr_engine: str | None, retry_failed: bool, no_export: bool, no_pdf: bool, as_json: bool, quiet: bool) -> None:
    """整批收件：遍历收件箱（每个申请单位一个文件夹，或平铺；可含 zip），先把每个原件按哈希存档，
    再分类、归组为申请、抽取、比对可编辑版本与扫描件、初审（单份和整批），写入台账数据库，
    最后导出审核表格。重复运行不会重复登记；中途被终止后再次运行会接着完成。

    \b
    PostgreSQL 台账时，每个文件和每个步骤（读取、比对与初审、导出）作为任务进入数据库中的任务队列，
    由本机和其他机器上的 haizhi worker 处理；工作进程中途退出时，其任务由其他工作进程重做。

    \b
    例：haizhi intake 收件箱/ --workers 2
        haizhi intake 收件箱/ --db postgresql+psycopg://haizhi@127.0.0.1/haizhi
        haizhi intake --status --db postgresql+psycopg://haizhi@127.0.0.1/haizhi
    """
    from haizhi.pipeline.intake.db import default_url
    from haizhi.pipeline.intake.dispatch import queue_status, status_text
    from haizhi.pipeline.intake.queue import is_postgres
    from haizhi.pipeline.intake.run import Options, run_intake

    if show_status:
        st = queue_status(db or default_url(out))
        click.echo(json.dumps(st, ensure_ascii=False, indent=2, default=str) if as_json else status_text(st))
        return
    if inbox is None:
        raise click.UsageError("请给出收件箱目录（或用 --status 查看任务队列）")
    os.environ.setdefault("HAIZHI_DB", db or default_url(out))  # codes on scans are looked up in this ledger
    queued = is_postgres(db) and not local
    n = (os.cpu_count() or 1) if workers is None else workers
    if n == 0 and not queued:
        raise click.UsageError("--workers 0 只用于 PostgreSQL 任务队列（由其他机器上的工作进程处理）")
    opts = Options(inbox=inbox, out=out, db=db, workers=n, year=year, config=config, timeout=timeout,
                   mem_mb=mem_mb, ocr_engine=ocr_engine, retry_failed=retry_failed, exports=not no_export,
                   pdf=not no_pdf, progress=not quiet and not as_json, store=store, queue=queued, wait=not no_wait)
    summary = run_intake(opts)
    if queued and no_wait:
        click.echo(f"已排队：第 {summary.run_id} 次收件，{summary.processed} 个文件待读取；"
                   f"用 haizhi intake --status --db … 查看进度")
        return
    if as_json:
        click.echo(json.dumps(summary.to_dict(), ensure_ascii=False, indent=2, default=str))
    else:
        click.echo(summary.text())
