"""Through LibreOffice: .doc/.wps returns and text-layer PDFs exported from applicants' Word files."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from extract_builders import (
    add_rows,
    legacy_checkbox,
    new_doc,
    retyped_base,
    retyped_coop,
    save,
    sdt_checkbox,
)

from haizhi.extractors import extract_file, extract_file_guarded
from haizhi.extractors.pdf_reader import _garbage, read_pdf
from haizhi.extractors.safety import sniff
from haizhi.pipeline.core.fields import BASE, COOP


@pytest.fixture(scope="module")
def converter():
    from haizhi.pipeline.office.convert import Converter, libreoffice_available

    if not libreoffice_available():
        pytest.fail("LibreOffice (soffice) is required for these tests")
    with Converter(timeout=120) as conv:
        yield conv


def _squash(fields: dict) -> dict:
    return {k: re.sub(r"\s+", "", v) if isinstance(v, str) else v for k, v in fields.items()}


def test_doc_and_wps_via_converter(tmp_path: Path, converter, coop_record) -> None:
    doc = new_doc()
    retyped_coop(doc)
    src = save(doc, tmp_path / "src.docx")
    # (LibreOffice's own DOC export drops python-docx tables; going through ODT keeps them)
    odt = converter.convert(src, tmp_path / "src.odt")
    legacy = converter.convert(odt, tmp_path / "回件.doc")
    assert legacy.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"
    res = extract_file(legacy)
    assert res.readable and len(res.records) == 1, [f.message for f in res.findings]
    rec = res.records[0]
    assert rec.form == COOP and rec.fields == coop_record.fields
    assert rec.source["method"] == "docx" and rec.source["file"] == str(legacy)
    res_odt = extract_file(odt)  # OpenDocument text, as LibreOffice / WPS save it
    assert res_odt.readable and res_odt.records[0].fields == coop_record.fields
    # WPS saves .wps files in the same binary format; the name must not matter
    wps = tmp_path / "回件.wps"
    shutil.copy(legacy, wps)
    res2 = extract_file_guarded(wps, timeout=120)
    assert res2.readable and res2.records[0].fields == coop_record.fields


def test_text_pdf_of_a_retyped_form(tmp_path: Path, converter, base_record) -> None:
    doc = new_doc()
    retyped_base(doc, split=True)
    pdf = converter.convert(save(doc, tmp_path / "src.docx"), tmp_path / "基地.pdf")
    res = extract_file(pdf)
    assert res.readable and len(res.records) == 1, [f.message for f in res.findings]
    rec = res.records[0]
    assert rec.form == BASE and rec.source["method"] == "pdf_text" and rec.source["pages"] >= 2
    assert _squash(rec.fields) == _squash(base_record.fields)
    prov = rec.provenance["base_name"]
    assert prov["method"] == "pdf_text" and len(prov["bbox"]) == 4 and prov["confidence"] == 1.0


def test_pdf_cells_rows_and_merges(tmp_path: Path, converter) -> None:
    doc = new_doc()
    retyped_coop(doc)
    pdf = converter.convert(save(doc, tmp_path / "src.docx"), tmp_path / "coop.pdf")
    layout = read_pdf(pdf)
    cells = [c for p in layout.pages for t in p.tables for c in t.cells]
    head = next(c for c in cells if c.text == "机构负责人")
    assert head.rowspan == 2  # the vertically merged group cell
    title = next(c for c in cells if c.text.startswith("一、候选合作机构"))
    assert title.colspan >= 4
    assert not any(p.needs_ocr for p in layout.pages)


@pytest.mark.parametrize("text, junk", [
    ("推荐中国科协海智计划合作机构信息表 机构名称（中文） 深圳湾", False),
    ("(cid:12)(cid:55)(cid:78)(cid:90)(cid:3)(cid:4)", True),
    ("\ue001\ue002\ue003\ue004\ue005\ue006", True),
    ("", True),
    ("Shenzhen Bay Overseas Talent Services", False),
])
def test_garbage_text_layer_detection(text: str, junk: bool) -> None:
    assert _garbage(text) is junk


def test_image_only_pdf_goes_to_ocr(tmp_path: Path) -> None:
    """A page without text layer is OCR'd through extractors.scan (or reported as needing OCR)."""
    from PIL import Image

    img = Image.new("RGB", (600, 800), "white")
    pdf = tmp_path / "扫描.pdf"
    img.save(pdf, "PDF", resolution=72)
    res = extract_file(pdf)
    assert res.readable and res.records == []
    assert res.findings, "an empty scan must end with a finding"


def test_checkbox_controls_survive_into_pdf(tmp_path: Path, converter) -> None:
    """Content controls export as glyphs, legacy form fields as drawn squares (an X inside when ticked)."""
    doc = new_doc()
    doc.add_paragraph("推荐中国科协海智计划合作机构信息表")
    t = add_rows(doc, [["机构名称（中文）", "某某机构"], ["机构类型（可多选）", ""], ["可提供服务（可多选）", ""],
                       ["注册时间", "2015年6月"]])
    p = t.cell(1, 1).paragraphs[0]
    for o in ["荐才机构", "平台机构", "用才机构"]:
        sdt_checkbox(p, o != "平台机构", o)
    p = t.cell(2, 1).paragraphs[0]
    for o in ["投融资", "创业服务", "知识产权", "其他"]:
        legacy_checkbox(p, o in ("投融资", "其他"), o)
    p.add_run("跨境税务咨询")
    pdf = converter.convert(save(doc, tmp_path / "cc.docx"), tmp_path / "cc.pdf")
    res = extract_file(pdf)
    rec = res.records[0]
    assert rec.fields["institution_types"] == ["荐才机构", "用才机构"]
    assert rec.fields["services"] == ["投融资", "其他"]
    assert rec.fields["services_other"] == "跨境税务咨询"


@pytest.mark.parametrize("suffix", [".png", ".webp"])
def test_scanned_image_goes_through_ocr_and_the_same_mapper(tmp_path: Path, cfg2023, coop_record, suffix) -> None:
    """An image file (page 1 of a simulated clean scan) → OCR (extractors.scan) → this mapper → a record.
    A WebP (as phones and chat apps save photos) is an image like the others, by its bytes and by its name."""
    import pypdfium2 as pdfium

    from haizhi.pipeline.simulate import simulate_scan

    sim = simulate_scan(coop_record, "clean", tmp_path, cfg2023)
    doc = pdfium.PdfDocument(str(sim.pages[0]))
    try:
        img = doc[0].render(scale=200 / 72).to_pil()
    finally:
        doc.close()
    png = tmp_path / f"扫描第一页{suffix}"
    img.save(png, lossless=True) if suffix == ".webp" else img.save(png)
    assert sniff(png.read_bytes()[:64], suffix) == "image"
    res = extract_file(png)
    assert res.readable and len(res.records) == 1, [f.message for f in res.findings]
    rec = res.records[0]
    assert rec.form == COOP and rec.source["method"] == "ocr" and rec.source["pages"] == 1
    for key in ("name_cn", "credit_code", "overseas", "registered_on", "registered_capital"):
        assert rec.fields[key] == coop_record.fields[key], key
        assert rec.provenance[key]["method"] == "ocr" and 0 < rec.provenance[key]["confidence"] <= 1
    assert set(rec.marks) == {"recommender_signed", "recommender_sealed", "institution_signed", "institution_sealed"}
