"""Orchestration of one intake run.

walk → store original + register (per file) → extract in a process pool
(per file: one transaction for its results) → group into applications →
compare, validate, status → reviewer exports → summary.

Every step can be repeated: a second run on the same inbox adds nothing, and
a run killed at any moment is finished by the next one.
"""

from __future__ import annotations

import fcntl
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select, update

from haizhi.pipeline.core.config import resolve_config
from haizhi.pipeline.core.errors import HaizhiError
from haizhi.pipeline.intake.db import File, Run, default_url, open_db, utcnow
from haizhi.pipeline.intake.inbox import Limits, expand, walk
from haizhi.pipeline.intake.ledger import register, set_archive_state
from haizhi.pipeline.intake.pool import Pool
from haizhi.pipeline.intake.steps import (
    REAL_TASK,
    Summary,
    export_step,
    group_step,
    read_payload,
    review_step,
    save_read,
)
from haizhi.pipeline.intake.store import FileStore, open_store

__all__ = ["REAL_TASK", "Options", "Summary", "run_intake"]

@dataclass
class Options:
    inbox: Path
    out: Path = Path("outputs")
    db: str | None = None
    workers: int = 1
    year: int | None = None
    config: str | None = None
    timeout: float = 180.0  # hard limit per file (s); extraction gets 85% of it as its own limit
    mem_mb: int | None = 4096  # RLIMIT_AS per worker
    ocr_engine: str | None = None
    exports: bool = True
    pdf: bool = True
    retry_failed: bool = False  # files a worker failed on (time limit, crash) are tried again
    progress: bool = True
    task: str = REAL_TASK  # "module:function" run per file in a worker
    limits: Limits = field(default_factory=Limits)
    store: Path | None = None  # originals; default OUT/store (a shared folder for queue workers elsewhere)
    queue: bool = False  # PostgreSQL ledger: enqueue jobs for queue workers instead of the local pool
    wait: bool = True  # queue: wait until the workers have read, reviewed and exported this run
    local_workers: int | None = None  # queue: queue workers this process starts while it waits (None = workers)


def _lock(out: Path) -> Any:
    out.mkdir(parents=True, exist_ok=True)
    fh = (out / ".intake.lock").open("w")
    try:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        fh.close()
        raise HaizhiError(f"另一个收件进程正在使用 {out}，请等它结束后再运行") from None
    return fh


def run_intake(opts: Options) -> Summary:
    t0 = time.monotonic()
    inbox = Path(opts.inbox)
    if not inbox.exists():
        raise HaizhiError(f"找不到收件箱：{inbox}")
    cfg = resolve_config(opts.year, opts.config)
    out = Path(opts.out)
    lock = _lock(out)
    try:
        return _run(opts, cfg, inbox, out, t0)
    finally:
        lock.close()


def _run(opts: Options, cfg: Any, inbox: Path, out: Path, t0: float) -> Summary:
    url = opts.db or default_url(out)
    engine, Session = open_db(url)
    store = open_store(opts.store or out / "store")
    store.clean_temps()
    summ = Summary(db=engine.url.render_as_string(hide_password=True), store=str(store.root))
    try:
        with Session() as s:
            s.execute(update(Run).where(Run.status == "running").values(status="interrupted"))
            run = Run(inbox=str(inbox.resolve()), year=cfg.year, workers=opts.workers, status="running")
            s.add(run)
            s.commit()
            run_id = summ.run_id = run.id
        seen = _register_all(Session, store, inbox, opts, run_id, summ)
        if opts.queue:
            from haizhi.pipeline.intake.dispatch import run_queued

            return run_queued(url, Session, store, seen, opts, cfg, run_id, summ, t0)
        _process(Session, store, seen, opts, run_id, summ)
        group_step(Session, cfg.year, seen, run_id, summ)
        review_step(Session, cfg, run_id, summ)
        if opts.exports:
            export_step(Session, cfg, out, opts.pdf, summ)
        summ.seconds = time.monotonic() - t0
        with Session() as s:
            run = s.get(Run, run_id)
            run.status, run.finished_at, run.summary = "finished", utcnow(), summ.to_dict()
            s.commit()
        return summ
    finally:
        engine.dispose()


def _register_all(Session: Any, store: FileStore, inbox: Path, opts: Options, run_id: int,
                  summ: Summary) -> dict[int, str | None]:
    """Store and register every item; returns {file_id: folder} of files seen this run."""
    from tqdm import tqdm

    seen: dict[int, str | None] = {}
    names = summ.paths
    opts.limits.used = 0
    stack = list(walk(inbox, opts.limits, exclude=(Path(opts.out),)))[::-1]
    bar = tqdm(total=len(stack), desc="登记", unit="个", disable=not opts.progress, leave=False)
    with Session() as s:
        while stack:
            item = stack.pop()
            summ.entries += 1
            bar.update(1)
            f, e = register(s, store, item, run_id, opts.limits.max_file_bytes)
            if f is None:
                summ.rejected.append((item.path, e.reason or "已拒收"))
                continue
            if f.id not in seen:
                if f.run_id != run_id:
                    summ.files_known += 1
                else:
                    summ.files_new += 1
            seen.setdefault(f.id, item.folder)
            names.setdefault(f.id, item.path)
            if item.is_archive:
                members, problem = expand(store.path_for(f.sha256), item, opts.limits)
                set_archive_state(s, f.id, problem, run_id)
                stack += members[::-1]
                bar.total += len(members)
    bar.close()
    return seen


def _process(Session: Any, store: FileStore, seen: dict[int, str | None], opts: Options, run_id: int,
             summ: Summary) -> None:
    from tqdm import tqdm

    paths = summ.paths
    with Session() as s:
        if opts.retry_failed:
            s.execute(update(File).where(File.id.in_(list(seen)), File.state == "failed")
                      .values(state="pending"))
            s.commit()
        todo = list(s.scalars(select(File).where(File.id.in_(list(seen)), File.state == "pending")
                              .order_by(File.id)))
    todo.sort(key=lambda f: -f.size)  # longest (scans) first: a better finish on several workers
    tasks = [(f.id, read_payload(f, store, opts.timeout, opts.ocr_engine)) for f in todo]
    if not tasks:
        return
    pool = Pool(opts.task, workers=max(1, opts.workers), timeout=opts.timeout, mem_mb=opts.mem_mb)
    bar = tqdm(total=len(tasks), desc="抽取", unit="个", disable=not opts.progress, leave=False)
    with Session() as s:
        for o in pool.map(tasks):
            save_read(s, o.key, paths.get(o.key, ""), o, run_id)
            summ.processed += 1
            bar.update(1)
    bar.close()
    summ.peak_rss_kb = list(pool.peak_rss_kb)


