"""Documents per second: warm LibreOffice (one soffice, many documents) vs one soffice per file.

    .venv/bin/python bench/bench_convert.py [--n 200] [--cold-n 50]

Input: N 初审审核表 DOCX from haizhi.pipeline.generate.approval_sheet.render_approval_sheet (the sample
records, a name and a finding varied per document), or, when that renderer is
not importable, a representative one-page Chinese DOCX built here. Each is
converted to PDF by the warm Converter and (for the first --cold-n of them) by
`soffice --convert-to` per file with a reused profile (the fairest cold
baseline). Prints a Markdown table; the first PDF is checked (fonts embedded,
page not blank, no missing glyphs).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from haizhi.pipeline.office.convert import Converter, convert_cold  # noqa: E402
from haizhi.pipeline.office.pdfcheck import check_pdf  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def approval_sheets(n: int, out: Path) -> tuple[list[Path], str]:
    """Write n DOCX inputs; returns them and which generator was used."""
    try:
        from haizhi.pipeline.core.config import load_year
        from haizhi.pipeline.core.record import Finding, load_record
        from haizhi.pipeline.generate.approval_sheet import render_approval_sheet
    except ImportError as e:
        return fallback_docs(n, out), f"内置的一页中文 DOCX（haizhi.pipeline.generate.approval_sheet 不可用：{e.name}）"
    cfg = load_year(2026)
    records = [load_record(ROOT / "fixtures" / "records" / f) for f in ("coop_example.json", "base_example.json")]
    paths = []
    for i in range(n):
        rec = records[i % 2]
        rec.fields["name_cn"] = f"测试单位第{i + 1}号"
        findings = [] if i % 3 else [Finding("bench", "warning", "name_cn", f"第{i + 1}份的示例提示")]
        p = out / f"sheet{i:04d}.docx"
        p.write_bytes(render_approval_sheet(rec, findings, cfg))
        paths.append(p)
    return paths, "haizhi.pipeline.generate.approval_sheet.render_approval_sheet（初审审核表）"


def fallback_docs(n: int, out: Path) -> list[Path]:
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Pt

    paths = []
    for i in range(n):
        doc = Document()
        for text, font, size in [
            ("海智计划初审审核表", "方正小标宋简体", 22),
            (f"申报单位：测试单位第{i + 1}号（Overseas Society No. {i + 1}）", "仿宋_GB2312", 16),
            ("一、基本情况", "黑体", 16),
            ("成立时间：2015年6月18日；会员人数：120人；所在国家：德国。", "仿宋_GB2312", 16),
            ("二、初审意见", "黑体", 16),
            ("材料齐全，符合申报条件。", "楷体_GB2312", 16),
        ]:
            run = doc.add_paragraph().add_run(text)
            run.font.size = Pt(size)
            run.font.name = "Times New Roman"
            run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
        table = doc.add_table(rows=4, cols=4)
        for r, row in enumerate(table.rows):
            for c, cell in enumerate(row.cells):
                cell.text = f"字段{r}{c}"
        p = out / f"sheet{i:04d}.docx"
        doc.save(p)
        paths.append(p)
    return paths


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=200, help="documents for the warm converter")
    ap.add_argument("--cold-n", type=int, default=None, help="documents for the cold baseline (default: n)")
    args = ap.parse_args()
    cold_n = min(args.n, args.cold_n if args.cold_n is not None else args.n)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "in").mkdir()
        docs, source = approval_sheets(args.n, work / "in")
        print(f"输入：{source}，{args.n} 份；CPU 核数 {os.cpu_count()}", flush=True)

        t0 = time.perf_counter()
        with Converter(timeout=120) as conv:
            conv.convert(docs[0], work / "warmup.pdf")  # starts soffice
            t_start = time.perf_counter() - t0
            t1 = time.perf_counter()
            for i, d in enumerate(docs):
                conv.convert(d, work / "warm" / f"{i:04d}.pdf")
            t_warm = time.perf_counter() - t1
            pid, restarts = conv.pid, conv.restarts
        problems = check_pdf(work / "warm" / "0000.pdf")
        print(f"热转换：{args.n} 份，用时 {t_warm:.1f} s（启动 {t_start:.1f} s，soffice PID {pid}，"
              f"重启 {restarts} 次）；首份检查：{problems or '通过'}", flush=True)

        profile = work / "cold-profile"
        convert_cold(docs[0], work / "cold-warmup.pdf", profile=profile)  # profile created once
        t2 = time.perf_counter()
        for i, d in enumerate(docs[:cold_n]):
            convert_cold(d, work / "cold" / f"{i:04d}.pdf", profile=profile)
        t_cold = time.perf_counter() - t2
        print(f"冷转换：{cold_n} 份，用时 {t_cold:.1f} s", flush=True)

    warm_rate, cold_rate = args.n / t_warm, cold_n / t_cold
    print()
    print("| 方式 | 文档数 | 用时 | 文档/秒 | 每份 |")
    print("|---|---|---|---|---|")
    print(f"| 热 LibreOffice（一个 soffice，unoserver） | {args.n} | {t_warm:.1f} s（另启动 {t_start:.1f} s） "
          f"| {warm_rate:.2f} | {1000 * t_warm / args.n:.0f} ms |")
    print(f"| 冷（每份一次 soffice --convert-to） | {cold_n} | {t_cold:.1f} s | {cold_rate:.2f} "
          f"| {1000 * t_cold / cold_n:.0f} ms |")
    print(f"\n热转换快 {warm_rate / cold_rate:.1f} 倍（含启动：{(args.n + 1) / (t_warm + t_start) / cold_rate:.1f} 倍）。")


if __name__ == "__main__":
    main()
