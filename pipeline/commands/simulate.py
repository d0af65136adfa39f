"""haizhi simulate-scan RECORD.json --level clean|moderate|heavy [--out DIR] [--format pdf|jpeg] [--seed N]"""

from __future__ import annotations

from pathlib import Path

import click

from pipeline.errors import HaizhiError
from pipeline.record import load_record


@click.command("simulate-scan")
@click.argument("record_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--level", "level_name", type=click.Choice(["clean", "moderate", "heavy"]), default="moderate",
              show_default=True, help="扫描质量：clean 干净 / moderate 一般 / heavy 很差")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("outputs/scans"),
              show_default=True, help="输出目录")
@click.option("--format", "fmt", type=click.Choice(["pdf", "jpeg"]), default="pdf", show_default=True,
              help="pdf：一个图片型 PDF；jpeg：每页一张 JPEG")
@click.option("--seed", type=int, default=0, show_default=True, help="随机种子（同一种子结果相同）")
@click.option("--year", type=int, default=None, help="年度配置（默认最新一年）")
@click.option("--shuffle", is_flag=True, help="打乱页序（测试乱序扫描）")
@click.option("--all-marks", is_flag=True, help="所有盖章签字处都盖章签字（默认随机缺少一些）")
def cmd(record_file: Path, level_name: str, out_dir: Path, fmt: str, seed: int, year: int | None,
        shuffle: bool, all_marks: bool) -> None:
    """把一条记录模拟成盖章签字后的扫描件，并写出真值记录和真值印章签字 JSON。"""
    from pipeline.config import available_years, load_year
    from pipeline.simulate import simulate_scan

    rec = load_record(record_file)
    years = available_years()
    if not years:
        raise HaizhiError("没有可用的年度配置")
    cfg = load_year(year or max(years))
    res = simulate_scan(rec, level_name, out_dir, cfg, fmt=fmt, seed=seed, shuffle=shuffle,
                        p_mark=1.0 if all_marks else 0.85, stem=f"{record_file.stem}-{level_name}-{seed}")
    for p in res.pages:
        click.echo(f"扫描件：{p}")
    click.echo(f"真值记录：{res.truth_record}")
    click.echo(f"真值印章签字：{res.truth_marks}")
    shown = "，".join(f"{k}={'有' if v else '无'}" for k, v in res.marks.items())
    click.echo(f"分辨率 {res.dpi} dpi；{shown}")
