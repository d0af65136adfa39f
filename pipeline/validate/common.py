"""Checks the rules share: credit codes, phones, e-mails, Chinese text, dates, lengths."""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
import unicodedata
from typing import Any

from haizhi.pipeline.core.fields import FormSpec
from haizhi.pipeline.core.record import Finding, Record, Severity
from haizhi.pipeline.validate.contacts import CN, email_problem, mobile_problem, phone_problem

# --- GB 32100-2015 统一社会信用代码 -------------------------------------------------
# 31 characters: digits and capitals without I, O, Z, S, V.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# weight of position i is 3**i mod 31 (i = 0..16)
USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
_USCC_RE = re.compile(rf"^[{USCC_ALPHABET}]{{18}}$")


def compact_code(code: str) -> str:
    """Upper case, half-width, without spaces and hyphens."""
    s = unicodedata.normalize("NFKC", code).upper()
    return re.sub(r"[\s\-]", "", s)


def uscc_check_char(body17: str) -> str:
    """The 18th character for the first 17 (GB 32100-2015 §4.3)."""
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(body17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def uscc_problem(code: str) -> str | None:
    """None if `code` is a valid 统一社会信用代码, else the reason in Chinese."""
    c = compact_code(code)
    if len(c) != 18:
        return f"应为 18 位，实为 {len(c)} 位"
    if not _USCC_RE.match(c):
        bad = "".join(sorted({ch for ch in c if ch not in USCC_ALPHABET}))
        return f"含有不允许的字符 {bad}（不使用 I、O、Z、S、V）"
    if not c[2:8].isdigit():
        return "第 3—8 位（登记管理机关行政区划码）应为数字"
    want = uscc_check_char(c[:17])
    if c[17] != want:
        return f"校验码错误：第 18 位应为 {want}，实为 {c[17]}"
    return None


def is_uscc(code: str) -> bool:
    return uscc_problem(code) is None


_REGNO_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z .\-/#()]{2,39}$")


def regno_problem(code: str) -> str | None:
    """An overseas registration number: 3–40 Latin letters/digits (separators allowed), with a digit."""
    s = unicodedata.normalize("NFKC", code).strip()
    if not _REGNO_RE.match(s):
        return "应为 3—40 位字母、数字（可含空格、-、/、.）"
    if not any(ch.isdigit() for ch in s):
        return "应至少含有一位数字"
    return None


# --- Chinese text and lengths ----------------------------------------------------------
def _is_cjk(ch: str) -> bool:
    o = ord(ch)
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0x20000 <= o <= 0x2FFFF or 0xF900 <= o <= 0xFAFF


def cjk_share(text: str) -> float | None:
    """Share of Han characters among Han + Latin letters; None when there are neither."""
    cjk = sum(1 for ch in text if _is_cjk(ch))
    latin = sum(1 for ch in unicodedata.normalize("NFKC", text) if ch.isascii() and ch.isalpha())
    if cjk + latin == 0:
        return None
    return cjk / (cjk + latin)


def count_chars(text: str) -> int:
    """Characters excluding whitespace (spaces, tabs, line breaks, full-width spaces)."""
    return sum(1 for ch in text if not ch.isspace())


COUNT_NOTE = "按去除空格和换行后的字符数计"


# --- values --------------------------------------------------------------------------
def blank(v: Any) -> bool:
    if v is None:
        return True
    if isinstance(v, str):
        return not v.strip()
    if isinstance(v, list | tuple | set | dict):
        return len(v) == 0
    return False


def as_number(v: Any) -> float | None:
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, int | float):
        return None if isinstance(v, float) and math.isnan(v) else float(v)
    if isinstance(v, str):
        s = unicodedata.normalize("NFKC", v).replace(",", "").strip()
        if s == "无":  # 填表说明 四: 若无该项内容可直接填"无"
            return 0.0
        try:
            return float(s)
        except ValueError:
            return None
    return None


