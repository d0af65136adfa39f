"""Sessions, CSRF and roles.

The session is a signed cookie (Starlette's SessionMiddleware, itsdangerous) that
holds the user's id and a per-session CSRF token; the user is read from the
ledger on every request, so a disabled account or a changed role takes effect at
once and no process keeps state. Every change (POST/PUT/PATCH/DELETE) must carry
the token: the X-CSRF-Token header (HTMX and the JSON API) or a csrf_token form
field; it is compared in constant time on the server.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Any

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from haizhi.pipeline.review import accounts
from haizhi.pipeline.review.errors import NotFound, PermissionDenied
from haizhi.pipeline.review.models import User

CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


class LoginRequired(Exception):
    """No valid session: pages redirect to /login, the API answers 401."""


class CsrfFailed(Exception):
    pass


def db(request: Request) -> Any:
    s: Session = request.app.state.Session()
    try:
        yield s
    finally:
        s.close()


def csrf_token(request: Request) -> str:
    tok = request.session.get("csrf")
    if not tok:
        tok = request.session["csrf"] = secrets.token_urlsafe(32)
    return tok


async def check_csrf(request: Request) -> None:
    if request.method not in UNSAFE:
        return
    want = request.session.get("csrf")
    if not want:  # no session token: refuse before reading any body
        raise CsrfFailed()
    got = request.headers.get(CSRF_HEADER)
    if not got:
        ctype = request.headers.get("content-type", "")
        if ctype.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            v = form.get(CSRF_FIELD)
            got = v if isinstance(v, str) else None
    if not want or not got or not hmac.compare_digest(str(want), str(got)):
        raise CsrfFailed()


def optional_user(request: Request, s: Session = Depends(db)) -> User | None:
    uid = request.session.get("uid")
    if not isinstance(uid, int):
        return None
    try:
        user = accounts.get_user(s, uid)
    except NotFound:
        return None
    return user if user.active else None


def current_user(user: User | None = Depends(optional_user)) -> User:
    if user is None:
        raise LoginRequired()
    return user


def needs(action: str) -> Any:
    """A dependency: the logged-in user, if the role allows `action` (checked on the server)."""

    def dep(user: User = Depends(current_user)) -> User:
        if not accounts.can(user, action):
            accounts.require(user, action)  # raises PermissionDenied with the Chinese reason
            raise PermissionDenied("无权操作")
        return user

    return dep


def log_in(request: Request, user: User) -> None:
    request.session.clear()
    request.session["uid"] = user.id
    request.session["csrf"] = secrets.token_urlsafe(32)


def log_out(request: Request) -> None:
    request.session.clear()
