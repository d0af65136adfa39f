"""Uploads: stored and registered at once, read in the background by the real intake;
a file left pending when the server stopped is picked up by the next start."""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import select

from haizhi.pipeline.core.config import load_year
from haizhi.pipeline.core.record import load_record
from haizhi.pipeline.intake.db import ApplicationFile, File, open_db
from haizhi.pipeline.intake.store import FileStore
from haizhi.pipeline.web.app import create_app
from haizhi.pipeline.web.uploads import process_once
from tests.web.conftest import FIXTURES, login, settings_for


def _docx(name_cn: str) -> bytes:
    from haizhi.pipeline.generate.forms import render_form

    rec = load_record(FIXTURES / "batch" / "03.json")
    rec.fields["name_cn"] = name_cn
    return render_form(rec, rec.form, load_year(2026))


def _file(ledger: dict[str, Any], sha: str) -> File:
    engine, S = open_db(ledger["db"])
    try:
        with S() as s:
            return s.scalar(select(File).where(File.sha256 == sha))
    finally:
        engine.dispose()


def test_upload_onto_application_is_stored_at_once_then_read(ledger: dict[str, Any]) -> None:
    app = create_app(settings_for(ledger, background=False))
    web = login(app, "clerk")
    data = b"%PDF-1.4\n% a licence scan stand-in\n"
    r = web.c.post("/api/uploads", headers={"X-CSRF-Token": web.token},
                   files={"file": ("营业执照.pdf", data)}, data={"application_id": str(ledger["html_app"])})
    assert r.status_code == 200, r.text
    f = r.json()["file"]
    assert f["state"] == "pending"
    assert FileStore(ledger["store"]).verify(f["sha256"]), "the original is in the store before the response"
    d = web.c.get(f"/api/applications/{ledger['html_app']}").json()
    assert any(x["sha256"] == f["sha256"] and x["state"] == "pending" for x in d["files"])
    assert web.c.get("/api/processing").json()["pending_files"] >= 1
    engine, S = open_db(ledger["db"])
    try:
        assert process_once(S, settings_for(ledger)) is True
        with S() as s:
            row = s.scalar(select(File).where(File.sha256 == f["sha256"]))
            assert row.state in ("done", "rejected")  # read by the intake: a verdict, not pending
            assert s.scalar(select(ApplicationFile.id).where(ApplicationFile.file_id == row.id,
                                                             ApplicationFile.application_id == ledger["html_app"]))
        assert process_once(S, settings_for(ledger)) is False, "nothing left to do"
    finally:
        engine.dispose()


def test_pending_upload_survives_a_stop_and_background_worker_reads_it(ledger: dict[str, Any]) -> None:
    # server 1 takes the file and stops before reading it (no background worker)
    app1 = create_app(settings_for(ledger, background=False))
    web = login(app1, "clerk")
    r = web.c.post("/api/uploads", headers={"X-CSRF-Token": web.token},
                   files={"file": ("新机构信息表.docx", _docx("后来上传的新机构"))})
    sha = r.json()["file"]["sha256"]
    web.c.close()
    assert _file(ledger, sha).state == "pending"
    # server 2 starts with its background worker: the pending file is read without anyone asking
    from fastapi.testclient import TestClient

    engine, S = open_db(ledger["db"])  # opened once: Alembic's upgrade is not for two threads at a time

    def state() -> str:
        with S() as s:
            return s.scalar(select(File.state).where(File.sha256 == sha))

    app2 = create_app(settings_for(ledger, background=True))
    try:
        with TestClient(app2):
            deadline = time.monotonic() + 240
            while time.monotonic() < deadline and state() == "pending":
                time.sleep(1)
        assert state() == "done"
    finally:
        engine.dispose()
    web2 = login(create_app(settings_for(ledger)), "clerk")
    names = [it["name"] for it in web2.c.get("/api/applications").json()["items"]]
    assert "后来上传的新机构" in names