def fmt_num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def parse_date(v: Any) -> tuple[dt.date, dt.date] | None:
    """A record date → (earliest, latest) possible day; YYYY-MM spans the month."""
    if isinstance(v, dt.date):
        return v, v
    if not isinstance(v, str):
        return None
    s = unicodedata.normalize("NFKC", v).strip()
    m = re.fullmatch(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?", s)
    if not m:
        return None
    y, mo = int(m.group(1)), int(m.group(2))
    try:
        if m.group(3):
            d = dt.date(y, mo, int(m.group(3)))
            return d, d
        last = calendar.monthrange(y, mo)[1]
        return dt.date(y, mo, 1), dt.date(y, mo, last)
    except ValueError:
        return None


def add_years(d: dt.date, years: int) -> dt.date:
    """Same month and day `years` later; 29 Feb → 28 Feb in a common year."""
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return d.replace(year=d.year + years, day=28)


def norm_text(v: Any) -> str:
    """For comparisons: NFKC, no whitespace."""
    return "".join(unicodedata.normalize("NFKC", str(v)).split())


# --- finding helpers -------------------------------------------------------------------
def finding(rule: str, severity: Severity, field: str | None, message: str, basis: str | None) -> Finding:
    return Finding(rule=rule, severity=severity, field=field, message=message, basis=basis)


def label(spec: FormSpec, key: str) -> str:
    return spec.field(key).display if key in spec.by_key else key


def required_findings(record: Record, spec: FormSpec, rule: str, basis: str) -> list[Finding]:
    out = []
    for f in spec.fields:
        if f.required and blank(record.fields.get(f.key)):
            how = "未找到" if f.key not in record.fields else "未填写"
            out.append(finding(rule, "warning", f.key, f"必填项“{f.display}”{how}", basis))
    return out


def from_scan(record: Record) -> bool:
    """Record read from a scan or stamped PDF: signatures and seals can be checked."""
    if record.source.get("method") == "ocr":
        return True
    return any(v is not None for v in record.marks.values())


def mark_findings(record: Record, spec: FormSpec, rule: str, basis: dict[str, str]) -> list[Finding]:
    if not from_scan(record):
        return []
    out = []
    for m in spec.marks:
        v = record.marks.get(m.key)
        if v is True:
            continue
        what = "签字" if m.key.endswith("_signed") else "公章"
        state = "未检出" if v is False else "无法判断是否有"
        out.append(finding(rule, "warning", None, f"扫描件中{state}{what}：{m.label}", basis[m.key]))
    return out


def length_findings(record: Record, spec: FormSpec, cfg_limit: Any, rule: str,
                    basis: dict[str, str]) -> list[Finding]:
    out = []
    for f in spec.fields:
        if not f.max_chars:
            continue
        limit = cfg_limit(f.max_chars)
        v = record.fields.get(f.key)
        if limit is None or not isinstance(v, str):
            continue
        n = count_chars(v)
        if n > limit:
            out.append(finding(rule, "warning", f.key,
                               f"“{f.display}”共 {n} 字，超过 {limit} 字的限制（{COUNT_NOTE}）",
                               basis.get(f.key)))
    return out


def contact_findings(record: Record, spec: FormSpec, checks: dict[str, str], rule_prefix: str,
                     basis: str, region: str = CN) -> list[Finding]:
    """checks: field key → "mobile" | "phone" | "email"; numbers are checked for `region` (ISO code)."""
    fn = {"mobile": lambda v: mobile_problem(v, region), "phone": lambda v: phone_problem(v, region),
          "email": email_problem}
    what = {"mobile": "手机号", "phone": "电话", "email": "电子邮箱"}
    out = []
    for key, kind in checks.items():
        v = record.fields.get(key)
        if blank(v):
            continue
        problem = fn[kind](str(v))
        if problem:
            out.append(finding(f"{rule_prefix}.{kind}", "warning", key,
                               f"“{label(spec, key)}” {v} 不是有效的{what[kind]}：{problem}", basis))
    return out


def record_label(record: Record, index: int | None = None) -> str:
    """A short human name for a record: the institution or base name, else the file."""
    for key in ("name_cn", "base_name", "name_en", "applicant"):
        v = record.fields.get(key)
        if isinstance(v, str) and v.strip():
            return v.strip()
    f = record.source.get("file")
    if f:
        return str(f).replace("\\", "/").rsplit("/", 1)[-1]
    return f"记录{index + 1}" if index is not None else "（未命名记录）"


def value_type_findings(record: Record, spec: FormSpec, rule: str, basis: str,
                        skip: tuple[str, ...] = ()) -> list[Finding]:
    """Numbers that are not numbers (or negative, or fractional counts) and unreadable dates."""
    out = []
    for f in spec.fields:
        v = record.fields.get(f.key)
        if f.key in skip or blank(v):
            continue
        if f.type in ("number", "int"):
            n = as_number(v)
            if n is None or math.isinf(n):
                out.append(finding(rule, "warning", f.key, f"“{f.display}”应为数字，实为 {v!r}", basis))
            elif n < 0:
                out.append(finding(rule, "warning", f.key, f"“{f.display}”不应为负数：{fmt_num(n)}", basis))
            elif f.type == "int" and not n.is_integer():
                out.append(finding(rule, "warning", f.key, f"“{f.display}”应为整数：{fmt_num(n)}", basis))
        elif f.type == "date" and parse_date(v) is None:
            out.append(finding(rule, "warning", f.key, f"“{f.display}” {v} 无法识别为日期（应为 YYYY-MM-DD）", basis))
    return out
