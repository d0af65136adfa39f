"""Corrections and verifications of fields: append-only revisions over the machine's record.

The record row keeps what the machine read; each correction is a new
FieldRevision row (value, who, when, why) and the newest correction of a field
wins. A verification says a person checked the field and left it as it is.
After either, the application is re-validated at once (recheck.revalidate).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from haizhi.pipeline.core.config import YearConfig
from haizhi.pipeline.core.record import Finding, Record
from haizhi.pipeline.intake.db import RecordRow
from haizhi.pipeline.review.accounts import get_user, require
from haizhi.pipeline.review.errors import Invalid, NotFound
from haizhi.pipeline.review.models import CORRECTION, VERIFIED, FieldRevision, User
from haizhi.pipeline.review.values import check_key, field_label, form_of, normalise, plain_text
from haizhi.pipeline.validate.compare import show_value as show

NOTE_RULE = "review.corrected"
MAX_REASON = 2000
BEIJING = ZoneInfo("Asia/Shanghai")


def aware(at: dt.datetime | None) -> dt.datetime | None:
    """Timestamps as stored (SQLite gives them back naive, in UTC) made timezone-aware."""
    if at is None:
        return None
    return at.replace(tzinfo=dt.UTC) if at.tzinfo is None else at


def when_cn(at: dt.datetime | None) -> str:
    """Beijing time for people: 2026-12-01 09:30."""
    a = aware(at)
    return a.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M") if a else ""


@dataclass
class Revised:
    """A record row with its revisions applied."""

    record: Record
    settled: set[str] = field(default_factory=set)  # keys a person corrected or verified
    corrections: list[dict[str, Any]] = field(default_factory=list)  # newest correction per key
    verified: list[dict[str, Any]] = field(default_factory=list)  # newest verification per key
    notes: list[Finding] = field(default_factory=list)  # one info finding per corrected key (for exports)


def revisions_for(s: Session, record_ids: Iterable[int]) -> dict[int, list[FieldRevision]]:
    ids = sorted(set(record_ids))
    out: dict[int, list[FieldRevision]] = {i: [] for i in ids}
    for start in range(0, len(ids), 500):
        q = select(FieldRevision).where(FieldRevision.record_id.in_(ids[start:start + 500]))
        for r in s.scalars(q.order_by(FieldRevision.id)):
            out[r.record_id].append(r)
    return out


def user_names(s: Session, revs: Iterable[FieldRevision]) -> dict[int, str]:
    ids = {r.user_id for r in revs}
    if not ids:
        return {}
    return {i: n for i, n in s.execute(select(User.id, User.name).where(User.id.in_(ids)))}


def machine_value(row: RecordRow, key: str) -> Any:
    spec = form_of(row.form)
    return (row.marks or {}).get(key) if key in spec.mark_keys else (row.fields or {}).get(key)


def revise(row: RecordRow, revs: list[FieldRevision], names: dict[int, str]) -> Revised:
    """The row as a Record with the newest correction of each key applied (revs oldest first)."""
    spec = form_of(row.form)
    rec = Record(form=row.form, fields=dict(row.fields or {}), source=dict(row.source or {}),
                 provenance=dict(row.provenance or {}), marks=dict(row.marks or {}))
    out = Revised(rec)
    last_fix: dict[str, FieldRevision] = {}
    last_ok: dict[str, FieldRevision] = {}
    for r in revs:
        if r.field not in spec.by_key and r.field not in spec.mark_keys:
            continue  # a key the dictionary no longer has
        (last_fix if r.kind == CORRECTION else last_ok)[r.field] = r
        out.settled.add(r.field)
    order = {k: i for i, k in enumerate(spec.keys + spec.mark_keys)}
    for key in sorted(last_fix, key=order.__getitem__):
        r = last_fix[key]
        target = rec.marks if key in spec.mark_keys else rec.fields
        target[key] = r.value
        who = names.get(r.user_id, f"#{r.user_id}")
        machine = machine_value(row, key)
        if r.value == machine and type(r.value) is type(machine):
            continue  # corrected back to what the machine read: checked, not changed
        out.corrections.append({"field": key, "label": field_label(spec, key), "machine": machine,
                                "value": r.value, "user": who, "at": aware(r.at).isoformat() if r.at else None,
                                "reason": r.reason, "revision_id": r.id})
        why = f"，理由：{r.reason}" if r.reason else ""
        out.notes.append(Finding(NOTE_RULE, "info", key,
                                 f"人工更正：“{field_label(spec, key)}”由 {show(machine)} 改为 {show(r.value)}"
                                 f"（{who}，{when_cn(r.at)}{why}）", None))
    for key in sorted(last_ok, key=order.__getitem__):
        r = last_ok[key]
        out.verified.append({"field": key, "label": field_label(spec, key), "value": r.value,
                             "user": names.get(r.user_id, f"#{r.user_id}"),
                             "at": aware(r.at).isoformat() if r.at else None, "revision_id": r.id})
    if out.corrections:
        rec.source["corrections"] = out.corrections
    if out.verified:
        rec.source["verified"] = out.verified
    return out


def revised(s: Session, row: RecordRow) -> Revised:
    revs = revisions_for(s, [row.id])[row.id]
    return revise(row, revs, user_names(s, revs))


def _row(s: Session, record_id: int) -> RecordRow:
    row = s.get(RecordRow, record_id)
    if row is None:
        raise NotFound(f"没有这条记录：{record_id}")
    return row


def reviewed_record(session: Session, record_id: int) -> Record:
    """The record with every field's newest correction applied; source["corrections"] lists
    what a person changed (field, label, machine value, value, user, at, reason) and
    source["verified"] what a person checked unchanged."""
    return revised(session, _row(session, record_id)).record


@dataclass
class Outcome:
    """What a correction or verification did: the new revision and the application's re-checked state."""

    revision: FieldRevision
    value: Any
    application_id: int | None
    status: str | None  # the application's 初审 status after re-validation
    findings: list[Finding] = field(default_factory=list)  # the application's findings after re-validation

    def to_dict(self) -> dict[str, Any]:
        r = self.revision
        return {"revision": {"id": r.id, "record_id": r.record_id, "field": r.field, "kind": r.kind,
                             "value": r.value, "reason": r.reason, "at": aware(r.at).isoformat() if r.at else None},
                "value": self.value, "application_id": self.application_id, "status": self.status,
                "findings": [f.to_dict() for f in self.findings]}


