"""What the scan benchmarks share: forms read in a process pool with a progress count, details as JSON Lines."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any


def run_jobs(fn: Callable[..., dict[str, Any]], jobs: Sequence[tuple[Any, ...]], workers: int,
             *extra: Any) -> tuple[list[dict[str, Any]], float]:
    """fn(*job, *extra) for every job in `workers` processes; (results in finishing order, wall seconds)."""
    results: list[dict[str, Any]] = []
    t0 = time.perf_counter()
    with ProcessPoolExecutor(max_workers=max(1, workers)) as pool:
        futs = [pool.submit(fn, *job, *extra) for job in jobs]
        for k, fut in enumerate(as_completed(futs), 1):
            results.append(fut.result())
            print(f"\r{k}/{len(jobs)} forms", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    return results, time.perf_counter() - t0


def write_details(path: Path | None, results: list[dict[str, Any]]) -> None:
    if path:
        with path.open("w", encoding="utf-8") as fh:
            for r in results:
                fh.write(json.dumps(r, ensure_ascii=False, default=str) + "\n")
