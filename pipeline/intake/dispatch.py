"""Putting work on the queue, watching it, and running queue workers.

    enqueue_files(db_url, paths=[…]) or enqueue_files(db_url, hashes=[…])  → EnqueueResult
    queue_status(db_url)                                                     → {"jobs": …, "files": …}
    run_worker(db_url, concurrency=2)                                        (haizhi worker)

The web app calls enqueue_files for uploads; `haizhi intake --db postgresql…` registers an inbox
and calls the same code (run_queued).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import procrastinate
from sqlalchemy import func, select, text, update

from haizhi.pipeline.core.config import resolve_config
from haizhi.pipeline.core.errors import HaizhiError
from haizhi.pipeline.intake import queue as q
from haizhi.pipeline.intake.db import File, Run, open_db
from haizhi.pipeline.intake.steps import REAL_TASK, Summary
from haizhi.pipeline.intake.store import FileStore, open_store

JOB_STATES = {"todo": "排队", "doing": "处理中", "succeeded": "完成", "failed": "失败", "cancelled": "已取消",
              "aborting": "中止中", "aborted": "已中止"}
TASK_CN = {q.READ: "读取", q.REVIEW: "比对与初审", q.EXPORT: "导出"}
FILE_STATES = {"pending": "待读取", "done": "已读取", "rejected": "拒收", "failed": "已搁置（处理失败）"}


@dataclass
class EnqueueResult:
    run_id: int
    files: int  # files of the run
    queued: int  # read jobs added now (files already queued or read are not queued again)
    job_ids: list[int] = field(default_factory=list)


@dataclass
class JobOptions:
    out: Path = Path("outputs")
    store: Path | None = None
    year: int | None = None
    config: str | None = None
    timeout: float = 180.0
    mem_mb: int | None = 4096
    ocr_engine: str | None = None
    exports: bool = True
    pdf: bool = True
    retry_failed: bool = False
    task: str = REAL_TASK


def enqueue_run(url: str, Session: Any, store: FileStore, seen: dict[int, str | None], o: Any, year: int,
                run_id: int, summ: Summary) -> EnqueueResult:
    """Queue one read job per pending file of a registered run, then (when nothing is left to read)
    its review. The run's files, names and options are kept on the run row for the workers."""
    with Session() as s:
        if o.retry_failed:
            s.execute(update(File).where(File.id.in_(list(seen)), File.state == "failed").values(state="pending"))
        todo = list(s.scalars(select(File).where(File.id.in_(list(seen)), File.state == "pending")))
        todo.sort(key=lambda f: -f.size)  # scans first: a better finish over several workers
        meta = {"seen": [[i, folder] for i, folder in seen.items()], "paths": {str(k): v for k, v in summ.paths.items()},
                "out": str(Path(o.out).resolve()), "store": str(store.root), "config": o.config,
                "exports": o.exports, "pdf": o.pdf}
        run = s.get(Run, run_id)
        run.status, run.summary = "queued", {**summ.to_dict(), "queue": meta}
        app = q.make_app(url)
        ids: list[int] = []
        with app.open():
            # the run's state and its jobs commit in one transaction: killed before the commit, nothing
            # is queued and the next intake queues the still-pending files again
            conn = s.connection().connection.driver_connection
            for f in todo:
                args = {"file_id": f.id, "run_id": run_id, "display": summ.paths.get(f.id, f.name),
                        "store": str(store.root), "task": o.task, "timeout": o.timeout,
                        "ocr_engine": o.ocr_engine, "mem_mb": o.mem_mb}
                try:
                    with s.begin_nested():  # a file already queued costs only its own savepoint
                        ids.append(app.tasks[q.READ].configure(queueing_lock=f"read:{f.sha256}",
                                                               lock=f"file:{f.sha256}", connection=conn)
                                   .defer(**args))
                except procrastinate.exceptions.AlreadyEnqueued:
                    pass
            s.commit()
            q._review_when_read(app, Session, run_id)
    return EnqueueResult(run_id, len(seen), len(ids), ids)


