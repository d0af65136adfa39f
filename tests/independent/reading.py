"""Test helpers: build one return of the family, print it to PDF, read it back."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from haizhi.extractors import extract_file
from haizhi.pipeline.core.record import Record

from .family import make_docx


def build(tmp: Path, form: str, family: str, seed: int, *, pdf: bool = True, doc: bool = False,
          truth: dict[str, Any] | None = None, **options: Any) -> tuple[Record, dict[str, Path]]:
    """→ (truth record, {"docx": …, "pdf": …, "doc": …}) for one applicant-built return."""
    stem = f"{form}_{family}_{seed}"
    dx = tmp / f"{stem}.docx"
    rec, _ = make_docx(form, family, seed, dx, truth=truth, **options)
    paths = {"docx": dx}
    if pdf or doc:
        from haizhi.pipeline.office.convert import shared_converter

        conv = shared_converter()
        if doc:
            paths["doc"] = conv.convert(dx, tmp / f"{stem}.doc")
        if pdf:
            paths["pdf"] = conv.convert(paths.get("doc", dx), tmp / f"{stem}.pdf")
    return rec, paths


def read(path: Path) -> Record:
    res = extract_file(path)
    assert res.readable and len(res.records) == 1, [f.message for f in res.findings]
    return res.records[0]


def squash(v: Any) -> Any:
    """Text compared as the contract says: whitespace ignored."""
    return re.sub(r"\s+", "", v) if isinstance(v, str) else v


def wrong_fields(truth: Record, got: Record, keys: list[str] | None = None) -> dict[str, tuple[Any, Any]]:
    keys = keys or list(truth.fields)
    return {k: (truth.fields.get(k), got.fields.get(k)) for k in keys
            if squash(truth.fields.get(k)) != squash(got.fields.get(k))}
