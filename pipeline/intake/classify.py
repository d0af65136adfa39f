"""What a returned file is: one of our forms, a support letter, a licence scan, …

From content when possible (the records extraction found; for files without
records, a little text read from a DOCX body or a PDF's first page), else from
the file name. Kinds follow what pipeline.validate expects in `files`:
form / support_letter (with level city|provincial) / license / plan / proof /
partner_proof / other; archives are `archive`.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

KIND_CN = {
    "form": "海智计划表格",
    "support_letter": "支持函",
    "license": "执照或证书扫描件",
    "plan": "建设方案",
    "proof": "证明材料",
    "partner_proof": "合作证明材料",
    "other": "其他文件",
    "archive": "压缩包",
}

# order matters: the first hit wins
HINTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("support_letter", ("支持函", "支持信", "支持意见", "support letter", "letter of support")),
    ("license", ("营业执照", "执照", "法人证书", "登记证书", "登记证", "注册证书", "注册证明", "许可证",
                 "certificate", "licence", "license", "registration")),
    ("partner_proof", ("合作协议", "合作证明", "合作备忘录", "mou", "agreement")),
    ("plan", ("建设方案", "工作方案", "实施方案")),
    ("proof", ("证明材料", "证明", "预算", "经费", "办公条件", "租赁合同", "房产证")),
)
PROVINCIAL = ("省人民政府", "省政府", "自治区人民政府", "自治区政府", "直辖市人民政府")
CITY = ("市人民政府", "市政府", "州人民政府", "区人民政府", "县人民政府")
MAX_SNIFF = 8 << 20


def _norm(s: str) -> str:
    return "".join(unicodedata.normalize("NFKC", s).split()).lower()


def hint_kind(text: str) -> str | None:
    t = _norm(text)
    for kind, words in HINTS:
        if any(w in t for w in words):
            return kind
    return None


def letter_level(text: str) -> str | None:
    t = _norm(text)
    # check provincial before city: 省人民政府 does not contain 市, but 市人民政府 may follow a province name
    if any(w in t for w in PROVINCIAL) and not any(w in t for w in CITY):
        return "provincial"
    if any(w in t for w in CITY):
        return "city"
    if any(w in t for w in PROVINCIAL):
        return "provincial"
    return None


def sniff_text(path: Path, suffix: str, *, limit: int = 4000) -> str:
    """A little plain text from a DOCX body or a PDF's first page; '' when unavailable.

    DOCX: the XML is stripped with a regex, never parsed (no entities expanded).
    """
    try:
        if suffix == ".docx":
            with zipfile.ZipFile(path) as zf:
                info = zf.getinfo("word/document.xml")
                if info.file_size > MAX_SNIFF:
                    return ""
                xml = zf.read(info).decode("utf-8", "replace")
            text = re.sub(r"<[^>]{0,2000}>", "", xml)
            return text[:limit]
        if suffix == ".pdf" and path.stat().st_size <= MAX_SNIFF:
            import pdfplumber

            with pdfplumber.open(path) as pdf:
                if not pdf.pages:
                    return ""
                return (pdf.pages[0].extract_text() or "")[:limit]
    except Exception:
        return ""
    return ""


def classify(name: str, result: dict[str, Any] | None, text: str = "") -> dict[str, Any]:
    """{"kind", "level"?, "reason"?} for a file; result is an ExtractResult as a dict."""
    if result and result.get("records"):
        forms = sorted({r.get("form") for r in result["records"]})
        return {"kind": "form", "forms": forms}
    kind = hint_kind(text) if text else None
    kind = kind or hint_kind(name)
    out: dict[str, Any] = {"kind": kind or "other"}
    if kind == "support_letter":
        out["level"] = letter_level(text) or letter_level(name)
    if result is not None and not result.get("readable", True):
        out["reason"] = unreadable_reason(result)
    elif kind is None:
        out["reason"] = "未识别为海智计划表格，也不像支持函、执照或证明材料" + _detail(result)
    return out


def _detail(result: dict[str, Any] | None) -> str:
    msgs = [f.get("message", "") for f in (result or {}).get("findings", []) if f.get("message")]
    return f"（{msgs[0]}）" if msgs else ""


def unreadable_reason(result: dict[str, Any]) -> str:
    msgs = [f.get("message", "") for f in result.get("findings", []) if f.get("message")]
    return "；".join(msgs[:3]) if msgs else "文件无法读取（已损坏、加密或格式不受支持）"
