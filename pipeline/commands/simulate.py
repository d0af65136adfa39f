"""haizhi simulate-scan RECORD.json --level clean|moderate|heavy [--out DIR] [--format pdf|jpeg] [--seed N]
[--shuffle] [--extra-pages N] [--hand-ticks SHARE]"""

from __future__ import annotations

from pathlib import Path

import click

from haizhi.pipeline.core.errors import HaizhiError
from haizhi.pipeline.core.record import load_record


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
@click.option("--extra-pages", type=click.IntRange(0, 20), default=0, show_default=True,
              help="随机插入的非本表页面数（说明函、照片、空白页）")
@click.option("--hand-ticks", type=click.FloatRange(0, 1), default=None,
              help="已选选项中改为手写打勾的比例（0–1，默认按扫描质量等级）")
def cmd(record_file: Path, level_name: str, out_dir: Path, fmt: str, seed: int, year: int | None,
        shuffle: bool, all_marks: bool, extra_pages: int, hand_ticks: float | None) -> None:
    """把一条记录模拟成盖章签字后的扫描件，并写出真值记录和真值印章签字 JSON。"""
    from haizhi.pipeline.core.config import available_years, load_year
    from haizhi.pipeline.simulate import simulate_scan

    rec = load_record(record_file)
    years = available_years()
    if not years:
        raise HaizhiError("没有可用的年度配置")
    cfg = load_year(year or max(years))
    res = simulate_scan(rec, level_name, out_dir, cfg, fmt=fmt, seed=seed, shuffle=shuffle,
                        p_mark=1.0 if all_marks else 0.85, stem=f"{record_file.stem}-{level_name}-{seed}",
                        hand_ticks=hand_ticks, extra_pages=extra_pages)
    for p in res.pages:
        click.echo(f"扫描件：{p}")
    click.echo(f"真值记录：{res.truth_record}")
    click.echo(f"真值印章签字：{res.truth_marks}")
    shown = "，".join(f"{k}={'有' if v else '无'}" for k, v in res.marks.items())
    click.echo(f"分辨率 {res.dpi} dpi；{shown}")
    click.echo(f"手写打勾 {len(res.hand_ticks)} 处")
    if extra_pages:
        names = {"letter": "说明函", "photo": "照片", "blank": "空白页"}
        foreign = [n for n, k in enumerate(res.page_order, start=1) if k == 0]
        shown = "，".join(f"第 {n} 页（{names.get(k, k)}）" for n, k in zip(foreign, res.extra_kinds, strict=True))
        click.echo(f"非本表页面 {len(foreign)} 页：{shown}")
