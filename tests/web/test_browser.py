"""The review step in a real headless Chromium (Debian's chromium, driven by Playwright):
log in, dashboard, a scanned application, jump to a flagged field and see its box on the
page, correct it, decide 需补正, and find the corrected value, its corrector and the
补正通知 in the exports. The server is `haizhi serve` on 127.0.0.1 with a free port."""

from __future__ import annotations

import contextlib
import io
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.web.conftest import USERS

CHROMIUM = "/usr/bin/chromium"
NEW_ADDRESS = "广东省深圳市南山区科技园南区创新大厦A座1203室（浏览器更正）"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serving(ledger: dict[str, Any], env: dict[str, str], workers: int) -> Iterator[str]:
    """`haizhi serve` on a free loopback port over the test ledger; yields its base URL."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "haizhi.pipeline.cli", "serve", "--store", str(ledger["store"]),
                             "--db", ledger["db"], "--port", str(port), "--workers", str(workers), "--year", "2026"],
                            env=dict(os.environ, **env), stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(base + "/login", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                out = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
                raise RuntimeError(f"haizhi serve did not start: {out[-2000:]}")
            time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def server(ledger: dict[str, Any]) -> Iterator[str]:
    with serving(ledger, {"HAIZHI_WEB_SECRET": "browser-test-secret-" + "y" * 24}, workers=2) as base:
        yield base


def test_review_in_chromium(server: str, ledger: dict[str, Any], tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    name, password = USERS["reviewer"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1440, "height": 900}, accept_downloads=True)
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        try:
            # log in
            page.goto(server + "/")
            expect(page).to_have_url(server + "/login?next=/")
            page.fill("#name", name)
            page.fill("#password", password)
            page.click("button[type=submit]")
            expect(page).to_have_url(server + "/")
            # the dashboard
            expect(page.locator(".count.s-待复核 .n")).to_have_text("2")
            expect(page.locator("#app-table tbody tr")).to_have_count(2)
            # a select filters on change; back to all
            page.select_option("select[name=recommender]", "清华大学科学技术协会")
            expect(page.locator("#app-table tbody tr")).to_have_count(1)
            page.select_option("select[name=recommender]", "")
            expect(page.locator("#app-table tbody tr")).to_have_count(2)
            page.fill("#q", "深圳湾")  # HTMX filters the table as one types
            expect(page.locator("#app-table tbody tr")).to_have_count(1)
            expect(page).to_have_url(re.compile(r"q=%E6%B7%B1"))
            link = page.locator("a.app-link", has_text="深圳湾")
            expect(link).to_be_visible()
            # leaving the search box sends no second filter request: its reply would push
            # the dashboard's URL over the navigation the click started
            late: list[str] = []
            page.on("request", lambda r: late.append(r.url) if "q=" in r.url else None)
            link.click()
            expect(page).to_have_url(re.compile(r"/applications/\d+"))
            assert late == []
            # the scanned application: its scan is the file shown, with boxes over the pages
            expect(page.locator("nav.files .file.current")).to_contain_text("扫描件")
            expect(page.locator("#viewer figure.page")).to_have_count(3)
            expect(page.locator("#viewer img").first).to_have_js_property("complete", True)
            # jump through flagged fields with j until the address that differs between copies
            for _ in range(12):
                page.keyboard.press("j")
                if page.locator("#f-contact_address.active").count():
                    break
            field = page.locator("#f-contact_address")
            expect(field).to_have_class(re.compile(r"\bflagged\b.*\bactive\b|\bactive\b.*\bflagged\b"))
            box = page.locator('#viewer rect.active[data-key="contact_address"]')
            expect(box).to_have_count(1)
            expect(box).to_be_in_viewport()
            bb = box.bounding_box()
            assert bb and bb["width"] > 100 and bb["height"] > 5, bb
            # clicking a box focuses its field
            page.locator('#viewer rect[data-key="name_cn"]').click(force=True)
            expect(page.locator("#f-name_cn")).to_have_class(re.compile(r"\bactive\b"))
            page.locator("#f-contact_address .fl").click()
            # correct it: e opens the editor, Enter saves (HTMX), the panel shows who corrected it
            page.keyboard.press("e")
            editor = page.locator("#f-contact_address form.edit input[name=value]")
            expect(editor).to_be_focused()
            editor.fill(NEW_ADDRESS)
            editor.press("Enter")
            expect(page.locator("#f-contact_address .fv")).to_have_text(NEW_ADDRESS)
            expect(page.locator("#f-contact_address .who")).to_contain_text(f"由 {name} 更正")
            expect(page.locator("#toast")).to_contain_text("已更正")
            # decide 需补正 with one item
            page.check("input[name=decision][value=需补正]")
            page.fill("#items", "请补交盖章的营业执照扫描件")
            page.click("#decision-form button[type=submit]")
            expect(page.locator("#current-decision")).to_have_text("需补正")
            expect(page.locator("#notice-docx")).to_be_visible()
            with page.expect_download() as dl:
                page.click("#notice-docx")
            notice = Path(dl.value.path()).read_bytes()
            assert notice[:2] == b"PK"
            # ] opens the next application, [ comes back
            app_url = page.url.split("#")[0]
            page.keyboard.press("]")
            expect(page).not_to_have_url(app_url)
            page.keyboard.press("[")
            expect(page).to_have_url(app_url)
            # the exports: reviewed values with who corrected them, and the 补正通知
            page.click("header nav >> text=导出")
            page.click("#export-form button[type=submit]")
            files = page.locator("#export-files a")
            expect(files.filter(has_text="补正通知")).not_to_have_count(0)
            with page.expect_download() as dl:
                files.filter(has_text=".xlsx").first.click()
            xlsx = Path(dl.value.path()).read_bytes()
            with page.expect_download() as dl:
                files.filter(has_text=".jsonl").first.click()
            jsonl = Path(dl.value.path()).read_text(encoding="utf-8")
            page.screenshot(path=str(tmp_path / "exports.png"))
        finally:
            browser.close()
    assert not errors, errors
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(xlsx), read_only=True)
    cells = [str(c) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    assert NEW_ADDRESS in cells, "the exported workbook holds the corrected value"
    assert any(name in c for c in cells), "and says who corrected it"
    assert NEW_ADDRESS in jsonl and name in jsonl
