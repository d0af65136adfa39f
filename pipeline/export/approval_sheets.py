"""Per candidate: the approval sheet (初审审核表) as DOCX and PDF."""

from __future__ import annotations

from pathlib import Path

from haizhi.pipeline.core.config import YearConfig
from haizhi.pipeline.core.errors import HaizhiError
from haizhi.pipeline.core.record import Finding, Record
from haizhi.pipeline.export.names import safe_name, unique_name
from haizhi.pipeline.validate import record_label

SHEETS_DIR = "审核表"


def write_sheets(records: list[Record], per_record: list[list[Finding]], cfg: YearConfig, out_dir: Path,
                 *, pdf: bool = True) -> dict[str, Path]:
    """审核表/<name>.docx (+ .pdf) per record; keys "docx:<name>" / "pdf:<name>".

    Conversion failures do not stop the other records; they are raised together at the end.
    """
    from haizhi.pipeline.generate.approval_sheet import render_approval_sheet
    folder = out_dir / SHEETS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    used: set[str] = set()
    out: dict[str, Path] = {}
    docs: list[tuple[str, Path]] = []
    for i, (rec, fs) in enumerate(zip(records, per_record, strict=True)):
        name = unique_name(safe_name(record_label(rec, i)), used)
        path = folder / f"{name}.docx"
        path.write_bytes(render_approval_sheet(rec, fs, cfg))
        out[f"docx:{name}"] = path
        docs.append((name, path))
    if pdf and docs:
        from haizhi.pipeline.office.official import official_pdf

        failed = []
        for name, path in docs:
            try:
                out[f"pdf:{name}"] = official_pdf(path, path.with_suffix(".pdf"))
            except HaizhiError as e:
                failed.append(str(e))
        if failed:
            raise HaizhiError(f"{len(failed)} 份审核表未能转换为 PDF（DOCX 已生成）：\n" + "\n".join(failed))
    return out