def enqueue_files(db_url: str, paths: list[str | Path] | None = None, hashes: list[str] | None = None,
                  **kw: Any) -> EnqueueResult:
    """Queue files for the workers: paths (stored and registered here, folders walked as an inbox)
    or hashes of originals already in the store and the ledger. kw: JobOptions fields."""
    from haizhi.pipeline.intake.run import Options, _register_all

    o = JobOptions(**kw)
    cfg = resolve_config(o.year, o.config)
    engine, Session = open_db(db_url)
    store = open_store(o.store or Path(o.out) / "store")
    summ = Summary(db=engine.url.render_as_string(hide_password=True), store=str(store.root))
    try:
        with Session() as s:
            run = Run(inbox="（上传）", year=cfg.year, workers=0, status="running")
            s.add(run)
            s.commit()
            run_id = summ.run_id = run.id
        seen: dict[int, str | None] = {}
        for p in paths or []:
            opts = Options(inbox=Path(p), out=Path(o.out), progress=False)
            seen.update(_register_all(Session, store, Path(p), opts, run_id, summ))
        with Session() as s:
            for h in hashes or []:
                f = s.scalar(select(File).where(File.sha256 == h))
                if f is None:
                    raise HaizhiError(f"台账中没有哈希为 {h[:12]}… 的文件，请先存档登记")
                seen.setdefault(f.id, None)
                summ.paths.setdefault(f.id, f.name)
        return enqueue_run(db_url, Session, store, seen, o, cfg.year, run_id, summ)
    finally:
        engine.dispose()


def run_queued(url: str, Session: Any, store: FileStore, seen: dict[int, str | None], opts: Any, cfg: Any,
               run_id: int, summ: Summary, t0: float) -> Summary:
    """`haizhi intake` with a PostgreSQL ledger: queue the run; unless told not to wait, start local
    workers (opts.local_workers, default opts.workers) and wait until the run is finished."""
    res = enqueue_run(url, Session, store, seen, opts, cfg.year, run_id, summ)
    summ.processed = res.queued
    if not opts.wait:
        return summ
    from tqdm import tqdm

    n = opts.workers if opts.local_workers is None else opts.local_workers
    if n == 0 and opts.progress:
        print(f"已排队 {res.queued} 个文件，等待工作进程（haizhi worker --db …）处理……", file=sys.stderr)
    procs = [start_worker_process(url, store=str(store.root)) for _ in range(n)]
    ids = list(seen)
    bar = tqdm(total=len(ids), desc="处理", unit="个", disable=not opts.progress, leave=False)
    try:
        while True:
            with Session() as s:
                run = s.get(Run, run_id)
                if run.status == "finished":
                    out = q._summary(run)
                    out.processed = res.queued
                    return out
                if run.status == "failed":
                    raise HaizhiError(f"第 {run_id} 次收件在工作进程中失败：{(run.summary or {}).get('error')}")
                done = s.scalar(select(func.count()).select_from(File)
                                .where(File.id.in_(ids), File.state != "pending")) or 0
            bar.update(done - bar.n)
            time.sleep(0.5)
    finally:
        bar.close()
        for p in procs:
            stop_worker_process(p)


def start_worker_process(url: str, *, concurrency: int = 1, store: str | None = None, out: str | None = None,
                         stall_after: float | None = None) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "haizhi.pipeline.cli", "worker", "--db", url, "--concurrency", str(concurrency)]
    if store:
        cmd += ["--store", store]
    if out:
        cmd += ["--out", out]
    if stall_after:
        cmd += ["--stall-after", str(stall_after)]
    return subprocess.Popen(cmd, stdin=subprocess.DEVNULL)


def stop_worker_process(p: subprocess.Popen[bytes], grace: float = 20.0) -> None:
    if p.poll() is None:
        p.send_signal(signal.SIGTERM)
        try:
            p.wait(grace)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait(5)


def queue_jobs(s: Any) -> dict[str, dict[str, int]]:
    """{task: {state: count}} of the queue (PostgreSQL ledger; empty for SQLite)."""
    jobs: dict[str, dict[str, int]] = {}
    if s.get_bind().dialect.name == "postgresql":
        for task, status, n in s.execute(text(
                "SELECT task_name, status::text, count(*) FROM procrastinate_jobs "
                "WHERE queue_name = :q GROUP BY 1, 2"), {"q": q.QUEUE}):
            jobs.setdefault(task, {})[status] = n
    return jobs


def live_workers(s: Any, seconds: float = 60.0) -> int:
    """Queue workers (on any machine) whose heartbeat is newer than `seconds`."""
    if s.get_bind().dialect.name != "postgresql":
        return 0
    return s.scalar(text("SELECT count(*) FROM procrastinate_workers "
                         "WHERE last_heartbeat > NOW() - make_interval(secs => :s)"), {"s": seconds}) or 0