def _reason(reason: str | None) -> str | None:
    if reason is None:
        return None
    reason = plain_text(str(reason)).strip()
    if len(reason) > MAX_REASON:
        raise Invalid(f"理由过长（最多 {MAX_REASON} 字）")
    return reason or None


def _add(session: Session, row: RecordRow, key: str, value: Any, kind: str, user: User, reason: str | None,
         cfg: YearConfig | None) -> Outcome:
    rev = FieldRevision(record_id=row.id, field=key, value=value, kind=kind, user_id=user.id, reason=reason)
    session.add(rev)
    session.commit()  # the person's word is kept even if re-validation fails below
    status, findings = None, []
    if row.application_id is not None:
        from haizhi.pipeline.review.recheck import revalidate

        findings, status = revalidate(session, row.application_id, cfg)
    return Outcome(rev, value, row.application_id, status, findings)


def correct_field(session: Session, record_id: int, field: str, value: Any, user: User | int | str,
                  reason: str | None = None, *, cfg: YearConfig | None = None) -> Outcome:
    """A new correction of one field (or mark) of a record; the machine's value and earlier
    revisions stay. The value is normalised against the field dictionary (Invalid with a
    Chinese message when it cannot be); the application is re-validated at once.
    cfg: the year config (default: the bundled config of the application's year)."""
    row = _row(session, record_id)
    who = require(get_user(session, user), "correct")
    check_key(form_of(row.form), field)
    new = normalise(row.form, field, value)
    cur = revised(session, row)
    target = cur.record.marks if field in form_of(row.form).mark_keys else cur.record.fields
    if field in target and target.get(field) == new:
        raise Invalid(f"“{field_label(form_of(row.form), field)}”的值没有变化；如确认无误，请用“核对无误”")
    return _add(session, row, field, new, CORRECTION, who, _reason(reason), cfg)


def verify_field(session: Session, record_id: int, field: str, user: User | int | str,
                 reason: str | None = None, *, cfg: YearConfig | None = None) -> Outcome:
    """Mark a field (or mark) as checked by a person, its current value unchanged. Re-validates:
    reading findings (extraction, copy comparison) on a settled field no longer count."""
    row = _row(session, record_id)
    who = require(get_user(session, user), "verify")
    spec = form_of(row.form)
    check_key(spec, field)
    rec = revised(session, row).record
    value = rec.marks.get(field) if field in spec.mark_keys else rec.fields.get(field)
    return _add(session, row, field, value, VERIFIED, who, _reason(reason), cfg)


def history(session: Session, record_id: int, field: str | None = None) -> list[dict[str, Any]]:
    """Per key (dictionary order), the machine's value then every revision, oldest first:
    {"field", "label", "kind": machine|correction|verified, "value", "user", "at", "reason", "id"}.
    Without field: only keys that have revisions."""
    row = _row(session, record_id)
    spec = form_of(row.form)
    if field is not None:
        check_key(spec, field)
    revs = revisions_for(session, [row.id])[row.id]
    names = user_names(session, revs)
    keys = [field] if field is not None else [k for k in spec.keys + spec.mark_keys
                                              if any(r.field == k for r in revs)]
    out: list[dict[str, Any]] = []
    for k in keys:
        label = field_label(spec, k)
        out.append({"field": k, "label": label, "kind": "machine", "value": machine_value(row, k), "user": None,
                    "at": aware(row.created_at).isoformat() if row.created_at else None, "reason": None, "id": None})
        out += [{"field": k, "label": label, "kind": r.kind, "value": r.value, "user": names.get(r.user_id),
                 "at": aware(r.at).isoformat() if r.at else None, "reason": r.reason, "id": r.id}
                for r in revs if r.field == k]
    return out


__all__ = ["NOTE_RULE", "VERIFIED", "Outcome", "Revised", "correct_field", "history", "revise", "revised",
           "reviewed_record", "revisions_for", "verify_field"]
