"""haizhi generate: the year's notice package, pre-filled forms and approval sheets."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from haizhi.pipeline.core.config import YearConfig, resolve_config
from haizhi.pipeline.core.errors import HaizhiError
from haizhi.pipeline.core.fields import FORMS
from haizhi.pipeline.core.record import Finding, Record, load_record

_SHORT = {"coop_institution": "合作机构信息表", "base_application": "基地申报表"}


def _cfg(ctx: click.Context, year: int | None, config: str | None) -> YearConfig:
    """Subcommand options win over the group's (haizhi generate --year 2026 form …)."""
    parent = ctx.find_object(dict) or {}
    return resolve_config(year or parent.get("year"), config or parent.get("config"))


def _write(data: bytes, docx_path: Path, pdf: bool) -> list[Path]:
    docx_path.parent.mkdir(parents=True, exist_ok=True)
    docx_path.write_bytes(data)
    out = [docx_path]
    if pdf:
        from haizhi.pipeline.office.official import official_pdf

        out.append(official_pdf(docx_path, docx_path.with_suffix(".pdf")))
    return out


def _default_out(record_path: str, what: str) -> Path:
    from haizhi.pipeline.generate.package import DEFAULT_OUT

    return DEFAULT_OUT / f"{Path(record_path).stem}-{what}.docx"


def _docx_out(out: str | None, record_path: str, what: str) -> Path:
    if not out:
        return _default_out(record_path, what)
    p = Path(out)
    if p.suffix.lower() != ".docx":
        raise HaizhiError(f"--out 应为 .docx 文件名（PDF 会写在同名 .pdf）：{out}")
    return p


