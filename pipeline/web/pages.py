"""Pages: login, dashboard, an application's page, the originals and their page images."""

from __future__ import annotations

import mimetypes
from typing import Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from haizhi.pipeline.intake.db import File
from haizhi.pipeline.review import accounts
from haizhi.pipeline.review import queries as review_queries
from haizhi.pipeline.review.errors import NotFound
from haizhi.pipeline.review.models import ROLE_CN, User
from haizhi.pipeline.web.security import (
    check_csrf,
    csrf_token,
    current_user,
    db,
    log_in,
    log_out,
    optional_user,
)

router = APIRouter(include_in_schema=False)
SHA = r"^[0-9a-f]{64}$"
INLINE_TYPES = {".pdf": "application/pdf", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}


def render(request: Request, name: str, ctx: dict[str, Any], status: int = 200) -> HTMLResponse:
    user = ctx.get("user")
    base = {"csrf": csrf_token(request), "user": user, "role_cn": ROLE_CN.get(user.role, "") if user else "",
            "can": (lambda action: accounts.can(user, action))}
    base.update(ctx)
    return request.app.state.templates.TemplateResponse(request, name, base, status_code=status)


def safe_next(nxt: str | None) -> str:
    """Only a path on this site (no scheme, no //host, no backslash tricks)."""
    if not nxt or not nxt.startswith("/") or nxt.startswith("//") or "\\" in nxt or "\n" in nxt or "\r" in nxt:
        return "/"
    return nxt


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str | None = None, user: User | None = Depends(optional_user)) -> Response:
    if user is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return render(request, "login.html", {"next": safe_next(next), "error": None})


@router.post("/login", response_class=HTMLResponse, dependencies=[Depends(check_csrf)])
async def login_post(request: Request, s: Session = Depends(db)) -> Response:
    form = await request.form()
    name, password = str(form.get("name") or ""), str(form.get("password") or "")
    nxt = safe_next(str(form.get("next") or "/"))
    user = accounts.verify_password(s, name, password)
    if user is None:
        return render(request, "login.html", {"next": nxt, "error": "用户名或密码不正确", "name": name}, status=401)
    log_in(request, user)
    return RedirectResponse(nxt, status_code=303)


@router.post("/logout", dependencies=[Depends(check_csrf)])
def logout(request: Request) -> Response:
    log_out(request)
    return RedirectResponse("/login", status_code=303)


def processing(s: Session) -> dict[str, Any]:
    """The review layer's processing counts plus the names of the files waiting (newest 20)."""
    proc = review_queries.processing(s)
    proc["pending"] = [f.name for f in s.scalars(select(File).where(File.state == "pending")
                                                 .order_by(File.id.desc()).limit(20))]
    if s.get_bind().dialect.name == "postgresql":  # the job queue: counts over every step, workers online
        from collections import Counter

        from haizhi.pipeline.intake.dispatch import live_workers, queue_jobs

        total: Counter[str] = Counter()
        for counts in queue_jobs(s).values():
            total.update(counts)
        proc["queue"] = {k: total[k] for k in ("todo", "doing", "succeeded", "failed")} | {"workers": live_workers(s)}
    return proc


@router.get("/", response_class=HTMLResponse)
def dashboard(request: Request, form: str | None = None, recommender: str | None = None, status: str | None = None,
              flagged: str | None = None, q: str | None = None, user: User = Depends(current_user),
              s: Session = Depends(db)) -> Response:
    flt = {"form": form or None, "recommender": recommender or None,
           "status": status if status in review_queries.STATUSES else None,
           "flagged": True if flagged in ("1", "on", "true") else None, "q": (q or "").strip()[:100] or None}
    d = review_queries.list_applications(s, year=request.app.state.settings.year, limit=500, **flt)
    every = review_queries.list_applications(s, year=d["year"], limit=500) if any(flt.values()) else d
    ctx = {"user": user, "d": d, "flt": flt, "statuses": review_queries.STATUSES, "proc": processing(s),
           "forms": sorted({(it["form"], it["form_title"]) for it in every["items"]}),
           "recommender_names": sorted({it["recommender"] for it in every["items"] if it["recommender"]})}
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "app-table":
        return render(request, "_app_table.html", ctx)
    return render(request, "dashboard.html", ctx)


@router.get("/partials/processing", response_class=HTMLResponse)
def processing_partial(request: Request, user: User = Depends(current_user), s: Session = Depends(db)) -> Response:
    return render(request, "_processing.html", {"user": user, "proc": processing(s)})


def _file(s: Session, sha: str) -> File:
    f = s.scalar(select(File).where(File.sha256 == sha))
    if f is None:
        raise NotFound("找不到该文件")
    return f


@router.get("/files/{sha}")
def original(request: Request, sha: str = Path(pattern=SHA), user: User = Depends(current_user),
             s: Session = Depends(db)) -> Response:
    f = _file(s, sha)
    path = request.app.state.pages.store_root / sha[:2] / sha[2:]
    if not path.is_file():
        raise NotFound("原件不在存档中")
    suffix = (f.suffix or "").lower()
    mtype = INLINE_TYPES.get(suffix)
    disp = "inline" if mtype else "attachment"
    return FileResponse(path, media_type=mtype or mimetypes.types_map.get(suffix) or "application/octet-stream",
                        filename=f.name, content_disposition_type=disp)


@router.get("/files/{sha}/pages/{n}.jpg")
def page_image(request: Request, sha: str = Path(pattern=SHA), n: int = Path(ge=1, le=1000),
               user: User = Depends(current_user), s: Session = Depends(db)) -> Response:
    f = _file(s, sha)
    cache = request.app.state.pages
    meta = cache.meta(sha, f.suffix or "", f.method)
    if not any(p["n"] == n for p in meta["pages"]):
        raise NotFound("没有这一页")
    return FileResponse(cache.image(sha, n), media_type="image/jpeg",
                        headers={"Cache-Control": "private, max-age=86400"})


@router.get("/applications/{app_id}", response_class=HTMLResponse)
def application_page(request: Request, app_id: int, file: str | None = Query(None, pattern=SHA),
                     user: User = Depends(current_user), s: Session = Depends(db)) -> Response:
    from haizhi.pipeline.web.detail import page_context

    ctx = page_context(request, s, app_id, file, user)
    return render(request, "application.html", ctx)
