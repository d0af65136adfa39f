"""Load test of the review web app on loopback: N simultaneous clients browsing and correcting.

    .venv/bin/python bench/bench_web.py [--out outputs/demo] [--clients 20] [--seconds 30] [--workers 2]
                                        [--screenshots docs/screenshots]

The ledger is a `haizhi demo` output folder (made with `haizhi demo --no-pdf` first if the
folder has no ledger). `haizhi serve` starts on 127.0.0.1 with a free port; page images are
rendered once before timing (first views render and cache them). Each client logs in and,
until the time is up, opens the dashboard (sometimes filtered), an application's page, its
record through the API, one page image, and posts a correction of a text field (every
correction is a new revision and re-runs the application's checks and the year's batch
rules). Any status other than 2xx, or a network error, counts as an error.
Prints a Markdown table; with --screenshots, saves the dashboard and an application's page
taken by Playwright in Debian's chromium.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
USER, PASSWORD = "bench-clerk", "bench-pass-123"
VIEWER, VIEWER_PASSWORD = "bench-reviewer", "bench-pass-456"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ensure_ledger(out: Path) -> str:
    from haizhi.pipeline.intake.db import default_url, open_db
    from haizhi.pipeline.review.accounts import add_user
    from haizhi.pipeline.review.errors import Conflict

    if not (out / "haizhi.db").is_file():
        subprocess.run([sys.executable, "-m", "haizhi.pipeline.cli", "demo", "--out", str(out), "--no-pdf", "-q",
                        "-j", "1"], check=True)
    url = default_url(out)
    engine, S = open_db(url)
    with S() as s:
        for name, role, pw in ((USER, "clerk", PASSWORD), (VIEWER, "reviewer", VIEWER_PASSWORD)):
            with contextlib.suppress(Conflict):
                add_user(s, name, role, pw)
    engine.dispose()
    return url


def login(base: str, name: str, pw: str) -> tuple[httpx.Client, str]:
    c = httpx.Client(base_url=base, timeout=120, follow_redirects=False)
    page = c.get("/login").text
    tok = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    r = c.post("/login", data={"name": name, "password": pw, "csrf_token": tok, "next": "/"})
    assert r.status_code == 303, r.text
    return c, c.get("/api/session").json()["csrf_token"]


def client_loop(base: str, apps: list[int], stop: float, seed: int, times: dict[str, list[float]],
                errors: list[str], lock: threading.Lock) -> None:
    rnd = random.Random(seed)
    c, tok = login(base, USER, PASSWORD)
    n = 0

    def timed(kind: str, method: str, url: str, **kw: object) -> httpx.Response | None:
        t0 = time.perf_counter()
        try:
            r = c.request(method, url, **kw)
        except httpx.HTTPError as e:
            with lock:
                errors.append(f"{kind} {url}: {type(e).__name__}")
            return None
        dt = time.perf_counter() - t0
        with lock:
            times[kind].append(dt)
            if not 200 <= r.status_code < 300:
                errors.append(f"{kind} {url}: {r.status_code} {r.text[:200]}")
        return r

    while time.monotonic() < stop:
        n += 1
        app = rnd.choice(apps)
        timed("dashboard", "GET", "/" if n % 3 else "/?flagged=1&q=科技")
        timed("application page", "GET", f"/applications/{app}")
        r = timed("API record", "GET", f"/api/applications/{app}")
        pages = timed("API pages", "GET", f"/api/applications/{app}/pages")
        if pages is not None and pages.status_code == 200 and pages.json()["pages"]:
            timed("page image", "GET", pages.json()["pages"][0]["src"])
        if r is not None and r.status_code == 200:
            timed("correction", "POST", f"/api/applications/{app}/corrections", headers={"X-CSRF-Token": tok},
                  json={"field": "contact_name", "value": f"联系人（压测更正 {seed}-{n}-{time.time_ns() % 10**9}）",
                        "reason": "压测"})
    c.close()


def screenshots(base: str, app_id: int, folder: Path) -> None:
    from playwright.sync_api import sync_playwright

    folder.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        pg = b.new_page(viewport={"width": 1500, "height": 940})
        pg.goto(base + "/login")
        pg.fill("#name", VIEWER)
        pg.fill("#password", VIEWER_PASSWORD)
        pg.click("button[type=submit]")
        pg.wait_for_url(base + "/")
        pg.screenshot(path=str(folder / "dashboard.png"))
        pg.goto(f"{base}/applications/{app_id}")
        pg.wait_for_load_state("networkidle")
        pg.keyboard.press("j")
        pg.wait_for_timeout(400)
        pg.screenshot(path=str(folder / "application.png"))
        b.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "outputs" / "demo")
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--screenshots", type=Path, default=None)
    a = ap.parse_args()
    url = ensure_ledger(a.out)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen([sys.executable, "-m", "haizhi.pipeline.cli", "serve", "--store", str(a.out / "store"),
                             "--db", url, "--port", str(port), "--workers", str(a.workers)],
                            env=dict(os.environ), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(200):
            try:
                if httpx.get(base + "/login", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.3)
        c, _tok = login(base, USER, PASSWORD)
        apps = [it["id"] for it in c.get("/api/applications", params={"limit": 500}).json()["items"]]
        t0 = time.perf_counter()
        for app in apps:  # render every page image once (cached on disk by file hash)
            c.get(f"/api/applications/{app}/pages")
        warm = time.perf_counter() - t0
        c.close()
        if a.screenshots:  # before the load, while the ledger is as the demo left it
            texts = {x: c_text(base, x) for x in apps}
            scans = [x for x in apps if "（扫描件）" in texts[x]] or apps
            scan_app = max(scans, key=lambda x: texts[x].count('class="field flagged'))
            screenshots(base, scan_app, a.screenshots)
        times: dict[str, list[float]] = defaultdict(list)
        errors: list[str] = []
        lock = threading.Lock()
        stop = time.monotonic() + a.seconds
        threads = [threading.Thread(target=client_loop, args=(base, apps, stop, i, times, errors, lock))
                   for i in range(a.clients)]
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=a.seconds + 300)
        wall = time.perf_counter() - t0
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    total = sum(len(v) for v in times.values())
    pages = times["dashboard"] + times["application page"]
    print(f"\n{a.clients} 个并发客户端，{a.seconds:.0f} 秒（实际 {wall:.1f} 秒），{a.workers} 个 uvicorn 工作进程，"
          f"{len(apps)} 份申请；预先渲染页面图像 {warm:.1f} 秒\n")
    print("| 请求 | 次数 | 中位数 ms | p95 ms |")
    print("| --- | ---: | ---: | ---: |")
    for kind, v in [*times.items(), ("页面（仪表板 + 申请页）", pages)]:
        if v:
            print(f"| {kind} | {len(v)} | {1000 * statistics.median(v):.0f} | {1000 * p95(v):.0f} |")
    print(f"\n共 {total} 个请求，{total / wall:.1f} 个/秒；错误 {len(errors)} 个")
    for e in errors[:10]:
        print("  -", e)
    sys.exit(1 if errors else 0)


def p95(v: list[float]) -> float:
    v = sorted(v)
    return v[min(len(v) - 1, max(0, math.ceil(0.95 * len(v)) - 1))]


def c_text(base: str, app_id: int) -> str:
    c, _ = login(base, USER, PASSWORD)
    try:
        return c.get(f"/applications/{app_id}").text
    finally:
        c.close()


if __name__ == "__main__":
    main()
