"""OCR benchmark: simulated scans per level and form → fields, checkboxes, marks, seconds per page.

    .venv/bin/python bench/bench_ocr.py --n 30            # 30 forms per level and form (the issue's size)
    .venv/bin/python bench/bench_ocr.py --n 3 --levels clean --engines rapidocr

Engines: rapidocr, tesseract (the scan reader with each engine) and naive (whole-page
Tesseract, then regular expressions after the labels). A third of the scans
come with shuffled pages and one foreign page (letter, photo or blank). Jobs run in a process
pool over every core; each worker loads its OCR engine once. Prints a Markdown
table; --details writes every mismatch as JSON Lines.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from jobs import run_jobs, write_details  # noqa: E402

from haizhi.pipeline.core.fields import BASE, COOP, FieldSpec, form_spec  # noqa: E402

ENGINES = ("rapidocr", "tesseract", "naive")
LEVELS = ("clean", "moderate", "heavy")


def _squash(v: Any) -> str:
    return re.sub(r"\s+", "", str(v))


def same(f: FieldSpec, truth: Any, got: Any) -> bool:
    if truth in (None, "", []):
        return got in (None, "", [])
    if got is None:
        return False
    if f.type in ("number", "int"):
        try:
            return abs(float(truth) - float(got)) < 1e-6
        except (TypeError, ValueError):
            return False
    if f.type == "text":
        return _squash(truth) == _squash(got)
    if f.type == "choices":
        return list(truth) == list(got)
    return truth == got


def ticks(f: FieldSpec, value: Any) -> dict[str, bool]:
    opts = ("是", "否") if f.type == "bool" else f.options
    if f.type == "bool":
        chosen = set() if value is None else {"是" if value else "否"}
    elif f.type == "choice":
        chosen = {value} if value else set()
    else:
        chosen = set(value or [])
    return {o: o in chosen for o in opts}


def naive_read(path: Path, form_id: str) -> tuple[dict[str, Any], dict[str, bool | None], int]:
    """Whole-page Tesseract, then the text after each label up to the next blank."""
    import pytesseract

    from haizhi.extractors.normalize import normalize
    from haizhi.extractors.scan.engines import tidy
    from haizhi.extractors.scan.raster import read_pages

    pages = read_pages(path)
    text = ""
    for p in pages:
        if p.image is not None:
            text += tidy(pytesseract.image_to_string(p.image[:, :, ::-1], lang="chi_sim+eng", config="--psm 3")) + "\n"
    spec = form_spec(form_id)
    fields: dict[str, Any] = {}
    flat = text.replace(" ", "")
    for f in spec.fields:
        if f.type in ("choice", "choices", "bool"):
            picked = [o for o in (("是", "否") if f.type == "bool" else f.options)
                      if re.search(r"[☑■√✓✔☒▣]" + re.escape(o), flat)]
            fields[f.key] = (picked if f.type == "choices" else (picked[0] if picked else None)) \
                if f.type != "bool" else (None if not picked else picked[0] == "是")
            continue
        m = re.search(re.escape(f.label) + r"[:：]?\s*([^\n]+)", text.replace(" ", ""))
        raw = m.group(1).strip() if m else None
        try:
            fields[f.key] = normalize(f.type, raw) if raw else None
        except (ValueError, TypeError):
            fields[f.key] = None
    return fields, dict.fromkeys(spec.mark_keys), len(pages)


def scan_read(path: Path, form_id: str, engine: str) -> tuple[dict[str, Any], dict[str, bool | None], int]:
    from haizhi.extractors.mapper import map_layout
    from haizhi.extractors.scan import marks_for, read_scan

    layout, _ = read_scan(path, engine=engine)
    rec = map_layout(layout, form_id)
    return rec.fields, marks_for(layout, form_id), len(layout.pages)


def _cpu() -> float:
    """CPU seconds of this process and its finished children (tesseract runs as a child)."""
    import resource

    ch = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + ch.ru_utime + ch.ru_stime


def run_job(form_id: str, level: str, seed: int, engines: list[str], workdir: str) -> dict[str, Any]:
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    from haizhi.pipeline.core.config import available_years, load_year
    from haizhi.pipeline.simulate import simulate_scan
    from haizhi.pipeline.simulate.records import random_record

    cfg = load_year(max(available_years()))
    rec = random_record(form_id, seed)
    mixed = seed % 3 == 0  # a third of the scans: pages shuffled, one foreign page among them
    sim = simulate_scan(rec, level, Path(workdir), cfg, fmt="pdf", seed=seed, stem=f"{form_id}-{level}-{seed}",
                        shuffle=mixed, extra_pages=int(mixed))
    spec = form_spec(form_id)
    out: dict[str, Any] = {"form": form_id, "level": level, "seed": seed, "engines": {}}
    for eng in engines:
        t0, c0 = time.perf_counter(), _cpu()
        try:
            if eng == "naive":
                fields, marks, pages = naive_read(sim.pages[0], form_id)
            else:
                fields, marks, pages = scan_read(sim.pages[0], form_id, eng)
            err = None
        except Exception as e:  # a crash counts as every field wrong
            fields, marks, pages, err = {}, {}, 1, f"{type(e).__name__}: {e}"
        secs, cpu = time.perf_counter() - t0, _cpu() - c0
        r = {"fields": 0, "fields_ok": 0, "boxes": 0, "boxes_ok": 0, "marks": 0, "marks_ok": 0,
             "pages": pages, "seconds": secs, "cpu": cpu, "wrong": [], "error": err}
        for f in spec.fields:
            truth, got = rec.fields.get(f.key), fields.get(f.key)
            r["fields"] += 1
            if same(f, truth, got):
                r["fields_ok"] += 1
            else:
                r["wrong"].append([f.key, truth, got])
            if f.type in ("choice", "choices", "bool"):
                t, g = ticks(f, truth), ticks(f, got)
                r["boxes"] += len(t)
                r["boxes_ok"] += sum(t[o] == g[o] for o in t)
        for k, v in sim.marks.items():
            r["marks"] += 1
            r["marks_ok"] += marks.get(k) is v
            if marks.get(k) is not v:
                r["wrong"].append([f"mark:{k}", v, marks.get(k)])
        out["engines"][eng] = r
    for p in sim.pages:
        p.unlink(missing_ok=True)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=30, help="forms per level and per form (default 30)")
    ap.add_argument("--levels", default=",".join(LEVELS))
    ap.add_argument("--forms", default=f"{COOP},{BASE}")
    ap.add_argument("--engines", default=",".join(ENGINES))
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--seed", type=int, default=1000, help="first record seed")
    ap.add_argument("--details", type=Path, default=None, help="write per-form results (JSON Lines) here")
    a = ap.parse_args(argv)
    levels = [x for x in a.levels.split(",") if x]
    forms = [x for x in a.forms.split(",") if x]
    engines = [x for x in a.engines.split(",") if x]
    bad = [e for e in engines if e not in ENGINES]
    if bad:
        ap.error(f"unknown engine(s): {bad}")
    jobs = [(f, lv, a.seed + i) for lv in levels for f in forms for i in range(a.n)]
    with tempfile.TemporaryDirectory(prefix="haizhi-bench-") as tmp:
        results, wall = run_jobs(run_job, jobs, a.workers, engines, tmp)
    write_details(a.details, results)
    print(f"\n{len(jobs)} simulated forms ({a.n} per level and form), {a.workers} workers, {wall:.0f} s wall\n")
    print("| level | engine | fields exact | checkboxes | marks | s/page (wall) | CPU s/page | errors |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for lv in levels:
        for eng in engines:
            rs = [r["engines"][eng] for r in results if r["level"] == lv]
            tot = {k: sum(r[k] for r in rs) for k in ("fields", "fields_ok", "boxes", "boxes_ok", "marks",
                                                        "marks_ok", "pages", "seconds", "cpu")}
            errs = sum(1 for r in rs if r["error"])

            def pct(ok: str, n: str, tot: dict = tot) -> str:
                return f"{100 * tot[ok] / tot[n]:.1f} %" if tot[n] else "—"

            marks = "—" if eng == "naive" else pct("marks_ok", "marks")
            spp = tot["seconds"] / tot["pages"] if tot["pages"] else 0
            cpp = tot["cpu"] / tot["pages"] if tot["pages"] else 0
            print(f"| {lv} | {eng} | {pct('fields_ok', 'fields')} | {pct('boxes_ok', 'boxes')} | {marks} "
                  f"| {spp:.2f} | {cpp:.2f} | {errs} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
