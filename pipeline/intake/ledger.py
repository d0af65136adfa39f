"""Ledger writes: one short transaction per stored file, per file's results, per application.

Every write is insert-if-missing against a unique key, so repeating any step
(a second run, or a run after kill -9) adds nothing that is already there.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from haizhi.pipeline.core.errors import HaizhiError
from haizhi.pipeline.core.record import Finding, Record
from haizhi.pipeline.intake.db import Application, ApplicationFile, Entry, File, FindingRow, RecordRow, utcnow
from haizhi.pipeline.intake.group import Group
from haizhi.pipeline.intake.inbox import Item
from haizhi.pipeline.intake.store import FileStore, TooLarge


def finding_digest(f: Finding) -> str:
    key = json.dumps([f.rule, f.severity, f.field, f.message, f.basis], ensure_ascii=False)
    return hashlib.sha256(key.encode()).hexdigest()


def _entry(s: Session, path: str, sha: str, **kw: Any) -> Entry:
    e = s.scalar(select(Entry).where(Entry.path == path, Entry.sha256 == sha))
    if e is None:
        e = Entry(path=path, sha256=sha, **kw)
        s.add(e)
    return e


def register(s: Session, store: FileStore, item: Item, run_id: int, max_bytes: int) -> tuple[File | None, Entry]:
    """Store the original (before anything else), then note file and entry. Commits."""
    if item.reason:
        e = _entry(s, item.path, "", folder=item.folder, state="rejected", reason=item.reason,
                   received_on=item.received, run_id=run_id)
        s.commit()
        return None, e
    try:
        if item.src is not None:
            sha, size = store.put_file(item.src, limit=max_bytes)
        else:
            sha, size = store.put_bytes(item.data or b"")
    except TooLarge as err:
        e = _entry(s, item.path, "", folder=item.folder, state="rejected", reason=str(err),
                   received_on=item.received, run_id=run_id)
        s.commit()
        return None, e
    except OSError as err:
        e = _entry(s, item.path, "", folder=item.folder, state="rejected",
                   reason=f"无法读取文件：{err.strerror or err}", received_on=item.received, run_id=run_id)
        s.commit()
        return None, e
    f = s.scalar(select(File).where(File.sha256 == sha))
    if f is None:
        f = File(sha256=sha, size=size, name=item.name[:500], suffix=item.suffix[:32], state="pending",
                 attempts=0, run_id=run_id)
        s.add(f)
        s.flush()
    e = _entry(s, item.path, sha, folder=item.folder, file_id=f.id, state="ok", received_on=item.received,
               run_id=run_id)
    s.commit()
    return f, e


def set_archive_state(s: Session, file_id: int, problem: str | None, run_id: int) -> None:
    f = s.get(File, file_id)
    if f is None or f.state != "pending":
        return
    f.kind = "archive"
    f.state = "rejected" if problem else "done"
    f.reason = problem
    f.readable = problem is None
    f.processed_at = utcnow()
    f.run_id = run_id
    if problem:
        _add_findings(s, f"file:{f.id}", "intake", [Finding("intake.archive", "error", None, problem)],
                      run_id, file_id=f.id)
    s.commit()


def copy_of(rec: dict[str, Any]) -> str:
    src = rec.get("source") or {}
    if src.get("method") == "ocr" or any(v is not None for v in (rec.get("marks") or {}).values()):
        return "scan"
    return "editable"


def _add_findings(s: Session, scope: str, origin: str, findings: Iterable[Finding], run_id: int,
                  **ids: int | None) -> int:
    have = set(s.scalars(select(FindingRow.digest).where(FindingRow.scope == scope, FindingRow.origin == origin)))
    n = 0
    for f in findings:
        d = finding_digest(f)
        if d in have:
            continue
        have.add(d)
        s.add(FindingRow(scope=scope, origin=origin, digest=d, rule=f.rule[:200], severity=f.severity,
                         field=f.field, message=f.message, basis=f.basis, active=True, run_id=run_id, **ids))
        n += 1
    return n


def save_result(s: Session, file_id: int, display: str, ok: bool, value: dict[str, Any] | None,
                reason: str | None, run_id: int) -> None:
    """One file's extraction results in one transaction; no-op if already saved.
    The file's row is locked (PostgreSQL) so two workers cannot both save it."""
    f = s.get(File, file_id, with_for_update=True, populate_existing=True)
    if f is None or f.state != "pending":
        return
    f.attempts = (f.attempts or 0) + 1
    f.processed_at = utcnow()
    f.run_id = run_id
    if not ok or value is None:
        # the worker failed (time limit, crash, memory): not the file's verdict; --retry-failed tries again
        f.state, f.readable, f.reason = "failed", None, reason or "处理失败"
        _add_findings(s, f"file:{f.id}", "intake", [Finding("intake.failed", "error", None, f.reason)],
                      run_id, file_id=f.id)
        s.commit()
        return
    cls = value.get("class") or {}
    f.kind = cls.get("kind")
    f.readable = bool(value.get("readable", True))
    f.reason = cls.get("reason")
    f.state = "done" if f.readable else "rejected"
    file_findings = [Finding.from_dict(x) for x in value.get("findings") or []]
    _add_findings(s, f"file:{f.id}", "extract", file_findings, run_id, file_id=f.id)
    for i, rec in enumerate(value.get("records") or []):
        try:
            r = Record.from_dict(rec)
        except HaizhiError as e:
            _add_findings(s, f"file:{f.id}", "extract", [Finding("intake.bad_record", "warning", None, str(e))],
                          run_id, file_id=f.id)
            continue
        if s.scalar(select(RecordRow.id).where(RecordRow.file_id == f.id, RecordRow.idx == i)):
            continue
        src = dict(r.source)
        src.update(file=display, sha256=f.sha256)
        f.method = f.method or src.get("method")
        f.pages = f.pages or src.get("pages")
        row = RecordRow(file_id=f.id, idx=i, form=r.form, copy=copy_of(rec), fields=r.fields, source=src,
                        provenance=r.provenance, marks=r.marks, run_id=run_id)
        s.add(row)
        s.flush()
        _add_findings(s, f"record:{row.id}", "extract", r.findings, run_id, record_id=row.id, file_id=f.id)
    s.commit()


