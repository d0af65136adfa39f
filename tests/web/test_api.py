"""Each route of the JSON API and of the pages, against a real ledger (FastAPI TestClient)."""

from __future__ import annotations

from typing import Any

from tests.web.conftest import EDITED_ADDRESS, Web


def test_session_and_list(clerk: Web, ledger: dict[str, Any]) -> None:
    me = clerk.c.get("/api/session").json()
    assert me["user"] == "小王" and me["role"] == "clerk" and me["csrf_token"] == clerk.token
    d = clerk.c.get("/api/applications").json()
    assert d["total"] == 2 and d["year"] == 2026
    assert {it["id"] for it in d["items"]} == {ledger["scan_app"], ledger["html_app"]}
    assert all(it["status"] == "待复核" for it in d["items"])
    assert d["recommenders"] and "share" in d["recommenders"][0]
    only = clerk.c.get("/api/applications", params={"q": "深圳湾"}).json()
    assert [it["id"] for it in only["items"]] == [ledger["scan_app"]]
    none = clerk.c.get("/api/applications", params={"status": "通过"}).json()
    assert none["total"] == 0


def test_read_record_with_boxes_and_findings(clerk: Web, ledger: dict[str, Any]) -> None:
    d = clerk.c.get(f"/api/applications/{ledger['scan_app']}").json()
    assert d["application"]["id"] == ledger["scan_app"]
    flagged = [f for f in d["fields"] if f["flagged"]]
    assert "contact_address" in {f["key"] for f in flagged}
    assert d["fields"][0]["flagged"], "flagged fields come first"
    assert any(f["rule"] == "compare.mismatch" and f["field"] == "contact_address" for f in d["findings"])
    scan = next(r for r in d["records"] if r["copy"] == "scan")
    assert scan["provenance"]["contact_address"]["bbox"]
    pages = clerk.c.get(f"/api/applications/{ledger['scan_app']}/pages").json()
    assert pages["file"]["method"] == "ocr" and len(pages["pages"]) == 3
    boxes = [b for p in pages["pages"] for b in p["boxes"]]
    assert any(b["key"] == "contact_address" and b["flagged"] for b in boxes)
    assert any(b["kind"] == "seal" for b in boxes), "red seals found on the scan's pages"
    img = clerk.c.get(pages["pages"][0]["src"])
    assert img.status_code == 200 and img.headers["content-type"] == "image/jpeg" and img.content[:2] == b"\xff\xd8"


def test_post_correction_and_verification(clerk: Web, ledger: dict[str, Any]) -> None:
    app_id = ledger["scan_app"]
    r = clerk.post_json(f"/api/applications/{app_id}/corrections",
                        {"field": "contact_address", "value": EDITED_ADDRESS + "（已核实）", "reason": "电话核实"})
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["revision"]["kind"] == "correction" and out["value"].endswith("（已核实）")
    d = clerk.c.get(f"/api/applications/{app_id}").json()
    f = next(f for f in d["fields"] if f["key"] == "contact_address")
    assert f["value"].endswith("（已核实）") and f["corrected"]["user"] == "小王"
    assert f["machine"] != f["value"], "the machine's value is kept"
    hist = [h for h in d["revisions"] if h["field"] == "contact_address"]
    assert [h["kind"] for h in hist] == ["machine", "correction"]
    r = clerk.post_json(f"/api/applications/{app_id}/verifications", {"field": "services"})
    assert r.status_code == 200 and r.json()["revision"]["kind"] == "verified"
    bad = clerk.post_json(f"/api/applications/{app_id}/corrections", {"field": "no_such_field", "value": "x"})
    assert bad.status_code == 400 and "字段" in bad.json()["detail"]
    missing = clerk.post_json("/api/applications/99999/corrections", {"field": "name_cn", "value": "x"})
    assert missing.status_code == 404


def test_post_decision(reviewer: Web, ledger: dict[str, Any]) -> None:
    app_id = ledger["html_app"]
    r = reviewer.post_json(f"/api/applications/{app_id}/decisions",
                           {"decision": "需补正", "items": ["请补交营业执照扫描件", {"field": "name_en", "text": "英文名称有误"}]})
    assert r.status_code == 200, r.text
    assert r.json()["decision"]["decision"] == "需补正" and r.json()["decision"]["user"] == "老李"
    empty = reviewer.post_json(f"/api/applications/{app_id}/decisions", {"decision": "需补正", "items": []})
    assert empty.status_code == 400
    r = reviewer.post_json(f"/api/applications/{app_id}/decisions", {"decision": "通过"})
    hist = r.json()["history"]
    assert [h["decision"] for h in hist] == ["需补正", "通过"], "a revised decision keeps its history"
    r = reviewer.post_json(f"/api/applications/{app_id}/decisions", {"decision": "需补正", "items": ["补交证明"]})
    docx = reviewer.c.get(f"/applications/{app_id}/notice.docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    d = reviewer.c.get("/api/applications", params={"status": "需补正"}).json()
    assert [it["id"] for it in d["items"]] == [app_id]


def test_pages_render(clerk: Web, ledger: dict[str, Any]) -> None:
    for url in ("/", "/?flagged=1&q=深圳", "/inbox", "/docs", f"/applications/{ledger['scan_app']}",
                f"/applications/{ledger['html_app']}", "/partials/processing"):
        r = clerk.c.get(url)
        assert r.status_code == 200, (url, r.text[:300])
        assert "<title>" in r.text or url.startswith("/partials")
    page = clerk.c.get(f"/applications/{ledger['scan_app']}").text
    assert 'class="box field' in page and 'data-key="contact_address"' in page and 'class="box seal"' in page
    assert "下一个待核对字段" in page
    spec = clerk.c.get("/openapi.json").json()
    paths = spec["paths"]
    for p in ("/api/applications", "/api/applications/{app_id}", "/api/applications/{app_id}/corrections",
              "/api/applications/{app_id}/decisions", "/api/uploads"):
        assert p in paths, p


def test_htmx_correction_returns_fields_panel(clerk: Web, ledger: dict[str, Any]) -> None:
    app_id = ledger["scan_app"]
    r = clerk.c.post(f"/applications/{app_id}/fields/head_title/correct", data={"value": "总经理（兼）"},
                     headers={"X-CSRF-Token": clerk.token, "HX-Request": "true"})
    assert r.status_code == 200, r.text
    assert 'id="fields"' in r.text and "总经理（兼）" in r.text and "由 小王 更正" in r.text
    assert 'hx-swap-oob="true"' in r.text  # the status box updates too


def test_original_download(clerk: Web, ledger: dict[str, Any]) -> None:
    d = clerk.c.get(f"/api/applications/{ledger['scan_app']}").json()
    f = next(f for f in d["files"] if f["method"] == "ocr")
    r = clerk.c.get(f"/files/{f['sha256']}")
    assert r.status_code == 200 and r.content[:5] == b"%PDF-"
    import hashlib

    assert hashlib.sha256(r.content).hexdigest() == f["sha256"]


def test_exports_with_reviewed_values(reviewer: Web, ledger: dict[str, Any]) -> None:
    r = reviewer.post_form("/exports", {})
    assert r.status_code == 303, r.text
    page = reviewer.c.get("/exports").text
    assert ".xlsx" in page and "补正通知" in page


def test_admin_users(admin: Web) -> None:
    r = admin.post_form("/users", {"name": "新同事", "role": "clerk", "password": "new-pass-123"})
    assert r.status_code == 303
    assert "新同事" in admin.c.get("/users").text
    dup = admin.post_form("/users", {"name": "新同事", "role": "clerk", "password": "new-pass-123"})
    assert dup.status_code == 409
