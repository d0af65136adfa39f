"""haizhi export: the reviewers' workbook, CSV, JSON Lines and approval sheets."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from haizhi.pipeline.core.config import resolve_config
from haizhi.pipeline.core.errors import HaizhiError
from haizhi.pipeline.export import write_exports
from haizhi.pipeline.validate.cli_io import load_inputs

KIND_CN = {"xlsx": "审核工作簿", "csv": "CSV", "jsonl": "JSON Lines", "docx": "审核表", "pdf": "审核表 PDF"}


@click.command("export")
@click.argument("inputs", nargs=-1, required=True, type=click.Path())
@click.option("--year", type=int, help="年度（默认：最新的年度配置）")
@click.option("--config", "config_file", type=click.Path(), help="年度配置 YAML 文件（优先于 --year）")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default="outputs/export", show_default=True,
              help="输出目录")
@click.option("--no-pdf", is_flag=True, help="审核表只生成 DOCX，不转换 PDF")
@click.option("--no-sheets", is_flag=True, help="不生成逐个候选的初审审核表")
def cmd(inputs: tuple[str, ...], year: int | None, config_file: str | None, out_dir: str, no_pdf: bool,
        no_sheets: bool) -> None:
    """导出审核材料：XLSX 工作簿（问题单元格着色并带批注）、每种表单的 CSV（UTF-8 带 BOM）、
    JSON Lines，以及每个候选的初审审核表（DOCX + PDF）。

    \b
    INPUTS 为记录 JSON（单条或列表），也可以是 haizhi extract 能读的表格文件。
    """
    cfg = resolve_config(year, config_file)
    loaded = load_inputs(list(inputs))
    if not loaded.records:
        raise HaizhiError("没有可导出的记录")
    paths = write_exports(loaded.records, cfg, Path(out_dir), sheets=not no_sheets, pdf=not no_pdf)
    click.echo(f"已导出 {len(loaded.records)} 条记录（{cfg.year} 年度配置）到 {out_dir}：")
    for key, p in paths.items():
        kind = key.split(":", 1)[0]
        click.echo(f"  {KIND_CN.get(kind, kind)}：{p}")
    if loaded.unreadable:
        sys.exit(2)
