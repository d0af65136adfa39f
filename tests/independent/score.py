"""Compare a read record with the truth: wrong fields, and whether a finding names each."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from haizhi.pipeline.core.fields import form_spec
from haizhi.pipeline.core.record import Record


def same(a: Any, b: Any) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return re.sub(r"\s+", "", a) == re.sub(r"\s+", "", b)
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool) \
            and not isinstance(b, bool):
        return abs(a - b) < 1e-9
    return a == b


def char_accuracy(truth: str, got: str | None) -> float:
    """1 − edit distance / len(truth), whitespace ignored."""
    import rapidfuzz.distance.Levenshtein as lev

    a = re.sub(r"\s+", "", truth)
    b = re.sub(r"\s+", "", got or "")
    return max(0.0, 1 - lev.distance(a, b) / max(1, len(a)))


@dataclass
class Score:
    fields: int = 0
    exact: int = 0
    choices: int = 0
    choices_ok: int = 0
    silent: list[str] = field(default_factory=list)  # wrong, and no finding names it
    flagged_ok: list[str] = field(default_factory=list)  # right, yet a finding names it
    wrong: list[str] = field(default_factory=list)
    long_acc: list[float] = field(default_factory=list)


def score(truth: Record, got: Record | None, into: Score | None = None) -> Score:
    s = into or Score()
    spec = form_spec(truth.form)
    named = {f.field for f in got.findings} if got else set()
    for f in spec.fields:
        want = truth.fields.get(f.key)
        have = got.fields.get(f.key) if got else None
        ok = got is not None and f.key in got.fields and same(want, have)
        s.fields += 1
        s.exact += ok
        if f.type in ("choice", "choices", "bool"):
            s.choices += 1
            s.choices_ok += ok
        if f.type == "text" and isinstance(want, str) and len(want) >= 40:
            s.long_acc.append(char_accuracy(want, have if isinstance(have, str) else None))
        if not ok:
            s.wrong.append(f"{f.key}: want {want!r:.60} got {have!r:.60}")
            if f.key not in named:
                s.silent.append(f.key)
        elif f.key in named:
            s.flagged_ok.append(f.key)
    return s
