"""初审: check records against the year's notices.

Severity: error = 不符合条件 (ineligible), warning = 需补正 (fixable), info = note.
Every number comes from the year config; every finding cites its clause.
"""

from __future__ import annotations

import datetime as dt

from haizhi.pipeline.core.config import YearConfig
from haizhi.pipeline.core.fields import BASE, COOP
from haizhi.pipeline.core.record import Finding, Record
from haizhi.pipeline.validate import batch as _batch
from haizhi.pipeline.validate.base import validate_base
from haizhi.pipeline.validate.batch import recommender_use, validate_batch
from haizhi.pipeline.validate.common import record_label
from haizhi.pipeline.validate.coop import validate_coop
from haizhi.pipeline.validate.status import (
    INELIGIBLE,
    NEEDS_FIX,
    PASSED,
    STATUSES,
    merge_findings,
    record_status,
)

__all__ = [
    "INELIGIBLE", "NEEDS_FIX", "PASSED", "STATUSES", "check_batch", "findings_for", "merge_findings", "record_label",
    "record_status", "recommender_use", "validate_all", "validate_batch", "validate_record",
]


def validate_record(record: Record, cfg: YearConfig, *, files: list[dict] | None = None) -> list[Finding]:
    """Findings for one record. files: the submission's other files when known, e.g.
    [{"kind": "support_letter", "level": "city"}, {"kind": "plan"}, {"kind": "proof"}];
    None = unknown, attachments are not checked."""
    if record.form == COOP:
        return validate_coop(record, cfg, files=files)
    if record.form == BASE:
        return validate_base(record, cfg, files=files)
    return [Finding("record.form", "error", None, f"未知的表单类型：{record.form}", None)]


def findings_for(record: Record, cfg: YearConfig, *, files: list[dict] | None = None) -> list[Finding]:
    """The record's earlier non-validation findings (extraction, comparison) plus fresh validation."""
    return merge_findings(record.findings, validate_record(record, cfg, files=files))


def validate_all(records: list[Record], cfg: YearConfig, *,
                 received: dict[str, dt.date] | None = None) -> tuple[list[list[Finding]], list[Finding]]:
    """Per-record findings (merged as in findings_for) and the batch findings."""
    return [findings_for(r, cfg) for r in records], validate_batch(records, cfg, received=received)


def check_batch(records: list[Record], cfg: YearConfig, *,
                received: dict[str, dt.date] | None = None) -> tuple[list[Finding], list[list[Finding]]]:
    """The one batch check of an intake: findings about the batch as a whole (quotas, shares,
    duplicates) and, per record, its own deadline findings (as validate_batch([record]) words them)."""
    whole = _batch._recommenders(records, cfg) + _batch._duplicates(records)
    return whole, [_batch._deadlines([r], cfg, received) for r in records]
