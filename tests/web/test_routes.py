"""The remaining page routes: form uploads, the decision form with suggested items, notice PDF,
export downloads by id, logout and error pages."""

from __future__ import annotations

import html
import re
from typing import Any

from tests.web.conftest import Web, login


def test_form_uploads_inbox_and_application(clerk: Web, ledger: dict[str, Any]) -> None:
    r = clerk.c.post("/inbox/upload", data={"csrf_token": clerk.token},
                     files=[("files", ("附件一.pdf", b"%PDF-1.4\n% one\n")), ("files", ("附件二.pdf", b"%PDF-1.4\n% two\n"))])
    assert r.status_code == 303 and r.headers["location"] == "/inbox"
    assert clerk.c.get("/api/processing").json()["pending_files"] >= 2
    assert "附件一.pdf" in clerk.c.get("/inbox").text  # shown as waiting
    app_id = ledger["html_app"]
    r = clerk.c.post(f"/applications/{app_id}/upload", data={"csrf_token": clerk.token},
                     files=[("files", ("补充材料.pdf", b"%PDF-1.4\n% three\n"))])
    assert r.status_code == 303
    page = clerk.c.get(f"/applications/{app_id}").text
    assert "补充材料.pdf" in page and "等待处理" in page
    none = clerk.c.post("/inbox/upload", data={"csrf_token": clerk.token})
    assert none.status_code == 400


def test_decision_form_with_suggested_items(reviewer: Web, ledger: dict[str, Any]) -> None:
    app_id = ledger["scan_app"]
    page = reviewer.c.get(f"/applications/{app_id}").text
    values = [html.unescape(v) for v in re.findall(r'name="suggested" value="([^"]+)"', page)]
    assert values, "open warnings are offered as items"
    r = reviewer.post_form(f"/applications/{app_id}/decision",
                           {"decision": "需补正", "items": "请补交营业执照", "suggested": values[0], "note": "<i>备注</i>"})
    assert r.status_code == 303, r.text
    d = reviewer.c.get(f"/api/applications/{app_id}").json()["decision"]
    assert d["decision"] == "需补正" and d["user"] == "老李" and len(d["items"]) == 2
    page = reviewer.c.get(f"/applications/{app_id}").text
    assert 'id="notice-docx"' in page and "&lt;i&gt;备注&lt;/i&gt;" in page
    bad = reviewer.post_form(f"/applications/{app_id}/decision", {"decision": "需补正", "suggested": "{not json"})
    assert bad.status_code == 400
    pdf = reviewer.c.get(f"/applications/{app_id}/notice.pdf")
    assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"
    other = reviewer.c.get(f"/applications/{ledger['html_app']}/notice.docx")
    assert other.status_code == 400, "no 需补正 decision, no notice"


def test_export_files_by_id(reviewer: Web) -> None:
    assert reviewer.post_form("/exports", {}).status_code == 303
    page = reviewer.c.get("/exports").text
    links = re.findall(r'href="/exports/files/([0-9a-f]{24})" data-rel="([^"]+)"', page)
    xlsx = next(fid for fid, rel in links if rel.endswith(".xlsx"))
    r = reviewer.c.get(f"/exports/files/{xlsx}")
    assert r.status_code == 200 and r.content[:2] == b"PK" and "attachment" in r.headers["content-disposition"]


def test_logout_and_error_pages(app: Any) -> None:
    web = login(app, "clerk")
    assert web.c.get("/applications/99999").status_code == 404
    assert "找不到" in web.c.get("/no-such-page").text
    r = web.post_form("/logout", {})
    assert r.status_code == 303 and r.headers["location"] == "/login"
    assert web.c.get("/").status_code == 303
