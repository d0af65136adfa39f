"""Readers' accuracy on haizhi's own forms and on the independent family (HOLDOUT), per input kind.

    .venv/bin/python bench/bench_readers.py [--own 8] [--independent 24] [--seed 1000]

haizhi's own forms: records of pipeline/simulate rendered by generate.forms.render_form.
The independent family: tests/independent (its own values and layouts, HOLDOUT seeds only).
Each DOCX is also saved as .doc and printed to a text PDF by LibreOffice (not timed).
Per kind: fields exact, choices right, long-text (≥ 40 characters) character accuracy,
silent errors (wrong fields no finding names), needless flags (right fields a finding names),
seconds per page. Prints a Markdown table; details of every wrong field go to stderr.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from haizhi.extractors import extract_file  # noqa: E402
from haizhi.pipeline.core.config import load_year  # noqa: E402
from haizhi.pipeline.core.fields import BASE, COOP  # noqa: E402
from haizhi.pipeline.core.record import Record  # noqa: E402
from haizhi.pipeline.generate.forms import render_form  # noqa: E402
from haizhi.pipeline.office.convert import shared_converter  # noqa: E402
from haizhi.pipeline.simulate.records import random_record  # noqa: E402
from tests.independent.family import HOLDOUT_SEED, build_family  # noqa: E402
from tests.independent.score import Score, score  # noqa: E402

KINDS = (("docx", "DOCX"), ("doc", ".doc"), ("pdf", "文字版 PDF"))


def own_forms(out: Path, n: int) -> list[tuple[Record, dict[str, Path]]]:
    cfg = load_year(2023)
    conv = shared_converter()
    items = []
    for i in range(n):
        form = (COOP, BASE)[i % 2]
        rec = random_record(form, 7000 + i)
        dx = out / f"own_{i}.docx"
        dx.write_bytes(render_form(rec, form, cfg))
        items.append((rec, {"docx": dx, "doc": conv.convert(dx, out / f"own_{i}.doc"),
                            "pdf": conv.convert(dx, out / f"own_{i}.pdf")}))
    return items


def measure(items: list[tuple[Record, dict[str, Path | None]]], kind: str, label: str) -> dict | None:
    sc, secs, pages, n = Score(), 0.0, 0, 0
    for truth, paths in items:
        p = paths.get(kind)
        if p is None:
            continue
        t0 = time.perf_counter()
        res = extract_file(p)
        secs += time.perf_counter() - t0
        got = res.records[0] if res.records else None
        pages += int(got.source.get("pages") or 1) if got else 1
        n += 1
        before = len(sc.wrong)
        score(truth, got, sc)
        for w in sc.wrong[before:]:
            print(f"[{label} {kind}] {p.name}: {w}", file=sys.stderr)
    if not n:
        return None
    return {"n": n, "exact": sc.exact / sc.fields, "choices": sc.choices_ok / max(1, sc.choices),
            "long": statistics.mean(sc.long_acc) if sc.long_acc else 1.0, "silent": len(sc.silent),
            "wrong": sc.fields - sc.exact, "needless": len(sc.flagged_ok) / max(1, sc.exact),
            "spp": secs / max(1, pages)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--own", type=int, default=8, help="haizhi's own forms (rendered from simulated records)")
    ap.add_argument("--independent", type=int, default=24, help="independent family, HOLDOUT seeds")
    ap.add_argument("--seed", type=int, default=HOLDOUT_SEED)
    args = ap.parse_args()
    if args.seed < HOLDOUT_SEED:
        print(f"注意：种子 {args.seed} 属于调参集（TUNE），结果不能作为留出集成绩", file=sys.stderr)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        (out / "own").mkdir()
        own = own_forms(out / "own", args.own) if args.own else []
        fam = build_family(out / "independent", seed=args.seed, n=args.independent, all_doc=True)
        ind = [(s.truth, {"docx": s.docx, "doc": s.doc, "pdf": s.pdf}) for s in fam]
        rows = []
        ind_label = "独立样本（留出集）" if args.seed >= HOLDOUT_SEED else "独立样本（调参集）"
        for label, items in (("haizhi 自有表单", own), (ind_label, ind)):
            for kind, kind_cn in KINDS:
                m = measure(items, kind, label)
                if m:
                    rows.append((label, kind_cn, m))
    print("| 表单来源 | 输入类型 | 份数 | 字段完全正确 | 选项正确 | 长文本字符准确率 | 静默错误（错字段数） "
          "| 多余标记 | 每页秒数 |")
    print("|---|---|---|---|---|---|---|---|---|")
    for label, kind_cn, m in rows:
        print(f"| {label} | {kind_cn} | {m['n']} | {m['exact']:.1%} | {m['choices']:.1%} | {m['long']:.2%} "
              f"| {m['silent']}（{m['wrong']}） | {m['needless']:.1%} | {m['spp']:.2f} |")


if __name__ == "__main__":
    main()
