"""Sample rendering contexts per template: what `haizhi templates check` checks names against.

Built by the same functions that render each template, so the check sees what rendering will see.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from haizhi.pipeline.core.config import YearConfig
from haizhi.pipeline.core.errors import HaizhiError
from haizhi.pipeline.core.fields import BASE, COOP, FORMS
from haizhi.pipeline.core.record import Finding, Record


def _sample_record(form_id: str) -> Record:
    return Record(form=form_id, fields=dict.fromkeys(FORMS[form_id].keys))


def _sample_finding() -> Finding:
    return Finding("sample.rule", "warning", None, "示例", "示例")


def _notice(programme: str) -> Callable[[YearConfig], dict[str, Any]]:
    def ctx(cfg: YearConfig) -> dict[str, Any]:
        from haizhi.pipeline.generate.notices import notice_context

        return notice_context(cfg, programme)  # type: ignore[arg-type]
    return ctx


def _forwarding(cfg: YearConfig) -> dict[str, Any]:
    return {"cfg": cfg, "fwd": next(iter(cfg.forwarding.values())), "title": "",
            "form_titles": {f.id: f.title for f in FORMS.values()}}


def _sheet(kind: str) -> Callable[[YearConfig], dict[str, Any]]:
    def ctx(cfg: YearConfig) -> dict[str, Any]:
        from haizhi.pipeline.generate import approval_sheet as sheets

        rec = _sample_record(COOP)
        if kind == "approval":
            return sheets.approval_context(rec, [_sample_finding()], cfg)
        if kind == "batch":
            return sheets.batch_context([rec], cfg, {0: [_sample_finding()]})
        return sheets.public_notice_context([rec], cfg, dt.date(cfg.year, 10, 1))
    return ctx


def _form(form_id: str) -> Callable[[YearConfig], dict[str, Any]]:
    def ctx(cfg: YearConfig) -> dict[str, Any]:
        from haizhi.pipeline.generate.forms import form_context

        return form_context(None, form_id, cfg)
    return ctx


def _correction(cfg: YearConfig) -> dict[str, Any]:
    from haizhi.pipeline.review.notice import notice_context

    return notice_context(_sample_record(COOP), [{"label": "示例", "text": "示例"}], cfg, note="示例",
                          reply_by=dt.date(cfg.year, 9, 1))


SAMPLE_CONTEXTS: dict[str, Callable[[YearConfig], dict[str, Any]]] = {
    "coop_institution.docx": _form(COOP),
    "base_application.docx": _form(BASE),
    "approval_sheet.docx": _sheet("approval"),
    "batch_list.docx": _sheet("batch"),
    "public_notice.docx": _sheet("public"),
    "notice_coop.docx": _notice("coop"),
    "notice_base.docx": _notice("base"),
    "forwarding_notice.docx": _forwarding,
    "base_plan_outline.docx": lambda cfg: {"cfg": cfg, "outline_title": ""},
    "correction_notice.docx": _correction,
}


def sample_context(name: str, cfg: YearConfig) -> dict[str, Any] | None:
    """The context the template is rendered with; a copy named e.g. coop_institution_2026.docx counts too."""
    make = SAMPLE_CONTEXTS.get(name)
    if make is None:
        stem = Path(name).stem
        known = [k for k in SAMPLE_CONTEXTS if Path(k).stem in stem]
        make = SAMPLE_CONTEXTS[max(known, key=len)] if known else None
    if make is None:
        return None
    try:
        return make(cfg)
    except (ImportError, HaizhiError, KeyError, StopIteration):
        return None
