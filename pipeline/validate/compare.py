"""The editable copy against the stamped scan: applicants send both (广东转发通知:
"表格可编辑版本、盖章后扫描的PDF版本一并发送"); they must say the same thing."""

from __future__ import annotations

import math
from typing import Any

from haizhi.pipeline.core.fields import FORMS, FieldSpec
from haizhi.pipeline.core.record import Finding, Record
from haizhi.pipeline.validate.common import as_number, blank, norm_text, parse_date

RULE = "compare.mismatch"
BASIS = "转发通知：表格可编辑版本与盖章后扫描的PDF版本一并发送（两者内容应一致）"


def _canon(spec: FieldSpec, v: Any) -> Any:
    """A comparable form of a value; None for empty."""
    if blank(v):
        return None
    if spec.type in ("number", "int"):
        n = as_number(v)
        return n if n is not None else norm_text(v)
    if spec.type == "date":
        span = parse_date(v)
        return span if span is not None else norm_text(v)
    if spec.type == "bool":
        if isinstance(v, bool):
            return v
        s = norm_text(v)
        return {"是": True, "否": False}.get(s, s)
    if spec.type == "choices":
        items = v if isinstance(v, list | tuple) else [v]
        return frozenset(norm_text(x) for x in items)
    return norm_text(v)  # text / choice: whitespace-insensitive, NFKC (full-width → half-width)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=0, abs_tol=1e-6)
    return a == b


def show_value(v: Any) -> str:
    """A value as people read it in a message: （空）, 是/否, list joined by 、, cut at 60 characters."""
    if blank(v):
        return "（空）"
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, list | tuple):
        return "、".join(str(x) for x in v)
    s = str(v)
    return s if len(s) <= 60 else s[:60] + "…"


def compare_records(editable: Record, scanned: Record) -> list[Finding]:
    """One compare.mismatch warning per field whose values differ (text ignores whitespace)."""
    if editable.form != scanned.form:
        return [Finding(RULE, "warning", None,
                        f"可编辑版本是 {FORMS[editable.form].title}，扫描件是 {FORMS[scanned.form].title}", BASIS)]
    out = []
    for spec in FORMS[editable.form].fields:
        a, b = editable.fields.get(spec.key), scanned.fields.get(spec.key)
        if _same(_canon(spec, a), _canon(spec, b)):
            continue
        if spec.key not in scanned.fields:
            how = "扫描件中未读出此项"
        elif spec.key not in editable.fields:
            how = "可编辑版本中未读出此项"
        else:
            how = "两者不一致"
        out.append(Finding(RULE, "warning", spec.key,
                           f"“{spec.display}”{how}：可编辑版本为 {show_value(a)}，盖章扫描件为 {show_value(b)}", BASIS))
    return out
