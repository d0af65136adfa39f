"""Re-validate one application after a person's revision, as intake's 初审 does, at once.

The application's own findings (comparison, validation, deadline) are synced by
intake's check(); the year's batch rules (quotas, duplicates, overseas share) are
re-run over every current record of the year with revisions applied. Two people
saving at the same moment may race on a new batch finding's unique key: the
losing transaction is retried.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from haizhi.pipeline.core.config import YearConfig, load_year
from haizhi.pipeline.core.record import Finding, Record
from haizhi.pipeline.intake.db import Application, RecordRow, utcnow
from haizhi.pipeline.intake.ledger import sync_findings
from haizhi.pipeline.review.errors import Invalid, NotFound
from haizhi.pipeline.review.revisions import revise, revisions_for, user_names

ATTEMPTS = 4


def year_config(app: Application, cfg: YearConfig | None) -> YearConfig:
    if cfg is None:
        return load_year(app.year)
    if cfg.year != app.year:
        raise Invalid(f"年度配置是 {cfg.year} 年的，申请属于 {app.year} 年")
    return cfg


def year_records(s: Session, year: int) -> list[tuple[Application, Record]]:
    """Each application of the year with its current record, revisions applied (bulk queries;
    provenance is left empty: the batch rules and the list do not read it)."""
    apps = [a for a in s.scalars(select(Application).where(Application.year == year).order_by(Application.id))
            if a.current_record_id is not None]
    ids = [a.current_record_id for a in apps]
    rows: dict[int, Any] = {}
    for start in range(0, len(ids), 500):  # columns only: no ORM objects, no provenance to decode
        q = select(RecordRow.id, RecordRow.form, RecordRow.fields, RecordRow.marks, RecordRow.source).where(
            RecordRow.id.in_(ids[start:start + 500]))
        rows.update({i: SimpleNamespace(id=i, form=f, fields=fl, marks=mk, source=src, provenance={})
                     for i, f, fl, mk, src in s.execute(q)})
    revs = revisions_for(s, ids)
    names = user_names(s, [r for rs in revs.values() for r in rs])
    out = []
    for a in apps:
        row = rows.get(a.current_record_id)  # type: ignore[arg-type]
        if row is not None:
            out.append((a, revise(row, revs.get(row.id, []), names).record))
    return out


def _once(s: Session, app_id: int, cfg: YearConfig | None, run_id: int | None) -> tuple[list[Finding], str | None]:
    from haizhi.pipeline.intake.review import check, current
    from haizhi.pipeline.validate import check_batch, record_status

    app = s.get(Application, app_id)
    if app is None:
        raise NotFound(f"没有这个申请：{app_id}")
    cfg = year_config(app, cfg)
    c = current(s, app)
    if c is None:
        return [], app.status
    check(s, cfg, c, run_id)
    year = year_records(s, cfg.year)
    records = [c.record if a.id == app.id else r for a, r in year]
    if all(a.id != app.id for a, _r in year):
        records.append(c.record)  # (order as intake's review: by application id)
    batch, _deadlines = check_batch(records, cfg)  # the whole-batch part, as the intake's review stores it
    sync_findings(s, f"batch:{cfg.year}", "batch", batch, run_id)  # type: ignore[arg-type]
    status = record_status(c.findings)
    base = c.editable or c.scan
    assert base is not None
    if app.status != status or app.current_record_id != base.id:
        app.status, app.current_record_id = status, base.id
    app.updated_at = utcnow()
    s.commit()
    return c.findings, status


def revalidate(session: Session, application_id: int, cfg: YearConfig | None = None,
               run_id: int | None = None) -> tuple[list[Finding], str | None]:
    """Re-check one application now; returns (its findings, its 初审 status). Commits."""
    for attempt in range(ATTEMPTS):
        try:
            return _once(session, application_id, cfg, run_id)
        except (IntegrityError, OperationalError):
            session.rollback()
            if attempt == ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")
