"""haizhi worker --db URL: take intake jobs from the PostgreSQL ledger's queue, on any machine."""

from __future__ import annotations

import click


@click.command("worker")
@click.option("--db", "db", required=True, metavar="URL",
              help="台账数据库（PostgreSQL）：postgresql+psycopg://用户:密码@主机/库")
@click.option("--concurrency", "-c", type=click.IntRange(1, 64), default=1, show_default=True,
              help="本进程同时处理的任务数（每个任务一个常驻的读取进程；一般等于本机 CPU 核数）")
@click.option("--store", "store", type=click.Path(file_okay=False), default=None,
              help="本机看到的共享原件存档路径（默认用收件时记录的路径）")
@click.option("--out", "out", type=click.Path(file_okay=False), default=None,
              help="本机看到的共享输出目录（审核导出写到其中的 exports/；默认用收件时的 --out 路径）")
@click.option("--stall-after", type=click.FloatRange(3, 3600), default=30.0, show_default=True,
              help="某个工作进程停止心跳这么多秒后，其任务交给其他工作进程重做")
def cmd(db: str, concurrency: int, store: str | None, out: str | None, stall_after: float) -> None:
    """队列工作进程：从台账所在的 PostgreSQL 任务队列取件——读取回件、比对、初审、导出。
    可在任意多台能连上数据库和共享原件存档的机器上运行；按 Ctrl+C 或 SIGTERM 在当前任务完成后退出。

    \b
    例：haizhi worker --db postgresql+psycopg://haizhi@10.0.0.5/haizhi --concurrency 4
        haizhi worker --db … --store /mnt/haizhi/store --out /mnt/haizhi
    """
    from haizhi.pipeline.intake.dispatch import run_worker
    from haizhi.pipeline.intake.queue import conninfo

    conninfo(db)  # a Chinese error for a non-PostgreSQL URL
    click.echo(f"工作进程已启动（并发 {concurrency}），等待任务……", err=True)
    run_worker(db, concurrency=concurrency, store=store, out=out, stall_after=stall_after)
