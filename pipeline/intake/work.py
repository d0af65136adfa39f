"""What a worker does with one stored file: extract, then classify.

Runs in a pool process (pipeline.intake.pool); the file is read by that process's
WarmReader (extractors.warm), whose guarded child keeps the OCR models loaded. The stored original is copied
to a private temp directory under a neutral name with its suffix (readers go
by suffix); the store itself is never handed to a reader.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from haizhi.pipeline.intake.classify import classify, sniff_text

SAFE_SUFFIX = 16


def _suffix(s: str) -> str:
    s = s.lower()
    ok = len(s) <= SAFE_SUFFIX and s.startswith(".") and s[1:].isascii() and s[1:].isalnum()
    return s if ok else ""


def extract_task(task: dict[str, Any]) -> dict[str, Any]:
    """task: {"store_path", "sha256", "name", "suffix", "timeout", "ocr_engine"} → result dict.

    The result is ExtractResult.to_dict() plus "class" (see classify.classify).
    """
    from haizhi.extractors import extract_file
    from haizhi.extractors.warm import shared_reader

    with tempfile.TemporaryDirectory(prefix="haizhi-intake-") as tmp:
        local = Path(tmp) / f"{task['sha256'][:16]}{_suffix(task.get('suffix', ''))}"
        shutil.copyfile(task["store_path"], local)
        res = extract_file(local, ocr_engine=task.get("ocr_engine"), timeout=task.get("timeout"),
                           reader=shared_reader())  # this worker's long-lived reader: OCR models stay loaded
        out = _renamed(res.to_dict(), local.name, task.get("name") or local.name)
        # a refused file is not parsed again here: only a readable one without a form is sniffed
        text = "" if out.get("records") or not out.get("readable", True) else sniff_text(local, local.suffix)
    out["class"] = classify(task.get("name", ""), out, text)
    return out


def _renamed(out: dict[str, Any], tmp_name: str, name: str) -> dict[str, Any]:
    """Messages name the applicant's file, not the worker's temp copy."""
    out["file"] = name
    for f in out.get("findings") or []:
        f["message"] = str(f.get("message", "")).replace(tmp_name, name)
    for r in out.get("records") or []:
        for f in r.get("findings") or []:
            f["message"] = str(f.get("message", "")).replace(tmp_name, name)
        (r.get("source") or {}).pop("file", None)
    return out
