"""haizhi users add|list|passwd|disable: local accounts of the review app."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

DB_HELP = "数据库地址；默认 OUT/haizhi.db（SQLite），也可用 postgresql+psycopg://用户@主机/库"
OUT_HELP = "收件输出目录（其中的 haizhi.db 为默认数据库）"


@contextmanager
def _session(db: str | None, out: Path) -> Iterator[Any]:
    from haizhi.pipeline.intake.db import default_url, open_db

    engine, S = open_db(db or default_url(out))
    try:
        with S() as s:
            yield s
    finally:
        engine.dispose()


def _password(stdin: bool) -> str:
    if stdin:
        line = sys.stdin.readline()
        return line.rstrip("\r\n")
    return click.prompt("密码", hide_input=True, confirmation_prompt="再次输入密码")


def _db_options(f: Any) -> Any:
    f = click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=Path("outputs"),
                     show_default=True, help=OUT_HELP)(f)
    return click.option("--db", "db", default=None, metavar="URL", help=DB_HELP)(f)


@click.group("users", short_help="审核网页的本地账户：添加、列出、改密码、停用")
def cmd() -> None:
    """审核网页的本地账户。角色：clerk（办事员：查看、更正、核对、上传）、
    reviewer（审核人：另可作出审核决定、导出）、admin（管理员：另可管理账户）。"""


@cmd.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["clerk", "reviewer", "admin"]), required=True, help="角色")
@click.option("--password-stdin", is_flag=True, help="从标准输入读一行作为密码（脚本用）；否则提示输入")
@_db_options
def add(name: str, role: str, password_stdin: bool, db: str | None, out: Path) -> None:
    """添加账户 NAME。密码至少 8 个字符，以 argon2 哈希保存。

    \b
    例：haizhi users add 小王 --role clerk
        echo 'mima-12345' | haizhi users add 老李 --role reviewer --password-stdin
    """
    from haizhi.pipeline.review.accounts import add_user

    password = _password(password_stdin)
    with _session(db, out) as s:
        user = add_user(s, name, role, password)
        click.echo(f"已添加用户 {user.name}（{role}）")


@cmd.command("list")
@_db_options
def list_(db: str | None, out: Path) -> None:
    """列出全部账户。"""
    from haizhi.pipeline.review.accounts import list_users
    from haizhi.pipeline.review.models import ROLE_CN
    from haizhi.pipeline.review.revisions import when_cn

    with _session(db, out) as s:
        users = list_users(s)
        if not users:
            click.echo("还没有账户。可用 haizhi users add NAME --role admin 添加。")
            return
        for u in users:
            state = "" if u.active else "（已停用）"
            click.echo(f"{u.name}\t{u.role}（{ROLE_CN.get(u.role, u.role)}）\t创建于 {when_cn(u.created_at)}{state}")


@cmd.command("passwd")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="从标准输入读一行作为新密码")
@_db_options
def passwd(name: str, password_stdin: bool, db: str | None, out: Path) -> None:
    """修改账户 NAME 的密码。"""
    from haizhi.pipeline.review.accounts import set_password

    password = _password(password_stdin)
    with _session(db, out) as s:
        set_password(s, name, password)
        click.echo(f"已修改 {name} 的密码")


@cmd.command("disable")
@click.argument("name")
@click.option("--enable", is_flag=True, help="重新启用")
@_db_options
def disable(name: str, enable: bool, db: str | None, out: Path) -> None:
    """停用账户 NAME（不能再登录；其更正和决定的记录保留）。"""
    from haizhi.pipeline.review.accounts import set_active

    with _session(db, out) as s:
        set_active(s, name, enable)
        click.echo(f"已{'启用' if enable else '停用'} {name}")
