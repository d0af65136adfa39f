"""Codes on intake: printed forms with codes, scanned at every level and photographed, read back exactly.

Slow (OCR on every page): the scans are made once per module.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PIL import Image

from haizhi.extractors.extract import extract_unguarded
from haizhi.pipeline.codes.issue import issue_form
from haizhi.pipeline.codes.qr import code_boxes, stamp_pdf
from haizhi.pipeline.codes.verify import make_code, new_issue_id
from haizhi.pipeline.core.record import Record, load_record
from haizhi.pipeline.simulate import simulate_scan
from haizhi.pipeline.simulate.source import form_pdf
from tests.codes.conftest import other_installation
from tests.codes.helpers import overwrite

RECORDS = Path(__file__).resolve().parents[2] / "fixtures" / "records"


@pytest.fixture(scope="module")
def coop() -> Record:
    return load_record(RECORDS / "coop_example.json")


@pytest.fixture(scope="module")
def base() -> Record:
    return load_record(RECORDS / "base_example.json")


@pytest.fixture(scope="module")
def coop_issued(codes_env, cfg2026, coop):
    return issue_form(coop, cfg2026, os.environ["HAIZHI_DB"])


def _scan(record, issued_pdf: bytes, cfg, out: Path, level: str, **kw):
    return simulate_scan(record, level, out, cfg, pdf=issued_pdf, seals_at=code_boxes(issued_pdf), **kw)


def _rules(findings, severity: str | None = None) -> list[str]:
    return [f.rule for f in findings if severity is None or f.severity == severity]


@pytest.mark.parametrize("level", ["clean", "moderate", "heavy"])
def test_coop_scan_with_sealed_codes_reads_back_exactly(level, coop, coop_issued, cfg2026, codes_env) -> None:
    sim = _scan(coop, coop_issued.pdf, cfg2026, Path(codes_env["dir"]) / level, level, seed=1, shuffle=True)
    res = extract_unguarded(sim.pages[0])
    assert len(res.records) == 1
    rec = res.records[0]
    assert rec.fields == coop.fields  # every field exactly as printed
    assert rec.source["issue_id"] == coop_issued.issue_id and rec.source["method"] == "ocr"
    assert all(p["method"] == "codes" for k, p in rec.provenance.items() if k in rec.fields)
    assert "codes.altered" not in _rules(rec.findings, "warning")  # nobody changed anything
    shuffled = sim.page_order != sorted(sim.page_order)
    assert shuffled == ("codes.reordered" in _rules(res.findings))
    assert not {"codes.page_missing", "codes.page_repeated", "codes.unverified"} & set(_rules(res.findings))
    marks_right = sum(rec.marks.get(k) == v for k, v in sim.marks.items())
    assert marks_right >= len(sim.marks) - 1  # seals and signatures still read from the page


def test_heavy_shuffled_base_scan_is_put_back_in_order(base, cfg2026, codes_env) -> None:
    issued = issue_form(base, cfg2026, os.environ["HAIZHI_DB"])
    sim = _scan(base, issued.pdf, cfg2026, Path(codes_env["dir"]) / "base", "heavy", seed=0, shuffle=True)
    assert sim.page_order != sorted(sim.page_order)
    res = extract_unguarded(sim.pages[0])
    rec = res.records[0]
    assert rec.fields == base.fields and rec.source["codes"] == {"issue_id": issued.issue_id, "pages": 6}
    msg = next(f.message for f in res.findings if f.rule == "codes.reordered")
    for n, k in enumerate(sim.page_order, start=1):
        assert f"文件第 {n} 页为表格第 {k} 页" in msg


def test_jpeg_photos_read_back_page_by_page(coop, coop_issued, cfg2026, codes_env) -> None:
    sim = _scan(coop, coop_issued.pdf, cfg2026, Path(codes_env["dir"]) / "jpeg", "heavy", fmt="jpeg", seed=2)
    assert len(sim.pages) == 3 and all(p.suffix == ".jpg" for p in sim.pages)
    for photo, k in zip(sim.pages, sim.page_order, strict=True):
        res = extract_unguarded(photo)
        rec = next(r for r in res.records if r.form == coop.form)
        assert rec.fields == coop.fields, photo.name
        missing = next(f.message for f in res.findings if f.rule == "codes.page_missing")
        assert "、".join(str(x) for x in range(1, 4) if x != k) in missing


def test_value_overwritten_by_hand_is_reported(coop, coop_issued, cfg2026, codes_env) -> None:
    altered = overwrite(coop_issued.pdf, "1200", "2600")  # 注册资金 whited out and rewritten
    sim = _scan(coop, altered, cfg2026, Path(codes_env["dir"]) / "altered", "moderate", seed=3)
    rec = extract_unguarded(sim.pages[0]).records[0]
    assert rec.fields["registered_capital"] == 1200  # the record keeps what was printed and registered
    warn = [f for f in rec.findings if f.rule == "codes.altered"]
    assert [f.field for f in warn] == ["registered_capital"]
    assert "1200" in warn[0].message and "2600" in warn[0].message


def test_forged_or_foreign_code_falls_back_to_ocr(coop, cfg2026, codes_env) -> None:
    key = other_installation(Path(codes_env["dir"]))
    issue_id = new_issue_id()
    foreign = stamp_pdf(form_pdf(coop, cfg2026), lambda p, n: make_code(coop.form, issue_id, p, n, key))
    sim = _scan(coop, foreign, cfg2026, Path(codes_env["dir"]) / "foreign", "clean", seed=4)
    res = extract_unguarded(sim.pages[0])
    assert "codes.unverified" in _rules(res.findings, "warning")
    rec = res.records[0]
    assert "issue_id" not in rec.source and "codes" not in rec.source
    assert all(p.get("method") == "ocr" for p in rec.provenance.values())
    right = sum(rec.fields.get(k) == v for k, v in coop.fields.items() if v is not None)
    assert right >= 0.9 * sum(v is not None for v in coop.fields.values())  # OCR as before


def test_missing_repeated_pages_and_unknown_issue(coop, coop_issued, cfg2026, codes_env, monkeypatch,
                                                  tmp_path) -> None:
    sim = _scan(coop, coop_issued.pdf, cfg2026, Path(codes_env["dir"]) / "pages", "clean", fmt="jpeg", seed=5)
    by_form_page = dict(zip(sim.page_order, sim.pages, strict=True))
    ims = [Image.open(by_form_page[k]).convert("RGB") for k in (3, 1, 1)]  # page 2 lost, page 1 twice
    scan = tmp_path / "缺页.pdf"
    ims[0].save(scan, "PDF", save_all=True, append_images=ims[1:], resolution=200.0)
    res = extract_unguarded(scan)
    rules = _rules(res.findings)
    assert "codes.page_repeated" in rules and "codes.reordered" in rules
    missing = next(f.message for f in res.findings if f.rule == "codes.page_missing")
    assert "第 2 页" in missing
    assert res.records[0].fields == coop.fields
    monkeypatch.setenv("HAIZHI_DB", f"sqlite:///{tmp_path / 'empty.db'}")  # a ledger that never issued it
    res = extract_unguarded(scan)
    assert "codes.unknown_issue" in _rules(res.findings, "warning")
    assert "issue_id" not in res.records[0].source


def test_intake_ties_editable_copy_and_scan_by_issue(coop, coop_issued, cfg2026, codes_env, tmp_path) -> None:
    from sqlalchemy import select

    from haizhi.pipeline.intake.db import FindingRow, RecordRow, open_db
    from haizhi.pipeline.intake.run import Options, run_intake

    folder = tmp_path / "收件箱" / "深圳湾海创"
    folder.mkdir(parents=True)
    (folder / "合作机构信息表.docx").write_bytes(coop_issued.docx)
    altered = overwrite(coop_issued.pdf, "1200", "2600")
    sim = _scan(coop, altered, cfg2026, tmp_path / "sim", "clean", seed=6, shuffle=True)
    (folder / "盖章扫描件.pdf").write_bytes(sim.pages[0].read_bytes())
    run_intake(Options(inbox=tmp_path / "收件箱", out=tmp_path / "out", db=os.environ["HAIZHI_DB"], workers=1,
                       year=2026, exports=False, progress=False, timeout=600))
    engine, S = open_db(os.environ["HAIZHI_DB"])
    try:
        with S() as s:
            rows = {r.copy: r for r in s.scalars(select(RecordRow))}
            assert rows["editable"].source.get("issue_id") == coop_issued.issue_id  # linked by its values
            assert rows["scan"].source["codes"]["issue_id"] == coop_issued.issue_id
            assert rows["scan"].fields == coop.fields
            active = [f for f in s.scalars(select(FindingRow)) if f.active]
            rules = {f.rule for f in active}
            assert "codes.altered" in rules  # the hand change on the paper copy reaches the reviewer
            assert not {"compare.mismatch", "codes.issue_mismatch", "codes.editable_differs"} & rules
    finally:
        engine.dispose()
