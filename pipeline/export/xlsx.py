"""The reviewers' workbook: a sheet per form, all findings, quota use per recommender."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from haizhi.pipeline.core.config import YearConfig
from haizhi.pipeline.core.fields import FORMS, FormSpec
from haizhi.pipeline.core.record import SEVERITY_CN, Finding, Record
from haizhi.pipeline.validate import recommender_use, record_label, record_status

SHEET_TITLE = {"coop_institution": "合作机构信息表", "base_application": "基地申报表"}
FINDINGS_SHEET = "全部问题"
QUOTA_SHEET = "推荐单位名额"
LEGEND_SHEET = "说明"
FILL_RGB = {"error": "FFC7CE", "warning": "FFEB9C", "info": "DDEBF7"}
STATUS_RGB = {"通过": "C6EFCE", "需补正": FILL_RGB["warning"], "不符合条件": FILL_RGB["error"]}
SEV_ORDER = {"error": 0, "warning": 1, "info": 2}
HEAD_FONT = Font(bold=True)
HEAD_FILL = PatternFill("solid", fgColor="D9D9D9")
WRAP = Alignment(wrap_text=True, vertical="top")
AUTHOR = "haizhi 初审"
LEAD = ["序号", "记录", "来源文件", "初审状态", "问题数"]


def fill(rgb: str) -> PatternFill:
    return PatternFill("solid", fgColor=rgb)


def cell_value(v: Any) -> Any:
    """A record value as a cell value: lists joined with 、, bools as 是/否."""
    if v is None:
        return None
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, list | tuple):
        return "、".join(str(x) for x in v)
    if isinstance(v, int | float | str):
        return v
    return str(v)


MAX_CELL = 32767  # Excel's limit on characters in a cell


def clean_text(s: str) -> str:
    """Without the control characters XML cannot hold, within Excel's cell limit."""
    s = ILLEGAL_CHARACTERS_RE.sub("", s)
    return s if len(s) <= MAX_CELL else s[: MAX_CELL - 1] + "…"


def append_row(ws: Worksheet, values: list[Any]) -> int:
    """Append a row; text is always stored as text (an applicant's "=…" never becomes a formula)."""
    ws.append([clean_text(v) if isinstance(v, str) else v for v in values])
    r = ws.max_row
    for c in ws[r]:
        if isinstance(c.value, str) and c.data_type == "f":
            c.data_type = "s"
    return r


def _mark_value(v: bool | None) -> str | None:
    return None if v is None else ("有" if v else "无")


def _comment(findings: list[Finding]) -> Comment:
    text = "\n".join(f"[{SEVERITY_CN[f.severity]}] {f.message}" + (f"（{f.basis}）" if f.basis else "")
                     for f in findings)
    c = Comment(clean_text(text), AUTHOR)
    c.width, c.height = 320, min(40 + 36 * len(findings), 400)
    return c


def _worst(findings: list[Finding]) -> str:
    return min((f.severity for f in findings), key=SEV_ORDER.__getitem__)


def _header(ws: Worksheet, headers: list[str], widths: list[float]) -> None:
    ws.append(headers)
    for i, w in enumerate(widths, 1):
        c = ws.cell(row=1, column=i)
        c.font, c.fill, c.alignment = HEAD_FONT, HEAD_FILL, Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(i)].width = w


def _finish(ws: Worksheet, freeze: str = "A2") -> None:
    ws.freeze_panes = freeze
    # openpyxl leaves the extra panes' selections without a cell; LibreOffice's loader
    # (through unoserver) then refuses the file
    for sel in ws.sheet_view.selection:
        sel.activeCell = sel.activeCell or "A1"
        sel.sqref = sel.sqref or "A1"
    ws.auto_filter.ref = f"A1:{get_column_letter(ws.max_column)}{max(ws.max_row, 1)}"
    print_layout(ws)


def print_layout(ws: Worksheet, title_rows: str | None = "1:1") -> None:
    """Print on A4 landscape, all columns scaled onto the page width, the header row(s) on every page."""
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as the rows need
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.print_options.horizontalCentered = True
    if title_rows:
        ws.print_title_rows = title_rows
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def _col_width(spec_type: str, max_chars: str | None) -> float:
    if max_chars:
        return 48
    return {"text": 22, "choices": 26, "bool": 10, "date": 12}.get(spec_type, 12)


