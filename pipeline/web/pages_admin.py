"""Pages: the inbox (drop files), accounts (admin), exports, and the API's documentation."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from haizhi.pipeline.review import accounts
from haizhi.pipeline.review.models import ROLE_CN, ROLES, User
from haizhi.pipeline.web.pages import render
from haizhi.pipeline.web.security import check_csrf, current_user, db, needs

router = APIRouter(include_in_schema=False)


@router.get("/inbox", response_class=HTMLResponse)
def inbox(request: Request, user: User = Depends(current_user), s: Session = Depends(db)) -> Response:
    from haizhi.pipeline.web.pages import processing

    return render(request, "inbox.html", {"user": user, "proc": processing(s)})


@router.get("/users", response_class=HTMLResponse)
def users(request: Request, user: User = Depends(needs("users")), s: Session = Depends(db)) -> Response:
    return render(request, "users.html", {"user": user, "users": accounts.list_users(s), "roles": ROLES,
                                          "role_names": ROLE_CN, "error": None})


@router.post("/users", dependencies=[Depends(check_csrf)])
async def add_user(request: Request, user: User = Depends(needs("users")), s: Session = Depends(db)) -> Response:
    form = await request.form()
    accounts.add_user(s, str(form.get("name") or ""), str(form.get("role") or ""), str(form.get("password") or ""))
    return RedirectResponse("/users", status_code=303)


@router.post("/users/{name}/active", dependencies=[Depends(check_csrf)])
async def set_active(request: Request, name: str, user: User = Depends(needs("users")),
                     s: Session = Depends(db)) -> Response:
    form = await request.form()
    accounts.set_active(s, name, str(form.get("active")) == "1")
    return RedirectResponse("/users", status_code=303)


def _openapi(request: Request) -> dict[str, Any]:
    app = request.app
    if not app.openapi_schema:
        from fastapi.openapi.utils import get_openapi

        app.openapi_schema = get_openapi(title=app.title, version=app.version, description=app.description,
                                         routes=app.routes)
    return app.openapi_schema


@router.get("/openapi.json")
def openapi(request: Request, user: User = Depends(current_user)) -> Response:
    return JSONResponse(_openapi(request))


@router.get("/docs", response_class=HTMLResponse)
def docs(request: Request, user: User = Depends(current_user)) -> Response:
    spec = _openapi(request)
    ops = []
    for path, methods in spec.get("paths", {}).items():
        for method, op in methods.items():
            params = [f"{p['name']}（{ {'path': '路径', 'query': '查询'}.get(p['in'], p['in']) }）"
                      for p in op.get("parameters", [])]
            body = op.get("requestBody", {}).get("content", {})
            ops.append({"method": method.upper(), "path": path, "summary": op.get("summary", ""),
                        "description": op.get("description", ""), "params": params, "body": ", ".join(body)})
    return render(request, "docs.html", {"user": user, "ops": ops, "spec": spec})
