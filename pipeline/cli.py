"""haizhi command line. Each subcommand lives in pipeline/commands/<name>.py as `cmd`."""

from __future__ import annotations

import importlib
import sys

import click

from haizhi.pipeline.core.errors import HaizhiError

# name → (module, one-line help shown in `haizhi --help` without importing it)
COMMANDS: dict[str, tuple[str, str]] = {
    "generate": ("haizhi.pipeline.commands.generate", "生成年度通知包、表格（空白或预填）和初审审核表（DOCX + PDF）"),
    "templates": ("haizhi.pipeline.commands.templates", "检查办公室编辑过的模板：标签是否损坏、变量是否存在"),
    "extract": ("haizhi.pipeline.commands.extract", "从回收的表格（DOCX/DOC/WPS/PDF/扫描件）读出记录"),
    "simulate-scan": ("haizhi.pipeline.commands.simulate", "把一条记录模拟成盖章签字的扫描件（测试和演示用）"),
    "validate": ("haizhi.pipeline.commands.validate", "初审：按通知条款检查记录，给出 通过 / 需补正 / 不符合条件"),
    "export": ("haizhi.pipeline.commands.export", "导出审核用的 XLSX / CSV / JSON Lines 和初审审核表"),
    "intake": ("haizhi.pipeline.commands.intake", "收件：整批读入收件箱，登记、抽取、初审、导出"),
    "worker": ("haizhi.pipeline.commands.worker", "队列工作进程：从 PostgreSQL 台账的任务队列取件处理（可在多台机器上运行）"),
    "demo": ("haizhi.pipeline.commands.demo", "演示：生成 2026 通知包，模拟一批回件，收件、初审、导出"),
    "serve": ("haizhi.pipeline.commands.serve", "审核网页：原件与字段并排、更正、审核决定、上传（FastAPI）"),
    "users": ("haizhi.pipeline.commands.users", "审核网页的本地账户：添加、列出、改密码、停用"),
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return [n for n, (mod, _) in COMMANDS.items() if importlib.util.find_spec(mod) is not None]

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        mod, short = COMMANDS[name]
        try:
            cmd = importlib.import_module(mod).cmd
        except ModuleNotFoundError as e:
            if e.name == mod:
                return None
            raise
        cmd.short_help = cmd.short_help or short
        return cmd


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="haizhi")
def cli() -> None:
    """haizhi：海智计划通知、表格与回件处理流水线。

    \b
    办公室：  haizhi generate --year 2026            生成通知包
    收件：    haizhi extract 回件.docx               读出一份表格
              haizhi intake 收件箱/                   整批收件
    初审：    haizhi validate 记录.json --year 2026   按通知条款检查
    审核：    haizhi export ...                       导出审核表格

    每个子命令都有 --help。
    """


def main() -> None:
    try:
        rv = cli.main(standalone_mode=False)
    except HaizhiError as e:
        click.echo(f"错误：{e}", err=True)
        sys.exit(2)
    except click.exceptions.Abort:
        click.echo("已中止。", err=True)
        sys.exit(130)
    except click.ClickException as e:
        e.show()
        sys.exit(e.exit_code)
    except click.exceptions.Exit as e:
        sys.exit(e.exit_code)
    # non-standalone click returns ctx.exit(code) codes instead of exiting
    sys.exit(rv if isinstance(rv, int) else 0)


if __name__ == "__main__":
    main()
