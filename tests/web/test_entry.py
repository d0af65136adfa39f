"""The browser entry page: a form from the field dictionary, live validation (limits counted as the
notice does), drafts, personal links, and — in headless Chromium — enter, fix, save, print, and read
the printed PDF back to the same fields."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import select

from haizhi.pipeline.core.config import load_year
from haizhi.pipeline.core.fields import FORMS
from haizhi.pipeline.core.record import load_record
from haizhi.pipeline.intake.db import open_db
from haizhi.pipeline.review.drafts import Draft
from haizhi.pipeline.web.pages_entry import LINK_SALT
from tests.web.conftest import FIXTURES, HOSTILE, USERS, csrf_of

COOP = "coop_institution"
LIMIT = load_year(2026).text_limit("profile")
assert LIMIT is not None


def form_data(fields: dict[str, Any]) -> dict[str, Any]:
    """Record fields → what the browser posts."""
    out: dict[str, Any] = {}
    for f in FORMS[COOP].fields:
        v = fields.get(f.key)
        if v is None:
            continue
        if f.type == "bool":
            out[f.key] = "1" if v else "0"
        elif f.type == "choices":
            out[f.key] = list(v)
        else:
            out[f.key] = str(v)
    return out


def example() -> dict[str, Any]:
    return dict(load_record(FIXTURES / "coop_example.json").fields)


def save(web: Any, fields: dict[str, Any], draft_id: int | None = None) -> int:
    r = web.post_form("/entry/save", {"form_id": COOP, "draft_id": draft_id or "", **form_data(fields)})
    assert r.status_code == 303, r.text
    m = re.fullmatch(r"/entry/(\d+)", r.headers["location"])
    assert m
    return int(m.group(1))


def test_new_page_is_generated_from_the_dictionary(clerk: Any) -> None:
    r = clerk.c.get(f"/entry/new?form={COOP}")
    assert r.status_code == 200
    for f in FORMS[COOP].fields:
        assert f'id="err-{f.key}"' in r.text
    assert 'type="date" name="registered_on"' in r.text
    assert f'data-limit="{LIMIT}"' in r.text and "万元" in r.text and 'type="checkbox" name="services"' in r.text
    assert clerk.c.get("/entry/new?form=base_application").status_code == 200


def test_live_check_says_over_limit_in_chinese(clerk: Any) -> None:
    fields = example()
    fields["profile"] = "字" * (LIMIT + 5)
    r = clerk.post_form("/entry/check", {"form_id": COOP, **form_data(fields)})
    assert r.status_code == 200
    err = re.search(r'id="err-profile" hx-swap-oob="true">(.*?)</div></div>', r.text)
    assert err and f"共 {LIMIT + 5} 字，超过 {LIMIT} 字的限制" in err.group(1)
    fields["profile"] = "字" * LIMIT
    r = clerk.post_form("/entry/check", {"form_id": COOP, **form_data(fields)})
    assert 'id="err-profile" hx-swap-oob="true"></div>' in r.text
    assert "全部通过" in r.text


def test_draft_saved_and_loaded_with_types(clerk: Any, ledger: dict[str, Any]) -> None:
    fields = example()
    fields["name_en"] = HOSTILE
    did = save(clerk, fields)
    page = clerk.c.get(f"/entry/{did}")
    assert page.status_code == 200
    assert HOSTILE not in page.text and "&lt;script&gt;" in page.text
    engine, S = open_db(ledger["db"])
    with S() as s:
        d = s.scalars(select(Draft).where(Draft.id == did)).one()
        assert d.status == "draft" and d.created_by == USERS["clerk"][0]
        assert d.fields["staff_total"] == fields["staff_total"] and isinstance(d.fields["staff_total"], int)
        assert d.fields["overseas"] is False and d.fields["services"] == fields["services"]
        assert d.fields["registered_on"] == fields["registered_on"] and d.fields["name_en"] == HOSTILE
    engine.dispose()
    fields["contact_title"] = "主任"
    assert save(clerk, fields, did) == did
    assert "主任" in clerk.c.get(f"/entry/{did}").text


def test_csrf_enforced(clerk: Any) -> None:
    r = clerk.c.post("/entry/save", data={"form_id": COOP, **form_data(example())})
    assert r.status_code == 403
    r = clerk.c.post("/entry/check", data={"form_id": COOP, "csrf_token": "wrong"})
    assert r.status_code == 403


def test_personal_link_opens_only_its_draft(app: Any, clerk: Any, reviewer: Any) -> None:
    mine, other = save(clerk, example()), save(clerk, example())
    assert clerk.post_form(f"/entry/{mine}/link", {}).status_code == 403  # clerks cannot send links
    r = reviewer.post_form(f"/entry/{mine}/link", {})
    assert r.status_code == 200
    url = re.search(r"<code>(\S+)</code>", r.text)
    assert url and "/entry/link/" in url.group(1)
    c = TestClient(app, follow_redirects=False)
    r = c.get(url.group(1).split("testserver", 1)[1])
    assert r.status_code == 303 and r.headers["location"] == f"/entry/{mine}"
    page = c.get(f"/entry/{mine}")
    assert page.status_code == 200 and "通过个人链接打开" in page.text
    token = csrf_of(page.text)
    fields = example()
    fields["contact_title"] = "申请人自填"
    r = c.post("/entry/save", data={"form_id": COOP, "draft_id": mine, "csrf_token": token, **form_data(fields)})
    assert r.status_code == 303
    assert c.get(f"/entry/{other}").status_code == 403
    assert c.post("/entry/save", data={"form_id": COOP, "draft_id": other, "csrf_token": token,
                                       **form_data(fields)}).status_code == 403
    assert c.post("/entry/save", data={"form_id": COOP, "csrf_token": token, **form_data(fields)}).status_code == 403
    assert c.get("/entry/new").status_code == 403
    assert c.get("/").status_code == 303  # no other page: the dashboard wants a login
    assert c.get("/inbox").status_code == 303
    assert c.get("/api/applications").status_code == 401


def test_expired_and_forged_links_refused(app: Any, clerk: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    did = save(clerk, example())
    s = URLSafeTimedSerializer(app.state.settings.secret, salt=LINK_SALT)
    import itsdangerous.timed as timed

    real = time.time
    monkeypatch.setattr(timed.time, "time", lambda: real() - 15 * 86400)
    old = s.dumps({"draft": did})
    monkeypatch.setattr(timed.time, "time", real)
    c = TestClient(app, follow_redirects=False)
    r = c.get(f"/entry/link/{old}")
    assert r.status_code == 403 and "已过期" in r.text
    forged = URLSafeTimedSerializer("another-secret-" + "z" * 32, salt=LINK_SALT).dumps({"draft": did})
    r = c.get(f"/entry/link/{forged}")
    assert r.status_code == 403 and "无效" in r.text
    assert c.get(f"/entry/{did}").status_code == 303  # still no access: to the login page


# --- in a real browser -------------------------------------------------------------------------
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module")
def code_secret(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("codes") / "secret"


@pytest.fixture(scope="module")
def entry_server(ledger: dict[str, Any], code_secret: Path) -> Iterator[str]:
    """`haizhi serve` as in test_browser, with a codes secret file of its own (never the user's)."""
    from tests.web.test_browser import serving

    env = {"HAIZHI_WEB_SECRET": "entry-test-secret-" + "e" * 24, "HAIZHI_SECRET_FILE": str(code_secret)}
    with serving(ledger, env, workers=1) as base:
        yield base


def test_enter_fix_save_print_and_read_back(entry_server: str, code_secret: Path, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from playwright.sync_api import expect, sync_playwright

    from haizhi.pipeline.codes.issue import canonical
    from haizhi.pipeline.intake.db import Application, RecordRow, default_url
    from haizhi.pipeline.intake.run import Options, run_intake

    server = entry_server
    want = example()
    name, password = USERS["clerk"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        try:
            page.goto(server + "/login?next=/entry/new?form=" + COOP)
            page.fill("#name", name)
            page.fill("#password", password)
            page.click("button[type=submit]")
            expect(page).to_have_url(server + "/entry/new?form=" + COOP)
            for f in FORMS[COOP].fields:
                v = want.get(f.key)
                if v is None:
                    continue
                sel = f"#in-{f.key}"
                if f.type == "choices":
                    for o in v:
                        page.check(f'input[name="{f.key}"][value="{o}"]')
                elif f.type == "bool":
                    page.select_option(sel, "1" if v else "0")
                elif f.type == "choice":
                    page.select_option(sel, v)
                else:
                    page.fill(sel, str(v))
            page.fill("#in-profile", "字" * (LIMIT + 3))
            expect(page.locator("#count-profile")).to_contain_text(f"{LIMIT + 3} / {LIMIT} 字，超出 3 字")
            expect(page.locator("#err-profile")).to_contain_text(f"超过 {LIMIT} 字的限制")
            page.fill("#in-profile", want["profile"])
            expect(page.locator("#err-profile")).to_be_empty()
            expect(page.locator("#count-profile")).not_to_contain_text("超出")
            page.click("#save")
            expect(page).to_have_url(re.compile(r"/entry/\d+$"))
            page.click("#print", timeout=5000)
            expect(page.locator("#downloads")).to_be_visible(timeout=180_000)
            pdf = page.context.request.get(server + str(page.locator("#dl-pdf").get_attribute("href")))
            assert pdf.ok
            pdf_bytes = pdf.body()
            assert pdf_bytes[:5] == b"%PDF-"
            docx = page.context.request.get(server + str(page.locator("#dl-docx").get_attribute("href")))
            assert docx.ok and docx.body()[:2] == b"PK"
            assert not errors, errors
        finally:
            browser.close()
    # the printed PDF back in through intake (a fresh ledger; the codes secret is the server's)
    monkeypatch.setenv("HAIZHI_SECRET_FILE", str(code_secret))
    folder = tmp_path / "inbox" / "录入回收"
    folder.mkdir(parents=True)
    (folder / "合作机构信息表.pdf").write_bytes(pdf_bytes)
    out = tmp_path / "out"
    run_intake(Options(inbox=tmp_path / "inbox", out=out, workers=1, year=2026, exports=False, pdf=False,
                       progress=False))
    engine, S = open_db(default_url(out))
    with S() as s:
        (a,) = s.scalars(select(Application)).all()
        got = s.get(RecordRow, a.current_record_id)
        assert got is not None and got.form == COOP
        assert canonical(COOP, got.fields) == canonical(COOP, want)
    engine.dispose()
