"""Codes benchmark: scans of forms printed with codes, read through their codes vs by OCR alone.

    .venv/bin/python bench/bench_codes.py --n 2            # 2 forms per level and form
    .venv/bin/python bench/bench_codes.py --n 1 --levels heavy --forms coop_institution

Each record is issued (haizhi generate form: ledger row + a signed QR code on every page),
then scanned by the simulator with a red seal over every code (a third of the scans
shuffled). The same scan file is read twice: by the full reader (codes decoded, verified,
looked up; OCR still runs to check the printed text and read seals and signatures) and by
OCR alone (the scan reader and mapper, as for a form without codes). Prints a Markdown table
of fields exact and seconds per page; --details writes every wrong field as JSON Lines.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_ocr import same  # noqa: E402
from jobs import run_jobs, write_details  # noqa: E402

from haizhi.pipeline.core.fields import BASE, COOP, form_spec  # noqa: E402

LEVELS = ("clean", "moderate", "heavy")
WAYS = ("codes", "ocr")


def ocr_only(path: Path) -> tuple[dict[str, Any], list[str]]:
    """The reader without the codes step: layout by OCR, records by the mapper."""
    import hashlib

    from haizhi.extractors.extract import records_from_layout
    from haizhi.extractors.readers import ReadContext, read_layout

    ctx = ReadContext()
    data = path.read_bytes()
    layout = read_layout(path, data, ctx)
    layout.file = str(path)
    recs, more = records_from_layout(layout, str(path), hashlib.sha256(data).hexdigest())
    return (recs[0].fields if recs else {}), [f.rule for f in ctx.findings + more]


def with_codes(path: Path) -> tuple[dict[str, Any], list[str]]:
    from haizhi.extractors.extract import extract_unguarded

    res = extract_unguarded(path)
    rec = res.records[0] if res.records else None
    rules = [f.rule for f in res.findings] + ([f.rule for f in rec.findings] if rec else [])
    return (rec.fields if rec else {}), rules


def run_job(form_id: str, level: str, seed: int, workdir: str) -> dict[str, Any]:
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    from haizhi.pipeline.codes.issue import issue_form
    from haizhi.pipeline.codes.qr import code_boxes
    from haizhi.pipeline.core.config import available_years, load_year
    from haizhi.pipeline.simulate import simulate_scan
    from haizhi.pipeline.simulate.records import random_record

    cfg = load_year(max(available_years()))
    rec = random_record(form_id, seed)
    issued = issue_form(rec, cfg, os.environ["HAIZHI_DB"])
    sim = simulate_scan(rec, level, Path(workdir), cfg, fmt="pdf", seed=seed, stem=f"{form_id}-{level}-{seed}",
                        shuffle=seed % 3 == 0, pdf=issued.pdf, seals_at=code_boxes(issued.pdf))
    spec = form_spec(form_id)
    out: dict[str, Any] = {"form": form_id, "level": level, "seed": seed, "pages": len(sim.page_order), "ways": {}}
    for way in WAYS:
        t0 = time.perf_counter()
        fields, rules = (with_codes if way == "codes" else ocr_only)(sim.pages[0])
        secs = time.perf_counter() - t0
        wrong = [[f.key, rec.fields.get(f.key), fields.get(f.key)] for f in spec.fields
                 if not same(f, rec.fields.get(f.key), fields.get(f.key))]
        out["ways"][way] = {"fields": len(spec.fields), "fields_ok": len(spec.fields) - len(wrong),
                            "seconds": secs, "wrong": wrong, "altered_warnings": rules.count("codes.altered"),
                            "via_codes": way == "codes" and "codes.unknown_issue" not in rules
                            and "codes.unverified" not in rules and bool(fields)}
    sim.pages[0].unlink(missing_ok=True)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=2, help="forms per level and per form (default 2)")
    ap.add_argument("--levels", default=",".join(LEVELS))
    ap.add_argument("--forms", default=f"{COOP},{BASE}")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--seed", type=int, default=2000, help="first record seed")
    ap.add_argument("--details", type=Path, default=None, help="write per-form results (JSON Lines) here")
    a = ap.parse_args(argv)
    levels = [x for x in a.levels.split(",") if x]
    forms = [x for x in a.forms.split(",") if x]
    jobs = [(f, lv, a.seed + i) for lv in levels for f in forms for i in range(a.n)]
    with tempfile.TemporaryDirectory(prefix="haizhi-bench-codes-") as tmp:
        os.environ["HAIZHI_SECRET_FILE"] = str(Path(tmp) / "secret")
        os.environ["HAIZHI_DB"] = f"sqlite:///{Path(tmp) / 'ledger.db'}"
        from haizhi.pipeline.intake.db import open_db

        open_db(os.environ["HAIZHI_DB"])[0].dispose()  # schema made once, before the workers write
        results, wall = run_jobs(run_job, jobs, a.workers, tmp)
    write_details(a.details, results)
    print(f"\n{len(jobs)} issued forms scanned with seals over the codes ({a.n} per level and form), "
          f"{a.workers} workers, {wall:.0f} s wall\n")
    print("| level | read | fields exact | forms read via codes | false 'altered' warnings | s/page |")
    print("| --- | --- | --- | --- | --- | --- |")
    for lv in levels:
        for way in WAYS:
            rs = [(r, r["ways"][way]) for r in results if r["level"] == lv]
            n, ok = sum(w["fields"] for _, w in rs), sum(w["fields_ok"] for _, w in rs)
            pages, secs = sum(r["pages"] for r, _ in rs), sum(w["seconds"] for _, w in rs)
            via = f"{sum(w['via_codes'] for _, w in rs)}/{len(rs)}" if way == "codes" else "—"
            alt = str(sum(w["altered_warnings"] for _, w in rs)) if way == "codes" else "—"
            name = "codes + OCR check" if way == "codes" else "OCR alone"
            print(f"| {lv} | {name} | {100 * ok / n:.1f} % | {via} | {alt} | {secs / pages:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
