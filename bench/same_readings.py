"""Did a change alter any reading? Read a fixed set of TUNE scans and dump everything the scan reader produced,
or compare two dumps (for changes meant to save CPU only).

    .venv/bin/python bench/same_readings.py dump before.json coop:moderate:11700 base:heavy:11701
    (change the code, or run another checkout with PYTHONPATH pointing at it)
    .venv/bin/python bench/same_readings.py dump after.json coop:moderate:11700 base:heavy:11701
    .venv/bin/python bench/same_readings.py diff before.json after.json

CASE = coop|base:LEVEL:SEED, LEVEL clean|moderate|heavy|photo (TUNE returns of the independent family). Scans are
made once and cached in /tmp/scans, so every checkout reads the same files. The diff lists every cell/line text or
confidence, field, mark and finding that differs, and CPU s/page (reading only; a warm-up case pays model loading).
"""
import dataclasses
import json
import os
import sys
import time
from pathlib import Path

os.environ["HAIZHI_BENCH_SPLIT"] = "tune"
os.environ.setdefault("OMP_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
CACHE = Path("/tmp/scans")


def _scan(form: str, level: str, seed: int) -> tuple[list[str], str]:
    import bench_scans_independent as b

    form_id = {"coop": b.COOP, "base": b.BASE}[form]
    d = CACHE / f"{form}-{level}-{seed}"
    man = d / "manifest.json"
    if not man.exists():
        from tests.independent.scanmaker import make_scan

        d.mkdir(parents=True, exist_ok=True)
        rec, pdf, names = b._sources("independent", form_id, seed, d)
        t = make_scan(pdf, form_id, d, level="heavy" if level == "photo" else level, seed=seed,
                      photo=level == "photo", names=names)
        man.write_text(json.dumps({"scan": [str(t.path)], "form": form_id}))
    m = json.loads(man.read_text())
    return m["scan"], m["form"]


def _read(form: str, level: str, seed: int) -> dict:
    from haizhi.extractors.layout import Layout
    from haizhi.extractors.mapper import map_layout
    from haizhi.extractors.scan import confidence_findings, marks_for, read_scan

    scan, form_id = _scan(form, level, seed)
    c0 = time.process_time()
    layouts, findings = [], []
    for p in scan:
        lay, fnd = read_scan(Path(p))
        layouts.append(lay)
        findings += fnd
    pages = [pg for lay in layouts for pg in lay.pages]
    for i, pg in enumerate(pages, 1):
        pg.number = i
    layout = Layout(pages=pages, file=scan[0])
    got = map_layout(layout, form_id)
    got.marks = marks_for(layout, form_id)
    got.findings.extend(confidence_findings(got))
    findings += got.findings
    cpu = time.process_time() - c0
    texts = []
    for pg in pages:
        for t in pg.tables:
            texts += [f"p{pg.number} cell {c.row},{c.col}: {c.text!r} {c.confidence:.3f}" for c in t.cells]
        texts += [f"p{pg.number} line: {ln.text!r} {ln.confidence:.3f}" for ln in pg.lines]
        texts += [f"p{pg.number} mark: {m.kind} {m.checked} {m.label!r} {m.confidence:.3f}"
                  for m in pg.marks]
    return {"cpu": cpu, "pages": len(pages), "texts": texts,
            "fields": {k: str(v) for k, v in got.fields.items()},
            "marks": json.loads(json.dumps(got.marks, default=lambda o: dataclasses.asdict(o)
                                           if dataclasses.is_dataclass(o) else str(o))),
            "findings": sorted(f"{getattr(f, 'code', '')}:{getattr(f, 'field', '')}" for f in findings)}


def dump(out: str, cases: list[str]) -> None:
    _read(*_split(cases[0]))  # warm-up: model loading is not a page's cost
    res = {}
    for c in cases:
        res[c] = _read(*_split(c))
        print(c, res[c]["pages"], f"{res[c]['cpu']:.2f}", flush=True)
    Path(out).write_text(json.dumps(res, ensure_ascii=False, indent=1))
    cpu, pages = sum(r["cpu"] for r in res.values()), sum(r["pages"] for r in res.values())
    print(f"CPU/page {cpu / pages:.2f} over {pages} pages")


def _split(c: str) -> tuple[str, str, int]:
    f, lvl, s = c.split(":")
    return f, lvl, int(s)


def diff(a: str, b: str) -> None:
    A, B = json.loads(Path(a).read_text()), json.loads(Path(b).read_text())
    n = 0
    for c in A:
        if c not in B:
            continue
        ra, rb = A[c], B[c]
        for key in ("fields", "marks", "findings"):
            if ra[key] != rb[key]:
                n += 1
                if key == "fields":
                    for k in sorted(set(ra[key]) | set(rb[key])):
                        if ra[key].get(k) != rb[key].get(k):
                            print(f"{c} FIELD {k}: {ra[key].get(k)!r} -> {rb[key].get(k)!r}")
                elif key == "findings":
                    print(f"{c} FINDINGS -{sorted(set(ra[key]) - set(rb[key]))} +{sorted(set(rb[key]) - set(ra[key]))}")
                else:
                    print(f"{c} MARKS {ra[key]} -> {rb[key]}")
        ta, tb = set(ra["texts"]), set(rb["texts"])
        if ta != tb:
            print(f"{c} LAYOUT {len(ta - tb)} lines differ:")
            for t in sorted(ta - tb)[:6]:
                print("   -", t)
            for t in sorted(tb - ta)[:6]:
                print("   +", t)
    common = [c for c in A if c in B]
    ca, cb = (sum(X[c]["cpu"] for c in common) for X in (A, B))
    pages = sum(A[c]["pages"] for c in common)
    print(f"{len(common)} cases, {n} with a field/mark/finding difference; CPU/page {ca / pages:.2f} -> "
          f"{cb / pages:.2f} ({100 * (cb - ca) / ca:+.1f} %)")


if __name__ == "__main__":
    if sys.argv[1] == "dump":
        dump(sys.argv[2], sys.argv[3:])
    else:
        diff(sys.argv[2], sys.argv[3])