def load_findings(path: str) -> list[Finding]:
    """Findings from JSON: a list of findings, {"findings": [...]}, or record(s) carrying findings."""
    try:
        data: Any = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise HaizhiError(f"找不到发现项文件：{path}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise HaizhiError(f"发现项文件 {path} 不是有效的 JSON：{e}") from None
    items = data.get("findings", []) if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise HaizhiError(f"发现项文件 {path} 的格式不对：应为发现项列表，或含 findings 列表的对象")
    out: list[Finding] = []
    for it in items:
        if isinstance(it, dict) and "rule" in it:
            out.append(Finding.from_dict(it))
        elif isinstance(it, dict) and isinstance(it.get("findings"), list):  # a record
            out.extend(Finding.from_dict(f) for f in it["findings"])
        else:
            raise HaizhiError(f"发现项文件 {path} 含有无法识别的条目：{str(it)[:60]}")
    return out


def _echo_paths(paths: list[Path]) -> None:
    for p in paths:
        click.echo(str(p))


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--year", type=int, help="年度（使用 fixtures/years/<年度>.yaml），默认最新年度。")
@click.option("--config", type=click.Path(exists=True, dir_okay=False), help="指定年度配置 YAML 文件（优先于 --year）。")
@click.option("--programme", type=click.Choice(["coop", "base", "all"]), default="all", show_default=True,
              help="coop=合作机构征选，base=基地申报认定，all=两者。")
@click.option("--province", help="同时生成该省的转发通知（如 广东；省份须在年度配置 forwarding 中）。")
@click.option("--out", type=click.Path(file_okay=False), help="输出目录，默认 outputs/。通知包写在 <目录>/<年度>-通知包/。")
@click.option("--no-pdf", is_flag=True, help="只生成 DOCX，不转换 PDF（不需要 LibreOffice，更快）。")
@click.option("--quiet", "-q", is_flag=True, help="不显示进度条。")
@click.pass_context
def cmd(ctx: click.Context, year: int | None, config: str | None, programme: str, province: str | None,
        out: str | None, no_pdf: bool, quiet: bool) -> None:
    """生成年度通知包：通知、空白表格、参考提纲（DOCX + PDF），附 manifest.json 和 zip。

    通知中的每个日期、文号、名额、门槛、字数限制和联系人都取自年度配置
    （fixtures/years/<年度>.yaml）；改配置即可出新一年的通知，不必改模板。

    \b
    示例：
      haizhi generate --year 2026                      两类通知的完整通知包
      haizhi generate --year 2026 --province 广东       另加广东省科协转发通知
      haizhi generate --year 2026 --programme base --no-pdf --out 草稿/
      haizhi generate --config 我的2027.yaml            用自己的年度配置

    \b
    输出（以 2026 为例）：
      outputs/2026-通知包/合作机构通知.docx/.pdf   通知正文 + 附件（空白信息表）
      outputs/2026-通知包/基地通知.docx/.pdf       通知正文 + 申报表 + 建设方案参考提纲
      outputs/2026-通知包/合作机构信息表、基地申报表、基地建设方案参考提纲（单独的 DOCX/PDF）
      outputs/2026-通知包/manifest.json            每个文件的名称、字节数、SHA-256
      outputs/2026-通知包.zip                      整个文件夹的压缩包

    \b
    子命令：
      haizhi generate form --record 记录.json      按一条记录生成预填表格
      haizhi generate sheet --record 记录.json     生成初审审核表
    """
    ctx.ensure_object(dict)
    ctx.obj.update(year=year, config=config)
    if ctx.invoked_subcommand is not None:
        return
    from haizhi.pipeline.generate.package import generate_package

    cfg = resolve_config(year, config)
    progs = ["coop", "base"] if programme == "all" else [programme]
    pkg = generate_package(cfg, out, progs, province=province, pdf=not no_pdf, progress=not quiet)
    total = sum(f.bytes for f in pkg.files)
    click.echo(f"已生成 {cfg.year} 年度通知包：{pkg.folder}（{len(pkg.files)} 个文件，共 {total / 1024:.0f} KB）")
    for f in pkg.files:
        click.echo(f"  {f.name}  {f.bytes} 字节  sha256 {f.sha256[:12]}…")
    click.echo(f"清单：{pkg.manifest}")
    click.echo(f"压缩包：{pkg.zip}")


@cmd.command("form")
@click.option("--record", "record_path", required=True, type=click.Path(dir_okay=False),
              help="记录 JSON（haizhi extract 的输出，或手写，格式见 shared/spec/record-fields.md）。")
@click.option("--year", type=int, help="年度，决定表格上的年份和字数限制等。")
@click.option("--config", type=click.Path(exists=True, dir_okay=False), help="指定年度配置 YAML 文件。")
@click.option("--out", type=click.Path(dir_okay=False), help="输出 DOCX 路径，默认 outputs/<记录名>-<表名>.docx。")
@click.option("--no-pdf", is_flag=True, help="只生成 DOCX。")
@click.option("--db", "db", default=None, metavar="URL",
              help="登记打印记录的台账数据库；默认与收件相同（outputs/haizhi.db），也可用 postgresql+psycopg://…")
@click.option("--no-codes", is_flag=True, help="不印二维码、不在台账登记（只要版式相同的预填表格）。")
@click.pass_context
def form_cmd(ctx: click.Context, record_path: str, year: int | None, config: str | None, out: str | None,
             no_pdf: bool, db: str | None, no_codes: bool) -> None:
    """按一条记录生成预填好的表格（DOCX + PDF），版式与空白表格相同。

    打印的表格在台账中登记（打印编号和各项取值的哈希），PDF 每页右上角页边印一个小二维码
    （表格、打印编号、页码/页数和本机密钥的签名）。收回的扫描件凭二维码读出打印时的取值，
    OCR 只用来核对有无手工改动、识别印章和签字。

    \b
    示例：
      haizhi generate form --record fixtures/records/coop_example.json --year 2026
      haizhi generate form --record 回件/某机构.json --out 某机构-信息表.docx --no-pdf
    """
    from haizhi.pipeline.generate.forms import render_form

    record: Record = load_record(record_path)
    cfg = _cfg(ctx, year, config)
    dst = _docx_out(out, record_path, _SHORT.get(record.form, FORMS[record.form].title))
    if no_codes:
        _echo_paths(_write(render_form(record, record.form, cfg), dst, not no_pdf))
        return
    from haizhi.pipeline.codes.issue import default_db_url, issue_form

    issued = issue_form(record, cfg, db or default_db_url(), pdf=not no_pdf)
    dst.parent.mkdir(parents=True, exist_ok=True)
    dst.write_bytes(issued.docx)
    paths = [dst]
    if issued.pdf is not None:
        paths.append(dst.with_suffix(".pdf"))
        paths[-1].write_bytes(issued.pdf)
    _echo_paths(paths)
    click.echo(f"打印编号：{issued.issue_id}（{issued.pages or '—'} 页，已登记）", err=True)


@cmd.command("sheet")
@click.option("--record", "record_path", required=True, type=click.Path(dir_okay=False), help="记录 JSON。")
@click.option("--findings", "findings_path", type=click.Path(dir_okay=False),
              help="初审发现项 JSON（haizhi validate 的输出）；省略时用记录自带的 findings。")
@click.option("--year", type=int, help="年度（决定审核依据的条款和门槛）。")
@click.option("--config", type=click.Path(exists=True, dir_okay=False), help="指定年度配置 YAML 文件。")
@click.option("--out", type=click.Path(dir_okay=False), help="输出 DOCX 路径，默认 outputs/<记录名>-初审审核表.docx。")
@click.option("--no-pdf", is_flag=True, help="只生成 DOCX。")
@click.pass_context
def sheet_cmd(ctx: click.Context, record_path: str, findings_path: str | None, year: int | None,
              config: str | None, out: str | None, no_pdf: bool) -> None:
    """为一条记录生成初审审核表（DOCX + PDF）：基本信息、逐条发现项、初审结论和签字栏。

    \b
    示例：
      haizhi validate 记录.json --year 2026 > 发现项.json
      haizhi generate sheet --record 记录.json --findings 发现项.json --year 2026
    """
    from haizhi.pipeline.generate.approval_sheet import render_approval_sheet

    record = load_record(record_path)
    findings = load_findings(findings_path) if findings_path else list(record.findings)
    cfg = _cfg(ctx, year, config)
    dst = _docx_out(out, record_path, "初审审核表")
    _echo_paths(_write(render_approval_sheet(record, findings, cfg), dst, not no_pdf))
