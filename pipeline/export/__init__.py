"""What reviewers receive: workbook, CSV, JSON Lines and per-candidate approval sheets."""

from __future__ import annotations

from pathlib import Path

from haizhi.pipeline.core.config import YearConfig
from haizhi.pipeline.core.fields import FORMS
from haizhi.pipeline.core.record import Finding, Record
from haizhi.pipeline.export.approval_sheets import write_sheets
from haizhi.pipeline.export.names import safe_name, unique_name
from haizhi.pipeline.export.tabular import write_findings_csv, write_form_csv, write_jsonl
from haizhi.pipeline.export.xlsx import SHEET_TITLE, write_workbook
from haizhi.pipeline.validate import findings_for, validate_batch

__all__ = ["safe_name", "unique_name", "write_exports"]

WORKBOOK = "初审汇总.xlsx"
FINDINGS_CSV = "全部问题.csv"
JSONL = "初审记录.jsonl"


def write_exports(records: list[Record], cfg: YearConfig, out_dir: Path, *,
                  batch_findings: list[Finding] | None = None, sheets: bool = True,
                  pdf: bool = True, files: list[list[dict] | None] | None = None,
                  findings: list[list[Finding]] | None = None) -> dict[str, Path]:
    """Validate (keeping earlier extraction/comparison findings) and write everything.

    Keys: "xlsx", "csv:<form id>", "csv:findings", "jsonl", "docx:<name>", "pdf:<name>".
    batch_findings None = computed here (without receipt dates).
    files: each record's attachments (as validate_record takes them), when known.
    findings: each record's complete findings when already computed (e.g. by the intake's
    review); then nothing is validated again and the exports show exactly these.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    if files is not None and len(files) != len(records):
        raise ValueError("files must have one entry per record")
    if findings is not None:
        if len(findings) != len(records):
            raise ValueError("findings must have one entry per record")
        per_record = [list(fs) for fs in findings]
    else:
        per_record = [findings_for(r, cfg, files=files[i] if files else None) for i, r in enumerate(records)]
    batch = validate_batch(records, cfg) if batch_findings is None else batch_findings
    out: dict[str, Path] = {"xlsx": write_workbook(records, per_record, batch, cfg, out_dir / WORKBOOK)}
    for form in FORMS:
        if any(r.form == form for r in records):
            out[f"csv:{form}"] = write_form_csv(form, records, per_record, out_dir / f"{SHEET_TITLE[form]}.csv")
    out["csv:findings"] = write_findings_csv(records, per_record, batch, out_dir / FINDINGS_CSV)
    out["jsonl"] = write_jsonl(records, per_record, out_dir / JSONL)
    if sheets:
        out.update(write_sheets(records, per_record, cfg, out_dir, pdf=pdf))
    return out
