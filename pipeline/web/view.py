"""One application as its page shows it: files, the record's fields grouped as on the form
(flagged first within each group, flagged groups first), marks, findings and boxes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from haizhi.pipeline.core.fields import FORMS
from haizhi.pipeline.intake.db import Application, ApplicationFile, File, FindingRow, RecordRow
from haizhi.pipeline.intake.review import current
from haizhi.pipeline.web.queries import FORM_CN, shown_status

LOW_CONFIDENCE = 0.9
KIND_CN = {"form": "申请表", "support_letter": "支持函", "license": "注册证明", "plan": "建设方案", "proof": "证明材料",
           "other": "其他文件", "archive": "压缩包"}
STATE_CN = {"pending": "等待处理", "done": "已处理", "rejected": "已拒收", "failed": "处理失败"}
SEVERITY_CN = {"error": "错误", "warning": "警告", "info": "提示"}
COPY_CN = {"editable": "可编辑版本", "scan": "盖章扫描件"}


@dataclass
class FieldView:
    key: str
    label: str
    group: str | None
    value: Any
    shown: str
    flagged: bool
    reasons: list[str] = field(default_factory=list)
    box: dict[str, Any] | None = None  # {"page", "bbox", "confidence"} on the shown file
    revisions: list[dict[str, Any]] = field(default_factory=list)
    verified: bool = False
    corrected_by: str | None = None


@dataclass
class AppView:
    app: Application
    status: str
    form_cn: str
    files: list[dict[str, Any]]
    shown_file: dict[str, Any] | None
    groups: list[tuple[str, list[FieldView]]]
    marks: list[dict[str, Any]]
    findings: list[dict[str, Any]]
    record_id: int | None
    copies: list[dict[str, Any]]


def show(v: Any) -> str:
    if v is None:
        return "（空）"
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, list):
        return "、".join(str(x) for x in v) or "（无）"
    return str(v)


def app_files(s: Session, app_id: int) -> list[dict[str, Any]]:
    q = (select(ApplicationFile, File).join(File, File.id == ApplicationFile.file_id)
         .where(ApplicationFile.application_id == app_id).order_by(File.id))
    out = []
    for _af, f in s.execute(q):
        out.append({"id": f.id, "sha256": f.sha256, "name": f.name, "kind": f.kind, "kind_cn": KIND_CN.get(f.kind or "",
                    "待识别"), "state": f.state, "state_cn": STATE_CN.get(f.state, f.state), "pages": f.pages,
                    "method": f.method, "suffix": f.suffix, "reason": f.reason})
    return out


def _findings(s: Session, scopes: list[str]) -> list[FindingRow]:
    return list(s.scalars(select(FindingRow).where(FindingRow.scope.in_(scopes), FindingRow.active.is_(True))
                          .order_by(FindingRow.id)))


def build(s: Session, app_id: int, file_sha: str | None = None,
          reviewed: dict[str, Any] | None = None, history: dict[str, list[dict[str, Any]]] | None = None
          ) -> AppView | None:
    """reviewed/history: values and revisions per field from the review layer (None: machine values)."""
    app = s.get(Application, app_id)
    if app is None:
        return None
    cur = current(s, app)
    files = app_files(s, app.id)
    recs = list(s.scalars(select(RecordRow).where(RecordRow.application_id == app.id)
                          .order_by(RecordRow.version)))
    copies = [{"id": r.id, "copy": r.copy, "copy_cn": COPY_CN.get(r.copy, r.copy), "version": r.version,
               "file_id": r.file_id} for r in recs]
    # the file shown beside the fields: asked for, else the newest scan, else the form
    by_sha = {f["sha256"]: f for f in files}
    shown = by_sha.get(file_sha or "")
    if shown is None:
        scan = cur.scan if cur else None
        form_row = scan or (cur.editable if cur else None)
        fid = form_row.file_id if form_row else None
        shown = next((f for f in files if f["id"] == fid), files[0] if files else None)
    shown_rec = next((r for r in reversed(recs) if shown and r.file_id == shown["id"]), None)
    prov = (shown_rec.provenance or {}) if shown_rec else {}
    base = (cur.editable or cur.scan) if cur else None
    scopes = [f"application:{app.id}"] + [f"record:{r.id}" for r in recs if cur and r.id in
                                          {x.id for x in (cur.editable, cur.scan) if x is not None}]
    rows = _findings(s, scopes)
    per_field: dict[str, list[str]] = {}
    for f in rows:
        if f.field:
            per_field.setdefault(f.field, []).append(f.message)
    values = dict(cur.record.fields) if cur else {}
    if reviewed:
        values.update(reviewed)
    spec = FORMS.get(app.form)
    groups: dict[str, list[FieldView]] = {}
    for fs in (spec.fields if spec else ()):
        reasons = list(per_field.get(fs.key, []))
        p = prov.get(fs.key) if isinstance(prov.get(fs.key), dict) else None
        conf = p.get("confidence") if p else None
        if isinstance(conf, int | float) and conf < LOW_CONFIDENCE:
            reasons.append(f"识别置信度 {conf:.2f} 偏低")
        hist = (history or {}).get(fs.key, [])
        verified = bool(hist) and hist[-1].get("kind") == "verified"
        corrected = next((h.get("user") for h in reversed(hist) if h.get("kind") == "correction"), None)
        box = None
        if p and isinstance(p.get("bbox"), list | tuple) and len(p["bbox"]) == 4 and p.get("page"):
            box = {"page": int(p["page"]), "bbox": [float(x) for x in p["bbox"]], "confidence": conf}
        fv = FieldView(key=fs.key, label=fs.label, group=fs.group, value=values.get(fs.key),
                       shown=show(values.get(fs.key)), flagged=bool(reasons) and not verified, reasons=reasons,
                       box=box, revisions=hist, verified=verified, corrected_by=corrected)
        groups.setdefault(fs.group or "基本信息", []).append(fv)
    ordered = sorted(groups.items(), key=lambda kv: (not any(f.flagged for f in kv[1]),))
    ordered = [(g, sorted(fl, key=lambda f: not f.flagged)) for g, fl in ordered]
    marks = []
    rec_marks = cur.record.marks if cur else {}
    for m in (spec.marks if spec else ()):
        v = rec_marks.get(m.key)
        marks.append({"key": m.key, "label": m.label, "value": v,
                      "shown": "未检查" if v is None else ("已检出" if v else "未检出")})
    findings = [{"id": f.id, "severity": f.severity, "severity_cn": SEVERITY_CN.get(f.severity, f.severity),
                 "rule": f.rule, "field": f.field, "message": f.message, "basis": f.basis} for f in rows]
    findings.sort(key=lambda f: ("error", "warning", "info").index(f["severity"])
                  if f["severity"] in ("error", "warning", "info") else 3)
    return AppView(app=app, status=shown_status(app), form_cn=FORM_CN.get(app.form, app.form), files=files,
                   shown_file=shown, groups=ordered, marks=marks, findings=findings,
                   record_id=base.id if base else None, copies=copies)


def neighbours(s: Session, app: Application) -> tuple[int | None, int | None]:
    prev = s.scalar(select(Application.id).where(Application.year == app.year, Application.id < app.id)
                    .order_by(Application.id.desc()))
    nxt = s.scalar(select(Application.id).where(Application.year == app.year, Application.id > app.id)
                   .order_by(Application.id))
    return prev, nxt
