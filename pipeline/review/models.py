"""Review tables on the intake ledger: accounts, field revisions, decisions.

Revisions and decisions are append-only: a correction is a new row, the
machine's value stays in the record row, and the latest row wins. Created by
the Alembic revision 0002_review.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from haizhi.pipeline.intake.db import Base, JSONType, utcnow

ROLES = ("clerk", "reviewer", "admin")
ROLE_CN = {"clerk": "办事员", "reviewer": "审核人", "admin": "管理员"}
CORRECTION, VERIFIED = "correction", "verified"
REVISION_KINDS = (CORRECTION, VERIFIED)
PASS, FIX, REJECT = "通过", "需补正", "不符合条件"
DECISIONS = (PASS, FIX, REJECT)
PENDING = "待复核"  # no decision yet


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))  # clerk / reviewer / admin
    password_hash: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class FieldRevision(Base):
    """A person's word on one field (or mark) of one record: a corrected value, or 'verified'."""

    __tablename__ = "field_revisions"
    __table_args__ = (Index("ix_field_revisions_record_field", "record_id", "field"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id"))
    field: Mapped[str] = mapped_column(String(64))
    value: Mapped[Any] = mapped_column(JSONType, nullable=True)  # the value after this revision
    kind: Mapped[str] = mapped_column(String(16))  # correction / verified
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    reason: Mapped[str | None] = mapped_column(Text)


class Decision(Base):
    """A decision on an application; the newest row is the current one."""

    __tablename__ = "decisions"
    __table_args__ = (Index("ix_decisions_application", "application_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"))
    decision: Mapped[str] = mapped_column(String(16))  # 通过 / 需补正 / 不符合条件
    items: Mapped[list[Any] | None] = mapped_column(JSONType)  # 需补正: what the applicant must fix
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    note: Mapped[str | None] = mapped_column(Text)
    record_id: Mapped[int | None] = mapped_column(ForeignKey("records.id"))  # record version decided on
