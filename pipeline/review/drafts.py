"""Drafts keyed in the browser: a record of either form being entered, then printed with codes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, Session, mapped_column

from haizhi.pipeline.intake.db import Base, JSONType, utcnow
from haizhi.pipeline.review.errors import NotFound

STATUSES = ("draft", "printed")


class Draft(Base):
    __tablename__ = "entry_drafts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    form: Mapped[str] = mapped_column(String(32))
    year: Mapped[int | None] = mapped_column(Integer)
    fields: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    issue_id: Mapped[str | None] = mapped_column(String(32))
    created_by: Mapped[str | None] = mapped_column(Text)  # account name, or "个人链接" for an applicant
    updated_by: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


def get_draft(s: Session, draft_id: int) -> Draft:
    d = s.get(Draft, draft_id)
    if d is None:
        raise NotFound(f"找不到草稿 {draft_id}")
    return d


def save_draft(s: Session, draft_id: int | None, form: str, year: int | None, fields: dict[str, Any],
               who: str) -> Draft:
    """Create (draft_id None) or update a draft; saving again after printing makes it a draft again."""
    if draft_id is None:
        d = Draft(form=form, year=year, fields=fields, status="draft", created_by=who, updated_by=who)
        s.add(d)
    else:
        d = get_draft(s, draft_id)
        if d.form != form:
            raise NotFound(f"草稿 {draft_id} 不是此表单")
        d.fields, d.updated_by, d.updated_at = dict(fields), who, utcnow()
        if d.status == "printed":
            d.status, d.issue_id = "draft", None
    s.commit()
    return d


def mark_printed(s: Session, d: Draft, issue_id: str) -> None:
    d.status, d.issue_id, d.updated_at = "printed", issue_id, utcnow()
    s.commit()
