"""Findings computed once: an intake validates each current record once and checks the batch once,
and the exports show the ledger's findings and status (nothing renamed, nothing recomputed)."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

import haizhi.pipeline.validate as validate
from haizhi.pipeline.intake.db import Application, open_db
from haizhi.pipeline.intake.run import run_intake
from haizhi.pipeline.validate import batch as batch_mod
from tests.intake.test_ledger import make_inbox, opts


def test_one_validation_per_record_and_one_batch_check(tmp_path, monkeypatch):
    calls = {"record": 0, "batch": 0}
    real_coop, real_base, real_rec = validate.validate_coop, validate.validate_base, batch_mod._recommenders

    def coop(*a, **k):
        calls["record"] += 1
        return real_coop(*a, **k)

    def base(*a, **k):
        calls["record"] += 1
        return real_base(*a, **k)

    def rec(*a, **k):
        calls["batch"] += 1
        return real_rec(*a, **k)

    monkeypatch.setattr(validate, "validate_coop", coop)
    monkeypatch.setattr(validate, "validate_base", base)
    monkeypatch.setattr(batch_mod, "_recommenders", rec)
    inbox = make_inbox(tmp_path / "inbox")
    s = run_intake(opts(tmp_path, inbox, exports=True, pdf=False))
    assert s.applications_year == 4 and s.exports
    assert calls == {"record": 4, "batch": 1}

    lines = [json.loads(x) for x in Path(s.exports["jsonl"]).read_text(encoding="utf-8").splitlines()]
    assert not any(f["rule"].startswith("intake:") for d in lines for f in d["findings"])
    engine, S = open_db(s.db if s.db.startswith("sqlite") else "")
    try:
        with S() as ss:
            ledger = {a.name: a.status for a in ss.scalars(select(Application))}
    finally:
        engine.dispose()
    assert {d["fields"]["name_cn"]: d["status"] for d in lines} == ledger
