"""A record's 初审 status from its findings."""

from __future__ import annotations

from collections.abc import Iterable

from haizhi.pipeline.core.record import Finding

PASSED = "通过"
NEEDS_FIX = "需补正"
INELIGIBLE = "不符合条件"
STATUSES = (PASSED, NEEDS_FIX, INELIGIBLE)

# rule prefixes validation owns; other findings (extraction, comparison) are kept as they are
VALIDATION_PREFIXES = ("coop.", "base.", "batch.")


def record_status(findings: Iterable[Finding]) -> str:
    """error → 不符合条件; else warning → 需补正; else (info or nothing) → 通过."""
    sev = {f.severity for f in findings}
    if "error" in sev:
        return INELIGIBLE
    if "warning" in sev:
        return NEEDS_FIX
    return PASSED


def merge_findings(existing: Iterable[Finding], fresh: Iterable[Finding]) -> list[Finding]:
    """Earlier non-validation findings (e.g. from extraction) followed by the fresh validation ones."""
    kept = [f for f in existing if not f.rule.startswith(VALIDATION_PREFIXES)]
    seen = {(f.rule, f.field, f.message) for f in kept}
    out = list(kept)
    for f in fresh:
        k = (f.rule, f.field, f.message)
        if k not in seen:
            seen.add(k)
            out.append(f)
    return out
