"""haizhi templates check [FILE...]: find broken tags and unknown names in edited templates."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from haizhi.pipeline.core.config import resolve_config
from haizhi.pipeline.generate.templates_check import check_all, default_templates


@click.group("templates", short_help="检查办公室编辑过的模板：标签是否损坏、变量是否存在")
def cmd() -> None:
    """DOCX 模板维护。"""


@cmd.command("check")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--year", type=int, default=None, help="用哪一年的年度配置核对 cfg.… 变量（默认最新一年）")
@click.option("--config", "config", type=click.Path(path_type=Path), default=None, help="年度配置文件")
def check(files: tuple[Path, ...], year: int | None, config: Path | None) -> None:
    """检查模板（默认 templates/ 下全部 .docx）：标签是否完整、变量和过滤器是否存在。

    \b
    例：haizhi templates check
        haizhi templates check templates/coop_institution.docx
    有问题时退出码为 1。
    """
    cfg = resolve_config(year, config)
    targets = list(files) or default_templates()
    problems = check_all(targets, cfg)
    if not problems:
        click.echo(f"全部模板检查通过（{len(targets)} 个）")
        return
    for p in problems:
        click.echo(str(p))
    bad = len({p.file for p in problems})
    click.echo(f"\n共 {len(problems)} 处问题，涉及 {bad} 个模板。修改后可再次运行 haizhi templates check。")
    sys.exit(1)  # cli.main runs with standalone_mode=False, which would swallow click's Exit
