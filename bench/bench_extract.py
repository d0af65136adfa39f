"""Extraction throughput: DOCX forms per second, text-PDF pages per second, peak memory.

    .venv/bin/python bench/bench_extract.py [--rounds 20]

Prints a Markdown table. The PDFs are made once through LibreOffice (not timed).
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from haizhi.extractors.extract import extract_unguarded as extract_file  # noqa: E402  (the readers in-process)
from haizhi.extractors.guard import extract_file as extract_file_guarded  # noqa: E402
from haizhi.pipeline.core.config import load_year  # noqa: E402
from haizhi.pipeline.core.record import load_record  # noqa: E402
from haizhi.pipeline.generate.forms import render_form  # noqa: E402

RECORDS = {"coop_institution": "coop_example.json", "base_application": "base_example.json"}


def spec_text(form_id: str, key: str) -> bool:
    from haizhi.pipeline.core.fields import form_spec

    return form_spec(form_id).field(key).type == "text"


def _measure(files: list[Path], rounds: int, guarded: bool = False, trace: bool = True) -> tuple[float, int, float]:
    """→ (seconds, records read, tracemalloc peak MB; tracing slows the run, so time untraced runs)."""
    if trace:
        tracemalloc.start()
    n = 0
    t0 = time.perf_counter()
    for _ in range(rounds):
        for f in files:
            res = extract_file_guarded(f, timeout=120) if guarded else extract_file(f)
            assert res.readable and res.records, [x.message for x in res.findings]
            n += len(res.records)
    dt = time.perf_counter() - t0
    peak = 0.0
    if trace:
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    return dt, n, peak


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=20)
    args = ap.parse_args()
    cfg = load_year(2023)
    rows = []
    with tempfile.TemporaryDirectory() as td:
        tdp = Path(td)
        docs = []
        for i in range(args.rounds):  # distinct values per file, as in a real batch
            for form_id, name in RECORDS.items():
                rec = load_record(ROOT / "fixtures" / "records" / name)
                rec.fields = {k: (v + f"（{i}）" if isinstance(v, str) and spec_text(form_id, k) else v)
                              for k, v in rec.fields.items()}
                p = tdp / f"{form_id}-{i}.docx"
                p.write_bytes(render_form(rec, form_id, cfg))
                docs.append(p)
        extract_file(docs[0])  # warm imports
        dt, n, _ = _measure(docs, 1, trace=False)
        _, _, peak = _measure(docs[:4], 1)
        rows.append(("DOCX（预填表，进程内）", f"{n / dt:.1f} 份表/秒", f"{dt / n * 1000:.0f} ms/份", f"{peak:.1f}"))
        dt, n, _ = _measure(docs[:8], 1, guarded=True, trace=False)
        rows.append(("DOCX（受限子进程，每份一个子进程）", f"{n / dt:.1f} 份表/秒", f"{dt / n * 1000:.0f} ms/份", "—"))
        docs = docs[:2]

        from haizhi.pipeline.office.convert import Converter

        with Converter(timeout=120) as conv:
            pdfs = [conv.convert(d, d.with_suffix(".pdf")) for d in docs]
        import pdfplumber

        pages = 0
        for p in pdfs:
            with pdfplumber.open(str(p)) as pdf:
                pages += len(pdf.pages)
        rounds = max(1, args.rounds // 2)
        dt, n, _ = _measure(pdfs, rounds, trace=False)
        _, _, peak = _measure(pdfs, 1)
        rows.append(("文字层 PDF（进程内）", f"{pages * rounds / dt:.1f} 页/秒",
                     f"{dt / (pages * rounds) * 1000:.0f} ms/页", f"{peak:.1f}"))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("| 输入 | 吞吐 | 单位耗时 | tracemalloc 峰值 (MB) |")
    print("| --- | --- | --- | --- |")
    for r in rows:
        print("| " + " | ".join(r) + " |")
    print(f"\n进程峰值常驻内存（ru_maxrss）：{rss:.0f} MB；文字层 PDF 共 {pages} 页（两份表）。")


if __name__ == "__main__":
    main()
