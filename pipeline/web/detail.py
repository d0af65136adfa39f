"""The application page's data: the review layer's detail, the shown file's pages and the boxes
drawn over them (fields from the reader's provenance, seals found on the page picture)."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from haizhi.pipeline.intake.db import Application
from haizhi.pipeline.review.decisions import suggested_items
from haizhi.pipeline.review.models import User
from haizhi.pipeline.review.queries import application_detail
from haizhi.pipeline.web import view


def boxes(request: Request, shown: dict[str, Any] | None, groups: list[tuple[str, list[dict[str, Any]]]]
          ) -> dict[str, Any]:
    """Pages of the shown file with the boxes the SVG overlay draws."""
    if shown is None:
        return {"pages": [], "error": None}
    if shown["state"] == "pending":
        return {"pages": [], "error": "文件还在处理中，稍后刷新即可看到页面"}
    meta = request.app.state.pages.meta(shown["sha256"], shown.get("suffix") or "", shown.get("method"))
    pages = []
    for p in meta["pages"]:
        items = [{"kind": "mark" if f["type"] == "mark" else "field", "key": f["key"], "label": f["label"],
                  "bbox": f["box"]["bbox"], "flagged": f["flagged"]}
                 for _g, fl in groups for f in fl if f["box"] and f["box"]["page"] == p["n"]]
        items += [{"kind": "seal", "key": f"seal-{p['n']}-{i}", "label": "公章", "bbox": b, "flagged": False}
                  for i, b in enumerate(p.get("seals") or [])]
        pages.append({"n": p["n"], "width": p["width"], "height": p["height"],
                      "src": f"/files/{shown['sha256']}/pages/{p['n']}.jpg", "boxes": items})
    return {"pages": pages, "error": meta.get("error")}


def neighbours(s: Session, app_id: int, year: int) -> tuple[int | None, int | None]:
    prev = s.scalar(select(Application.id).where(Application.year == year, Application.id < app_id)
                    .order_by(Application.id.desc()))
    nxt = s.scalar(select(Application.id).where(Application.year == year, Application.id > app_id)
                   .order_by(Application.id))
    return prev, nxt


def page_context(request: Request, s: Session, app_id: int, file_sha: str | None, user: User,
                 with_pages: bool = True) -> dict[str, Any]:
    d = application_detail(s, app_id)
    shown = view.shown_file(d, file_sha)
    groups = view.fields_view(d, shown)
    a = d["application"]
    prev, nxt = neighbours(s, a["id"], a["year"])
    return {"user": user, "a": a, "status": a["status"], "decision": d["decision"], "decisions": d["decisions"],
            "files": view.files_view(d), "shown": shown, "groups": groups, "findings": view.findings_view(d),
            "suggested": suggested_items(s, app_id) if with_pages else [], "prev": prev, "next": nxt, "flagged": sum(1 for _g, fl in groups for f in fl if f["flagged"]),
            "pages": boxes(request, shown, groups) if with_pages else {"pages": [], "error": None}}
