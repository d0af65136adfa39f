"""CSV per form (UTF-8 with BOM, so Excel opens it as Chinese) and JSON Lines."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from haizhi.pipeline.core.fields import FORMS
from haizhi.pipeline.core.record import SEVERITY_CN, Finding, Record
from haizhi.pipeline.export.xlsx import SHEET_TITLE, cell_value
from haizhi.pipeline.validate import record_label, record_status

FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(v: object) -> object:
    """CSV cells starting like a formula get a leading ' so spreadsheets show them as text
    (an applicant's "=HYPERLINK(…)" must not run; "+1 650…" shows as '+1 650…)."""
    if isinstance(v, str) and v.startswith(FORMULA_LEADS):
        return "'" + v
    return v


def _row(values: list[object]) -> list[object]:
    return [safe_cell(v) for v in values]


def _issues(fs: list[Finding]) -> str:
    return "；".join(f"[{SEVERITY_CN[f.severity]}] {f.message}" for f in fs)


def write_form_csv(form: str, records: list[Record], per_record: list[list[Finding]], path: Path) -> Path:
    spec = FORMS[form]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["记录", "初审状态", *[f.display for f in spec.fields], *[m.label for m in spec.marks], "问题"])
        for i, (rec, fs) in enumerate(zip(records, per_record, strict=True)):
            if rec.form != form:
                continue
            marks = [{True: "有", False: "无"}.get(rec.marks.get(m.key), "") for m in spec.marks]  # type: ignore[arg-type]
            vals = [cell_value(rec.fields.get(f.key)) for f in spec.fields]
            w.writerow(_row([record_label(rec, i), record_status(fs), *["" if v is None else v for v in vals],
                             *marks, _issues(fs)]))
    return path


def write_findings_csv(records: list[Record], per_record: list[list[Finding]], batch: list[Finding],
                       path: Path) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["记录", "表单", "规则", "严重程度", "字段", "说明", "依据"])
        for i, (rec, fs) in enumerate(zip(records, per_record, strict=True)):
            spec = FORMS[rec.form]
            for f in fs:
                fl = spec.field(f.field).display if f.field in spec.by_key else (f.field or "")
                w.writerow(_row([record_label(rec, i), SHEET_TITLE.get(rec.form, rec.form), f.rule,
                                 SEVERITY_CN[f.severity], fl, f.message, f.basis or ""]))
        for f in batch:
            w.writerow(_row(["（批次）", "", f.rule, SEVERITY_CN[f.severity], f.field or "", f.message, f.basis or ""]))
    return path


def write_jsonl(records: list[Record], per_record: list[list[Finding]], path: Path) -> Path:
    """One record per line: the record contract plus label and status; findings are the validated ones."""
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        for i, (rec, fs) in enumerate(zip(records, per_record, strict=True)):
            d = rec.to_dict()
            d["findings"] = [f.to_dict() for f in fs]
            d = {"label": record_label(rec, i), "status": record_status(fs), **d}
            fh.write(json.dumps(d, ensure_ascii=False) + "\n")
    return path
