"""Page actions of review: correct or verify a field (HTMX), decide, upload onto an application."""

from __future__ import annotations

import json

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from haizhi.pipeline.review import decisions, revisions
from haizhi.pipeline.review.errors import Invalid, NotFound
from haizhi.pipeline.review.models import User
from haizhi.pipeline.web import actions
from haizhi.pipeline.web.detail import page_context
from haizhi.pipeline.web.pages import render
from haizhi.pipeline.web.security import check_csrf, db, needs

router = APIRouter(include_in_schema=False, dependencies=[Depends(check_csrf)])


def _fields_panel(request: Request, s: Session, app_id: int, user: User, message: str | None) -> Response:
    ctx = page_context(request, s, app_id, None, user, with_pages=False)
    ctx.update(message=message, oob_status=True)
    return render(request, "_fields.html", ctx)


@router.post("/applications/{app_id}/fields/{key}/correct", response_class=HTMLResponse)
async def correct(request: Request, app_id: int, key: str, user: User = Depends(needs("correct")),
                  s: Session = Depends(db)) -> Response:
    form = await request.form()
    out = actions.correct(s, app_id, key, form.get("value"), user, form.get("reason"))
    label = actions.label(s, app_id, key)
    return _fields_panel(request, s, app_id, user,
                         f"已更正“{label}”为 {revisions.show(out.value)}；重新初审：{out.status or '—'}")


@router.post("/applications/{app_id}/fields/{key}/verify", response_class=HTMLResponse)
async def verify(request: Request, app_id: int, key: str, user: User = Depends(needs("verify")),
                 s: Session = Depends(db)) -> Response:
    form = await request.form()
    out = actions.verify(s, app_id, key, user, form.get("reason"))
    return _fields_panel(request, s, app_id, user,
                         f"已核对“{actions.label(s, app_id, key)}”；重新初审：{out.status or '—'}")


@router.post("/applications/{app_id}/decision")
async def decide(request: Request, app_id: int, user: User = Depends(needs("decide")),
                 s: Session = Depends(db)) -> Response:
    form = await request.form()
    items: list[object] = [ln.strip() for ln in str(form.get("items") or "").splitlines() if ln.strip()]
    for raw in form.getlist("suggested"):
        try:
            it = json.loads(str(raw))
        except ValueError:
            raise Invalid("补正事项格式无效") from None
        if not isinstance(it, dict):
            raise Invalid("补正事项格式无效")
        items.append({"field": it.get("field"), "text": it.get("text")})  # checked again by decide()
    decision = str(form.get("decision") or "")
    decisions.decide(s, app_id, decision, user, items or None, str(form.get("note") or "") or None)
    return RedirectResponse(f"/applications/{app_id}#decision", status_code=303)


@router.post("/applications/{app_id}/upload")
async def upload_to_app(request: Request, app_id: int, user: User = Depends(needs("upload")),
                        s: Session = Depends(db)) -> Response:
    form = await request.form()
    files = [f for f in form.getlist("files") if hasattr(f, "read")]
    if not files:
        raise Invalid("没有选择文件")
    app = decisions.application(s, app_id)
    for f in files:
        await actions.upload(request, s, f, app)
    return RedirectResponse(f"/applications/{app_id}", status_code=303)


@router.post("/inbox/upload")
async def upload_inbox(request: Request, user: User = Depends(needs("upload")), s: Session = Depends(db)) -> Response:
    form = await request.form()
    files = [f for f in form.getlist("files") if hasattr(f, "read")]
    if not files:
        raise Invalid("没有选择文件")
    for f in files:
        await actions.upload(request, s, f, None)
    return RedirectResponse("/inbox", status_code=303)


__all__ = ["router", "NotFound"]
