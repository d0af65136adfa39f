"""Building inboxes for intake tests."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from haizhi.pipeline.core.record import load_record
from haizhi.pipeline.intake.db import Application, Entry, File, FindingRow, RecordRow, open_db

ROOT = Path(__file__).resolve().parents[2]
FAKE = f"{Path(__file__).resolve().parent / 'fake_task.py'}:task"


def coop(name: str, code: str, method: str = "docx", **fields: Any) -> dict[str, Any]:
    rec = load_record(ROOT / "fixtures" / "records" / "coop_example.json").to_dict()
    rec = copy.deepcopy(rec)
    rec["fields"].update(name_cn=name, credit_code=code, **fields)
    rec["source"] = {"method": method}
    if method == "ocr":
        rec["marks"] = {k: True for k in ("recommender_signed", "recommender_sealed",
                                          "institution_signed", "institution_sealed")}
    return rec


def write_json(p: Path, *records: dict[str, Any]) -> Path:
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(json.dumps({"records": list(records)}, ensure_ascii=False), encoding="utf-8")
    return p


def counts(url: str) -> dict[str, int]:
    engine, S = open_db(url)
    try:
        with S() as s:
            return {t.__tablename__: s.scalar(select(func.count()).select_from(t))
                    for t in (File, Entry, Application, RecordRow, FindingRow)}
    finally:
        engine.dispose()
