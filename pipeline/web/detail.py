"""The application page's data: the view of the record with the review layer's values,
revisions and decisions, the shown file's pages and the boxes drawn over them."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from sqlalchemy.orm import Session

from haizhi.pipeline.intake.db import RecordRow
from haizhi.pipeline.review import decisions as decisions_mod
from haizhi.pipeline.review import revisions
from haizhi.pipeline.review.errors import NotFound
from haizhi.pipeline.review.models import User
from haizhi.pipeline.web import view


def review_state(s: Session, record_id: int | None) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
    """(reviewed field values, revisions per field without the machine's entry) of a record."""
    if record_id is None:
        return {}, {}
    row = s.get(RecordRow, record_id)
    if row is None:
        return {}, {}
    rec = revisions.revised(s, row).record
    hist: dict[str, list[dict[str, Any]]] = {}
    for h in revisions.history(s, record_id):
        if h["kind"] != "machine":
            hist.setdefault(h["field"], []).append(h)
    return dict(rec.fields), hist


def build_view(s: Session, app_id: int, file_sha: str | None) -> view.AppView:
    first = view.build(s, app_id, file_sha)
    if first is None:
        raise NotFound(f"没有这个申请：{app_id}")
    reviewed, hist = review_state(s, first.record_id)
    v = view.build(s, app_id, file_sha, reviewed=reviewed, history=hist)
    assert v is not None
    return v


def shown_status(s: Session, app_id: int) -> tuple[str, dict[str, Any] | None]:
    d = decisions_mod.history(s, app_id)
    return (d[-1]["decision"], d[-1]) if d else ("待复核", None)


def boxes(request: Request, v: view.AppView) -> dict[str, Any]:
    """Pages of the shown file with the boxes of fields and seals: what the SVG overlay draws."""
    f = v.shown_file
    if f is None or f["state"] == "pending":
        return {"pages": [], "error": None if f is None else "文件还在处理中"}
    meta = request.app.state.pages.meta(f["sha256"], f.get("suffix") or "", f.get("method"))
    pages = []
    for p in meta["pages"]:
        items = []
        for _g, fields in v.groups:
            for fv in fields:
                if fv.box and fv.box["page"] == p["n"]:
                    items.append({"kind": "field", "key": fv.key, "label": fv.label, "bbox": fv.box["bbox"],
                                  "flagged": fv.flagged})
        for i, b in enumerate(p.get("seals") or []):
            items.append({"kind": "seal", "key": f"seal-{p['n']}-{i}", "label": "公章", "bbox": b, "flagged": False})
        pages.append({"n": p["n"], "width": p["width"], "height": p["height"],
                      "src": f"/files/{f['sha256']}/pages/{p['n']}.jpg", "boxes": items})
    return {"pages": pages, "error": meta.get("error")}


def page_context(request: Request, s: Session, app_id: int, file_sha: str | None, user: User) -> dict[str, Any]:
    v = build_view(s, app_id, file_sha)
    status, last = shown_status(s, app_id)
    prev, nxt = view.neighbours(s, v.app)
    nxt_flagged = None
    return {"user": user, "v": v, "status": status, "decision": last,
            "decisions": decisions_mod.history(s, app_id), "prev": prev, "next": nxt, "next_flagged": nxt_flagged,
            "pages": boxes(request, v), "flagged": sum(1 for _g, fl in v.groups for f in fl if f.flagged)}
