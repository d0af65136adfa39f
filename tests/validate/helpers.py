"""Shared helpers for the validation tests."""

from __future__ import annotations

import copy
from pathlib import Path

from haizhi.pipeline.core.record import Record, load_record

ROOT = Path(__file__).resolve().parents[2]
RECORDS = ROOT / "fixtures" / "records"
BATCH = RECORDS / "batch"


def coop() -> Record:
    return load_record(RECORDS / "coop_example.json")


def base() -> Record:
    return load_record(RECORDS / "base_example.json")


def batch() -> list[Record]:
    return [load_record(p) for p in sorted(BATCH.glob("*.json"))]


def with_fields(r: Record, **changes: object) -> Record:
    r = copy.deepcopy(r)
    r.fields.update(changes)
    return r


def rules(findings: list) -> set[tuple[str, str, str | None]]:
    return {(f.rule, f.severity, f.field) for f in findings}
