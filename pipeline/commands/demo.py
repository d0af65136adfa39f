"""haizhi demo: generate the 2026 package, simulate returns, take them in, check, export."""

from __future__ import annotations

import os
import time
from pathlib import Path

import click


@click.command("demo")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=Path("outputs/demo"),
              show_default=True, help="演示输出目录（每次运行前清空；不会清空非演示目录）")
@click.option("--workers", "-j", type=click.IntRange(1, 64), default=None, help="并行进程数（默认为 CPU 核数）")
@click.option("--scans", type=click.IntRange(0, 3), default=3, show_default=True,
              help="模拟的盖章扫描件份数（清晰 / 较差 / 一般各一份）")
@click.option("--no-pdf", is_flag=True, help="不生成 PDF（通知包和审核表只出 DOCX，更快）")
@click.option("--quiet", "-q", is_flag=True, help="不显示进度条")
def cmd(out: Path, workers: int | None, scans: int, no_pdf: bool, quiet: bool) -> None:
    """演示整个流程：生成 2026 年通知包 → 模拟一批回件（含缺项、成立未满三年、超名额、
    扫描件、附件、外来表格、损坏文件、可疑压缩包）→ 收件、抽取、比对、初审 → 导出审核表格
    → 补正版到达后再次收件。最后列出每样东西在哪里。
    """
    from haizhi.pipeline.intake.demo_batch import run_demo

    t0 = time.monotonic()
    res = run_demo(out, workers=workers or (os.cpu_count() or 1), scans=scans, pdf=not no_pdf,
                   progress=not quiet, echo=click.echo)
    second = res["second"]
    pkg = res["package"]
    click.echo("")
    click.echo("申请一览：")
    for line in res["overview"]:
        click.echo(f"  - {line}")
    click.echo("")
    click.echo(f"演示完成，用时 {time.monotonic() - t0:.0f} 秒。各项输出：")
    click.echo(f"  通知包（DOCX/PDF、manifest.json）：{pkg.folder}")
    click.echo(f"  通知包压缩文件：{pkg.zip}")
    click.echo(f"  模拟回件（收件箱）：{res['inbox']}")
    click.echo(f"  台账数据库：{second.db}")
    click.echo(f"  原件存档（按 SHA-256 存放）：{second.store}")
    if second.exports_dir:
        click.echo(f"  审核导出（汇总表、CSV、JSON Lines、逐个审核表）：{second.exports_dir}")
    click.echo("  再次收件：haizhi intake " + str(res["inbox"]) + f" --out {out} --year 2026")
    click.echo(f"  在浏览器中审核：haizhi users add 用户名 --role admin --db {second.db} 后运行 haizhi serve --store {second.store}，打开 http://localhost:8000/")
