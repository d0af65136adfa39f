"""Exports with reviewed values: what intake exports, with people's corrections applied and named.

The year is re-checked as intake does (intake.review.review, which applies revisions),
then pipeline.export.write_exports writes XLSX, CSV, JSON Lines and approval sheets from
the reviewed records. Each corrected field carries an info finding “人工更正：… 由 … 改为 …
（who, when, why）”, so the workbook's cell comments, the CSVs' 问题 columns, the findings
lists and the approval sheets all say it. On top of that the workbook gains the sheets
人工更正 and 审核决定, each JSON line the keys "corrections" and "decision", and every
application decided 需补正 its 补正通知 (DOCX + PDF) under 补正通知/.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from sqlalchemy.orm import Session

from haizhi.pipeline.core.config import YearConfig, load_year
from haizhi.pipeline.core.errors import HaizhiError
from haizhi.pipeline.review.decisions import as_dict, current_decisions
from haizhi.pipeline.review.errors import Invalid
from haizhi.pipeline.review.models import FIX, PENDING, User
from haizhi.pipeline.review.revisions import show, when_cn

CORRECTIONS_SHEET = "人工更正"
DECISIONS_SHEET = "审核决定"
NOTICES_DIR = "补正通知"


def _xlsx_extra(path: Path, rows: list[tuple[str, dict[str, Any]]], decided: list[tuple[str, dict | None]]) -> None:
    from haizhi.pipeline.export.xlsx import _finish, _header, append_row

    wb = load_workbook(path)
    ws = wb.create_sheet(CORRECTIONS_SHEET)
    _header(ws, ["记录", "字段", "机器读出的值", "更正后的值", "更正人", "更正时间（北京时间）", "理由"],
            [28, 24, 30, 30, 12, 18, 40])
    for label, c in rows:
        append_row(ws, [label, c["label"], show(c["machine"]), show(c["value"]), c["user"],
                        when_cn_iso(c["at"]), c.get("reason") or ""])
    _finish(ws)
    ws = wb.create_sheet(DECISIONS_SHEET)
    _header(ws, ["记录", "审核决定", "补正事项", "决定人", "决定时间（北京时间）", "备注"], [28, 12, 60, 12, 18, 40])
    for label, d in decided:
        if d is None or d.get("stale"):
            append_row(ws, [label, PENDING, "", "", "", "此后收到新版本，需重新审核" if d else ""])
            continue
        items = "\n".join(f"{i}. " + (f"{it['label']}：" if it.get("label") else "") + it["text"]
                          for i, it in enumerate(d["items"], 1))
        append_row(ws, [label, d["decision"], items, d["user"] or "", when_cn_iso(d["at"]), d["note"] or ""])
    _finish(ws)
    tmp = path.with_suffix(".tmp.xlsx")
    wb.save(tmp)
    os.replace(tmp, path)


def when_cn_iso(at: str | None) -> str:
    import datetime as dt

    return when_cn(dt.datetime.fromisoformat(at)) if at else ""


def _jsonl_extra(path: Path, extra: list[dict[str, Any]]) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    if len(lines) != len(extra):
        raise HaizhiError(f"JSON Lines 行数（{len(lines)}）与记录数（{len(extra)}）不一致")
    out = []
    for line, add in zip(lines, extra, strict=True):
        d = json.loads(line)
        d.update(add)
        out.append(json.dumps(d, ensure_ascii=False))
    tmp = path.with_suffix(".tmp")
    tmp.write_text("\n".join(out) + ("\n" if out else ""), encoding="utf-8")
    os.replace(tmp, path)


def write_reviewed_exports(session: Session, out_dir: Path, cfg: YearConfig | None = None, *,
                           year: int | None = None, sheets: bool = True, pdf: bool = True,
                           notices: bool = True) -> dict[str, Path]:
    """Write every export with reviewed values and the findings the ledger holds.

    Nothing is validated here: a correction re-checks its application at once (recheck.py) and
    an intake reviews the year, so the stored findings and statuses are the ones shown.

    Keys as write_exports ("xlsx", "csv:<form>", "csv:findings", "jsonl", "docx:<name>", "pdf:<name>")
    plus "notice:<name>" / "notice-pdf:<name>" for the 补正通知 of applications decided 需补正.
    """
    from haizhi.pipeline.export import write_exports
    from haizhi.pipeline.intake.review import ledger_view
    from haizhi.pipeline.review.notice import write_correction_notice
    from haizhi.pipeline.review.queries import latest_year, stale
    from haizhi.pipeline.validate import record_label

    if cfg is None:
        year = year if year is not None else latest_year(session)
        if year is None:
            raise Invalid("台账中还没有任何申请，无法导出")
        cfg = load_year(year)
    cur, batch = ledger_view(session, cfg)
    if not cur:
        raise Invalid(f"{cfg.year} 年还没有任何申请，无法导出")
    recs = [c.record for c in cur]
    batch = [f for f in batch if f.rule != "batch.deadline"]  # carried on each record
    out_dir = Path(out_dir)
    written = write_exports(recs, cfg, out_dir, batch_findings=batch, sheets=sheets, pdf=pdf,
                            files=[c.files for c in cur], findings=[c.findings for c in cur])
    decided = current_decisions(session, [c.app.id for c in cur])
    uid = {d.user_id for d in decided.values()}
    names = {u.id: u.name for u in session.query(User).filter(User.id.in_(uid))} if uid else {}
    labels = [record_label(r, i) for i, r in enumerate(recs)]
    fixes = [(labels[i], c) for i, r in enumerate(recs) for c in r.source.get("corrections") or []]
    dec = [(labels[i], dict(as_dict(decided[c.app.id], names),
                            stale=stale(decided[c.app.id], c.app.current_record_id)) if c.app.id in decided else None)
           for i, c in enumerate(cur)]
    _xlsx_extra(written["xlsx"], fixes, dec)
    _jsonl_extra(written["jsonl"], [{"application_id": c.app.id, "corrections": r.source.get("corrections") or [],
                                     "verified": r.source.get("verified") or [], "decision": d}
                                    for c, r, (_l, d) in zip(cur, recs, dec, strict=True)])
    if notices:
        for label, c in zip(labels, cur, strict=True):
            d = decided.get(c.app.id)
            if d is None or d.decision != FIX or stale(d, c.app.current_record_id):
                continue
            got = write_correction_notice(session, c.app.id, out_dir / NOTICES_DIR, cfg, pdf=pdf)
            written[f"notice:{label}"] = got["docx"]
            if "pdf" in got:
                written[f"notice-pdf:{label}"] = got["pdf"]
    return written
