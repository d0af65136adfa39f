"""A person's value for a field or mark, checked and normalised against the field dictionary."""

from __future__ import annotations

import math
import re
from typing import Any

from haizhi.extractors.normalize import clean_text, norm_bool, norm_date, norm_int, norm_number
from haizhi.pipeline.core.fields import FORMS, FieldSpec, FormSpec
from haizhi.pipeline.review.errors import Invalid

MAX_TEXT = 20000
TYPE_HINT = {
    "date": "日期，如 2015-06-18 或 2015年6月18日",
    "number": "数字，如 1200 或 35.5",
    "int": "整数，如 46",
    "bool": "是 或 否",
}


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def plain_text(s: str) -> str:
    """Without control characters (NUL cannot be stored in PostgreSQL text or JSONB); line breaks and tabs kept."""
    return _CONTROL.sub("", s.replace("\r\n", "\n").replace("\r", "\n"))


def form_of(form_id: str) -> FormSpec:
    if form_id not in FORMS:
        raise Invalid(f"未知的表单类型：{form_id!r}")
    return FORMS[form_id]


def field_label(spec: FormSpec, key: str) -> str:
    if key in spec.by_key:
        return spec.field(key).display
    for m in spec.marks:
        if m.key == key:
            return m.label
    return key


def check_key(spec: FormSpec, key: str) -> str:
    """'field' or 'mark'; Invalid for a key the form does not have."""
    if key in spec.by_key:
        return "field"
    if key in spec.mark_keys:
        return "mark"
    raise Invalid(f"表单“{spec.title}”没有字段“{key}”")


def _bad(label: str, value: Any, hint: str) -> Invalid:
    shown = str(value)
    shown = shown if len(shown) <= 40 else shown[:40] + "…"
    return Invalid(f"“{label}”的值无效：{shown!r}（应为{hint}）")


def _as_text(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, int | float):
        return str(v)
    if isinstance(v, str):
        return plain_text(v)
    raise TypeError


def _bool(label: str, value: Any) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    try:
        return norm_bool(_as_text(value))
    except (TypeError, ValueError):
        raise _bad(label, value, TYPE_HINT["bool"]) from None


def _scalar(f: FieldSpec, label: str, value: Any) -> Any:
    if f.type in ("number", "int") and isinstance(value, int | float) and not isinstance(value, bool):
        if isinstance(value, float) and not math.isfinite(value):
            raise _bad(label, value, TYPE_HINT[f.type])
        if f.type == "int":
            if isinstance(value, float) and not value.is_integer():
                raise _bad(label, value, TYPE_HINT["int"])
            return int(value)
        return int(value) if isinstance(value, float) and value.is_integer() else value
    try:
        text = _as_text(value)
    except TypeError:
        raise _bad(label, value, TYPE_HINT.get(f.type, "文字")) from None
    if f.type == "bool":
        return _bool(label, value)
    parse = {"date": norm_date, "number": norm_number, "int": norm_int}.get(f.type)
    if parse is None:  # text
        if text is not None and len(text) > MAX_TEXT:
            raise Invalid(f"“{label}”过长（{len(text)} 字，最多 {MAX_TEXT} 字）")
        return clean_text(text)
    try:
        return parse(text)
    except ValueError:
        raise _bad(label, value, TYPE_HINT[f.type]) from None


def _split_choices(value: Any) -> list[str]:
    if isinstance(value, str):
        for sep in ("，", ",", "；", ";", "\n", "/"):
            value = value.replace(sep, "、")
        return [p.strip() for p in value.split("、") if p.strip()]
    if isinstance(value, list | tuple):
        if not all(isinstance(x, str) for x in value):
            raise TypeError
        return [plain_text(x).strip() for x in value if x.strip()]
    raise TypeError


def _choice(f: FieldSpec, label: str, value: Any) -> Any:
    opts = "、".join(f.options)
    if f.type == "choice":
        if isinstance(value, list | tuple) and len(value) == 1:
            value = value[0]
        if not isinstance(value, str):
            raise _bad(label, value, f"以下之一：{opts}")
        v = plain_text(value).strip()
        if not v:
            return None
        if v not in f.options:
            raise _bad(label, value, f"以下之一：{opts}")
        return v
    try:
        picked = _split_choices(value)
    except TypeError:
        raise _bad(label, value, f"以下选项中的一项或多项：{opts}") from None
    unknown = [p for p in picked if p not in f.options]
    if unknown:
        raise Invalid(f"“{label}”含有表单没有的选项：{'、'.join(unknown)}（可选：{opts}）")
    return [o for o in f.options if o in picked] or None


def normalise(form_id: str, key: str, value: Any) -> Any:
    """The value as the record contract holds it (date 'YYYY-MM-DD', numbers, bools, option lists).

    Empty input clears the field (None). Invalid, with a Chinese message naming the field
    and what it should be, for anything the field cannot hold.
    """
    spec = form_of(form_id)
    where = check_key(spec, key)
    label = field_label(spec, key)
    if isinstance(value, str) and not value.strip():
        return None
    if value is None:
        return None
    if where == "mark":
        return _bool(label, value)
    f = spec.field(key)
    if f.type in ("choice", "choices"):
        return _choice(f, label, value)
    return _scalar(f, label, value)
