"""Time one full year package (both programmes, DOCX + PDF) and print a Markdown table row.

    .venv/bin/python bench/bench_generate.py [--year 2026] [--runs 3]

The first run includes starting LibreOffice (the shared converter); the warm
figure is the median of the following runs.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from haizhi.pipeline.core.config import load_year  # noqa: E402
from haizhi.pipeline.generate.package import generate_package  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--year", type=int, default=2026)
    ap.add_argument("--runs", type=int, default=3, help="total runs (first one cold)")
    args = ap.parse_args()
    cfg = load_year(args.year)
    times: list[float] = []
    docx_only: list[float] = []
    n_files = size = 0
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(max(args.runs, 2)):
            t0 = time.perf_counter()
            pkg = generate_package(cfg, Path(tmp) / f"r{i}", ("coop", "base"), province="广东", progress=False)
            times.append(time.perf_counter() - t0)
            n_files, size = len(pkg.files), sum(f.bytes for f in pkg.files)
            t0 = time.perf_counter()
            generate_package(cfg, Path(tmp) / f"d{i}", ("coop", "base"), province="广东", pdf=False, progress=False)
            docx_only.append(time.perf_counter() - t0)
    warm = statistics.median(times[1:])
    print("| year | files | size | cold (incl. LibreOffice start) | warm DOCX+PDF (median) | DOCX only |")
    print("|---|---|---|---|---|---|")
    print(f"| {args.year} | {n_files} | {size / 1024:.0f} KB | {times[0]:.1f} s | {warm:.1f} s "
          f"| {statistics.median(docx_only):.2f} s |")


if __name__ == "__main__":
    main()
