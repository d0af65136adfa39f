"""The application page's shape over the review layer's application_detail: fields grouped as
on the form (flagged groups first, flagged fields first within a group), the file shown beside
them, and each field's box on that file's pages."""

from __future__ import annotations

from typing import Any

from haizhi.pipeline.review.revisions import show

KIND_CN = {"form": "申请表", "support_letter": "支持函", "license": "注册证明", "licence": "注册证明",
           "plan": "建设方案", "proof": "证明材料", "other": "其他文件", "archive": "压缩包"}
STATE_CN = {"pending": "等待处理", "done": "已处理", "rejected": "已拒收", "failed": "处理失败"}
SEVERITY_CN = {"error": "错误", "warning": "警告", "info": "提示"}
COPY_CN = {"editable": "可编辑版本", "scan": "盖章扫描件"}


def _reasons(f: dict[str, Any]) -> list[str]:
    out = [x["message"] for x in f.get("findings") or [] if not x.get("settled") and x["rule"] != "review.corrected"]
    if f.get("low_confidence"):
        out.append(f"识别置信度 {f['confidence']:.2f} 偏低")
    return out


def shown_file(detail: dict[str, Any], sha: str | None) -> dict[str, Any] | None:
    """The file asked for, else the scan of the current record, else the current record's file."""
    files = detail["files"]
    for f in files:
        if sha and f["sha256"] == sha:
            return f
    recs = detail["records"]
    want = next((r["file_id"] for r in recs if r.get("scan_of_current")), None)
    want = want or next((r["file_id"] for r in recs if r.get("current") and r["copy"] == "scan"), None)
    want = want or next((r["file_id"] for r in recs if r.get("current")), None)
    return next((f for f in files if f["id"] == want), files[0] if files else None)


def fields_view(detail: dict[str, Any], shown: dict[str, Any] | None) -> list[tuple[str, list[dict[str, Any]]]]:
    rec = next((r for r in reversed(detail["records"]) if shown and r["file_id"] == shown["id"]), None)
    prov = (rec or {}).get("provenance") or {}
    hist: dict[str, list[dict[str, Any]]] = {}
    for h in detail.get("revisions") or []:
        if h["kind"] != "machine" and h.get("record_id") == detail["application"]["current_record_id"]:
            hist.setdefault(h["field"], []).append(h)
    groups: dict[str, list[dict[str, Any]]] = {}
    for f in sorted(detail["fields"], key=lambda f: f["order"]):
        p = prov.get(f["key"]) if isinstance(prov.get(f["key"]), dict) else None
        box = None
        if p and isinstance(p.get("bbox"), list | tuple) and len(p["bbox"]) == 4 and p.get("page"):
            box = {"page": int(p["page"]), "bbox": [float(x) for x in p["bbox"]]}
        v = dict(f, shown=show(f["value"]), reasons=_reasons(f), box=box, revisions=hist.get(f["key"], []),
                 corrected_by=(f.get("corrected") or {}).get("user"), verified=bool(f.get("verified")),
                 is_bool=isinstance(f["value"], bool) or f["type"] in ("bool", "mark"))
        groups.setdefault(f.get("group") or "基本信息", []).append(v)
    ordered = sorted(groups.items(), key=lambda kv: not any(x["flagged"] for x in kv[1]))
    return [(g, sorted(fl, key=lambda x: (not x["flagged"], x["order"]))) for g, fl in ordered]


def files_view(detail: dict[str, Any]) -> list[dict[str, Any]]:
    return [dict(f, kind_cn=KIND_CN.get(f.get("kind") or "", "待识别"), state_cn=STATE_CN.get(f["state"], f["state"]))
            for f in detail["files"]]


def findings_view(detail: dict[str, Any]) -> list[dict[str, Any]]:
    return [dict(f, severity_cn=SEVERITY_CN.get(f["severity"], f["severity"])) for f in detail["findings"]
            if not f.get("settled")]
