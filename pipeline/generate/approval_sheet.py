"""Reviewer documents: 初审审核表 per candidate, 推荐名单汇总表, and the 公示.

Templates: templates/approval_sheet.docx, batch_list.docx, public_notice.docx
(built by templates/build/sheets.py). Values are plain strings here; the
templates only lay them out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from haizhi.pipeline.core.config import YearConfig
from haizhi.pipeline.core.errors import HaizhiError
from haizhi.pipeline.core.fields import BASE, COOP, FORMS, FieldSpec, FormSpec
from haizhi.pipeline.core.record import SEVERITY_CN, Finding, Record
from haizhi.pipeline.generate.forms import xml_safe
from haizhi.pipeline.generate.render import cn_date, num, render_docx

# key fields shown at the top of the 初审审核表
KEY_FIELDS: dict[str, tuple[str, ...]] = {
    COOP: ("name_cn", "name_en", "credit_code", "overseas", "country", "registered_on", "registered_capital",
           "legal_representative", "institution_types", "institution_nature", "head_name", "contact_name",
           "contact_mobile", "recommender"),
    BASE: ("base_name", "base_type", "applicant", "address", "established_on", "head_name", "contact_name",
           "contact_mobile", "service_area", "staff_fulltime", "linked_talents", "overseas_partners",
           "resident_companies", "resident_rd_institutions"),
}
PROGRAMME = {COOP: "合作机构", BASE: "基地"}
NAME_KEY = {COOP: "name_cn", BASE: "base_name"}
BY_KEY = {COOP: "recommender", BASE: "applicant"}
NONE = "—"


def _spec(record: Record) -> FormSpec:
    if record.form not in FORMS:
        raise HaizhiError(f"记录的表单类型无效：{record.form!r}")
    return FORMS[record.form]


def plain(f: FieldSpec, v: Any) -> str:
    """A field value as plain text for a reviewer: 是/否, 2015年6月18日, 1200, 荐才机构、平台机构."""
    if v is None or v == "" or v == []:
        return "（未填）"
    if f.type == "bool":
        return "是" if v is True else "否" if v is False else str(v)
    if f.type == "date":
        try:
            return cn_date(str(v))
        except ValueError:
            return str(v)
    if f.type == "choices" and isinstance(v, list | tuple):
        return "、".join(str(x) for x in v)
    return num(v)


def candidate_name(record: Record) -> str:
    return str(record.fields.get(NAME_KEY[record.form]) or "（名称未填）")


def _safe(ctx: Any) -> Any:
    """Context values made XML-safe (records read from files may carry control characters)."""
    if isinstance(ctx, dict):
        return {k: _safe(v) for k, v in ctx.items()}
    if isinstance(ctx, list):
        return [_safe(v) for v in ctx]
    return xml_safe(ctx)


def _status(findings: Iterable[Finding]) -> str:
    from haizhi.pipeline.validate.status import record_status

    return record_status(findings)


def _field_label(spec: FormSpec, key: str | None) -> str:
    if not key:
        return "（整体）"
    if key not in spec.by_key:
        return key
    f = spec.by_key[key]
    return f.label if f.group == "承诺书" else f.display


def _summary(findings: list[Finding]) -> str:
    n = {s: sum(f.severity == s for f in findings) for s in SEVERITY_CN}
    return "共发现" + "、".join(f"{SEVERITY_CN[s]} {n[s]} 项" for s in SEVERITY_CN) + "。"


def approval_context(record: Record, findings: list[Finding], cfg: YearConfig,
                     status: str | None = None) -> dict[str, Any]:
    spec = _spec(record)
    pairs = [{"label": _field_label(spec, k), "value": plain(spec.field(k), record.fields.get(k))}
             for k in KEY_FIELDS[record.form]]
    if len(pairs) % 2:
        pairs.append({"label": "", "value": ""})
    rows = [pairs[i:i + 2] for i in range(0, len(pairs), 2)]
    return {
        "cfg": cfg,
        "year": cfg.year,
        "title": f"{cfg.year}年中国科协海智计划{PROGRAMME[record.form]}初审审核表",
        "candidate": candidate_name(record),
        "info": rows,
        "findings": [{"no": i, "severity": SEVERITY_CN.get(f.severity, f.severity),
                      "field": _field_label(spec, f.field), "message": f.message, "basis": f.basis or NONE}
                     for i, f in enumerate(findings, 1)],
        "status": status or _status(findings),
        "summary": _summary(findings),
    }


def render_approval_sheet(record: Record, findings: list[Finding], cfg: YearConfig,
                          status: str | None = None) -> bytes:
    """初审审核表 for one candidate: key fields, findings, 初审结论, three opinion blocks."""
    return render_docx("approval_sheet.docx", _safe(approval_context(record, findings, cfg, status)))


def _as_findings(items: Iterable[Finding | dict[str, Any]]) -> list[Finding]:
    return [f if isinstance(f, Finding) else Finding.from_dict(f) for f in items]


def _lookup(findings: Mapping[Any, Any] | None, i: int, record: Record) -> list[Finding] | None:
    if findings is None:
        return None
    for k in (i, record.source.get("file"), record.source.get("sha256"), candidate_name(record)):
        if k is not None and k in findings:
            return _as_findings(findings[k])
    return []


def _kind(record: Record) -> str:
    f = record.fields
    if record.form == BASE:
        return str(f.get("base_type") or NONE)
    types = "、".join(f.get("institution_types") or []) or NONE
    nature = f.get("institution_nature") or NONE
    if nature == "综合或其他" and f.get("institution_nature_other"):
        nature += f"（{f['institution_nature_other']}）"
    return f"{types} / {nature}"


def _headers(forms: set[str]) -> dict[str, str]:
    if forms == {BASE}:
        return {"name": "基地名称", "kind": "基地类型", "by": "申报单位"}
    if forms == {COOP}:
        return {"name": "机构名称", "kind": "机构类型 / 机构属性", "by": "推荐单位"}
    return {"name": "名称", "kind": "类型", "by": "推荐（申报）单位"}


def _rows(records: list[Record], findings: Mapping[Any, Any] | None = None) -> list[dict[str, Any]]:
    rows = []
    for i, r in enumerate(records):
        fs = _lookup(findings, i, r)
        if fs is None:
            fs = r.findings
            status = _status(fs) if fs else "未初审"
        else:
            status = _status(fs)
        coop = r.form == COOP
        overseas = r.fields.get("overseas")
        rows.append({
            "no": i + 1,
            "name": candidate_name(r),
            "kind": _kind(r),
            "overseas": (NONE if not coop else "是" if overseas is True else "否" if overseas is False else "未填"),
            "country": str(r.fields.get("country") or NONE) if coop else NONE,
            "by": str(r.fields.get(BY_KEY[r.form]) or NONE),
            "status": status,
        })
    return rows


def batch_context(records: list[Record], cfg: YearConfig,
                  findings: Mapping[Any, Any] | None = None) -> dict[str, Any]:
    forms = {r.form for r in records} or {COOP}
    rows = _rows(records, findings)
    what = "基地申报" if forms == {BASE} else "合作机构推荐" if forms == {COOP} else "推荐"
    counts = {s: sum(r["status"] == s for r in rows) for s in ("通过", "需补正", "不符合条件", "未初审")}
    summary = f"合计 {len(rows)} 个" + ("：" + "，".join(f"{s} {n} 个" for s, n in counts.items() if n)
                                      if rows else "") + "。"
    if COOP in forms:
        summary += f"注册地在境外的 {sum(r['overseas'] == '是' for r in rows)} 个。"
    return {
        "cfg": cfg,
        "year": cfg.year,
        "title": f"{cfg.year}年中国科协海智计划{what}名单汇总表",
        "headers": _headers(forms),
        "rows": rows,
        "summary": summary,
    }


def render_batch_list(records: list[Record], cfg: YearConfig, findings: Mapping[Any, Any] | None = None) -> bytes:
    """推荐名单汇总表: one row per candidate.

    findings: per-candidate findings keyed by position in `records`, source file, sha256 or name;
    without it the records' own findings are used ("未初审" when a record has none).
    """
    return render_docx("batch_list.docx", _safe(batch_context(records, cfg, findings)))


def _title_lines(title: str, width: int = 20) -> str:
    """Break a long 标题 before 拟认定名单 so each line keeps whole words (GB/T 9704 7.3.1)."""
    if len(title) <= width or "拟认定名单" not in title:
        return title
    i = title.index("拟认定名单")
    return title[:i] + "\n" + title[i:]


def public_notice_context(records: list[Record], cfg: YearConfig, start: dt.date | None = None) -> dict[str, Any]:
    forms = {r.form for r in records}
    if not records:
        raise HaizhiError("公示名单为空：至少需要一个候选对象")
    if len(forms) != 1:
        raise HaizhiError("公示名单只能包含同一类表单（合作机构或基地），请分开公示")
    form = forms.pop()
    notice = cfg.coop if form == COOP else cfg.base
    days = cfg.base.public_notice_days
    period = f"{cn_date(start)}至{cn_date(start + dt.timedelta(days=days - 1))}" if start else ""
    programme = PROGRAMME[form]
    return {
        "cfg": cfg,
        "year": cfg.year,
        "title": _title_lines(f"关于{cfg.year}年中国科协海智计划{programme}拟认定名单的公示"),
        "list_title": f"{cfg.year}年中国科协海智计划{programme}拟认定名单",
        "programme": programme,
        "notice_title": notice.title,
        "doc_number": notice.doc_number,
        "days": days,
        "period": period,
        "contacts": "、".join(notice.contacts),
        "phone": notice.phone,
        "email": notice.email,
        "issued_on": start,
        "headers": _headers({form}),
        "rows": _rows(records),
    }


def render_public_notice(records: list[Record], cfg: YearConfig, start: dt.date | None = None) -> bytes:
    """公示 of the candidates; the period is cfg.base.public_notice_days days from `start` when given."""
    return render_docx("public_notice.docx", _safe(public_notice_context(records, cfg, start)))