def _form_sheet(wb: Workbook, spec: FormSpec, rows: list[tuple[int, Record, list[Finding]]]) -> None:
    ws = wb.create_sheet(SHEET_TITLE.get(spec.id, spec.id[:31]))
    headers = LEAD + [f.display for f in spec.fields] + [m.label for m in spec.marks]
    widths = [6, 28, 22, 12, 8] + [_col_width(f.type, f.max_chars) for f in spec.fields] + [12] * len(spec.marks)
    _header(ws, headers, widths)
    col_of = {f.key: len(LEAD) + i + 1 for i, f in enumerate(spec.fields)}
    mark_col = {m.key: len(LEAD) + len(spec.fields) + i + 1 for i, m in enumerate(spec.marks)}
    for n, (i, rec, fs) in enumerate(rows, 1):
        status = record_status(fs)
        src = rec.source.get("file")
        values = [n, record_label(rec, i), Path(str(src)).name if src else None, status, len(fs)]
        values += [cell_value(rec.fields.get(f.key)) for f in spec.fields]
        values += [_mark_value(rec.marks.get(m.key)) for m in spec.marks]
        r = append_row(ws, values)
        for c in ws[r]:
            c.alignment = WRAP
        status_cell = ws.cell(row=r, column=4)
        status_cell.fill = fill(STATUS_RGB[status])
        by_field: dict[str, list[Finding]] = {}
        whole: list[Finding] = []
        for f in fs:
            (by_field.setdefault(f.field, []) if f.field in col_of else whole).append(f)  # type: ignore[arg-type]
        for key, group in by_field.items():
            c = ws.cell(row=r, column=col_of[key])
            c.fill = fill(FILL_RGB[_worst(group)])
            c.comment = _comment(group)
        for key, col in mark_col.items():
            if rec.marks.get(key) is False:
                ws.cell(row=r, column=col).fill = fill(FILL_RGB["warning"])
        if whole:
            status_cell.comment = _comment(whole)
    _finish(ws, "C2")


def _findings_sheet(wb: Workbook, records: list[Record], per_record: list[list[Finding]],
                    batch: list[Finding]) -> None:
    ws = wb.create_sheet(FINDINGS_SHEET)
    _header(ws, ["记录", "表单", "规则", "严重程度", "字段", "说明", "依据"], [28, 14, 28, 10, 24, 70, 34])
    rows: list[tuple[str, str, Finding, FormSpec | None]] = []
    for i, (rec, fs) in enumerate(zip(records, per_record, strict=True)):
        spec = FORMS[rec.form]
        rows += [(record_label(rec, i), SHEET_TITLE.get(rec.form, rec.form), f, spec) for f in fs]
    rows += [("（批次）", "—", f, None) for f in batch]
    for who, form, f, spec in rows:
        if f.field and spec is not None and f.field in spec.by_key:
            fl = spec.field(f.field).display
        else:
            fl = next((s.field(f.field).display for s in FORMS.values() if f.field in s.by_key), f.field or "—")
        r = append_row(ws, [who, form, f.rule, SEVERITY_CN[f.severity], fl, f.message, f.basis or ""])
        for c in ws[r]:
            c.alignment = WRAP
        ws.cell(row=r, column=4).fill = fill(FILL_RGB[f.severity])
    _finish(ws)


def _quota_sheet(wb: Workbook, records: list[Record], cfg: YearConfig) -> None:
    ws = wb.create_sheet(QUOTA_SHEET)
    _header(ws, ["推荐单位", "类别", "名额", "已推荐", "境外机构", "境外占比", "最低境外占比", "名额情况", "占比情况",
                 "候选机构"], [30, 16, 8, 8, 10, 10, 12, 12, 12, 80])
    min_share = cfg.coop.min_overseas_share
    for u in recommender_use(records, cfg):
        if u.quota is None:
            quota_state = "未登记" if u.kind is None else "商定"
        else:
            quota_state = "超额" if u.over_quota else "未超额"
        share_ok = u.share >= min_share
        r = append_row(ws, [u.name, u.kind_cn, u.quota, u.count, u.overseas, u.share, min_share, quota_state,
                            "达标" if share_ok else "不足", "、".join(record_label(r) for r in u.candidates)])
        ws.cell(row=r, column=6).number_format = "0%"
        ws.cell(row=r, column=7).number_format = "0%"
        if u.over_quota or u.kind is None:
            ws.cell(row=r, column=8).fill = fill(FILL_RGB["warning"])
        if not share_ok:
            ws.cell(row=r, column=9).fill = fill(FILL_RGB["warning"])
        ws.cell(row=r, column=10).alignment = WRAP
    _finish(ws)


def _legend(wb: Workbook, cfg: YearConfig) -> None:
    ws = wb.create_sheet(LEGEND_SHEET)
    ws.append([f"{cfg.year} 年度初审结果（按 {cfg.coop.doc_number}、{cfg.base.doc_number} 及年度配置检查）"])
    ws.append(["颜色", "含义"])
    for sev, status in (("error", "不符合条件"), ("warning", "需补正"), ("info", "提示，不影响状态")):
        ws.append([SEVERITY_CN[sev], status])
        ws.cell(row=ws.max_row, column=1).fill = fill(FILL_RGB[sev])
    ws.append(["批注", "有问题的单元格带批注，写明问题和依据条款；整条记录的问题批注在“初审状态”单元格"])
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = 80
    print_layout(ws, "1:2")


def write_workbook(records: list[Record], per_record: list[list[Finding]], batch: list[Finding],
                   cfg: YearConfig, path: Path) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    forms = [f for f in FORMS if any(r.form == f for r in records)] or list(FORMS)
    for form in forms:
        rows = [(i, r, fs) for i, (r, fs) in enumerate(zip(records, per_record, strict=True)) if r.form == form]
        _form_sheet(wb, FORMS[form], rows)
    _findings_sheet(wb, records, per_record, batch)
    _quota_sheet(wb, records, cfg)
    _legend(wb, cfg)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path
