"""The same intake code against a real PostgreSQL server started on 127.0.0.1 for this test."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest
from sqlalchemy import select, text

from haizhi.pipeline.intake.db import Application, RecordRow, open_db
from haizhi.pipeline.intake.run import Options, run_intake
from tests.intake.helpers import FAKE, coop, counts, write_json

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_pg(cmd: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


@pytest.fixture(scope="module")
def pg_url():
    if not (PG_BIN / "initdb").exists():
        pytest.skip(f"PostgreSQL 服务器程序不存在（{PG_BIN}/initdb），无法测试 PostgreSQL 路径")
    if os.geteuid() == 0 and not shutil.which("runuser"):
        pytest.skip("以 root 运行但没有 runuser，无法以 postgres 用户启动 PostgreSQL")
    d = Path(tempfile.mkdtemp(prefix="haizhi-pg-"))
    data = d / "data"
    if os.geteuid() == 0:
        shutil.chown(d, "postgres", "postgres")
    port = _free_port()
    init = subprocess.run(_as_pg([str(PG_BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "haizhi",
                                  "-E", "UTF8", "--no-sync"]), capture_output=True, text=True)
    if init.returncode != 0:
        shutil.rmtree(d, ignore_errors=True)
        pytest.skip(f"initdb 失败，无法启动 PostgreSQL：{init.stderr[-500:]}")
    start = subprocess.run(_as_pg([str(PG_BIN / "pg_ctl"), "-D", str(data), "-l", str(d / "log"), "-w", "-t", "60",
                                   "-o", f"-p {port} -k {d} -c listen_addresses=127.0.0.1 -F", "start"]),
                           capture_output=True, text=True)
    if start.returncode != 0:
        log = (d / "log").read_text(errors="replace")[-800:] if (d / "log").exists() else ""
        shutil.rmtree(d, ignore_errors=True)
        pytest.skip(f"PostgreSQL 无法启动：{start.stderr[-300:]} {log}")
    try:
        yield f"postgresql+psycopg://haizhi@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(_as_pg([str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]),
                       capture_output=True)
        shutil.rmtree(d, ignore_errors=True)


def test_postgres_intake_idempotent_and_versioned(tmp_path, pg_url):
    inbox = tmp_path / "inbox"
    write_json(inbox / "甲公司" / "信息表.json", coop("甲科技有限公司", "91440300MA5FXT3K4L"))
    write_json(inbox / "甲公司" / "扫描件.json", coop("甲科技有限公司", "91440300MA5FXT3K4L", "ocr"))
    write_json(inbox / "乙机构.json", coop("乙国际人才服务中心", "91110108MA01ABCD2X"))
    (inbox / "坏.json").write_bytes(b"not json")
    o = Options(inbox=inbox, out=tmp_path / "out", db=pg_url, workers=2, year=2026, exports=False,
                progress=False, task=FAKE, timeout=30, mem_mb=1024)
    s1 = run_intake(o)
    assert s1.db.startswith("postgresql+psycopg://")
    c1 = counts(pg_url)
    assert c1["files"] == 4 and c1["records"] == 3 and c1["applications"] == 2
    s2 = run_intake(o)
    assert counts(pg_url) == c1 and s2.processed == 0 and s2.changes["added"] == 0
    assert not (tmp_path / "out" / "haizhi.db").exists()  # nothing went to SQLite

    write_json(inbox / "甲公司" / "信息表-补正.json", coop("甲科技有限公司", "91440300MA5FXT3K4L", staff_total=60))
    run_intake(o)
    engine, S = open_db(pg_url)
    with S() as s:
        assert s.execute(text("select version_num from alembic_version")).scalar() == "0002_review"
        kind = s.execute(text("select data_type from information_schema.columns "
                              "where table_name='records' and column_name='fields'")).scalar()
        assert kind == "jsonb"
        app = s.scalar(select(Application).where(Application.credit_code == "91440300MA5FXT3K4L"))
        rows = sorted(s.scalars(select(RecordRow).where(RecordRow.application_id == app.id)), key=lambda r: r.version)
        assert [r.version for r in rows] == [1, 2, 3]
        assert rows[0].fields["staff_total"] == 46 and rows[2].fields["staff_total"] == 60
    engine.dispose()