def queued_hashes(s: Any) -> set[str]:
    """Hashes of the files a read job is waiting for or working on."""
    rows = s.execute(text("SELECT queueing_lock FROM procrastinate_jobs WHERE task_name = :t "
                          "AND status IN ('todo', 'doing') AND queueing_lock LIKE 'read:%'"), {"t": q.READ})
    return {lock[5:] for (lock,) in rows}


def queue_status(db_url: str) -> dict[str, Any]:
    """Jobs per step and state (queued, running, done, failed), and the ledger's files per state."""
    engine, Session = open_db(db_url)
    try:
        with Session() as s:
            files = dict(s.execute(select(File.state, func.count()).group_by(File.state)).all())
            jobs = queue_jobs(s)
            workers = live_workers(s)
            runs = [(r.id, r.status) for r in s.scalars(select(Run).order_by(Run.id.desc()).limit(5))]
        return {"jobs": jobs, "files": files, "runs": runs, "workers": workers,
                "queue": engine.dialect.name == "postgresql"}
    finally:
        engine.dispose()


def status_text(st: dict[str, Any]) -> str:
    lines = ["任务队列："]
    if not st["jobs"]:
        lines.append("  （没有任务；SQLite 台账由本机进程池直接处理）")
    for task, counts in st["jobs"].items():
        c = "，".join(f"{JOB_STATES.get(k, k)} {v}" for k, v in sorted(counts.items()))
        lines.append(f"  {TASK_CN.get(task, task)}：{c}")
    if st.get("queue"):
        lines.append(f"在线的工作进程：{st.get('workers', 0)} 个" + ("" if st.get("workers") else
                     "（没有：请在能连到数据库和原件存档的机器上运行 haizhi worker --db …）"))
    lines.append("台账文件：" + ("，".join(f"{FILE_STATES.get(k, k)} {v}" for k, v in st["files"].items()) or "无"))
    lines.append("最近的收件：" + ("，".join(f"第 {i} 次 {RUN_CN.get(s, s)}" for i, s in st["runs"]) or "无"))
    return "\n".join(lines)


RUN_CN = {"running": "登记中", "queued": "排队处理中", "reviewed": "已初审、待导出", "finished": "已完成",
          "interrupted": "被中断", "failed": "失败（见 --status --json）"}


# Like Procrastinate's retry_job, but only while the job is still held by the stalled worker that was
# seen: two workers sweeping at once, or a job already taken again, cannot make it run twice.
RETRY_STALLED = """UPDATE procrastinate_jobs SET status = 'todo', attempts = attempts + 1, scheduled_at = NOW()
 WHERE id = %(job_id)s AND status = 'doing' AND worker_id IS NOT DISTINCT FROM %(worker_id)s"""


def run_worker(db_url: str, *, concurrency: int = 1, store: str | None = None, out: str | None = None,
               stall_after: float = 30.0, heartbeat: float | None = None) -> None:
    """Run queue jobs until SIGTERM/SIGINT. Any machine that reaches the database and the store."""
    logging.basicConfig(level=os.environ.get("HAIZHI_LOG", "WARNING"))
    q._S.store, q._S.out = store, out
    q._session(db_url)  # opens (and upgrades) the ledger before taking jobs
    app = q.make_app(db_url)
    beat = heartbeat or max(1.0, stall_after / 4)

    async def sweep() -> None:
        """Put back the jobs of workers whose heartbeat stopped (killed, machine off)."""
        while True:
            with contextlib.suppress(Exception):
                for job in await app.job_manager.get_stalled_jobs(queue=q.QUEUE, seconds_since_heartbeat=stall_after):
                    with contextlib.suppress(Exception):
                        await app.connector.execute_query_async(query=RETRY_STALLED, job_id=job.id,
                                                                worker_id=job.worker_id)
            await asyncio.sleep(max(1.0, stall_after / 3))

    async def main() -> None:
        async with app.open_async():
            sweeper = asyncio.create_task(sweep())
            try:
                await app.run_worker_async(queues=[q.QUEUE], concurrency=concurrency, wait=True,
                                           update_heartbeat_interval=beat, stalled_worker_timeout=stall_after,
                                           shutdown_graceful_timeout=stall_after)
            finally:
                sweeper.cancel()

    try:
        asyncio.run(main())
    finally:
        q.close_runners()
