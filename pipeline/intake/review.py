"""初审 over the ledger: each application's current record, compared and validated.

The current record of an application is its newest editable copy, with the
seals and signatures of its newest scan (an editable DOCX cannot show them);
an application with only a scan uses the scan. Editable copy and scan are
compared (pipeline.compare); the record is validated alone and with the whole
year's batch (pipeline.validate). Derived findings are synced, not appended:
a second run with nothing new changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from haizhi.pipeline.core.config import YearConfig
from haizhi.pipeline.core.record import Finding, Record
from haizhi.pipeline.intake.db import Application, ApplicationFile, Entry, File, RecordRow, utcnow
from haizhi.pipeline.intake.ledger import active_findings, sync_findings


@dataclass
class Current:
    app: Application
    editable: RecordRow | None
    scan: RecordRow | None
    record: Record
    files: list[dict[str, Any]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    status: str | None = None
    settled: set[str] = field(default_factory=set)  # keys a person corrected or verified (pipeline.review)
    notes: list[Finding] = field(default_factory=list)  # info findings naming each person's correction
    pair: tuple[Record, Record] | None = None  # editable and scan records (revisions applied) when both exist


def to_record(row: RecordRow) -> Record:
    return Record(form=row.form, fields=dict(row.fields or {}), source=dict(row.source or {}),
                  provenance=dict(row.provenance or {}), marks=dict(row.marks or {}))


def _latest(s: Session, app: Application, copy: str) -> RecordRow | None:
    return s.scalar(select(RecordRow).where(RecordRow.application_id == app.id, RecordRow.form == app.form,
                                            RecordRow.copy == copy).order_by(RecordRow.version.desc()))


def _received(s: Session, file_id: int) -> dt.date | None:
    return s.scalar(select(func.min(Entry.received_on)).where(Entry.file_id == file_id))


def _files(s: Session, app: Application) -> list[dict[str, Any]]:
    out = []
    q = (select(ApplicationFile, File).join(File, File.id == ApplicationFile.file_id)
         .where(ApplicationFile.application_id == app.id).order_by(File.id))
    for _af, f in s.execute(q):
        if f.kind in (None, "form", "archive"):
            continue
        d: dict[str, Any] = {"kind": f.kind, "name": f.name, "sha256": f.sha256}
        level = _letter_level(f)
        if level:
            d["level"] = level
        out.append(d)
    return out


def _letter_level(f: File) -> str | None:
    if f.kind != "support_letter":
        return None
    from haizhi.pipeline.intake.classify import letter_level

    return letter_level(f.name)


def current(s: Session, app: Application) -> Current | None:
    ed, sc = _latest(s, app, "editable"), _latest(s, app, "scan")
    base = ed or sc
    if base is None:
        return None
    from haizhi.pipeline.review.revisions import revised

    rb = revised(s, base)  # people's corrections applied over the machine's values
    rec, settled, notes, pair = rb.record, set(rb.settled), list(rb.notes), None
    if ed is not None and sc is not None:
        rs = revised(s, sc)
        pair = (Record(form=rec.form, fields=dict(rec.fields)), rs.record)
        for k, v in rs.record.marks.items():
            if rec.marks.get(k) is None and v is not None:
                rec.marks[k] = v
        rec.source["scan_file"] = (sc.source or {}).get("file")
        settled |= rs.settled
        notes += rs.notes
    got = _received(s, base.file_id)
    if got is not None:
        rec.source["received"] = got.isoformat()
    rec.source.update(application_id=app.id, version=base.version)
    if app.folder:
        rec.source["folder"] = app.folder
    return Current(app, ed, sc, rec, files=_files(s, app), settled=settled, notes=notes, pair=pair)


PAIR_BASIS = "转发通知：表格可编辑版本、盖章后扫描的PDF版本一并发送"


def pairing(c: Current) -> list[Finding]:
    """A note when only one of the two copies arrived (the status does not change)."""
    if c.editable is None:
        return [Finding("intake.editable_missing", "info", None, "只收到盖章扫描件，未收到可编辑版本", PAIR_BASIS)]
    if c.scan is None:
        return [Finding("intake.scan_missing", "info", None, "只收到可编辑版本，未收到盖章扫描件", PAIR_BASIS)]
    return []


def _unsettled(c: Current, fs: list[Finding]) -> list[Finding]:
    """Reading findings on a field a person corrected or verified no longer count."""
    return [f for f in fs if f.field is None or f.field not in c.settled]


def _reading_findings(s: Session, c: Current, base_id: int) -> list[Finding]:
    out = _unsettled(c, active_findings(s, f"record:{base_id}", ["extract"]))
    if c.scan is not None and c.editable is not None:
        out += _unsettled(c, active_findings(s, f"record:{c.scan.id}", ["extract"]))
    return out


def check(s: Session, cfg: YearConfig, c: Current, run_id: int | None,
          changes: dict[str, int] | None = None, late: list[Finding] | None = None) -> None:
    """Compare and validate one application's current record; sync its findings, set c.findings.

    `late`: the record's deadline findings from the intake's one batch check; None when one
    application is re-checked alone (after a correction), which then checks its own deadline.
    Each correction adds an info note naming who made it.
    """
    from haizhi.pipeline.codes.compare import issue_pairing
    from haizhi.pipeline.validate import check_batch, validate_record
    from haizhi.pipeline.validate.compare import compare_records

    def sync(scope: str, origin: str, fs: list[Finding], **ids: int | None) -> None:
        a, r = sync_findings(s, scope, origin, fs, run_id, **ids)  # type: ignore[arg-type]
        if changes is not None:
            changes["added"] += a
            changes["retired"] += r

    base = c.editable or c.scan
    assert base is not None
    cmp = _unsettled(c, compare_records(*c.pair)) if c.pair else []
    if c.editable is not None and c.scan is not None:  # a scan read through its codes holds the issued values
        cmp += issue_pairing(c.editable.source or {}, c.scan.source or {})
    cmp += pairing(c)
    sync(f"application:{c.app.id}", "compare", cmp)
    val = validate_record(c.record, cfg, files=c.files)
    sync(f"record:{base.id}", "validate", val, record_id=base.id)
    if late is None:
        late = check_batch([c.record], cfg)[1][0]
    sync(f"record:{base.id}", "deadline", late, record_id=base.id)
    c.findings = (_reading_findings(s, c, base.id) + cmp + val + late
                  + active_findings(s, f"application:{c.app.id}", ["group"]) + c.notes)


def review(s: Session, cfg: YearConfig, run_id: int) -> tuple[list[Current], list[Finding], dict[str, int]]:
    """Compare, validate and set statuses for every application of the year. One transaction.

    Each current record is validated once and the batch is checked once; the findings and
    status computed here are the ones the ledger, the exports and the approval sheets show.
    Returns (current records with .findings and .status, batch findings incl. deadlines, changes).
    """
    from haizhi.pipeline.validate import check_batch, record_status

    apps = list(s.scalars(select(Application).where(Application.year == cfg.year).order_by(Application.id)))
    cur = [c for c in (current(s, a) for a in apps) if c is not None]
    changes = {"added": 0, "retired": 0, "status_changed": 0}
    whole, deadlines = check_batch([c.record for c in cur], cfg)
    a, r = sync_findings(s, f"batch:{cfg.year}", "batch", whole, run_id)
    changes["added"] += a
    changes["retired"] += r
    for c, late in zip(cur, deadlines, strict=True):
        check(s, cfg, c, run_id, changes, late)
        base = c.editable or c.scan
        assert base is not None
        c.record.findings = list(c.findings)
        c.status = record_status(c.findings)
        if c.app.status != c.status or c.app.current_record_id != base.id:
            c.app.status, c.app.current_record_id = c.status, base.id
            c.app.updated_at = utcnow()
            changes["status_changed"] += 1
    s.commit()
    return cur, whole + [f for late in deadlines for f in late], changes


def ledger_view(s: Session, cfg: YearConfig) -> tuple[list[Current], list[Finding]]:
    """Every application's current record with the findings and status the last review() stored.

    Nothing is validated here: this is what the exports, the approval sheets and the web app show,
    on whichever machine they are written.
    """
    apps = list(s.scalars(select(Application).where(Application.year == cfg.year).order_by(Application.id)))
    cur: list[Current] = []
    deadlines: list[Finding] = []
    for a in apps:
        c = current(s, a)
        if c is None:
            continue
        base = c.editable or c.scan
        assert base is not None
        rec, app = f"record:{base.id}", f"application:{a.id}"
        late = active_findings(s, rec, ["deadline"])
        c.findings = (_reading_findings(s, c, base.id) + active_findings(s, app, ["compare"])
                      + active_findings(s, rec, ["validate"]) + late + active_findings(s, app, ["group"])
                      + c.notes)
        c.record.findings = list(c.findings)
        c.status = a.status
        deadlines += late
        cur.append(c)
    return cur, active_findings(s, f"batch:{cfg.year}", ["batch"]) + deadlines
