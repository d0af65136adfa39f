"""Decisions on applications: 通过, 需补正 (with the items to fix), 不符合条件.

Append-only: revising a decision adds a row; the newest row is the current decision.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from haizhi.pipeline.core.fields import FORMS
from haizhi.pipeline.intake.db import Application
from haizhi.pipeline.review.accounts import get_user, require
from haizhi.pipeline.review.errors import Invalid, NotFound
from haizhi.pipeline.review.models import DECISIONS, FIX, Decision, User
from haizhi.pipeline.review.revisions import aware
from haizhi.pipeline.review.values import field_label, plain_text

MAX_ITEMS = 100
MAX_TEXT = 2000


def application(session: Session, application_id: int) -> Application:
    app = session.get(Application, application_id)
    if app is None:
        raise NotFound(f"没有这个申请：{application_id}")
    return app


def _items(form: str, items: list[Any] | None) -> list[dict[str, Any]]:
    """Items as [{"field": key|None, "label": str|None, "text": str}]; strings are free text."""
    if items is None:
        return []
    if not isinstance(items, list | tuple):
        raise Invalid("补正事项应为列表")
    if len(items) > MAX_ITEMS:
        raise Invalid(f"补正事项过多（最多 {MAX_ITEMS} 项）")
    spec = FORMS[form]
    out = []
    for it in items:
        if isinstance(it, str):
            key, text = None, it
        elif isinstance(it, dict):
            key, text = it.get("field") or None, it.get("text")
        else:
            raise Invalid(f"补正事项格式无效：{it!r}")
        if key is not None and key not in spec.by_key and key not in spec.mark_keys:
            raise Invalid(f"补正事项的字段无效：{key!r}")
        text = plain_text(str(text or "")).strip()
        if len(text) > MAX_TEXT:
            raise Invalid(f"补正事项过长（最多 {MAX_TEXT} 字）")
        if text:
            out.append({"field": key, "label": field_label(spec, key) if key else None, "text": text})
    return out


def decide(session: Session, application_id: int, decision: str, user: User | int | str,
           items: list[Any] | None = None, note: str | None = None) -> Decision:
    """Record a decision (a new row; earlier ones are kept). 需补正 needs at least one item:
    a string, or {"field": key, "text": "…"}. Commits."""
    app = application(session, application_id)
    who = require(get_user(session, user), "decide")
    if decision not in DECISIONS:
        raise Invalid(f"审核决定无效：{decision!r}（应为 {' / '.join(DECISIONS)}）")
    its = _items(app.form, items)
    if decision == FIX and not its:
        raise Invalid("“需补正”至少需要写明一项补正事项")
    if decision != FIX and its:
        raise Invalid(f"只有“需补正”需要补正事项，“{decision}”不需要")
    note = (plain_text(str(note)).strip() or None) if note is not None else None
    if note is not None and len(note) > MAX_TEXT:
        raise Invalid(f"备注过长（最多 {MAX_TEXT} 字）")
    d = Decision(application_id=app.id, decision=decision, items=its or None, user_id=who.id, note=note,
                 record_id=app.current_record_id)
    session.add(d)
    session.commit()
    return d


def as_dict(d: Decision, names: dict[int, str]) -> dict[str, Any]:
    return {"id": d.id, "application_id": d.application_id, "decision": d.decision, "items": d.items or [],
            "user": names.get(d.user_id), "at": aware(d.at).isoformat() if d.at else None, "note": d.note,
            "record_id": d.record_id}


def decisions(session: Session, application_id: int) -> list[Decision]:
    application(session, application_id)
    return list(session.scalars(select(Decision).where(Decision.application_id == application_id)
                                .order_by(Decision.id)))


def history(session: Session, application_id: int) -> list[dict[str, Any]]:
    """Every decision on the application, oldest first (the last is current)."""
    ds = decisions(session, application_id)
    names = {i: n for i, n in session.execute(select(User.id, User.name).where(User.id.in_({d.user_id for d in ds})))} if ds else {}
    return [as_dict(d, names) for d in ds]


def current_decision(session: Session, application_id: int) -> Decision | None:
    return session.scalar(select(Decision).where(Decision.application_id == application_id)
                          .order_by(Decision.id.desc()).limit(1))


def current_decisions(session: Session, application_ids: list[int]) -> dict[int, Decision]:
    """The newest decision of each application that has one (one query)."""
    out: dict[int, Decision] = {}
    if not application_ids:
        return out
    q = select(Decision).where(Decision.application_id.in_(application_ids)).order_by(Decision.id)
    for d in session.scalars(q):
        out[d.application_id] = d
    return out



def suggested_items(session: Session, application_id: int) -> list[dict[str, Any]]:
    """Items a 需补正 decision could list: the application's open warnings (not errors, which make it
    ineligible, nor notes), as {"field", "label", "text"}; a person edits them before deciding."""
    from haizhi.pipeline.review.queries import application_detail

    d = application_detail(session, application_id)
    spec = FORMS.get(d["application"]["form"])
    out, seen = [], set()
    for f in d["findings"]:
        if f["severity"] != "warning" or f["settled"] or f["message"] in seen:
            continue
        seen.add(f["message"])
        key = f["field"] if spec is not None and f["field"] in (spec.by_key.keys() | set(spec.mark_keys)) else None
        out.append({"field": key, "label": field_label(spec, key) if key and spec else None, "text": f["message"]})
    return out
