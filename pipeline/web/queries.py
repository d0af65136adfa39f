"""Read-side views of the ledger for the pages: the dashboard and what is being processed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from haizhi.pipeline.intake.db import Application, ApplicationFile, File, FindingRow, RecordRow, Run
from haizhi.pipeline.review.decisions import current_decisions

STATUSES = ("通过", "需补正", "不符合条件", "待复核")
FORM_CN = {"coop_institution": "合作机构信息表", "base_application": "基地申报表"}
FLAG_SEVERITIES = ("error", "warning")


@dataclass
class Filters:
    form: str | None = None
    recommender: str | None = None
    status: str | None = None
    flagged: bool = False
    q: str | None = None

    def as_query(self) -> dict[str, str]:
        d = {"form": self.form, "recommender": self.recommender, "status": self.status, "q": self.q,
             "flagged": "1" if self.flagged else None}
        return {k: v for k, v in d.items() if v}


@dataclass
class AppRow:
    id: int
    name: str
    form: str
    form_cn: str
    status: str  # the current decision, or 待复核
    machine: str | None  # the 初审 status the rules gave
    recommender: str | None
    overseas: bool | None
    flags: int
    files: int
    updated_at: Any

    def to_dict(self) -> dict[str, Any]:
        d = dict(self.__dict__)
        d["updated_at"] = self.updated_at.isoformat() if self.updated_at else None
        return d


@dataclass
class Dashboard:
    rows: list[AppRow]
    counts: dict[str, int]
    recommenders: list[dict[str, Any]] = field(default_factory=list)
    batch: list[dict[str, Any]] = field(default_factory=list)
    forms: list[str] = field(default_factory=list)
    recommender_names: list[str] = field(default_factory=list)


def shown_status(app: Application) -> str:
    """The machine's 初审 status (None before the first check shows as 待复核)."""
    return app.status if app.status in STATUSES else "待复核"


def _flag_counts(s: Session, record_ids: list[int], app_ids: list[int]) -> dict[str, int]:
    scopes = [f"record:{i}" for i in record_ids] + [f"application:{i}" for i in app_ids]
    if not scopes:
        return {}
    q = (select(FindingRow.scope, func.count()).where(FindingRow.scope.in_(scopes), FindingRow.active.is_(True),
                                                      FindingRow.severity.in_(FLAG_SEVERITIES))
         .group_by(FindingRow.scope))
    return dict(s.execute(q).all())  # type: ignore[arg-type]


def list_applications(s: Session, flt: Filters, year: int | None = None) -> list[AppRow]:
    q = select(Application, RecordRow).outerjoin(RecordRow, RecordRow.id == Application.current_record_id)
    if year:
        q = q.where(Application.year == year)
    if flt.form:
        q = q.where(Application.form == flt.form)
    if flt.q:
        like = f"%{flt.q.strip()}%"
        q = q.where(or_(Application.name.ilike(like), Application.credit_code.ilike(like),
                        Application.folder.ilike(like)))
    pairs = list(s.execute(q.order_by(Application.id)).all())
    nfiles = dict(s.execute(select(ApplicationFile.application_id, func.count())
                            .group_by(ApplicationFile.application_id)).all())
    flags = _flag_counts(s, [r.id for _a, r in pairs if r is not None], [a.id for a, _r in pairs])
    decided = current_decisions(s, [a.id for a, _r in pairs])
    rows = []
    for a, r in pairs:
        fields = (r.fields or {}) if r is not None else {}
        n = flags.get(f"record:{r.id}", 0) if r is not None else 0
        n += flags.get(f"application:{a.id}", 0)
        row = AppRow(id=a.id, name=a.name or a.key, form=a.form, form_cn=FORM_CN.get(a.form, a.form),
                     status=decided[a.id].decision if a.id in decided else "待复核",
                     machine=a.status, recommender=fields.get("recommender") or None,
                     overseas=fields.get("overseas"), flags=n, files=int(nfiles.get(a.id, 0)),
                     updated_at=a.updated_at)
        if flt.status and row.status != flt.status:
            continue
        if flt.recommender and row.recommender != flt.recommender:
            continue
        if flt.flagged and not row.flags:
            continue
        rows.append(row)
    return rows


def recommender_table(s: Session, year: int) -> list[dict[str, Any]]:
    """Per recommender: candidates, quota, over quota, overseas share (the batch rule's own numbers)."""
    from haizhi.pipeline.core.config import load_year
    from haizhi.pipeline.intake.review import to_record
    from haizhi.pipeline.validate.batch import recommender_use

    try:
        cfg = load_year(year)
    except Exception:
        return []
    recs = [to_record(r) for r in s.scalars(
        select(RecordRow).join(Application, Application.current_record_id == RecordRow.id)
        .where(Application.year == year).order_by(Application.id))]
    out = []
    for u in recommender_use(recs, cfg):
        out.append({"name": u.name, "kind": u.kind_cn, "count": u.count, "quota": u.quota,
                    "over": u.over_quota, "overseas": u.overseas, "share": round(100 * u.share)})
    return out


def batch_findings(s: Session, year: int) -> list[dict[str, Any]]:
    q = (select(FindingRow).where(FindingRow.scope == f"batch:{year}", FindingRow.active.is_(True))
         .order_by(FindingRow.id))
    return [{"severity": f.severity, "rule": f.rule, "message": f.message, "basis": f.basis} for f in s.scalars(q)]


def newest_year(s: Session) -> int | None:
    return s.scalar(select(func.max(Application.year)))


def dashboard(s: Session, flt: Filters, year: int | None) -> Dashboard:
    year = year or newest_year(s)
    all_rows = list_applications(s, Filters(), year)
    counts = {k: 0 for k in STATUSES}
    for r in all_rows:
        counts[r.status] = counts.get(r.status, 0) + 1
    rows = list_applications(s, flt, year) if flt.as_query() else all_rows
    return Dashboard(rows=rows, counts=counts,
                     recommenders=recommender_table(s, year) if year else [],
                     batch=batch_findings(s, year) if year else [],
                     forms=sorted({r.form for r in all_rows}),
                     recommender_names=sorted({r.recommender for r in all_rows if r.recommender}))


def processing(s: Session) -> dict[str, Any]:
    """Files waiting or being read, and the intake run in progress (if any)."""
    pending = list(s.scalars(select(File).where(File.state == "pending").order_by(File.id).limit(50)))
    run = s.scalar(select(Run).order_by(Run.id.desc()).limit(1))
    failed = s.scalar(select(func.count()).select_from(File).where(File.state == "failed")) or 0
    return {"pending": [{"id": f.id, "name": f.name, "since": f.created_at.isoformat() if f.created_at else None}
                        for f in pending],
            "failed": int(failed),
            "run": None if run is None else {"id": run.id, "status": run.status,
                                             "started_at": run.started_at.isoformat() if run.started_at else None,
                                             "finished_at": run.finished_at.isoformat() if run.finished_at else None}}
