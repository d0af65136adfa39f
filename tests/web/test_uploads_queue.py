"""Uploads with a PostgreSQL ledger go on the job queue: one read job per file, read by a
`haizhi worker` process, not by the web server; the dashboard shows the queue and its workers."""

from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy import func, select

from haizhi.pipeline.intake.db import Application, File, Run, open_db
from haizhi.pipeline.intake.dispatch import queued_hashes, start_worker_process, stop_worker_process
from haizhi.pipeline.review.accounts import add_user
from haizhi.pipeline.web.app import create_app
from haizhi.pipeline.web.settings import Settings
from haizhi.pipeline.web.uploads import process_once
from tests.web.conftest import USERS, login
from tests.web.test_uploads import _docx


def test_uploads_are_queued_and_read_by_a_queue_worker(pg_db: str, tmp_path: Path) -> None:
    engine, S = open_db(pg_db)
    with S() as s:
        for role, (name, pw) in USERS.items():
            add_user(s, name, role, pw)
    settings = Settings(db_url=pg_db, store=tmp_path / "out" / "store", secret="test-secret-" + "y" * 32,
                        year=2026, background=False)
    web = login(create_app(settings), "clerk")
    r = web.c.post("/api/uploads", headers={"X-CSRF-Token": web.token},
                   files={"file": ("队列机构信息表.docx", _docx("经队列读取的新机构"))})
    assert r.status_code == 200, r.text
    sha = r.json()["file"]["sha256"]
    worker = None
    try:
        assert process_once(S, settings) is True
        with S() as s:
            assert s.scalar(select(File.state).where(File.sha256 == sha)) == "pending", "the web server reads nothing"
            assert sha in queued_hashes(s)
            runs = s.scalar(select(func.count()).select_from(Run))
        assert process_once(S, settings) is False, "a queued upload is not queued again"
        with S() as s:
            assert s.scalar(select(func.count()).select_from(Run)) == runs
        part = web.c.get("/partials/processing").text
        assert "排队 1" in part and 'id="no-workers"' in part, part

        worker = start_worker_process(pg_db, store=str(settings.store))
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            with S() as s:
                if "经队列读取的新机构" in set(s.scalars(select(Application.name))):
                    break
            time.sleep(1)
        with S() as s:
            assert s.scalar(select(File.state).where(File.sha256 == sha)) == "done"
            assert "经队列读取的新机构" in set(s.scalars(select(Application.name)))
            assert not queued_hashes(s)
        part = web.c.get("/partials/processing").text
        assert "在线的工作进程 1 个" in part and 'id="no-workers"' not in part, part
        assert process_once(S, settings) is False
    finally:
        if worker is not None:
            stop_worker_process(worker)
        engine.dispose()
