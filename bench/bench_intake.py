"""Intake throughput: applications per minute for a mixed inbox, with 1 and 2 workers.

The inbox is the demo's simulated batch (pipeline.intake.demo.build_returns):
12 applicants' pre-filled DOCX, stamped scans (clean / moderate / heavy),
licence images, support letter, plan and proof DOCX, a zipped folder, a flat
file, a foreign form, a damaged PDF and a hostile zip. It is built once; each
worker count then takes it into a fresh ledger.

Peak memory per worker is each worker's own ru_maxrss (reported with every
reply); "children" is the bench process's RUSAGE_CHILDREN ru_maxrss after the
run (the largest descendant, LibreOffice included).

    .venv/bin/python bench/bench_intake.py [--workers 1,2] [--scans 3] [--exports]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def build(inbox: Path, scans: int) -> int:
    from haizhi.pipeline.core.config import load_year
    from haizhi.pipeline.intake.demo_batch import build_returns

    build_returns(inbox, load_year(2026), scans=scans, progress=False)
    return sum(1 for p in inbox.rglob("*") if p.is_file())


def run(inbox: Path, out: Path, workers: int, exports: bool) -> dict[str, float]:
    from haizhi.pipeline.intake.run import Options, run_intake

    t0 = time.monotonic()
    s = run_intake(Options(inbox=inbox, out=out, workers=workers, year=2026, exports=exports, pdf=False,
                           progress=False))
    secs = time.monotonic() - t0
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"workers": workers, "files": s.entries, "processed": s.processed, "apps": s.applications_year,
            "secs": secs, "apps_min": s.applications_year / secs * 60, "files_min": s.processed / secs * 60,
            "worker_mb": max(s.peak_rss_kb or [0]) / 1024,
            "workers_mb": "/".join(f"{k / 1024:.0f}" for k in s.peak_rss_kb if k), "children_mb": children}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--scans", type=int, default=3)
    ap.add_argument("--exports", action="store_true", help="include writing the reviewer exports (no PDF)")
    ap.add_argument("--keep", action="store_true")
    a = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="haizhi-bench-intake-"))
    try:
        t0 = time.monotonic()
        n = build(tmp / "inbox", a.scans)
        print(f"inbox: {n} files built in {time.monotonic() - t0:.0f} s ({tmp / 'inbox'})", file=sys.stderr)
        rows = [run(tmp / "inbox", tmp / f"out-{w}", int(w), a.exports) for w in a.workers.split(",")]
    finally:
        if not a.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    print("| workers | files in inbox | files extracted | applications | seconds | applications/min "
          "| files/min | peak RSS per worker (MB) | largest child so far, ru_maxrss (MB) |")
    print("|---:|---:|---:|---:|---:|---:|---:|---|---:|")
    for r in rows:
        print(f"| {r['workers']} | {r['files']} | {r['processed']} | {r['apps']} | {r['secs']:.1f} "
              f"| {r['apps_min']:.1f} | {r['files_min']:.1f} | {r['workers_mb']} | {r['children_mb']:.0f} |")


if __name__ == "__main__":
    main()
