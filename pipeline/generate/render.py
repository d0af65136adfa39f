"""Render DOCX templates: docxtpl with a sandboxed, autoescaping Jinja env.

Values are escaped and inserted once; a value that looks like a tag
({{ }}, {% %}) is printed literally, never evaluated.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate, Listing
from jinja2 import StrictUndefined, TemplateError, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from haizhi.pipeline.core.errors import HaizhiError

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates"

TICKED, UNTICKED = "☑", "□"
_CN_DIGITS = "〇一二三四五六七八九"


def cn_date(d: dt.date | str | None) -> str:
    """2023-07-24 → 2023年7月24日 (成文日期 in Arabic numerals, GB/T 9704 7.3.5.1)."""
    if d is None or d == "":
        return ""
    if isinstance(d, str):
        parts = [int(x) for x in d.split("-")]
        return f"{parts[0]}年{parts[1]}月" + (f"{parts[2]}日" if len(parts) > 2 else "")
    return f"{d.year}年{d.month}月{d.day}日"


def month_day(d: dt.date) -> str:
    """2023-08-20 → 8月20日."""
    return f"{d.month}月{d.day}日"


def cn_count(n: int) -> str:
    """Small counts in words as the notices write them: 2 → 两, 3 → 三, 10 → 十."""
    if n == 2:
        return "两"
    if 0 <= n < 10:
        return _CN_DIGITS[n]
    if 10 <= n < 20:
        return "十" + (_CN_DIGITS[n - 10] if n > 10 else "")
    return str(n)


def num(x: Any) -> str:
    """Numbers as written on a form: 100.0 → 100, 1200.5 → 1200.5, None → ''."""
    if x is None or x == "":
        return ""
    if isinstance(x, bool):
        return "是" if x else "否"
    if isinstance(x, float) and x.is_integer():
        return str(int(x))
    return str(x)


def pct(x: float) -> str:
    """0.5 → 50%."""
    return f"{x * 100:g}%"


def box(selected: Any, option: str) -> str:
    """☑ when option is chosen (selected: one label, or a list of labels), else □."""
    if isinstance(selected, str):
        hit = selected == option
    elif isinstance(selected, Iterable):
        hit = option in selected
    else:
        hit = False
    return TICKED if hit else UNTICKED


def yes_no(v: bool | None) -> str:
    """☑是 □否 for a bool; □是 □否 when unknown."""
    return f"{TICKED if v is True else UNTICKED}是 {TICKED if v is False else UNTICKED}否"


def multiline(v: Any) -> Any:
    """Text with line breaks kept (docxtpl Listing escapes and turns \\n into breaks)."""
    if v is None:
        return ""
    return Listing(str(v))


def text(v: Any) -> str:
    """Any value as text; None → ''."""
    return "" if v is None else num(v)


FILTERS = {
    "cn_date": cn_date, "md": month_day, "cn_count": cn_count, "num": num, "pct": pct,
    "box": box, "yn": yes_no, "ml": multiline, "t": text,
}


def jinja_env() -> ImmutableSandboxedEnvironment:
    env = ImmutableSandboxedEnvironment(autoescape=True, undefined=StrictUndefined)
    env.filters.update(FILTERS)
    return env


def template_path(name: str) -> Path:
    p = TEMPLATES_DIR / name
    if not p.exists():
        raise HaizhiError(f"找不到模板文件：{p}")
    return p


def render_docx(template: str | Path, context: dict[str, Any]) -> bytes:
    """Render a DOCX template (a name in templates/ or a path) and return the DOCX bytes."""
    path = Path(template) if Path(template).is_absolute() else template_path(str(template))
    tpl = DocxTemplate(str(path))
    try:
        tpl.render(context, jinja_env=jinja_env(), autoescape=True)
    except UndefinedError as e:
        raise HaizhiError(f"模板 {path.name} 使用了不存在的变量：{e.message}") from None
    except TemplateError as e:
        raise HaizhiError(f"模板 {path.name} 渲染失败：{e}（可运行 haizhi templates check 定位）") from None
    buf = io.BytesIO()
    tpl.save(buf)
    return buf.getvalue()
