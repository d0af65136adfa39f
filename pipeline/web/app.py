"""The FastAPI application: pages (Jinja2 + vendored HTMX), the JSON API, sessions and errors."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from haizhi.pipeline.core.errors import HaizhiError
from haizhi.pipeline.review.errors import Conflict, NotFound, PermissionDenied
from haizhi.pipeline.web.render import PageCache
from haizhi.pipeline.web.security import CsrfFailed, LoginRequired
from haizhi.pipeline.web.settings import Settings

HERE = Path(__file__).resolve().parent
log = logging.getLogger("haizhi.web")
SESSION_COOKIE = "haizhi_session"
SESSION_MAX_AGE = 12 * 3600
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")


def templates() -> Jinja2Templates:
    t = Jinja2Templates(directory=str(HERE / "templates"))
    t.env.autoescape = True  # every value shown is escaped (Jinja2Templates enables it for .html; made explicit)
    from haizhi.pipeline.review.revisions import show

    t.env.filters["show"] = show
    return t


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _status_for(e: Exception) -> int:
    if isinstance(e, NotFound):
        return 404
    if isinstance(e, PermissionDenied):
        return 403
    if isinstance(e, Conflict):
        return 409
    return 400


def create_app(settings: Settings) -> FastAPI:
    from haizhi.pipeline.intake.db import open_db

    engine, Session_ = open_db(settings.db_url)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        worker = None
        if settings.background:
            from haizhi.pipeline.web.uploads import Worker

            worker = Worker(Session_, settings)
            worker.start()
        try:
            yield
        finally:
            if worker is not None:
                worker.close()
            engine.dispose()

    app = FastAPI(title="海智计划 收件审核 API", version="1", lifespan=lifespan,
                  description="审核网页自己使用的 JSON 接口。除 /login 外均需登录；每个修改请求须带 X-CSRF-Token 头。",
                  docs_url=None, redoc_url=None, openapi_url=None)
    app.state.settings = settings
    app.state.engine = engine
    app.state.Session = Session_
    app.state.templates = templates()
    app.state.pages = PageCache(settings.cache, settings.store)
    app.add_middleware(SessionMiddleware, secret_key=settings.secret, session_cookie=SESSION_COOKIE,
                       max_age=SESSION_MAX_AGE, same_site="strict", https_only=False)

    @app.middleware("http")
    async def headers(request: Request, call_next: Any) -> Response:
        resp: Response = await call_next(request)
        resp.headers.setdefault("Content-Security-Policy", CSP)
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("Referrer-Policy", "same-origin")
        resp.headers.setdefault("X-Frame-Options", "DENY")
        if not request.url.path.startswith("/static/"):
            resp.headers.setdefault("Cache-Control", "no-store")
        return resp

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, exc: LoginRequired) -> Response:
        if _is_api(request) or request.headers.get("HX-Request"):
            return JSONResponse({"detail": "请先登录"}, status_code=401)
        nxt = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(nxt)}", status_code=303)

    @app.exception_handler(CsrfFailed)
    async def csrf_failed(request: Request, exc: CsrfFailed) -> Response:
        return _error(request, 403, "请求缺少有效的 CSRF 令牌，请刷新页面后重试")

    @app.exception_handler(HaizhiError)
    async def domain_error(request: Request, exc: HaizhiError) -> Response:
        return _error(request, _status_for(exc), str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        msg = {404: "找不到页面或文件", 405: "不支持的请求方法"}.get(exc.status_code, str(exc.detail))
        return _error(request, exc.status_code, msg)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        where = "；".join(".".join(str(x) for x in e.get("loc", ())) for e in exc.errors()[:5])
        return _error(request, 422, f"请求参数无效：{where}")

    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    from haizhi.pipeline.web import api, pages, pages_admin, pages_entry, pages_exports, pages_review

    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(pages_review.router)
    app.include_router(pages_admin.router)
    app.include_router(pages_exports.router)
    app.include_router(pages_entry.router)
    return app


def _error(request: Request, status: int, message: str) -> Response:
    if _is_api(request) or request.headers.get("HX-Request"):
        return JSONResponse({"detail": message}, status_code=status)
    t: Jinja2Templates = request.app.state.templates
    return t.TemplateResponse(request, "error.html", {"status": status, "message": message, "user": None},
                              status_code=status)


def app_from_env() -> FastAPI:
    """uvicorn factory: each worker process builds its app from HAIZHI_WEB_* (see settings)."""
    return create_app(Settings.from_env())
