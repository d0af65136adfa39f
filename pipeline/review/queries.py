"""Read side of the review app: the dashboard list and one application's page, as plain dicts.

The status a person sees is the newest decision (通过 / 需补正 / 不符合条件), or 待复核
while no one has decided; the machine's 初审 result is "machine_status".
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from haizhi.pipeline.core.config import YearConfig, load_year
from haizhi.pipeline.core.fields import BASE, COOP, FORMS
from haizhi.pipeline.core.record import Record
from haizhi.pipeline.intake.db import Application, ApplicationFile, File, FindingRow, RecordRow, Run
from haizhi.pipeline.review.decisions import application, as_dict, current_decision, current_decisions
from haizhi.pipeline.review.decisions import history as decision_history
from haizhi.pipeline.review.errors import NotFound
from haizhi.pipeline.review.models import DECISIONS, PENDING, Decision, User
from haizhi.pipeline.review.recheck import year_records
from haizhi.pipeline.review.revisions import aware, history, revisions_for

STATUSES = (*DECISIONS, PENDING)
LOW_CONFIDENCE = 0.80
SEV_RANK = {"error": 0, "warning": 1, "info": 2}
NAME_KEY = {COOP: "name_cn", BASE: "base_name"}
READING = ("extract", "compare")  # findings about the reading, settled by a person's revision


def stale(d: Decision | None, record_id: int | None) -> bool:
    """A decision taken on an earlier version of the record: the applicant has since sent a new one."""
    return d is not None and d.record_id is not None and record_id is not None and d.record_id != record_id


def effective_status(d: Decision | None, record_id: int | None) -> str:
    """The decision, or 待复核 without one or when a newer version of the record arrived after it."""
    return PENDING if d is None or stale(d, record_id) else d.decision


def latest_year(s: Session) -> int | None:
    return s.scalar(select(func.max(Application.year)))


def finding_dict(r: FindingRow, settled: set[str] | None = None) -> dict[str, Any]:
    d: dict[str, Any] = {"id": r.id, "rule": r.rule, "severity": r.severity, "field": r.field,
                         "message": r.message, "basis": r.basis, "origin": r.origin, "scope": r.scope}
    where = getattr(r, "where", None)
    if isinstance(where, dict):
        d["where"] = where
        d["page"], d["box"] = where.get("page"), where.get("bbox") or where.get("box")
    d["settled"] = bool(settled and r.origin in READING and r.field in settled)
    return d


def _recommender(rec: Record, cfg: YearConfig | None) -> str | None:
    if rec.form != COOP:
        return None
    raw = rec.fields.get("recommender")
    if raw is None or not str(raw).strip():
        return None
    reg = cfg.recommender(str(raw).strip()) if cfg is not None else None
    return reg.name if reg else str(raw).strip()


def _config(year: int | None) -> YearConfig | None:
    try:
        return load_year(year) if year is not None else None
    except Exception:
        return None


def _open_findings(s: Session, apps: list[Application], settled: dict[int, set[str]]) -> dict[int, Counter]:
    """Per application: counts by severity of its active findings (reading findings a person settled left out)."""
    scopes: dict[str, int] = {}
    for a in apps:
        scopes[f"application:{a.id}"] = a.id
        if a.current_record_id is not None:
            scopes[f"record:{a.current_record_id}"] = a.id
    out: dict[int, Counter] = {a.id: Counter() for a in apps}
    keys = list(scopes)
    for i in range(0, len(keys), 500):
        q = select(FindingRow.scope, FindingRow.origin, FindingRow.field, FindingRow.severity).where(
            FindingRow.scope.in_(keys[i:i + 500]), FindingRow.active.is_(True))
        for scope, origin, fld, sev in s.execute(q):
            app_id = scopes[scope]
            if origin in READING and fld is not None and fld in settled.get(app_id, set()):
                continue
            out[app_id][sev] += 1
    return out


def _search_text(a: Application, rec: Record) -> str:
    vals = [a.name, a.credit_code, a.folder, *(rec.fields.get(k) for k in
                                               ("name_cn", "name_en", "credit_code", "base_name", "applicant",
                                                "recommender", "head_name", "contact_name"))]
    return " ".join(str(v) for v in vals if v).lower()


def list_applications(session: Session, *, year: int | None = None, form: str | None = None,
                      recommender: str | None = None, status: str | None = None, flagged: bool | None = None,
                      q: str | None = None, limit: int = 50, offset: int = 0) -> dict[str, Any]:
    """The dashboard: one page of applications (flagged first, then by name) and the year's overview.

    status: 通过 / 需补正 / 不符合条件 / 待复核 (the decision, or 待复核 without one).
    Returns {"year", "total", "items": [...], "counts": {status: n}, "machine_counts",
    "recommenders": [quota use and overseas share], "batch_findings": [...], "processing": {...}}.
    counts are over the applications that match every filter except status.
    """
    s = session
    year = year if year is not None else latest_year(s)
    cfg = _config(year)
    pairs = year_records(s, year) if year is not None else []
    apps = [a for a, _r in pairs]
    revs = revisions_for(s, [a.current_record_id for a in apps if a.current_record_id is not None])
    settled = {a.id: {r.field for r in revs.get(a.current_record_id or -1, [])} for a in apps}
    opened = _open_findings(s, apps, settled)
    decided = current_decisions(s, [a.id for a in apps])
    uid = {d.user_id for d in decided.values()}
    names = {i: n for i, n in s.execute(select(User.id, User.name).where(User.id.in_(uid)))} if uid else {}
    needle = (q or "").strip().lower()
    rows = []
    for a, rec in pairs:
        d = decided.get(a.id)
        n = opened[a.id]
        item = {
            "id": a.id, "year": a.year, "form": a.form, "form_title": FORMS[a.form].title if a.form in FORMS else a.form,
            "name": rec.fields.get(NAME_KEY.get(a.form, "")) or a.name, "credit_code": rec.fields.get("credit_code")
            or a.credit_code, "folder": a.folder, "recommender": _recommender(rec, cfg),
            "machine_status": a.status, "status": effective_status(d, a.current_record_id),
            "decision": as_dict(d, names) if d else None,
            "decision_stale": stale(d, a.current_record_id),
            "errors": n["error"], "warnings": n["warning"], "infos": n["info"],
            "flagged": bool(n["error"] or n["warning"]) or a.status not in (None, "通过"),
            "corrected": len({r.field for r in revs.get(a.current_record_id or -1, []) if r.kind == "correction"}),
            "record_id": a.current_record_id,
            "updated_at": aware(a.updated_at).isoformat() if a.updated_at else None,
        }
        if form and a.form != form:
            continue
        if recommender and (item["recommender"] or "") != recommender and recommender not in (item["recommender"] or ""):
            continue
        if flagged is not None and item["flagged"] != flagged:
            continue
        if needle and needle not in _search_text(a, rec):
            continue
        rows.append(item)
    counts = {st: 0 for st in STATUSES}
    machine = {st: 0 for st in DECISIONS}
    for it in rows:
        counts[it["status"]] = counts.get(it["status"], 0) + 1
        if it["machine_status"] in machine:
            machine[it["machine_status"]] += 1
    if status:
        rows = [it for it in rows if it["status"] == status]
    rows.sort(key=lambda it: (not it["flagged"], -it["errors"], -it["warnings"], str(it["name"] or ""), it["id"]))
    limit = max(1, min(int(limit), 500))
    offset = max(0, int(offset))
    return {"year": year, "total": len(rows), "items": rows[offset:offset + limit], "counts": counts,
            "machine_counts": machine, "recommenders": recommender_overview([r for _a, r in pairs], cfg),
            "batch_findings": batch_findings(s, year), "processing": processing(s)}


def recommender_overview(records: list[Record], cfg: YearConfig | None) -> list[dict[str, Any]]:
    """Per recommender: quota, candidates, overseas share (pipeline.validate.recommender_use)."""
    if cfg is None:
        return []
    from haizhi.pipeline.validate import recommender_use

    min_share = cfg.coop.min_overseas_share
    return [{"name": u.name, "kind": u.kind, "kind_cn": u.kind_cn, "quota": u.quota, "count": u.count,
             "overseas": u.overseas, "unknown_overseas": u.unknown_overseas, "share": u.share,
             "min_share": min_share, "over_quota": u.over_quota, "share_ok": u.share >= min_share}
            for u in recommender_use(records, cfg)]


def batch_findings(s: Session, year: int | None) -> list[dict[str, Any]]:
    if year is None:
        return []
    q = select(FindingRow).where(FindingRow.scope == f"batch:{year}", FindingRow.active.is_(True))
    return [finding_dict(r) for r in s.scalars(q.order_by(FindingRow.id))]


def processing(s: Session) -> dict[str, Any]:
    """What intake is doing: running runs and files waiting to be read."""
    runs = [{"id": r.id, "inbox": r.inbox, "year": r.year, "started_at": aware(r.started_at).isoformat()}
            for r in s.scalars(select(Run).where(Run.status == "running").order_by(Run.id))]
    pending = s.scalar(select(func.count()).select_from(File).where(File.state == "pending")) or 0
    failed = s.scalar(select(func.count()).select_from(File).where(File.state == "failed")) or 0
    return {"runs": runs, "pending_files": pending, "failed_files": failed}


def _files(s: Session, app_id: int) -> list[dict[str, Any]]:
    q = (select(ApplicationFile, File).join(File, File.id == ApplicationFile.file_id)
         .where(ApplicationFile.application_id == app_id).order_by(File.id))
    return [{"id": f.id, "name": f.name, "suffix": f.suffix, "kind": f.kind, "role": af.role, "state": f.state,
             "method": f.method, "pages": f.pages, "size": f.size, "sha256": f.sha256, "readable": f.readable,
             "reason": f.reason} for af, f in s.execute(q)]


def _field_rows(rec: Record, machine: RecordRow, findings: list[dict[str, Any]], corrections: list[dict[str, Any]],
                verified: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The form's fields and marks in form order, each with its values, revisions, box and findings;
    flagged ones first (open findings, low confidence, copies differing)."""
    spec = FORMS[rec.form]
    fixed = {c["field"]: c for c in corrections}
    seen = {v["field"]: v for v in verified}
    by_field: dict[str, list[dict[str, Any]]] = {}
    for f in findings:
        if f.get("field"):
            by_field.setdefault(f["field"], []).append(f)
    out = []
    items: list[tuple[str, str, str | None, str, tuple[str, ...], Any, Any]] = [
        (f.key, f.display, f.group, f.type, f.options, (machine.fields or {}).get(f.key), rec.fields.get(f.key))
        for f in spec.fields]
    items += [(m.key, m.label, "签章", "mark", (), (machine.marks or {}).get(m.key), rec.marks.get(m.key))
              for m in spec.marks]
    for order, (key, label, group, ftype, options, mval, val) in enumerate(items):
        prov = rec.provenance.get(key) if isinstance(rec.provenance.get(key), dict) else None
        conf = prov.get("confidence") if prov else None
        fs = sorted(by_field.get(key, []), key=lambda f: SEV_RANK.get(f["severity"], 3))
        open_fs = [f for f in fs if not f["settled"] and f["rule"] != "review.corrected"]
        low = isinstance(conf, int | float) and conf < LOW_CONFIDENCE and key not in fixed and key not in seen
        differs = any(f["rule"].startswith("compare.") and not f["settled"] for f in fs)
        flagged = low or any(f["severity"] in ("error", "warning") for f in open_fs) or differs
        out.append({"key": key, "label": label, "group": group, "type": ftype, "options": list(options),
                    "machine": mval, "value": val, "corrected": fixed.get(key), "verified": seen.get(key),
                    "confidence": conf, "page": prov.get("page") if prov else None,
                    "box": prov.get("bbox") if prov else None, "findings": fs, "flagged": flagged,
                    "low_confidence": low, "differs": differs, "order": order})
    out.sort(key=lambda f: (not f["flagged"], f["order"]))
    return out


