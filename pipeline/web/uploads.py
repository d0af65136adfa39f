"""Uploads: saved to the store and the ledger at once, read in the background by the intake code.

A dropped file is written to the upload inbox (OUT/上传收件箱/<applicant folder>/<name>),
stored by hash and registered as a pending file before the request returns; a file
dropped onto an application is also linked to it at once. A background thread in
each server process looks for pending uploads every few seconds. With a PostgreSQL
ledger it queues them (one read job per file, then the run's review and exports) for
`haizhi worker` processes on any machine; with SQLite it runs the ordinary intake over
the upload inbox (the intake's own lock lets one process at a time do it). If the server stops mid-way, the files are still on disk and still
pending in the ledger: the next start picks them up; intake adds nothing twice.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from pathlib import Path, PurePosixPath

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from haizhi.pipeline.core.errors import HaizhiError
from haizhi.pipeline.intake.db import Application, ApplicationFile, Entry, File
from haizhi.pipeline.intake.inbox import Item, Limits
from haizhi.pipeline.intake.ledger import register
from haizhi.pipeline.intake.store import FileStore
from haizhi.pipeline.web.settings import Settings

log = logging.getLogger("haizhi.web.uploads")
POLL_SECONDS = 3.0
INBOX_FOLDER = "网页上传"  # flat uploads from the inbox page


def clean_name(raw: str | None) -> str:
    """The client's file name reduced to a safe base name (no folders, no tricks)."""
    from haizhi.pipeline.export.names import safe_name

    base = PurePosixPath(str(raw or "").replace("\\", "/")).name
    p = PurePosixPath(base)
    stem, suffix = p.stem, p.suffix.lower()
    if not (suffix[1:].isascii() and suffix[1:].isalnum() and len(suffix) <= 16):
        suffix = ""
    return safe_name(stem or "上传文件", default="上传文件") + suffix


def folder_for(app: Application | None) -> str:
    from haizhi.pipeline.export.names import safe_name

    if app is None:
        return INBOX_FOLDER
    return safe_name(app.folder or app.name or f"申请{app.id}", default=f"申请{app.id}")


def save_upload(s: Session, settings: Settings, raw_name: str | None, data: bytes,
                app: Application | None = None) -> File:
    """Write the upload into the upload inbox, the store and the ledger (pending). Commits."""
    limits = Limits()
    if len(data) > limits.max_file_bytes:
        raise HaizhiError(f"文件超过 {limits.max_file_bytes >> 20} MB 的上限")
    if not data:
        raise HaizhiError("文件是空的")
    name = clean_name(raw_name)
    folder = folder_for(app)
    dest_dir = settings.uploads / folder
    dest_dir.mkdir(parents=True, exist_ok=True)
    dest = dest_dir / name
    if dest.exists() and dest.read_bytes() != data:
        from haizhi.pipeline.intake.store import sha256_bytes

        dest = dest_dir / f"{PurePosixPath(name).stem}-{sha256_bytes(data)[:8]}{PurePosixPath(name).suffix}"
    tmp = dest.with_name(".part-" + dest.name)
    tmp.write_bytes(data)
    tmp.replace(dest)
    item = Item(path=f"{folder}/{dest.name}", name=dest.name, folder=folder, src=dest, received=dt.date.today())
    f, e = register(s, FileStore(settings.store), item, None, limits.max_file_bytes)  # type: ignore[arg-type]
    if f is None:
        raise HaizhiError(e.reason or "文件被拒收")
    if app is not None and s.scalar(select(ApplicationFile.id).where(
            ApplicationFile.application_id == app.id, ApplicationFile.file_id == f.id)) is None:
        s.add(ApplicationFile(application_id=app.id, file_id=f.id, role=f.kind or "upload"))
        s.commit()
    return f


def pending_uploads(s: Session, settings: Settings, skip: frozenset[str] | set[str] = frozenset()) -> int:
    """Pending files that were dropped into the upload inbox (and are still on disk there), leaving out
    those whose hash is in skip (with PostgreSQL: the ones a queue job already holds)."""
    q = select(Entry.path, File.sha256).join(File, File.id == Entry.file_id).where(File.state == "pending")
    return sum(1 for path, sha in s.execute(q) if sha not in skip and (settings.uploads / path).is_file())


def enqueue_uploads(Session_: sessionmaker[Session], settings: Settings) -> bool:
    """PostgreSQL ledger: one read job per upload not yet queued, then the run's review and exports,
    done by `haizhi worker` processes on any machine. True if jobs were queued."""
    from haizhi.pipeline.intake.dispatch import enqueue_files, queued_hashes

    with Session_() as s:
        if not pending_uploads(s, settings, skip=queued_hashes(s)):
            return False
    res = enqueue_files(settings.db_url, paths=[settings.uploads], out=settings.out, store=settings.store,
                        year=settings.year, pdf=False)
    log.info("上传文件已排队：第 %s 次收件，%s 个读取任务", res.run_id, res.queued)
    return res.queued > 0


def process_once(Session_: sessionmaker[Session], settings: Settings) -> bool:
    """Read what is pending in the upload inbox: with PostgreSQL, queue it for the workers; with
    SQLite, run the intake over the upload inbox here. True if anything was started."""
    from haizhi.pipeline.intake.queue import is_postgres
    from haizhi.pipeline.intake.run import Options, run_intake

    if is_postgres(settings.db_url):
        return enqueue_uploads(Session_, settings)
    with Session_() as s:
        if not pending_uploads(s, settings):
            return False
    opts = Options(inbox=settings.uploads, out=settings.out, db=settings.db_url, workers=1, year=settings.year,
                   pdf=False, progress=False)
    try:
        run_intake(opts)
    except HaizhiError as e:  # another process holds the intake lock: it will do the work
        log.info("上传处理稍后再试：%s", e)
        return False
    return True


def prerender(Session_: sessionmaker[Session], settings: Settings, limit: int = 3) -> int:
    """Render the page images of a few forms not yet in the cache, so first views are quick."""
    from haizhi.pipeline.web.render import PageCache

    cache = PageCache(settings.cache, settings.store)
    with Session_() as s:
        files = list(s.scalars(select(File).join(ApplicationFile, ApplicationFile.file_id == File.id)
                               .where(File.state == "done", File.kind == "form").order_by(File.id.desc())))
    n = 0
    for f in files:
        if n >= limit:
            break
        if (cache.folder(f.sha256) / "meta.json").is_file():
            continue
        cache.meta(f.sha256, f.suffix or "", f.method)
        n += 1
    return n


class Worker:
    """The background thread of one server process; stops at shutdown."""

    def __init__(self, Session_: sessionmaker[Session], settings: Settings) -> None:
        self.Session, self.settings = Session_, settings
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._loop, name="haizhi-uploads", daemon=True)

    def start(self) -> None:
        Path(self.settings.uploads).mkdir(parents=True, exist_ok=True)
        self.thread.start()

    def _loop(self) -> None:
        while not self.stop.is_set():
            try:
                process_once(self.Session, self.settings)
                if not self.stop.is_set():
                    prerender(self.Session, self.settings)
            except Exception:  # keep the loop alive; the file stays pending and is retried
                log.exception("后台处理上传文件时出错")
                time.sleep(POLL_SECONDS)
            self.stop.wait(POLL_SECONDS)

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=5)
