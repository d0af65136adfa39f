"""A stand-in extraction task for ledger tests: the stored file is JSON.

{"records": [record dicts]} → those records; b"SLEEP…" sleeps; b"CRASH" kills the
worker; b"KILLWORKER" kills the process that started
the worker (a queue worker) and then itself; b"HOG" allocates past the memory cap; anything else is unreadable.
The real task (pipeline.intake.work:extract_task) is tested separately.
"""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path
from typing import Any

from haizhi.pipeline.intake.classify import classify


def task(t: dict[str, Any]) -> dict[str, Any]:
    data = Path(t["store_path"]).read_bytes()
    delay = float(os.environ.get("HAIZHI_FAKE_DELAY", "0"))
    if delay:
        time.sleep(delay)
    if data.startswith(b"SLEEP"):
        time.sleep(600)
    if data.startswith(b"KILLWORKER"):
        os.kill(os.getppid(), signal.SIGKILL)
        os.kill(os.getpid(), signal.SIGKILL)
    if data.startswith(b"CRASH"):
        os.kill(os.getpid(), signal.SIGSEGV)
    if data.startswith(b"HOG"):
        blob = bytearray(64 << 30)  # far past RLIMIT_AS
        return {"never": len(blob)}
    try:
        doc = json.loads(data)
        out = {"file": t["name"], "sha256": t["sha256"], "readable": True,
               "records": doc.get("records", []), "findings": doc.get("findings", [])}
    except (ValueError, AttributeError):
        out = {"file": t["name"], "sha256": t["sha256"], "readable": False, "records": [],
               "findings": [{"rule": "extract.unreadable", "severity": "error", "field": None,
                             "message": "文件已损坏，无法读取", "basis": None}]}
    out["class"] = classify(t["name"], out)
    return out
