"""The durable job queue of a PostgreSQL ledger: Procrastinate, with PostgreSQL itself as the queue.

Jobs (queue "haizhi"):
  haizhi.read    one per stored file: extract + classify in the worker's capped child process
                 (pool.Runner, kept warm between jobs), results saved in one ledger transaction
  haizhi.review  one per intake run, once its files are read: group into applications,
                 cross-check editable copy and scan, validate each record once, check the batch once
  haizhi.export  one per run after its review: the reviewer exports from the ledger's findings

Exactly once by file hash: a read job only saves while its file is "pending" (under a row lock),
so a job run twice adds nothing; read jobs of one file share a queueing lock and a lock. A
worker killed at any moment stops its heartbeat; the other workers put its job back in the
queue after `stall_after` seconds. A file that fails or kills the worker MAX_TRIES times is
set aside ("failed") with a finding. Review and export of one year run one at a time.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import queue as stdqueue
import threading
from dataclasses import dataclass, field
from typing import Any

import procrastinate
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from haizhi.pipeline.core.config import resolve_config
from haizhi.pipeline.core.errors import HaizhiError
from haizhi.pipeline.intake.db import File, Run, open_db, utcnow
from haizhi.pipeline.intake.pool import Outcome, Runner
from haizhi.pipeline.intake.steps import (
    Summary,
    export_step,
    group_step,
    read_payload,
    review_step,
    save_read,
)
from haizhi.pipeline.intake.store import open_store

QUEUE = "haizhi"
MAX_TRIES = 3  # tries of a file before it is set aside
STEP_TRIES = 2  # tries of a run's review or export before the run is marked failed
READ, REVIEW, EXPORT = "haizhi.read", "haizhi.review", "haizhi.export"


class Retry(HaizhiError):
    """This try failed in a way another try (or another worker) may not: the job is tried again."""


def conninfo(url: str) -> str:
    """libpq connection string for Procrastinate from the ledger's SQLAlchemy URL."""
    try:
        u = make_url(url)
    except Exception:
        raise HaizhiError(f"数据库地址无效：{url}") from None
    if not u.drivername.startswith("postgresql"):
        raise HaizhiError("任务队列需要 PostgreSQL 台账（--db postgresql+psycopg://…）；SQLite 台账请用本机进程池")
    return u.set(drivername="postgresql").render_as_string(hide_password=False)


def is_postgres(url: str | None) -> bool:
    return bool(url) and make_url(url).drivername.startswith("postgresql")  # type: ignore[arg-type]


# --- worker-process state (one ledger connection pool and warm extraction slots per process)


@dataclass
class _State:
    url: str = ""
    Session: Any = None
    store: str | None = None  # this machine's path to the shared store, overriding the job's
    out: str | None = None  # this machine's path to the shared output folder (exports), overriding the run's
    slots: dict[tuple[str, float, int | None], stdqueue.SimpleQueue[Runner]] = field(default_factory=dict)
    runners: list[Runner] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


_S = _State()


def _session(url: str) -> Any:
    if _S.Session is None or _S.url != url:
        _S.url, (_engine, _S.Session) = url, open_db(url)
    return _S.Session


def _runner(task: str, timeout: float, mem_mb: int | None) -> tuple[stdqueue.SimpleQueue[Runner], Runner]:
    key = (task, timeout, mem_mb)
    with _S.lock:
        q = _S.slots.setdefault(key, stdqueue.SimpleQueue())
        try:
            return q, q.get_nowait()
        except stdqueue.Empty:
            r = Runner(task, timeout=timeout, mem_mb=mem_mb)
            _S.runners.append(r)
            return q, r


def close_runners() -> None:
    for r in _S.runners:
        with contextlib.suppress(Exception):
            r.close()
    _S.runners.clear()
    _S.slots.clear()


# --- the jobs


def read_job(context: procrastinate.JobContext, file_id: int, run_id: int, display: str, store: str,
             task: str, timeout: float, ocr_engine: str | None, mem_mb: int | None) -> str:
    Session = _session(_S.url)
    tries = (context.job.attempts or 0) + 1
    with Session() as s:
        f = s.get(File, file_id)
        if f is None:
            raise HaizhiError(f"台账中没有编号为 {file_id} 的文件")
        if f.state != "pending":
            _review_when_read(context.app, Session, run_id)
            return "已处理过"
        sha, name, suffix = f.sha256, f.name, f.suffix
    if tries > MAX_TRIES:  # every earlier try ended with its worker gone (kill, crash, machine off)
        o = Outcome(file_id, False, reason=f"已尝试 {MAX_TRIES} 次，每次处理进程都中途中断（疑似导致崩溃的文件），已搁置")
    else:
        o = _read(file_id, sha, name, suffix, store, task, timeout, ocr_engine, mem_mb)
        if not o.ok and tries < MAX_TRIES and "超时" not in (o.reason or ""):
            raise Retry(o.reason or "处理失败")  # another try, maybe on another worker
        if not o.ok and tries > 1:
            o.reason = f"{o.reason}（已尝试 {tries} 次，已搁置）"
    with Session() as s:
        save_read(s, file_id, display, o, run_id)
    _review_when_read(context.app, Session, run_id)
    return "完成" if o.ok else f"失败：{o.reason}"


