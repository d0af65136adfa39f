"""haizhi serve: the review web app (FastAPI on uvicorn) over an intake ledger."""

from __future__ import annotations

import os
from pathlib import Path

import click


@click.command("serve")
@click.option("--db", "db", default=None, metavar="URL",
              help="台账数据库地址；默认 STORE 的上一级目录下的 haizhi.db（SQLite），也可用 postgresql+psycopg://…")
@click.option("--store", "store", type=click.Path(file_okay=False, path_type=Path), default=Path("outputs/store"),
              show_default=True, help="原件存档目录（收件输出目录下的 store/）")
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址（对外提供服务请放在反向代理之后）")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="端口")
@click.option("--workers", "-j", type=click.IntRange(1, 64), default=1, show_default=True,
              help="uvicorn 工作进程数（进程内不保存状态，可以多开）")
@click.option("--year", type=int, default=None, help="年度（默认台账中最新的年度）")
@click.option("--no-background", is_flag=True, help="不在本服务中后台处理上传的文件（由另一个实例或 haizhi intake 处理）")
def cmd(db: str | None, store: Path, host: str, port: int, workers: int, year: int | None, no_background: bool) -> None:
    """启动审核网页：申请一览、逐份审核（原件页面与字段并排）、更正与核对、审核决定和补正通知、上传文件。

    \b
    例：haizhi serve --store outputs/demo/store
        haizhi serve --db postgresql+psycopg://haizhi@127.0.0.1/haizhi --store /srv/haizhi/store --workers 4
    先用 haizhi users add 用户名 --role admin 创建账户。
    """
    import uvicorn
    from sqlalchemy import func, select

    from haizhi.pipeline.intake.db import default_url, open_db
    from haizhi.pipeline.review.models import User
    from haizhi.pipeline.web.settings import Settings, load_secret

    store = store.resolve()
    url = db or default_url(store.parent)
    engine, Session = open_db(url)  # migrate once here, before the workers start
    try:
        with Session() as s:
            users = s.scalar(select(func.count()).select_from(User)) or 0
    finally:
        engine.dispose()
    settings = Settings(db_url=url, store=store, secret=load_secret(store.parent), year=year,
                        background=not no_background)
    os.environ.update(settings.to_env())
    shown = "localhost" if host in ("127.0.0.1", "0.0.0.0", "::") else host
    click.echo(f"审核网页：http://{shown}:{port}/  （台账：{engine.url.render_as_string(hide_password=True)}；"
               f"原件存档：{store}；{workers} 个工作进程）")
    if not users:
        click.echo("台账中还没有账户，请先运行：haizhi users add 用户名 --role admin", err=True)
    uvicorn.run("haizhi.pipeline.web.app:app_from_env", factory=True, host=host, port=port, workers=workers,
                log_level="warning", proxy_headers=True)
