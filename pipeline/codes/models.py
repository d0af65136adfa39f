"""Ledger table of issued (printed) forms: what haizhi printed under which issue id."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from haizhi.pipeline.intake.db import Base, JSONType, utcnow


class IssuedForm(Base):
    """One printed, pre-filled form. Never updated: a reprint with other values is a new issue."""

    __tablename__ = "issued_forms"
    issue_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    form: Mapped[str] = mapped_column(String(32))
    year: Mapped[int | None] = mapped_column(Integer)
    values_hash: Mapped[str] = mapped_column(String(64), index=True)
    values: Mapped[dict[str, Any]] = mapped_column(JSONType)  # the fields as printed, to read a scan back exactly
    pages: Mapped[int | None] = mapped_column(Integer)
    name: Mapped[str | None] = mapped_column(Text)  # the organisation, for people browsing the ledger
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