def _read(file_id: int, sha: str, name: str, suffix: str, store: str, task: str, timeout: float,
          ocr_engine: str | None, mem_mb: int | None) -> Outcome:
    """One try at reading a stored file in this worker's warm reading process; never raises."""
    try:
        st = open_store(_S.store or store)
        problem = st.missing(sha)
    except Exception as e:  # noqa: BLE001 - the store is this machine's problem: say so
        problem = f"工作进程无法打开原件存档 {_S.store or store}：{e}"
    if problem is not None:
        return Outcome(file_id, False, reason=problem)
    payload = read_payload(File(sha256=sha, name=name, suffix=suffix), st, timeout, ocr_engine)
    q, runner = _runner(task, timeout, mem_mb)
    try:
        return runner.run(file_id, payload)
    except Exception as e:  # noqa: BLE001 - the reading process could not start here
        runner.close()
        return Outcome(file_id, False, reason=f"工作进程无法启动读取进程：{e}")
    finally:
        q.put(runner)


def _meta(run: Run) -> dict[str, Any]:
    return dict((run.summary or {}).get("queue") or {})


def _pending(s: Any, meta: dict[str, Any]) -> int:
    ids = [int(i) for i, _ in meta.get("seen", [])]
    return s.scalar(select(func.count()).select_from(File).where(File.id.in_(ids), File.state == "pending")) or 0


def _review_when_read(app: procrastinate.App, Session: Any, run_id: int | None = None) -> None:
    """Queue the review of every queued run none of whose files is waiting to be read (a file may
    belong to several runs: its read job was queued by whichever run saw it first)."""
    with Session() as s:
        runs = list(s.scalars(select(Run).where(Run.status == "queued")))
        ready = [(r.id, r.year) for r in runs if not _pending(s, _meta(r))]
    for rid, year in ready:
        _defer(app, REVIEW, {"run_id": rid}, lock=f"year:{year}", queueing_lock=f"review:{rid}")


def _summary(run: Run) -> Summary:
    d = dict(run.summary or {})
    meta = d.pop("queue", {})
    names = set(Summary.__dataclass_fields__)
    summ = Summary(**{k: v for k, v in d.items() if k in names and k != "paths"})
    summ.rejected = [tuple(x) for x in summ.rejected]  # type: ignore[misc]
    summ.other = [tuple(x) for x in summ.other]  # type: ignore[misc]
    summ.paths = {int(k): v for k, v in (meta.get("paths") or {}).items()}
    return summ


def _save_summary(s: Any, run: Run, summ: Summary, meta: dict[str, Any], status: str) -> None:
    started = run.started_at if run.started_at.tzinfo else run.started_at.replace(tzinfo=dt.UTC)
    summ.seconds = (utcnow() - started).total_seconds()
    run.summary = {**summ.to_dict(), "queue": meta}
    run.status = status
    if status == "finished":
        run.finished_at = utcnow()
    s.commit()


def _failing_run(fn: Any) -> Any:
    """A review or export that fails on its last try marks its run failed, with the reason."""
    import functools

    @functools.wraps(fn)
    def wrapped(context: procrastinate.JobContext, run_id: int) -> str:
        try:
            return fn(context, run_id)
        except Exception as e:
            if (context.job.attempts or 0) + 1 >= STEP_TRIES:
                with _session(_S.url)() as s:
                    run = s.get(Run, run_id)
                    if run is not None:
                        run.status = "failed"
                        run.summary = {**(run.summary or {}), "error": f"{type(e).__name__}: {e}"[:2000]}
                        s.commit()
            raise

    return wrapped


@_failing_run
def review_job(context: procrastinate.JobContext, run_id: int) -> str:
    Session = _session(_S.url)
    with Session() as s:
        run = s.get(Run, run_id)
        if run is None or run.status != "queued":
            return "无需初审"
        meta = _meta(run)
        if _pending(s, meta):
            return "仍有文件待读取"
        summ, year = _summary(run), run.year
    cfg = resolve_config(year, meta.get("config"))
    seen = {int(i): folder for i, folder in meta["seen"]}
    group_step(Session, cfg.year, seen, run_id, summ)
    review_step(Session, cfg, run_id, summ)
    with Session() as s:
        run = s.get(Run, run_id)
        _save_summary(s, run, summ, meta, "reviewed" if meta.get("exports") else "finished")
    if meta.get("exports"):
        _defer(context.app, EXPORT, {"run_id": run_id}, lock=f"year:{year}", queueing_lock=f"export:{run_id}")
    return "完成"


@_failing_run
def export_job(context: procrastinate.JobContext, run_id: int) -> str:
    from pathlib import Path

    Session = _session(_S.url)
    with Session() as s:
        run = s.get(Run, run_id)
        if run is None or run.status != "reviewed":
            return "无需导出"
        meta, summ, year = _meta(run), _summary(run), run.year
    cfg = resolve_config(year, meta.get("config"))
    export_step(Session, cfg, Path(_S.out or meta["out"]), bool(meta.get("pdf", True)), summ)
    with Session() as s:
        _save_summary(s, s.get(Run, run_id), summ, meta, "finished")
    return "完成"


def make_app(url: str) -> procrastinate.App:
    app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=conninfo(url)))
    retry = procrastinate.RetryStrategy(max_attempts=MAX_TRIES, wait=1)
    app.task(name=READ, queue=QUEUE, pass_context=True, retry=retry)(read_job)
    step_retry = procrastinate.RetryStrategy(max_attempts=STEP_TRIES - 1, wait=2)
    app.task(name=REVIEW, queue=QUEUE, pass_context=True, retry=step_retry)(review_job)
    app.task(name=EXPORT, queue=QUEUE, pass_context=True, retry=step_retry)(export_job)
    return app


def _defer(app: procrastinate.App, task: str, args: dict[str, Any], **opts: Any) -> int | None:
    try:
        return app.tasks[task].configure(**opts).defer(**args)
    except procrastinate.exceptions.AlreadyEnqueued:
        return None
