"""A real ledger for the web tests: a pre-filled DOCX and a heavy stamped scan of one applicant
(the copies differ in one field, so the scan has a flagged field with a box), and a second
applicant whose DOCX carries HTML in a field. Built once per session by the real intake
(scan OCR included), then copied for each test module; three accounts."""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from haizhi.pipeline.core.config import load_year
from haizhi.pipeline.core.record import load_record
from haizhi.pipeline.intake.db import Application, default_url, open_db
from haizhi.pipeline.review.accounts import add_user
from haizhi.pipeline.web.app import create_app
from haizhi.pipeline.web.settings import Settings

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "records"
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'
USERS = {"clerk": ("小王", "clerk-pass-1"), "reviewer": ("老李", "reviewer-pass-1"), "admin": ("admin", "admin-pass-12")}
EDITED_ADDRESS = "广东省深圳市南山区科技园南区创新大厦B座808室"


def _build(root: Path) -> None:
    from haizhi.pipeline.generate.forms import render_form
    from haizhi.pipeline.intake.run import Options, run_intake
    from haizhi.pipeline.simulate import simulate_scan

    cfg = load_year(2026)
    inbox = root / "inbox"
    rec = load_record(FIXTURES / "coop_example.json")
    folder = inbox / "深圳湾海创"
    folder.mkdir(parents=True)
    scan = simulate_scan(rec, "heavy", root / "sim", cfg, seed=0)
    shutil.copyfile(scan.pages[0], folder / "合作机构信息表（盖章扫描件）.pdf")
    rec.fields["contact_address"] = EDITED_ADDRESS  # the editable copy differs from the scan here
    (folder / "合作机构信息表.docx").write_bytes(render_form(rec, rec.form, cfg))
    other = load_record(FIXTURES / "batch" / "02.json")
    other.fields["name_en"] = HOSTILE
    (inbox / "第二家").mkdir()
    (inbox / "第二家" / "合作机构信息表.docx").write_bytes(render_form(other, other.form, cfg))
    import os

    from haizhi.pipeline.intake.demo_batch import COOP_RECEIVED

    for p in inbox.rglob("*"):  # received before the deadline
        os.utime(p, (COOP_RECEIVED.timestamp(), COOP_RECEIVED.timestamp()))
    run_intake(Options(inbox=inbox, out=root / "out", workers=1, year=2026, exports=False, pdf=False,
                       progress=False))
    engine, S = open_db(default_url(root / "out"))
    with S() as s:
        for role, (name, pw) in USERS.items():
            add_user(s, name, role, pw)
    engine.dispose()


@pytest.fixture(scope="session")
def built_ledger() -> Iterator[Path]:
    root = Path(tempfile.mkdtemp(prefix="haizhi-web-tests-"))
    try:
        _build(root)
        yield root / "out"
    finally:
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def ledger(built_ledger: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A private copy of the ledger: {"out", "db", "store", "scan_app", "html_app"}."""
    out = tmp_path_factory.mktemp("web") / "out"
    shutil.copytree(built_ledger, out)
    url = default_url(out)
    engine, S = open_db(url)
    with S() as s:
        apps = {a.name: a.id for a in s.scalars(select(Application))}
    engine.dispose()
    scan_app = next(i for n, i in apps.items() if n and "深圳湾" in n)
    html_app = next(i for i in apps.values() if i != scan_app)
    return {"out": out, "db": url, "store": out / "store", "scan_app": scan_app, "html_app": html_app}


def settings_for(ledger: dict[str, Any], background: bool = False) -> Settings:
    return Settings(db_url=ledger["db"], store=ledger["store"], secret="test-secret-" + "x" * 32, year=2026,
                    background=background)


@pytest.fixture(scope="module")
def app(ledger: dict[str, Any]):
    return create_app(settings_for(ledger))


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrf-token" content="([^"]+)"', html)
    assert m, "page has no CSRF token"
    return m.group(1)


class Web:
    """A TestClient logged in as one role, with the session's CSRF token at hand."""

    def __init__(self, client: TestClient, token: str) -> None:
        self.c, self.token = client, token

    def post_json(self, url: str, body: Any, **kw: Any) -> Any:
        return self.c.post(url, json=body, headers={"X-CSRF-Token": self.token}, **kw)

    def post_form(self, url: str, data: dict[str, Any], **kw: Any) -> Any:
        return self.c.post(url, data={**data, "csrf_token": self.token}, **kw)


def login(app: Any, role: str) -> Web:
    c = TestClient(app, follow_redirects=False)
    page = c.get("/login")
    name, pw = USERS[role]
    r = c.post("/login", data={"name": name, "password": pw, "csrf_token": csrf_of(page.text), "next": "/"})
    assert r.status_code == 303, r.text
    home = c.get("/")
    assert home.status_code == 200
    return Web(c, csrf_of(home.text))


@pytest.fixture(scope="module")
def clerk(app: Any) -> Web:
    return login(app, "clerk")


@pytest.fixture(scope="module")
def reviewer(app: Any) -> Web:
    return login(app, "reviewer")


@pytest.fixture(scope="module")
def admin(app: Any) -> Web:
    return login(app, "admin")
