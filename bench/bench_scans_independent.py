"""Scan benchmark on two families: the project's own simulator, and scans made by the independent scan maker.

    .venv/bin/python bench/bench_scans_independent.py --n 4 --levels clean,moderate,heavy,photo
    .venv/bin/python bench/bench_scans_independent.py --n 2 --families independent --details d.jsonl

Families:
  own          haizhi's simulate_scan (the reader was tuned on it)
  independent  tests/independent/scanmaker.py applied to filled forms: the independent family's HOLDOUT
               returns (tests/independent/family.py: sample-like, WPS-style, content controls, .doc; a
               layout family per seed) as text PDFs, else haizhi's own pre-filled form PDFs; seals and
               signatures placed in every way people place them
Per level: fields exact, choices (per option), marks, long-text character accuracy (text fields of 40
characters or more), silent errors (wrong fields that no finding names), needless flags (correct
fields that a finding names, share of correct fields), silent marks (seals and signatures read wrong that no
finding names), needless mark flags (marks read right that a finding names, share of those), CPU seconds per
page. A crash counts every field wrong.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_ocr import _cpu, same, ticks  # noqa: E402

from haizhi.pipeline.core.fields import BASE, COOP, form_spec  # noqa: E402

LEVELS = ("clean", "moderate", "heavy", "photo")


def _squash(v: Any) -> str:
    return "".join(str(v or "").split())


def _sources(family: str, form_id: str, seed: int, work: Path) -> tuple[Any, Path, dict[str, str]]:
    """(truth record, filled form PDF, names for seals) for one job."""
    if family == "independent":
        try:  # the readers' independent family (HOLDOUT seeds only), one layout family per seed
            from tests.independent import family as fam

            tune = os.environ.get("HAIZHI_BENCH_SPLIT") == "tune"  # --tune: TUNE seeds (< HOLDOUT_SEED)
            fseed = seed % fam.HOLDOUT_SEED if tune else fam.HOLDOUT_SEED + seed
            samples = fam.build_family(work / "fam", seed=fseed, n=1, forms=(form_id,),
                                       families=(fam.FAMILIES[seed % len(fam.FAMILIES)],))
            s = samples[0]
            if s.pdf is not None and s.split == ("tune" if tune else "holdout"):
                return s.truth, Path(s.pdf), _names(s.truth)
        except ImportError:
            pass
    from haizhi.pipeline.core.config import available_years, load_year
    from haizhi.pipeline.simulate.records import random_record
    from haizhi.pipeline.simulate.source import form_pdf

    rec = random_record(form_id, seed)
    pdf = work / f"{form_id}-{seed}.pdf"
    pdf.write_bytes(form_pdf(rec, load_year(max(available_years()))))
    return rec, pdf, _names(rec)


def _names(rec: Any) -> dict[str, str]:
    f = rec.fields
    return {"recommender": str(f.get("recommender") or "推荐单位"), "institution": str(f.get("name_cn") or "机构"),
            "applicant": str(f.get("applicant") or "申报单位"), "city": "市科学技术协会", "provincial": "省科学技术协会",
            "institution_signer": str(f.get("head_name") or "李明"), "head_signer": str(f.get("head_name") or "王伟")}


def _flagged(findings: list[Any]) -> set[str]:
    """Fields a finding names (by key)."""
    return {f.field for f in findings if getattr(f, "field", None)}


def run_job(family: str, form_id: str, level: str, seed: int, workdir: str) -> dict[str, Any]:
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    from haizhi.extractors.mapper import map_layout
    from haizhi.extractors.scan import confidence_findings, marks_for, read_scan

    work = Path(workdir) / f"{family}-{form_id}-{level}-{seed}"
    work.mkdir(parents=True, exist_ok=True)
    if family == "own":
        from haizhi.pipeline.core.config import available_years, load_year
        from haizhi.pipeline.simulate import simulate_scan
        from haizhi.pipeline.simulate.records import random_record

        rec = random_record(form_id, seed)
        sim = simulate_scan(rec, "heavy" if level == "photo" else level, work, load_year(max(available_years())),
                            fmt="jpeg" if level == "photo" else "pdf", seed=seed)
        scan, truth_marks = sim.pages, sim.marks
    else:
        from tests.independent.scanmaker import make_scan

        rec, pdf, names = _sources(family, form_id, seed, work)
        t = make_scan(pdf, form_id, work, level="heavy" if level == "photo" else level, seed=seed,
                      photo=level == "photo", names=names)
        scan, truth_marks = [t.path], t.marks
    spec = form_spec(form_id)
    t0, c0 = time.perf_counter(), _cpu()
    err = None
    try:
        from haizhi.extractors.layout import Layout

        layouts, findings = [], []
        for p in scan:
            lay, fnd = read_scan(p)
            layouts.append(lay)
            findings += fnd
        pages_all = [pg for lay in layouts for pg in lay.pages]
        for i, pg in enumerate(pages_all, 1):  # one JPEG per page: number them as one return
            pg.number = i
        layout = Layout(pages=pages_all, file=str(scan[0]))
        got = map_layout(layout, form_id)
        got.marks = marks_for(layout, form_id)
        got.findings.extend(confidence_findings(got))
        findings += got.findings
        fields, marks, pages = got.fields, got.marks, len(layout.pages)
    except Exception as e:  # noqa: BLE001 - a crash counts as every field wrong
        fields, marks, pages, findings, err = {}, {}, 1, [], f"{type(e).__name__}: {e}"
    secs, cpu = time.perf_counter() - t0, _cpu() - c0
    flagged = _flagged(findings)
    r: dict[str, Any] = {"family": family, "form": form_id, "level": level, "seed": seed, "fields": 0, "ok": 0,
                         "boxes": 0, "boxes_ok": 0, "marks": 0, "marks_ok": 0, "long": 0, "long_chars": 0.0,
                         "silent": 0, "needless": 0, "pages": pages, "seconds": secs, "cpu": cpu, "error": err,
                         "wrong": [], "needless_keys": [], "needless_marks": [],
                         "mark_why": dict(getattr(marks, "why", {})),
                         "finding_rules": sorted({f"{x.rule}:{x.field}" for x in findings if getattr(x, "field", None)}),
                         "confidence": {} if err else {k: p.get("confidence") for k, p in got.provenance.items()
                                                       if isinstance(p, dict) and p.get("method") == "ocr"}}
    for f in spec.fields:
        truth, val = rec.fields.get(f.key), fields.get(f.key)
        r["fields"] += 1
        ok = same(f, truth, val)
        r["ok"] += ok
        if not ok:
            r["wrong"].append([f.key, truth, val, f.key in flagged])
            r["silent"] += f.key not in flagged
        elif f.key in flagged:
            r["needless"] += 1
            r["needless_keys"].append(f.key)
        if f.type in ("choice", "choices", "bool"):
            t, g = ticks(f, truth), ticks(f, val)
            r["boxes"] += len(t)
            r["boxes_ok"] += sum(t[o] == g[o] for o in t)
        if f.type == "text" and len(_squash(truth)) >= 40:
            r["long"] += 1
            r["long_chars"] += difflib.SequenceMatcher(None, _squash(truth), _squash(val), autojunk=False).ratio()
    for k, v in truth_marks.items():
        r["marks"] += 1
        r["marks_ok"] += marks.get(k) is v
        named = any(k in getattr(x, "message", "") for x in findings)
        if marks.get(k) is not v:
            r["wrong"].append([f"mark:{k}", v, marks.get(k), named])
        elif named:
            r["needless_marks"].append(k)
    return r


def _pct(a: float, b: float) -> str:
    return f"{100 * a / b:.1f} %" if b else "—"


def table(results: list[dict[str, Any]]) -> str:
    rows = ["| family | level | forms | fields exact | choices | marks | long text chars | silent errors "
            "| needless flags | silent marks | needless mark flags | CPU s/page | crashes |", "|" + " --- |" * 13]
    for fam in ("own", "independent"):
        for lv in LEVELS:
            rs = [r for r in results if r["family"] == fam and r["level"] == lv]
            if not rs:
                continue
            t = {k: sum(r[k] for r in rs) for k in ("fields", "ok", "boxes", "boxes_ok", "marks", "marks_ok", "long",
                                                     "long_chars", "silent", "needless", "pages", "cpu")}
            silent_m = sum(1 for r in rs for w in r["wrong"] if w[0].startswith("mark:") and not w[3])
            needless_m = sum(len(r.get("needless_marks", [])) for r in rs)
            rows.append(f"| {fam} | {lv} | {len(rs)} | {_pct(t['ok'], t['fields'])} | {_pct(t['boxes_ok'], t['boxes'])} "
                        f"| {_pct(t['marks_ok'], t['marks'])} | {_pct(t['long_chars'], t['long'])} "
                        f"| {t['silent']} of {t['fields'] - t['ok']} wrong | {_pct(t['needless'], t['ok'])} "
                        f"| {silent_m} of {t['marks'] - t['marks_ok']} wrong | {_pct(needless_m, t['marks_ok'])} "
                        f"| {t['cpu'] / max(1, t['pages']):.2f} | {sum(1 for r in rs if r['error'])} |")
    return "\n".join(rows)


def machine_ms() -> float:
    """This machine's speed: ms of CPU for one run of the recognition model on a 48×320 line (median of 15, one
    thread). The VM's speed varies between days by half or more; CPU s/page are comparable only at equal ms."""
    import numpy as np
    import onnxruntime as ort
    import rapidocr

    so = ort.SessionOptions()
    so.intra_op_num_threads = so.inter_op_num_threads = 1
    model = Path(rapidocr.__file__).resolve().parent / "models" / "PP-OCRv6_rec_small.onnx"
    sess = ort.InferenceSession(str(model), so, providers=["CPUExecutionProvider"])
    x = {sess.get_inputs()[0].name: np.random.default_rng(0).random((1, 3, 48, 320), dtype=np.float32)}
    sess.run(None, x)
    times = []
    for _ in range(15):
        c = time.process_time()
        sess.run(None, x)
        times.append(time.process_time() - c)
    return 1000 * sorted(times)[len(times) // 2]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=4, help="forms per family, level and form (default 4)")
    ap.add_argument("--levels", default=",".join(LEVELS))
    ap.add_argument("--forms", default=f"{COOP},{BASE}")
    ap.add_argument("--families", default="own,independent")
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--seed", type=int, default=5000)
    ap.add_argument("--details", type=Path, default=None, help="per-form results as JSON Lines")
    ap.add_argument("--tune", action="store_true", help="independent family: TUNE returns (seed mod 1000) "
                    "instead of HOLDOUT ones")
    a = ap.parse_args(argv)
    if a.tune:
        os.environ["HAIZHI_BENCH_SPLIT"] = "tune"
    jobs = [(fam, f, lv, a.seed + i) for fam in a.families.split(",") for lv in a.levels.split(",")
            for f in a.forms.split(",") for i in range(a.n)]
    results = []
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="haizhi-indep-") as tmp, \
            ProcessPoolExecutor(max_workers=max(1, a.workers)) as pool:
        futs = [pool.submit(run_job, *j, tmp) for j in jobs]
        for k, fut in enumerate(as_completed(futs), 1):
            results.append(fut.result())
            print(f"\r{k}/{len(jobs)} forms", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    if a.details:
        with a.details.open("w", encoding="utf-8") as fh:
            for r in results:
                fh.write(json.dumps(r, ensure_ascii=False, default=str) + "\n")
    print(f"\n{len(jobs)} scans, {a.workers} worker(s), {time.perf_counter() - t0:.0f} s wall\n")
    print(table(results))
    print(f"\nmachine: one recognition run (48×320) {machine_ms():.1f} ms CPU")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
