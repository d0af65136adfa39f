"""Orchestration of one intake run.

walk → store original + register (per file) → extract in a process pool
(per file: one transaction for its results) → group into applications →
compare, validate, status → reviewer exports → summary.

Every step can be repeated: a second run on the same inbox adds nothing, and
a run killed at any moment is finished by the next one.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select, update

from haizhi.pipeline.core.config import resolve_config
from haizhi.pipeline.core.errors import HaizhiError
from haizhi.pipeline.intake.classify import KIND_CN
from haizhi.pipeline.intake.db import File, RecordRow, Run, default_url, open_db, utcnow
from haizhi.pipeline.intake.group import FileInfo, RecInfo, group_files
from haizhi.pipeline.intake.inbox import Limits, expand, walk
from haizhi.pipeline.intake.ledger import assign, register, save_result, set_archive_state
from haizhi.pipeline.intake.pool import Pool
from haizhi.pipeline.intake.review import review
from haizhi.pipeline.intake.store import FileStore

REAL_TASK = "haizhi.pipeline.intake.work:extract_task"


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


@dataclass
class Summary:
    run_id: int = 0
    db: str = ""
    store: str = ""
    exports_dir: str | None = None
    exports: dict[str, str] = field(default_factory=dict)
    exports_unchanged: bool = False
    entries: int = 0
    files_new: int = 0
    files_known: int = 0
    processed: int = 0
    records_new: int = 0
    applications_run: int = 0
    applications_year: int = 0
    status: dict[str, int] = field(default_factory=dict)
    kinds: dict[str, int] = field(default_factory=dict)
    rejected: list[tuple[str, str]] = field(default_factory=list)
    other: list[tuple[str, str]] = field(default_factory=list)
    unassigned: list[str] = field(default_factory=list)
    changes: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    peak_rss_kb: list[int] = field(default_factory=list)
    paths: dict[int, str] = field(default_factory=dict, repr=False)  # file id → path first seen

    def to_dict(self) -> dict[str, Any]:
        d = dict(self.__dict__)
        d.pop("paths")
        d["rejected"] = [list(x) for x in self.rejected]
        d["other"] = [list(x) for x in self.other]
        return d

    def text(self) -> str:
        st = "，".join(f"{k} {v}" for k, v in self.status.items()) or "无"
        kinds = "，".join(f"{k} {v}" for k, v in self.kinds.items()) or "无"
        lines = [
            f"收件完成（第 {self.run_id} 次运行，用时 {self.seconds:.1f} 秒）",
            f"  文件：本次 {self.entries} 个（新文件 {self.files_new}，已登记过 {self.files_known}），"
            f"本次处理 {self.processed} 个；类别：{kinds}",
            f"  申请：本次涉及 {self.applications_run} 个，本年度共 {self.applications_year} 个；新记录 {self.records_new} 条",
            f"  初审结果（本年度）：{st}",
            f"  拒收文件 {len(self.rejected)} 个" + ("：" if self.rejected else ""),
        ]
        lines += [f"    - {p}：{r}" for p, r in self.rejected]
        if self.other:
            lines.append(f"  未识别的文件 {len(self.other)} 个：")
            lines += [f"    - {p}：{r}" for p, r in self.other]
        if self.unassigned:
            lines.append(f"  未能归入任何申请的附件 {len(self.unassigned)} 个：" + "、".join(self.unassigned[:20]))
        lines.append(f"  台账数据库：{self.db}")
        lines.append(f"  原件存档：{self.store}")
        if self.exports_dir:
            same = "（内容无变化，未重写）" if self.exports_unchanged else ""
            lines.append(f"  审核导出：{self.exports_dir}{same}")
        return "\n".join(lines)


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
    store = FileStore(out / "store")
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
        _process(Session, store, seen, opts, run_id, summ)
        _group(Session, cfg.year, seen, run_id, summ)
        with Session() as s:
            cur, batch, changes = review(s, cfg, run_id)
        summ.changes = changes
        summ.applications_year = len(cur)
        summ.status = dict(Counter(c.status for c in cur if c.status))
        if opts.exports and cur:
            _export(cur, batch, cfg, out, opts, summ)
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
    soft = opts.timeout * 0.85 if opts.timeout else None
    tasks = [(f.id, {"store_path": str(store.path_for(f.sha256)), "sha256": f.sha256, "name": f.name,
                     "suffix": f.suffix, "timeout": soft, "ocr_engine": opts.ocr_engine}) for f in todo]
    if not tasks:
        return
    pool = Pool(opts.task, workers=max(1, opts.workers), timeout=opts.timeout, mem_mb=opts.mem_mb)
    bar = tqdm(total=len(tasks), desc="抽取", unit="个", disable=not opts.progress, leave=False)
    with Session() as s:
        for o in pool.map(tasks):
            save_result(s, o.key, paths.get(o.key, ""), o.ok, o.value, o.reason, run_id)
            summ.processed += 1
            bar.update(1)
    bar.close()
    summ.peak_rss_kb = list(pool.peak_rss_kb)


def _group(Session: Any, year: int, seen: dict[int, str | None], run_id: int, summ: Summary) -> None:
    paths = summ.paths
    with Session() as s:
        files = list(s.scalars(select(File).where(File.id.in_(list(seen))).order_by(File.id)))
        infos: list[FileInfo] = []
        for f in files:
            kind = "拒收" if f.state in ("rejected", "failed") and f.kind != "archive" else KIND_CN.get(f.kind or "",
                                                                                                   "未处理")
            summ.kinds[kind] = summ.kinds.get(kind, 0) + 1
            if f.state in ("rejected", "failed"):
                summ.rejected.append((paths.get(f.id, f.name), f.reason or "无法读取"))
                continue
            if f.state != "done" or f.kind == "archive":
                continue
            if f.kind == "other":
                summ.other.append((paths.get(f.id, f.name), f.reason or "未识别"))
            recs = [RecInfo(r.id, f.id, r.form, r.copy, r.fields or {}, r.application_id)
                    for r in s.scalars(select(RecordRow).where(RecordRow.file_id == f.id).order_by(RecordRow.idx))]
            summ.records_new += sum(1 for r in recs if r.application_id is None)
            infos.append(FileInfo(f.id, f.name, seen[f.id], f.kind or "other", recs))
        groups, loose = group_files(infos)
        apps = set()
        for g in groups:
            app = assign(s, year, g, run_id)
            if app is not None:
                apps.add(app.id)
            elif g.form is None:
                loose += g.files
        summ.applications_run = len(apps)
        summ.unassigned = [paths.get(f.id, f.name) for f in loose if f.kind != "other"]


def _fingerprint(cur: list[Any], batch: list[Any], pdf: bool) -> str:
    data = [[c.app.id, c.status, c.record.to_dict()] for c in cur] + [[f.to_dict() for f in batch], pdf]
    return hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True, default=str).encode()).hexdigest()


def _export(cur: list[Any], batch: list[Any], cfg: Any, out: Path, opts: Options, summ: Summary) -> None:
    """Write the reviewer exports, unless the last complete export had exactly this content."""
    from haizhi.pipeline.export import write_exports

    d = out / "exports"
    stamp = d / ".intake-fingerprint"
    fp = _fingerprint(cur, batch, opts.pdf)
    summ.exports_dir = str(d)
    if stamp.is_file() and stamp.read_text(encoding="utf-8").strip() == fp:
        summ.exports_unchanged = True
        return
    stamp.unlink(missing_ok=True)
    batch = [f for f in batch if f.rule != "batch.deadline"]  # carried on each record instead
    written = write_exports([c.record for c in cur], cfg, d, batch_findings=batch, sheets=True, pdf=opts.pdf,
                            files=[c.files for c in cur], findings=[c.findings for c in cur])
    summ.exports = {k: str(v) for k, v in (written or {}).items()}
    tmp = stamp.with_suffix(".tmp")
    tmp.write_text(fp + "\n", encoding="utf-8")
    os.replace(tmp, stamp)
