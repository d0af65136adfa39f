"""haizhi validate: 初审 of records (JSON) or returned forms, per record and per batch."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from haizhi.pipeline.core.config import resolve_config
from haizhi.pipeline.core.fields import FORMS
from haizhi.pipeline.core.record import SEVERITY_CN, Finding
from haizhi.pipeline.validate import STATUSES, findings_for, record_label, record_status, validate_batch
from haizhi.pipeline.validate.cli_io import load_inputs, table

HEADERS = ["规则", "严重程度", "字段", "说明", "依据"]
MAX_WIDTHS = [28, 8, 24, 60, 32]


def _field_label(form: str | None, key: str | None) -> str:
    if not key:
        return "—"
    if form in FORMS and key in FORMS[form].by_key:
        return FORMS[form].field(key).display
    for spec in FORMS.values():
        if key in spec.by_key:
            return spec.field(key).display
    return key


def findings_table(findings: list[Finding], form: str | None = None) -> str:
    if not findings:
        return "（无问题）"
    order = {"error": 0, "warning": 1, "info": 2}
    rows = [[f.rule, SEVERITY_CN[f.severity], _field_label(form, f.field), f.message, f.basis or "—"]
            for f in sorted(findings, key=lambda f: order[f.severity])]
    return table(HEADERS, rows, MAX_WIDTHS)


def _counts(findings: list[Finding]) -> str:
    n = {s: sum(1 for f in findings if f.severity == s) for s in ("error", "warning", "info")}
    return f"错误 {n['error']}，警告 {n['warning']}，提示 {n['info']}"


@click.command("validate")
@click.argument("inputs", nargs=-1, required=True, type=click.Path())
@click.option("--year", type=int, help="年度（默认：最新的年度配置）")
@click.option("--config", "config_file", type=click.Path(), help="年度配置 YAML 文件（优先于 --year）")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出（发现项为约定格式）")
def cmd(inputs: tuple[str, ...], year: int | None, config_file: str | None, as_json: bool) -> None:
    """初审：按年度通知的条款检查记录，给出 通过 / 需补正 / 不符合条件。

    \b
    INPUTS 可以是记录 JSON（单条或列表），也可以是 haizhi extract 能读的表格文件。
    有问题不算失败：退出码为 0；无法读取的输入退出码为 2。
    """
    cfg = resolve_config(year, config_file)
    loaded = load_inputs(list(inputs))
    per_record = [findings_for(r, cfg) for r in loaded.records]
    batch = validate_batch(loaded.records, cfg) if loaded.records else []
    statuses = [record_status(fs) for fs in per_record]
    summary = {s: statuses.count(s) for s in STATUSES}

    if as_json:
        out = {
            "year": cfg.year,
            "records": [
                {"input": origin, "form": r.form, "label": record_label(r, i), "source": r.source,
                 "status": st, "findings": [f.to_dict() for f in fs]}
                for i, (r, origin, fs, st) in enumerate(zip(loaded.records, loaded.origins, per_record, statuses,
                                                            strict=True))
            ],
            "files": [{"input": p, "records": [], "findings": [f.to_dict() for f in fs]}
                      for p, fs in loaded.file_findings],
            "batch": [f.to_dict() for f in batch],
            "summary": summary,
            "unreadable": loaded.unreadable,
        }
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        click.echo(f"初审（{cfg.year} 年度配置）：{len(loaded.records)} 条记录")
        for i, (r, origin, fs, st) in enumerate(zip(loaded.records, loaded.origins, per_record, statuses,
                                                    strict=True)):
            click.echo("")
            click.echo(f"== {record_label(r, i)}  〔{FORMS[r.form].title}〕  {Path(origin).name}")
            click.echo(f"状态：{st}（{_counts(fs)}）")
            click.echo(findings_table(fs, r.form))
        for p, fs in loaded.file_findings:
            click.echo("")
            click.echo(f"== {p}：未识别出表格")
            click.echo(findings_table(fs))
        click.echo("")
        click.echo(f"== 批次检查（{len(loaded.records)} 条记录）")
        click.echo(findings_table(batch))
        click.echo("")
        click.echo("汇总：" + " / ".join(f"{s} {n}" for s, n in summary.items()))
    if loaded.unreadable:
        sys.exit(2)
