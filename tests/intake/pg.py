"""A real PostgreSQL server (the Debian package) on 127.0.0.1, started and stopped by the tests."""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

PG_BIN = Path("/usr/lib/postgresql/15/bin")
_names = itertools.count(1)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_pg(cmd: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


@contextmanager
def pg_server() -> Iterator[str]:
    """Yields the URL of the server's `postgres` database. PostgreSQL is part of the installation
    (scripts/setup.sh): a server that cannot start fails the test, it is not skipped."""
    if not (PG_BIN / "initdb").exists():
        pytest.fail(f"PostgreSQL 服务器程序不存在（{PG_BIN}/initdb），无法测试 PostgreSQL 路径")
    if os.geteuid() == 0 and not shutil.which("runuser"):
        pytest.fail("以 root 运行但没有 runuser，无法以 postgres 用户启动 PostgreSQL")
    d = Path(tempfile.mkdtemp(prefix="haizhi-pg-"))
    data = d / "data"
    if os.geteuid() == 0:
        shutil.chown(d, "postgres", "postgres")
    port = _free_port()
    init = subprocess.run(_as_pg([str(PG_BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "haizhi",
                                  "-E", "UTF8", "--no-sync"]), capture_output=True, text=True)
    if init.returncode != 0:
        shutil.rmtree(d, ignore_errors=True)
        pytest.fail(f"initdb 失败，无法启动 PostgreSQL：{init.stderr[-500:]}")
    start = subprocess.run(_as_pg([str(PG_BIN / "pg_ctl"), "-D", str(data), "-l", str(d / "log"), "-w", "-t", "60",
                                   "-o", f"-p {port} -k {d} -c listen_addresses=127.0.0.1 -F", "start"]),
                           capture_output=True, text=True)
    if start.returncode != 0:
        log = (d / "log").read_text(errors="replace")[-800:] if (d / "log").exists() else ""
        shutil.rmtree(d, ignore_errors=True)
        pytest.fail(f"PostgreSQL 无法启动：{start.stderr[-300:]} {log}")
    try:
        yield f"postgresql+psycopg://haizhi@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(_as_pg([str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]),
                       capture_output=True)
        shutil.rmtree(d, ignore_errors=True)


def new_database(server_url: str) -> str:
    """A fresh empty database on the server; returns its URL."""
    import psycopg

    name = f"t{os.getpid()}_{next(_names)}"
    base = server_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(base, autocommit=True) as c:
        c.execute(f"CREATE DATABASE {name}")
    return server_url.rsplit("/", 1)[0] + "/" + name
