"""CPU seconds per scanned page: a child per file (extract_file, cold) vs one WarmReader (warm).

    .venv/bin/python bench/bench_warm.py --n 6

Simulated scans (clean, PDF, cooperation and base forms alternating) are written
by a separate process first, so the measuring process is as a pool worker is:
single-threaded, no OCR loaded. CPU = this process and all its children
(RUSAGE_SELF + RUSAGE_CHILDREN), start-up of the warm child included.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _make(out: Path, n: int) -> None:
    from haizhi.pipeline.core.config import load_year
    from haizhi.pipeline.core.record import load_record
    from haizhi.pipeline.simulate import simulate_scan

    cfg = load_year(2023)
    recs = [load_record(ROOT / "fixtures" / "records" / f"{k}_example.json") for k in ("coop", "base")]
    for i in range(n):
        sim = simulate_scan(recs[i % 2], "clean", out / f"s{i}", cfg, fmt="pdf", seed=100 + i)
        sim.pages[0].rename(out / f"scan{i}.pdf")


def _cpu() -> float:
    a = resource.getrusage(resource.RUSAGE_SELF)
    b = resource.getrusage(resource.RUSAGE_CHILDREN)
    return a.ru_utime + a.ru_stime + b.ru_utime + b.ru_stime


def _pages(p: Path) -> int:
    import pypdfium2 as pdfium

    return len(pdfium.PdfDocument(str(p)))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=6)
    ap.add_argument("--make", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.make:
        _make(Path(a.make), a.n)
        return
    with tempfile.TemporaryDirectory(prefix="haizhi-warm-") as td:
        subprocess.run([sys.executable, __file__, "--n", str(a.n), "--make", td], check=True)
        files = sorted(Path(td).glob("scan*.pdf"))
        pages = sum(_pages(p) for p in files)
        from haizhi.extractors import extract_file
        from haizhi.extractors.warm import WarmReader

        rows = []
        c0, t0 = _cpu(), time.monotonic()
        cold = [extract_file(p) for p in files]
        rows.append(("冷启动（每个文件一个子进程，今天的做法）", _cpu() - c0, time.monotonic() - t0))
        c0, t0 = _cpu(), time.monotonic()
        with WarmReader() as r:
            warm = [extract_file(p, reader=r) for p in files]
        rows.append(("常驻（WarmReader，模型只加载一次）", _cpu() - c0, time.monotonic() - t0))
        same = sum(x.to_dict()["records"] == y.to_dict()["records"] for x, y in zip(cold, warm, strict=True))
        print(f"{len(files)} 份模拟扫描件，{pages} 页；两种读法结果相同：{same}/{len(files)}")
        print("| 读法 | CPU 秒 | CPU 秒/页 | 墙钟秒 |")
        print("|---|---|---|---|")
        for name, cpu, wall in rows:
            print(f"| {name} | {cpu:.1f} | {cpu / pages:.2f} | {wall:.1f} |")


if __name__ == "__main__":
    main()
