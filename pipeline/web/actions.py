"""What the pages and the JSON API both do, through the review layer's functions."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from haizhi.pipeline.core.fields import FORMS
from haizhi.pipeline.intake.db import Application, File
from haizhi.pipeline.intake.inbox import Limits
from haizhi.pipeline.intake.review import current
from haizhi.pipeline.review import revisions
from haizhi.pipeline.review.decisions import application
from haizhi.pipeline.review.errors import Invalid, NotFound
from haizhi.pipeline.review.models import User
from haizhi.pipeline.web.uploads import save_upload

MAX_VALUE = 20_000


def record_id(s: Session, app_id: int) -> int:
    """The record a person reviews: the application's current copy (editable, else scan)."""
    app = application(s, app_id)
    cur = current(s, app)
    base = (cur.editable or cur.scan) if cur else None
    if base is None:
        raise NotFound("这个申请还没有读出的表格")
    return base.id


def label(s: Session, app_id: int, key: str) -> str:
    app = s.get(Application, app_id)
    spec = FORMS.get(app.form) if app else None
    if spec and key in spec.by_key:
        return spec.by_key[key].label
    return key


def _value(v: Any) -> Any:
    if isinstance(v, str) and len(v) > MAX_VALUE:
        raise Invalid(f"值过长（最多 {MAX_VALUE} 字）")
    if hasattr(v, "read"):
        raise Invalid("值不能是文件")
    return v


def correct(s: Session, app_id: int, key: str, value: Any, user: User, reason: Any = None) -> revisions.Outcome:
    return revisions.correct_field(s, record_id(s, app_id), key, _value(value), user,
                                   str(reason) if reason else None)


def verify(s: Session, app_id: int, key: str, user: User, reason: Any = None) -> revisions.Outcome:
    return revisions.verify_field(s, record_id(s, app_id), key, user, str(reason) if reason else None)


async def read_limited(up: Any, limit: int) -> bytes:
    chunks, size = [], 0
    while True:
        chunk = await up.read(1 << 20)
        if not chunk:
            break
        size += len(chunk)
        if size > limit:
            raise Invalid(f"文件超过 {limit >> 20} MB 的上限")
        chunks.append(chunk)
    return b"".join(chunks)


async def upload(request: Request, s: Session, up: Any, app: Application | None) -> File:
    data = await read_limited(up, Limits().max_file_bytes)
    settings = request.app.state.settings
    return await run_in_threadpool(save_upload, s, settings, getattr(up, "filename", None), data, app)