def application_detail(session: Session, application_id: int) -> dict[str, Any]:
    """One application's page: files, record versions, the current record's fields (reviewed values,
    machine values, revisions, boxes, findings; flagged first), all findings, revisions and decisions.
    NotFound for an unknown id."""
    from haizhi.pipeline.intake.review import current

    s = session
    app = application(s, application_id)
    rows = list(s.scalars(select(RecordRow).where(RecordRow.application_id == app.id)
                          .order_by(RecordRow.version)))
    c = current(s, app)
    base = (c.editable or c.scan) if c else None
    scopes = {f"application:{app.id}": ("compare", "group")}
    if base is not None:
        scopes[f"record:{base.id}"] = ("extract", "validate", "deadline")
    if c is not None and c.editable is not None and c.scan is not None:
        scopes[f"record:{c.scan.id}"] = ("extract",)
    settled = c.settled if c else set()
    findings = []
    for scope, origins in scopes.items():
        q = select(FindingRow).where(FindingRow.scope == scope, FindingRow.active.is_(True),
                                     FindingRow.origin.in_(origins))
        findings += [finding_dict(r, settled) for r in s.scalars(q.order_by(FindingRow.id))]
    findings.sort(key=lambda f: (f["settled"], SEV_RANK.get(f["severity"], 3), f["id"]))
    dec = decision_history(s, app.id)
    last = current_decision(s, app.id)
    rec = c.record if c else None
    corrections = list(rec.source.get("corrections") or []) if rec else []
    verified = list(rec.source.get("verified") or []) if rec else []
    revs: list[dict[str, Any]] = []
    for r in rows:
        revs += [dict(h, record_id=r.id) for h in history(s, r.id)]
    return {
        "application": {"id": app.id, "year": app.year, "form": app.form,
                        "form_title": FORMS[app.form].title if app.form in FORMS else app.form,
                        "name": app.name, "credit_code": app.credit_code, "folder": app.folder,
                        "machine_status": app.status,
                        "status": effective_status(last, base.id if base else None),
                        "decision_stale": stale(last, base.id if base else None),
                        "current_record_id": base.id if base else None,
                        "created_at": aware(app.created_at).isoformat() if app.created_at else None,
                        "updated_at": aware(app.updated_at).isoformat() if app.updated_at else None},
        "files": _files(s, app.id),
        "records": [{"id": r.id, "file_id": r.file_id, "copy": r.copy, "version": r.version, "form": r.form,
                     "current": base is not None and r.id == base.id,
                     "scan_of_current": c is not None and c.scan is not None and r.id == c.scan.id and base is not r,
                     "source": r.source, "provenance": r.provenance, "marks": r.marks}
                    for r in rows],
        "record": rec.to_dict() if rec else None,
        "fields": _field_rows(rec, base, findings, corrections, verified) if rec and base else [],
        "findings": findings,
        "corrections": corrections,
        "verified": verified,
        "revisions": revs,
        "decisions": dec,
        "decision": dec[-1] if dec else None,
    }


def file_of(session: Session, file_id: int, application_id: int | None = None) -> File:
    """A stored original by id (never by path), optionally required to belong to the application.
    NotFound otherwise. Its bytes are FileStore(out / "store").path_for(file.sha256)."""
    f = session.get(File, file_id)
    if f is None:
        raise NotFound(f"没有这个文件：{file_id}")
    if application_id is not None and session.scalar(
            select(ApplicationFile.id).where(ApplicationFile.application_id == application_id,
                                             ApplicationFile.file_id == file_id)) is None:
        raise NotFound(f"申请 {application_id} 没有文件 {file_id}")
    return f
