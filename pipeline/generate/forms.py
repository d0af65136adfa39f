"""Render the application forms, blank or pre-filled from a record.

The context is built from the field dictionary: `r` holds every field key of
the form (None when empty), so a template can print any field and a record
with a key the form does not have is refused.
"""

from __future__ import annotations

import re
from typing import Any

from haizhi.pipeline.core.config import YearConfig
from haizhi.pipeline.core.errors import HaizhiError
from haizhi.pipeline.core.fields import FORMS, FormSpec, form_spec
from haizhi.pipeline.core.record import Record
from haizhi.pipeline.generate.render import render_docx

TEMPLATES: dict[str, str] = {form_id: f"{form_id}.docx" for form_id in FORMS}
PRINTED_AS_TEXT = {"base_type"}  # choices the form prints as text, not as boxes
_DATE = re.compile(r"^\d{4}-\d{1,2}(-\d{1,2})?$")


_BREAKS = re.compile(r"\r\n?|[\x0b\x0c]")  # CR, Word's manual line break (VT), form feed
_ILLEGAL = re.compile(r"[\x00-\x08\x0e-\x1f\ufffe\uffff]")  # not allowed in XML 1.0


def xml_safe(v: Any) -> Any:
    """Strings made safe for DOCX XML: line-break controls → \\n, other control characters dropped."""
    if isinstance(v, str):
        return _ILLEGAL.sub("", _BREAKS.sub("\n", v))
    if isinstance(v, list | tuple):
        return [xml_safe(x) for x in v]
    return v


def _spec(form_id: str) -> FormSpec:
    try:
        return form_spec(form_id)
    except KeyError as e:
        raise HaizhiError(str(e.args[0])) from None


def _check_value(spec: FormSpec, key: str, v: Any) -> Any:
    f = spec.field(key)
    if v is None or v == "" or v == []:
        return None
    bad = None
    if f.type == "date" and not (isinstance(v, str) and _DATE.match(v)):
        bad = "应为 YYYY-MM-DD 格式的日期"
    elif f.type in ("number", "int") and (isinstance(v, bool) or not isinstance(v, int | float)):
        bad = "应为数字"
    elif f.type == "bool" and not isinstance(v, bool):
        bad = "应为 true 或 false"
    elif f.type == "choices" and not (isinstance(v, list | tuple) and all(isinstance(x, str) for x in v)):
        bad = "应为选项列表"
    elif f.type == "choice" and not isinstance(v, str):
        bad = "应为一个选项"
    elif f.type in ("choice", "choices") and f.key not in PRINTED_AS_TEXT:
        unknown = [x for x in ([v] if f.type == "choice" else v) if x not in f.options]
        if unknown:
            bad = f"不是表中的选项（可选：{'、'.join(f.options)}）"
    if bad:
        raise HaizhiError(f"{spec.title}的字段“{f.display}”（{key}）取值 {v!r} 无效：{bad}")
    return v


def field_values(record: Record | None, form_id: str) -> dict[str, Any]:
    """Every field key of the form → its value in the record, None when empty."""
    spec = _spec(form_id)
    values: dict[str, Any] = dict.fromkeys(spec.keys)
    if record is None:
        return values
    if record.form != form_id:
        raise HaizhiError(f"记录属于表单 {record.form}，不能填入 {spec.title}")
    unknown = sorted(set(record.fields) - set(spec.keys))
    if unknown:
        raise HaizhiError(f"记录含有{spec.title}没有的字段：{'、'.join(unknown)}")
    for key, v in record.fields.items():
        values[key] = _check_value(spec, key, xml_safe(v))
    return values


def form_context(record: Record | None, form_id: str, cfg: YearConfig) -> dict[str, Any]:
    """Template context: r (fields), blank (no record: print the placeholders), cfg, year."""
    return {
        "r": field_values(record, form_id),
        "blank": record is None,
        "cfg": cfg,
        "year": cfg.year,
        "form": {"id": form_id, "title": _spec(form_id).title},
    }


def render_form(record: Record | None, form_id: str, cfg: YearConfig) -> bytes:
    """The form as DOCX bytes: blank when record is None, else pre-filled."""
    _spec(form_id)
    return render_docx(TEMPLATES[form_id], form_context(record, form_id, cfg))