def sync_findings(s: Session, scope: str, origin: str, findings: list[Finding], run_id: int,
                  **ids: int | None) -> tuple[int, int]:
    """Make the active findings of (scope, origin) equal `findings`; returns (added, retired)."""
    rows = {r.digest: r for r in s.scalars(select(FindingRow).where(FindingRow.scope == scope,
                                                                      FindingRow.origin == origin))}
    want = {finding_digest(f): f for f in findings}
    added = retired = 0
    for d, f in want.items():
        row = rows.get(d)
        if row is None:
            s.add(FindingRow(scope=scope, origin=origin, digest=d, rule=f.rule[:200], severity=f.severity,
                             field=f.field, message=f.message, basis=f.basis, active=True, run_id=run_id, **ids))
            added += 1
        elif not row.active:
            row.active = True
            added += 1
    for d, row in rows.items():
        if d not in want and row.active:
            row.active = False
            retired += 1
    return added, retired


def active_findings(s: Session, scope: str, origins: Iterable[str] | None = None) -> list[Finding]:
    q = select(FindingRow).where(FindingRow.scope == scope, FindingRow.active.is_(True))
    if origins is not None:
        q = q.where(FindingRow.origin.in_(list(origins)))
    return [Finding(r.rule, r.severity, r.field, r.message, r.basis)  # type: ignore[arg-type]
            for r in s.scalars(q.order_by(FindingRow.id))]


def find_application(s: Session, year: int, g: Group) -> Application | None:
    if g.application_ids:
        return s.get(Application, min(g.application_ids))
    q = select(Application).where(Application.year == year, Application.form == g.form)
    if g.credit_code:
        hit = s.scalar(q.where(Application.credit_code == g.credit_code).order_by(Application.id))
        if hit:
            return hit
    if g.name:
        hit = s.scalar(q.where(Application.name == g.name).order_by(Application.id))
        if hit:
            return hit
    if not g.name and not g.credit_code and g.folder:
        return s.scalar(q.where(Application.folder == g.folder).order_by(Application.id.desc()))
    return s.scalar(q.where(Application.key == g.key))


def assign(s: Session, year: int, g: Group, run_id: int) -> Application | None:
    """Put a group's new records and files into its application (created if new). Commits."""
    if g.form is None:
        app = s.scalar(select(Application).where(Application.year == year, Application.folder == g.folder)
                       .order_by(Application.id.desc())) if g.folder else None
        if app is not None:
            _attach(s, app, g, run_id)
            s.commit()
        return app
    app = find_application(s, year, g)
    if app is None:
        app = Application(year=year, form=g.form, key=g.key, name=g.name or None, credit_code=g.credit_code,
                          folder=g.folder)
        s.add(app)
        s.flush()
    if not app.name and g.name:
        app.name = g.name
    if not app.credit_code and g.credit_code:
        app.credit_code = g.credit_code
    if g.folder and not app.folder:
        app.folder = g.folder
    top = s.scalar(select(func.max(RecordRow.version)).where(RecordRow.application_id == app.id,
                                                             RecordRow.form == app.form)) or 0
    for r in g.records:
        row = s.get(RecordRow, r.id)
        if row is None or row.application_id is not None:
            continue
        top += 1
        row.application_id, row.version = app.id, top
        r.application_id = app.id
    _attach(s, app, g, run_id)
    _add_findings(s, f"application:{app.id}", "group",
                  [Finding("intake.folder_mixed", "warning", None, n) for n in g.notes], run_id)
    app.updated_at = utcnow()
    s.commit()
    return app


def _attach(s: Session, app: Application, g: Group, run_id: int) -> None:
    have = set(s.scalars(select(ApplicationFile.file_id).where(ApplicationFile.application_id == app.id)))
    for f in g.files:
        if f.id not in have:
            s.add(ApplicationFile(application_id=app.id, file_id=f.id, role=f.kind, run_id=run_id))
            have.add(f.id)
