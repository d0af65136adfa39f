"""Intake over the job queue: applications per minute for the local process pool (SQLite ledger)
with 1 and 2 processes and for 1, 2 and 4 queue workers (PostgreSQL ledger, `haizhi worker`
processes of concurrency 1), the speed-up over one process, peak memory per worker, and the
queue's own overhead per job.

The inbox (built once) is --scanned N applications returned only as stamped scans (the load of a
national call), or with --scanned 0 the demo's simulated batch (pipeline.intake.demo_batch).
A PostgreSQL server (the Debian package) is started on 127.0.0.1 for the bench, one fresh
database per queue run. Each queue run has its workers running (as in production) before the
batch comes in, and is timed like a pool run: from registration to the run being exported.

Peak memory per worker: VmHWM of each worker process plus its runner and reading processes, read from /proc
just before the worker is stopped. Queue overhead per job: the same trivial inbox (N tiny JSON
"returns" read by the stand-in task of tests/intake/fake_task.py) through the local pool with one
process and through one queue worker; the difference in wall time divided by the number of jobs.

    .venv/bin/python bench/bench_queue.py [--pool 1,2] [--queue 1,2,4] [--scanned 16] [--trivial 40]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
FAKE = f"{ROOT / 'tests' / 'intake' / 'fake_task.py'}:task"


def build(inbox: Path, scans: int) -> int:
    from haizhi.pipeline.core.config import load_year
    from haizhi.pipeline.intake.demo_batch import build_returns

    build_returns(inbox, load_year(2026), scans=scans, progress=False)
    return sum(1 for p in inbox.rglob("*") if p.is_file())


def scanned(inbox: Path, n: int) -> int:
    """n applications that came back only as stamped scans (own simulator, levels in turn): the load
    of a national call, where most returns are scans."""
    import copy

    from haizhi.pipeline.core.config import load_year
    from haizhi.pipeline.intake.demo_batch import _rec, _scan

    cfg = load_year(2026)
    recs = [_rec("coop_example.json")] + [_rec(f"batch/{i:02d}.json") for i in range(1, 11)]
    for i in range(n):
        rec = copy.deepcopy(recs[i % len(recs)])
        folder = inbox / f"扫描回件{i:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        lv = ("clean", "moderate", "heavy")[i % 3]
        (folder / "合作机构信息表（盖章扫描件）.pdf").write_bytes(_scan(rec, lv, cfg, seed=1000 + i))
    return n


def trivial(inbox: Path, n: int) -> None:
    from tests.intake.helpers import coop, write_json

    for i in range(n):
        write_json(inbox / f"机构{i:03d}.json", coop(f"机构{i:03d}有限公司", f"91440300MA5F{i:06d}"))


def hwm_mb(pid: int) -> float:
    """VmHWM of a process and all its descendants, in MB."""
    total = 0
    pids, i = [pid], 0
    while i < len(pids):  # the worker, its capped runner and the runner's warm reading child
        for t in Path(f"/proc/{pids[i]}/task").glob("*/children"):
            pids += [int(x) for x in t.read_text().split()]
        i += 1
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def pool_run(inbox: Path, out: Path, workers: int, task: str | None) -> dict[str, Any]:
    from haizhi.pipeline.intake.run import Options, run_intake

    o = Options(inbox=inbox, out=out, workers=workers, year=2026, exports=True, pdf=False, progress=False)
    if task:
        o.task = task
    t0 = time.monotonic()
    s = run_intake(o)
    secs = time.monotonic() - t0
    return {"how": f"本机进程池 {workers} 个进程", "n": workers, "apps": s.applications_year, "jobs": s.processed,
            "secs": secs, "mem": [k / 1024 for k in s.peak_rss_kb], "cycle": None}


def queue_run(server: str, inbox: Path, out: Path, workers: int, task: str | None) -> dict[str, Any]:
    from sqlalchemy import select, text

    from haizhi.pipeline.intake.db import Run, open_db
    from haizhi.pipeline.intake.dispatch import start_worker_process, stop_worker_process
    from haizhi.pipeline.intake.run import Options, run_intake
    from tests.intake.pg import new_database

    url = new_database(server)
    engine, S = open_db(url)  # the ledger and the queue schema, before any worker starts
    procs = [start_worker_process(url) for _ in range(workers)]
    mem: list[float] = []
    try:
        deadline = time.monotonic() + 120
        with S() as ss:  # workers are running (as they are in production) before the batch comes in
            while ss.scalar(text("SELECT count(*) FROM procrastinate_workers")) < workers:
                if time.monotonic() > deadline:
                    raise SystemExit("queue workers did not start within 120 s")
                time.sleep(0.2)
                ss.rollback()
        o = Options(inbox=inbox, out=out, db=url, year=2026, exports=True, pdf=False, progress=False,
                    queue=True, wait=False)
        if task:
            o.task = task
        t0 = time.monotonic()  # registration included, as in pool_run
        s = run_intake(o)
        while True:
            with S() as ss:
                run = ss.scalar(select(Run).where(Run.id == s.run_id))
                if run.status == "finished":
                    summary = run.summary
                    break
            time.sleep(0.2)
        secs = time.monotonic() - t0
        mem = [hwm_mb(p.pid) for p in procs]
        with S() as ss:
            first, last = ss.execute(text(
                "SELECT min(e.at) FILTER (WHERE e.type = 'started'), max(e.at) FILTER (WHERE e.type = 'succeeded') "
                "FROM procrastinate_events e JOIN procrastinate_jobs j ON j.id = e.job_id "
                "WHERE j.task_name = 'haizhi.read'")).one()
        cycle = (last - first).total_seconds() / max(1, s.processed) if first and last else None
    finally:
        for p in procs:
            stop_worker_process(p)
        engine.dispose()
    return {"how": f"任务队列 {workers} 个工作进程", "n": workers, "apps": summary["applications_year"],
            "jobs": s.processed, "secs": secs, "mem": mem, "cycle": cycle}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pool", default="1,2")
    ap.add_argument("--queue", default="1,2,4")
    ap.add_argument("--scanned", type=int, default=16, help="applications returned only as scans (0: the demo batch)")
    ap.add_argument("--scans", type=int, default=1, help="scans in the demo batch (with --scanned 0)")
    ap.add_argument("--trivial", type=int, default=40, help="tiny returns for the overhead per job")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    from tests.intake.pg import pg_server

    tmp = Path(tempfile.mkdtemp(prefix="haizhi-bench-queue-"))
    rows: list[dict[str, Any]] = []
    try:
        n = scanned(tmp / "inbox", a.scanned) if a.scanned else build(tmp / "inbox", a.scans)
        print(f"inbox: {n} files", file=sys.stderr)
        trivial(tmp / "tiny", a.trivial)
        with pg_server() as server:
            for w in [int(x) for x in a.pool.split(",") if x]:
                rows.append(pool_run(tmp / "inbox", tmp / f"pool-{w}", w, None))
                print(rows[-1], file=sys.stderr)
            for w in [int(x) for x in a.queue.split(",") if x]:
                rows.append(queue_run(server, tmp / "inbox", tmp / f"queue-{w}", w, None))
                print(rows[-1], file=sys.stderr)
            tiny_pool = pool_run(tmp / "tiny", tmp / "tiny-pool", 1, FAKE)
            tiny_queue = queue_run(server, tmp / "tiny", tmp / "tiny-queue", 1, FAKE)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    base = next((r for r in rows if r["n"] == 1), rows[0])
    if a.json:
        print(json.dumps({"rows": rows, "tiny_pool": tiny_pool, "tiny_queue": tiny_queue}, ensure_ascii=False))
    print("| 处理方式 | 申请 | 读取任务 | 秒 | 申请/分钟 | 相对本机 1 进程 | 每个工作进程峰值内存 (MB) |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for r in rows:
        speed = base["secs"] / r["secs"]
        mem = "/".join(f"{m:.0f}" for m in r["mem"] if m)
        print(f"| {r['how']} | {r['apps']} | {r['jobs']} | {r['secs']:.1f} | {r['apps'] / r['secs'] * 60:.1f} "
              f"| {speed:.2f}× | {mem} |")
    per = (tiny_queue["secs"] - tiny_pool["secs"]) / max(1, tiny_queue["jobs"])
    cyc = tiny_queue["cycle"] or 0.0
    print(f"\n队列自身开销（{tiny_queue['jobs']} 个极小文件，读取几乎不花时间）：本机 1 进程整批 {tiny_pool['secs']:.1f} 秒，"
          f"1 个队列工作进程整批 {tiny_queue['secs']:.1f} 秒（工作进程已在运行），差值每个任务 {per * 1000:.0f} 毫秒；"
          f"队列中从第一个读取任务开始到最后一个完成，平均每个任务 {cyc * 1000:.0f} 毫秒（取任务、读取、写台账、记完成）")


if __name__ == "__main__":
    main()
