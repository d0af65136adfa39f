"""Security: no page or file without login, CSRF on every change, roles on the server,
values escaped, file routes that take ids and refuse path tricks."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import HOSTILE, Web, csrf_of


@pytest.fixture(scope="module")
def anon(app: Any) -> TestClient:
    return TestClient(app, follow_redirects=False)


def test_nothing_without_login(anon: TestClient, ledger: dict[str, Any], clerk: Web) -> None:
    d = clerk.c.get(f"/api/applications/{ledger['scan_app']}").json()
    sha = d["files"][0]["sha256"]
    for url in ("/", "/inbox", "/exports", "/users", "/docs", "/openapi.json", f"/applications/{ledger['scan_app']}",
                f"/files/{sha}", f"/files/{sha}/pages/1.jpg", f"/applications/{ledger['html_app']}/notice.docx"):
        r = anon.get(url)
        assert r.status_code == 303 and r.headers["location"].startswith("/login"), url
    for url in ("/api/applications", f"/api/applications/{ledger['scan_app']}", "/api/processing", "/api/session"):
        assert anon.get(url).status_code == 401, url
    r = anon.post(f"/api/applications/{ledger['scan_app']}/corrections", json={"field": "name_cn", "value": "x"})
    assert r.status_code in (401, 403)
    assert anon.get("/static/htmx.min.js").status_code == 200  # the script itself is public


def test_wrong_password_and_disabled_account(app: Any, admin: Web) -> None:
    c = TestClient(app, follow_redirects=False)
    tok = csrf_of(c.get("/login").text)
    r = c.post("/login", data={"name": "小王", "password": "wrong-password", "csrf_token": tok})
    assert r.status_code == 401 and "用户名或密码不正确" in r.text
    assert c.get("/").status_code == 303
    admin.post_form("/users", {"name": "临时工", "role": "clerk", "password": "temp-pass-123"})
    tmp = TestClient(app, follow_redirects=False)
    tok = csrf_of(tmp.get("/login").text)
    assert tmp.post("/login", data={"name": "临时工", "password": "temp-pass-123", "csrf_token": tok}).status_code == 303
    assert tmp.get("/").status_code == 200
    admin.post_form("/users/临时工/active", {"active": "0"})
    assert tmp.get("/").status_code == 303, "a disabled account's session stops at once"


def test_login_needs_csrf_and_next_stays_on_site(app: Any) -> None:
    c = TestClient(app, follow_redirects=False)
    c.get("/login")
    r = c.post("/login", data={"name": "小王", "password": "clerk-pass-1"})
    assert r.status_code == 403
    tok = csrf_of(c.get("/login").text)
    r = c.post("/login", data={"name": "小王", "password": "clerk-pass-1", "csrf_token": tok,
                               "next": "//evil.example/x"})
    assert r.status_code == 303 and r.headers["location"] == "/"


def test_change_without_csrf_refused(clerk: Web, ledger: dict[str, Any]) -> None:
    app_id = ledger["scan_app"]
    url = f"/api/applications/{app_id}/corrections"
    body = {"field": "head_name", "value": "不该保存"}
    assert clerk.c.post(url, json=body).status_code == 403
    assert clerk.c.post(url, json=body, headers={"X-CSRF-Token": "forged"}).status_code == 403
    r = clerk.c.post(f"/applications/{app_id}/fields/head_name/correct", data={"value": "不该保存"})
    assert r.status_code == 403
    r = clerk.c.post(f"/applications/{app_id}/fields/head_name/correct",
                     data={"value": "不该保存", "csrf_token": "forged"})
    assert r.status_code == 403
    r = clerk.c.post("/api/uploads", files={"file": ("a.docx", b"PK\x03\x04x")})
    assert r.status_code == 403
    assert clerk.c.post("/logout").status_code == 403
    d = clerk.c.get(f"/api/applications/{app_id}").json()
    assert all(h["value"] != "不该保存" for h in d["revisions"]), "nothing was saved"


def test_roles_enforced_on_server(clerk: Web, reviewer: Web, ledger: dict[str, Any]) -> None:
    app_id = ledger["scan_app"]
    r = clerk.post_json(f"/api/applications/{app_id}/decisions", {"decision": "通过"})
    assert r.status_code == 403 and "无权" in r.json()["detail"]
    r = clerk.post_form(f"/applications/{app_id}/decision", {"decision": "通过"})
    assert r.status_code == 403
    assert clerk.c.get("/users").status_code == 403
    r = clerk.post_form("/users", {"name": "黑客", "role": "admin", "password": "hack-pass-123"})
    assert r.status_code == 403
    assert reviewer.post_form("/users", {"name": "黑客", "role": "admin", "password": "hack-pass-123"}).status_code == 403
    assert clerk.c.get("/exports").status_code == 403
    assert clerk.post_form("/exports", {}).status_code == 403
    page = clerk.c.get(f"/applications/{app_id}").text
    assert 'id="decision-form"' not in page  # and the page does not offer it


def test_html_in_a_field_is_shown_as_text(clerk: Web, ledger: dict[str, Any]) -> None:
    app_id = ledger["html_app"]
    d = clerk.c.get(f"/api/applications/{app_id}").json()
    assert any(f["value"] == HOSTILE for f in d["fields"]), "the hostile value was read from the DOCX"
    page = clerk.c.get(f"/applications/{app_id}").text
    assert HOSTILE not in page and "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    r = clerk.post_json(f"/api/applications/{app_id}/corrections",
                        {"field": "head_title", "value": '"><svg onload=alert(2)>', "reason": "<b>why</b>"})
    assert r.status_code == 200
    page = clerk.c.get(f"/applications/{app_id}").text
    assert "<svg onload" not in page and "&lt;svg onload=alert(2)&gt;" in page and "<b>why</b>" not in page
    dash = clerk.c.get("/", params={"q": "<script>"}).text
    assert "<script>\"" not in dash and 'value="&lt;script&gt;"' in dash
    assert "script-src 'self'" in clerk.c.get("/").headers["content-security-policy"]


@pytest.mark.parametrize("url", [
    "/files/../haizhi.db", "/files/..%2Fhaizhi.db", "/files/%2e%2e%2fhaizhi.db", "/files/%2Fetc%2Fpasswd",
    "/files/" + "0" * 64, "/files/" + "A" * 64, "/files/" + "0" * 63 + "/pages/1.jpg",
    "/files/abc/pages/1.jpg", "/files/../../etc/passwd", "/exports/files/..%2F..%2Fhaizhi.db",
    "/exports/files/" + "0" * 24, "/static/../haizhi.db", "/static/..%2F..%2Fsettings.py",
])
def test_path_tricks_in_file_routes_refused(reviewer: Web, url: str) -> None:
    r = reviewer.c.get(url)
    assert r.status_code in (404, 422), (url, r.status_code)
    assert b"SQLite format" not in r.content and b"root:" not in r.content and b"Settings" not in r.content


def test_page_image_of_unknown_page_refused(clerk: Web, ledger: dict[str, Any]) -> None:
    d = clerk.c.get(f"/api/applications/{ledger['scan_app']}").json()
    sha = next(f for f in d["files"] if f["method"] == "ocr")["sha256"]
    assert clerk.c.get(f"/files/{sha}/pages/1.jpg").status_code == 200
    assert clerk.c.get(f"/files/{sha}/pages/99.jpg").status_code == 404
    assert clerk.c.get(f"/files/{sha}/pages/0.jpg").status_code == 422


def test_upload_name_tricks_stay_in_the_upload_inbox(clerk: Web, ledger: dict[str, Any]) -> None:
    r = clerk.c.post("/api/uploads", headers={"X-CSRF-Token": clerk.token},
                     files={"file": ("../../../../tmp/evil.docx", b"not really a docx")})
    assert r.status_code == 200, r.text
    uploads = ledger["out"] / "上传收件箱"
    saved = [p for p in uploads.rglob("*") if p.is_file()]
    assert saved and all(uploads in p.parents for p in saved)
    assert all(".." not in p.relative_to(uploads).as_posix() for p in saved)
