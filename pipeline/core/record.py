"""Record and Finding: the contract of shared/spec/record-fields.md."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from haizhi.pipeline.core.errors import HaizhiError
from haizhi.pipeline.core.fields import FORMS

Severity = Literal["error", "warning", "info"]
SEVERITIES = ("error", "warning", "info")
SEVERITY_CN = {"error": "错误", "warning": "警告", "info": "提示"}


@dataclass
class Finding:
    rule: str
    severity: Severity
    field: str | None
    message: str
    basis: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Finding:
        sev = d.get("severity", "error")
        if sev not in SEVERITIES:
            raise HaizhiError(f"发现项的严重程度无效：{sev!r}（应为 error / warning / info）")
        return cls(rule=str(d["rule"]), severity=sev, field=d.get("field"),
                   message=str(d.get("message", "")), basis=d.get("basis"))


@dataclass
class Record:
    form: str
    fields: dict[str, Any] = field(default_factory=dict)
    source: dict[str, Any] = field(default_factory=dict)
    provenance: dict[str, dict[str, Any]] = field(default_factory=dict)
    marks: dict[str, bool | None] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "form": self.form,
            "source": self.source,
            "fields": self.fields,
            "provenance": self.provenance,
            "marks": self.marks,
            "findings": [f.to_dict() for f in self.findings],
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Record:
        if not isinstance(d, dict) or d.get("form") not in FORMS:
            got = d.get("form") if isinstance(d, dict) else type(d).__name__
            raise HaizhiError(f"记录的 form 字段无效：{got!r}（应为 {' / '.join(FORMS)}）")
        spec = FORMS[d["form"]]
        fields = d.get("fields") or {}
        unknown = sorted(set(fields) - set(spec.keys))
        if unknown:
            raise HaizhiError(f"记录含有表单 {spec.title} 没有的字段：{'、'.join(unknown)}")
        return cls(
            form=d["form"],
            fields=dict(fields),
            source=dict(d.get("source") or {}),
            provenance=dict(d.get("provenance") or {}),
            marks=dict(d.get("marks") or {}),
            findings=[Finding.from_dict(f) for f in d.get("findings") or []],
        )


def load_records(path: str | Path) -> list[Record]:
    """Read a record JSON file: one object, or a list of them."""
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise HaizhiError(f"找不到记录文件：{p}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise HaizhiError(f"记录文件 {p} 不是有效的 JSON：{e}") from None
    items = data if isinstance(data, list) else [data]
    return [Record.from_dict(x) for x in items]


def load_record(path: str | Path) -> Record:
    recs = load_records(path)
    if len(recs) != 1:
        raise HaizhiError(f"记录文件 {path} 含有 {len(recs)} 条记录，此处需要恰好一条")
    return recs[0]


@dataclass
class ExtractResult:
    """What reading one input file gives: its records and file-level findings.

    A file that is not one of our forms has no records and a finding saying so;
    an unreadable one (damaged, encrypted, too large, timed out) has readable=False.
    """

    file: str
    sha256: str | None = None
    records: list[Record] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    readable: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "sha256": self.sha256, "readable": self.readable,
                "records": [r.to_dict() for r in self.records],
                "findings": [f.to_dict() for f in self.findings]}
