"""Review layer latency on a year of N applications: a correction re-checked at once, the dashboard, a page.

    .venv/bin/python bench/bench_review.py [--n 300] [--corrections 30] [--db URL]

The ledger is filled directly (one file, record and application per candidate, from the
sample coop record with names, codes and recommenders varied), checked once by intake's
review(), then timed: correct_field (which re-validates the application and re-runs the
year's batch rules), list_applications (first page) and application_detail. SQLite in a
temporary folder unless --db is given. Prints a Markdown table of medians and 95th percentiles.
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from haizhi.pipeline.core.config import load_year  # noqa: E402
from haizhi.pipeline.core.record import load_record  # noqa: E402
from haizhi.pipeline.intake.db import Application, File, RecordRow, default_url, open_db  # noqa: E402
from haizhi.pipeline.intake.review import review  # noqa: E402
from haizhi.pipeline.review.accounts import add_user  # noqa: E402
from haizhi.pipeline.review.queries import application_detail, list_applications  # noqa: E402
from haizhi.pipeline.review.revisions import correct_field  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
RECOMMENDERS = ("广东省科学技术协会", "中国电子学会", "上海市科学技术协会", "某某未登记协会")


def fill(S, n: int) -> list[int]:
    base = load_record(ROOT / "fixtures" / "records" / "coop_example.json")
    with S() as s:
        for i in range(n):
            sha = hashlib.sha256(f"bench-{i}".encode()).hexdigest()
            f = File(sha256=sha, size=1000, name=f"{i}.docx", suffix=".docx", state="done", kind="form", attempts=1)
            s.add(f)
            s.flush()
            fields = dict(base.fields, name_cn=f"测试机构{i:04d}有限公司", credit_code=f"9144030{i:04d}MA5FXT",
                          recommender=RECOMMENDERS[i % len(RECOMMENDERS)], staff_total=40 + i % 20)
            app = Application(year=2026, form="coop_institution", key=f"name:{i}", name=fields["name_cn"])
            s.add(app)
            s.flush()
            s.add(RecordRow(file_id=f.id, idx=0, form="coop_institution", copy="editable", application_id=app.id,
                            version=1, fields=fields, source={"method": "docx", "file": f.name}, provenance={},
                            marks={}))
        s.commit()
        add_user(s, "bench", "admin", "bench-password")
        review(s, load_year(2026), None)  # type: ignore[arg-type]
        return [a.current_record_id for a in s.query(Application).order_by(Application.id)]


def timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def row(name: str, xs: list[float]) -> str:
    xs = sorted(xs)
    p95 = xs[min(len(xs) - 1, int(round(0.95 * (len(xs) - 1))))]
    return f"| {name} | {len(xs)} | {statistics.median(xs) * 1000:.0f} | {p95 * 1000:.0f} |"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--corrections", type=int, default=30)
    ap.add_argument("--db", default=None)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        engine, S = open_db(a.db or default_url(d))
        t0 = time.perf_counter()
        rids = fill(S, a.n)
        setup = time.perf_counter() - t0
        fix, dash, page = [], [], []
        with S() as s:
            apps = [x.id for x in s.query(Application).order_by(Application.id)]
            for k in range(a.corrections):
                i = (k * 7) % len(rids)
                fix.append(timed(lambda i=i, k=k: correct_field(s, rids[i], "staff_total", 100 + k, "bench", "基准")))
                dash.append(timed(lambda: list_applications(s, limit=50)))
                page.append(timed(lambda i=i: application_detail(s, apps[i])))
        engine.dispose()
    print(f"{a.n} applications ({engine.dialect.name}); ledger filled and checked in {setup:.1f} s\n")
    print("| operation | runs | median ms | p95 ms |\n| --- | --- | --- | --- |")
    print(row("correct_field (re-check incl. batch rules)", fix))
    print(row("list_applications (dashboard, 50 rows)", dash))
    print(row("application_detail (one page)", page))


if __name__ == "__main__":
    main()
