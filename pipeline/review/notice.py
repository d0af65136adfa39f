"""补正通知: the items an applicant must fix, as DOCX (templates/correction_notice.docx) and PDF.

The template is built by templates/build/correction_notice.py and may be edited by
the office; rendering goes through the sandboxed, autoescaping render_docx.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from haizhi.pipeline.core.config import YearConfig
from haizhi.pipeline.core.errors import HaizhiError
from haizhi.pipeline.core.fields import BASE, COOP, FORMS
from haizhi.pipeline.core.record import Record
from haizhi.pipeline.review.errors import Invalid

TEMPLATE = "correction_notice.docx"
PROGRAMME = {COOP: "合作机构", BASE: "基地"}
NAME_KEY = {COOP: "name_cn", BASE: "base_name"}
BEIJING = dt.timezone(dt.timedelta(hours=8))


def _text(v: Any) -> str:
    return "" if v is None else str(v).strip()


def notice_context(record: Record, items: list[dict[str, Any]], cfg: YearConfig, *,
                   issued_on: dt.date | None = None, note: str | None = None,
                   reply_by: dt.date | None = None) -> dict[str, Any]:
    """Context of correction_notice.docx. items: [{"label": field label or None, "text": what to fix}]."""
    if record.form not in FORMS:
        raise HaizhiError(f"记录的表单类型无效：{record.form!r}")
    candidate = _text(record.fields.get(NAME_KEY[record.form])) or "（名称未填）"
    if record.form == COOP:
        by = _text(record.fields.get("recommender"))
        addressee, by_phrase = (by, "贵单位推荐") if by else (candidate, "贵单位报送")
    else:
        addressee, by_phrase = _text(record.fields.get("applicant")) or candidate, "贵单位申报"
    notice = cfg.coop if record.form == COOP else cfg.base
    return {
        "cfg": cfg,
        "title": f"关于“{candidate}”申报材料补正的通知",
        "addressee": addressee,
        "by_phrase": by_phrase,
        "candidate": candidate,
        "programme": PROGRAMME[record.form],
        "form_title": FORMS[record.form].title,
        "items": [{"no": i, "label": it.get("label") or "（整体）", "text": _text(it.get("text"))}
                  for i, it in enumerate(items, 1)],
        "note": note or "",
        "reply_by": reply_by,
        "issued_on": issued_on or dt.datetime.now(BEIJING).date(),
        "contacts": "、".join(notice.contacts),
        "phone": notice.phone,
        "email": notice.email,
    }


def render_notice(record: Record, items: list[dict[str, Any]], cfg: YearConfig, **kw: Any) -> bytes:
    from haizhi.pipeline.generate.approval_sheet import _safe
    from haizhi.pipeline.generate.render import render_docx

    return render_docx(TEMPLATE, _safe(notice_context(record, items, cfg, **kw)))


def _decided(session: Session, application_id: int, cfg: YearConfig | None,
             reply_by: dt.date | None) -> tuple[bytes, str]:
    from haizhi.pipeline.intake.review import current
    from haizhi.pipeline.review.decisions import application, current_decision
    from haizhi.pipeline.review.models import FIX
    from haizhi.pipeline.review.recheck import year_config
    from haizhi.pipeline.review.revisions import aware

    app = application(session, application_id)
    d = current_decision(session, app.id)
    if d is None or d.decision != FIX:
        raise Invalid("该申请当前的审核决定不是“需补正”，没有补正通知")
    c = current(session, app)
    if c is None:
        raise Invalid("该申请没有可用的记录")
    at = aware(d.at)
    issued = at.astimezone(BEIJING).date() if at else None
    data = render_notice(c.record, list(d.items or []), year_config(app, cfg), issued_on=issued, note=d.note,
                         reply_by=reply_by)
    name = NAME_KEY[c.record.form]
    return data, f"补正通知-{_text(c.record.fields.get(name)) or app.id}"


def correction_notice(session: Session, application_id: int, cfg: YearConfig | None = None, *,
                      reply_by: dt.date | None = None) -> bytes:
    """The 补正通知 (DOCX bytes) of the application's current decision, which must be 需补正;
    the record shown is the reviewed one (people's corrections applied). Invalid otherwise."""
    return _decided(session, application_id, cfg, reply_by)[0]


def to_pdf(docx: bytes) -> bytes:
    """DOCX bytes → PDF bytes through the warm LibreOffice converter."""
    from haizhi.pipeline.office.official import official_pdf

    with tempfile.TemporaryDirectory(prefix="haizhi-notice-") as d:
        src = Path(d) / "notice.docx"
        src.write_bytes(docx)
        return official_pdf(src, Path(d) / "notice.pdf").read_bytes()


def correction_notice_pdf(session: Session, application_id: int, cfg: YearConfig | None = None, *,
                          reply_by: dt.date | None = None) -> bytes:
    """The same 补正通知 as PDF."""
    return to_pdf(correction_notice(session, application_id, cfg, reply_by=reply_by))


def write_correction_notice(session: Session, application_id: int, out_dir: Path, cfg: YearConfig | None = None,
                            *, pdf: bool = True, reply_by: dt.date | None = None) -> dict[str, Path]:
    """Write 补正通知-<name>.docx (+ .pdf) into out_dir; keys "docx" / "pdf"."""
    from haizhi.pipeline.export.names import safe_name

    data, stem = _decided(session, application_id, cfg, reply_by)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{safe_name(stem)}.docx"
    path.write_bytes(data)
    out = {"docx": path}
    if pdf:
        out["pdf"] = path.with_suffix(".pdf")
        out["pdf"].write_bytes(to_pdf(data))
    return out
