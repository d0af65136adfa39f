"""End to end on a few small simulated scans, and hostile input."""

from __future__ import annotations

import json
import struct
import time
import zlib
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image

from haizhi.extractors.scan import confidence_findings, marks_for, ocr_pages, read_scan
from haizhi.extractors.scan.raster import MAX_PAGES
from haizhi.pipeline.core.errors import UnreadableInput
from haizhi.pipeline.core.fields import form_spec
from haizhi.pipeline.core.record import Record
from haizhi.pipeline.simulate import simulate_scan


def _same(ftype: str, a: object, b: object) -> bool:
    if a in (None, "", []):
        return b in (None, "", [])
    if ftype == "text":
        return "".join(str(a).split()) == "".join(str(b or "").split())
    if ftype in ("number", "int"):
        return b is not None and float(a) == float(b)
    return a == b


def _score(truth: Record, got: Record) -> tuple[int, int, list]:
    spec = form_spec(truth.form)
    wrong = [(f.key, truth.fields.get(f.key), got.fields.get(f.key)) for f in spec.fields
             if not _same(f.type, truth.fields.get(f.key), got.fields.get(f.key))]
    return len(spec.fields) - len(wrong), len(spec.fields), wrong


@pytest.fixture(scope="module")
def coop_scan(coop_record, cfg2023, sim_dir):
    return simulate_scan(coop_record, "clean", sim_dir, cfg2023, fmt="jpeg", seed=11)


@pytest.fixture(scope="module")
def base_scan(base_record, cfg2023, sim_dir):
    return simulate_scan(base_record, "heavy", sim_dir, cfg2023, fmt="pdf", seed=5, shuffle=True, extra_pages=2)


@pytest.fixture(scope="module")
def coop_record():  # module scope for the scans above
    from haizhi.pipeline.core.record import load_record

    return load_record(Path(__file__).resolve().parents[2] / "fixtures" / "records" / "coop_example.json")


@pytest.fixture(scope="module")
def base_record():
    from haizhi.pipeline.core.record import load_record

    return load_record(Path(__file__).resolve().parents[2] / "fixtures" / "records" / "base_example.json")


def test_simulator_writes_truth_and_is_deterministic(coop_scan, coop_record, cfg2023, tmp_path) -> None:
    assert len(coop_scan.pages) == 3 and all(p.suffix == ".jpg" for p in coop_scan.pages)
    truth = json.loads(coop_scan.truth_marks.read_text(encoding="utf-8"))
    assert set(truth["marks"]) == set(form_spec("coop_institution").mark_keys)
    assert json.loads(coop_scan.truth_record.read_text(encoding="utf-8"))["fields"] == coop_record.fields
    again = simulate_scan(coop_record, "clean", tmp_path, cfg2023, fmt="jpeg", seed=11)
    assert [p.read_bytes() for p in again.pages] == [p.read_bytes() for p in coop_scan.pages]
    other = simulate_scan(coop_record, "clean", tmp_path / "o", cfg2023, fmt="jpeg", seed=12)
    assert [p.read_bytes() for p in other.pages] != [p.read_bytes() for p in coop_scan.pages]


def _layout_of(pages: list[Path]):
    from haizhi.extractors.layout import Layout

    out = []
    for p in pages:
        out += ocr_pages(p).pages
    return Layout(pages=out)


def test_clean_coop_scan_end_to_end(coop_scan, coop_record) -> None:
    from haizhi.extractors.mapper import map_layout

    t0 = time.perf_counter()
    layout = _layout_of(coop_scan.pages)
    secs = time.perf_counter() - t0
    assert all(p.method == "ocr" for p in layout.pages)
    rec = map_layout(layout, "coop_institution")
    ok, n, wrong = _score(coop_record, rec)
    assert ok / n >= 0.9, wrong
    for key in ("name_cn", "credit_code", "registered_on", "head_email", "institution_types", "services"):
        assert key not in [w[0] for w in wrong], wrong
    assert marks_for(layout, "coop_institution") == coop_scan.marks
    # every OCR'd field has a confidence and a box in points on its page
    for key, prov in rec.provenance.items():
        assert 0 <= prov["confidence"] <= 1, key
        assert prov["method"] == "ocr"
        if prov.get("bbox"):
            x0, y0, x1, y1 = prov["bbox"]
            assert 0 <= x0 < x1 <= 700 and 0 <= y0 < y1 <= 900
    assert secs < 120


def test_heavy_shuffled_base_scan_end_to_end(base_scan, base_record) -> None:
    from haizhi.extractors.mapper import map_layout

    layout, findings = read_scan(base_scan.pages[0])
    assert len(layout.pages) == 8  # 6 form pages, 2 foreign ones (letter, photo or blank sheet)
    foreign = [i + 1 for i, k in enumerate(base_scan.page_order) if k == 0]
    assert [p.number for p in layout.pages[-2:]] == foreign  # after the form, in the order they came
    assert len(base_scan.extra_kinds) == 2
    flagged = [f for f in findings if f.rule in ("scan.photo_page", "scan.blank_page", "scan.foreign_page")]
    assert len(flagged) == 2 and all(str(n) in " ".join(f.message for f in flagged) for n in foreign)
    rec = map_layout(layout, "base_application")
    ok, n, wrong = _score(base_record, rec)
    assert ok / n >= 0.85, wrong
    assert marks_for(layout, "base_application") == base_scan.marks
    if any(base_scan.turns):
        assert any(f.rule == "scan.rotated" for f in findings)


def test_marks_are_none_for_layouts_without_pixels() -> None:
    from haizhi.extractors.layout import Layout, Page

    lay = Layout(pages=[Page(number=1, method="docx")])
    assert marks_for(lay, "base_application") == dict.fromkeys(form_spec("base_application").mark_keys)


def test_low_confidence_fields_get_an_info_finding() -> None:
    rec = Record(form="coop_institution", fields={"name_cn": "深圳湾", "head_mobile": "1381234"},
                 provenance={"name_cn": {"page": 1, "bbox": [10, 20, 30, 40], "method": "ocr", "confidence": 0.99},
                             "head_mobile": {"page": 2, "bbox": [100, 200, 150, 220], "method": "ocr",
                                             "confidence": 0.41}})
    fs = confidence_findings(rec)
    assert [(f.field, f.severity) for f in fs] == [("head_mobile", "info")]
    assert "第 2 页" in fs[0].message and "0.41" in fs[0].message and "机构负责人 · 手机" in fs[0].message


# hostile input ---------------------------------------------------------------------------------------------


def _png_header(w: int, h: int) -> bytes:
    """A tiny PNG that claims w × h pixels (a decompression bomb's header)."""
    def chunk(t: bytes, d: bytes) -> bytes:
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def test_decompression_bomb_is_refused_quickly(tmp_path) -> None:
    p = tmp_path / "bomb.png"
    p.write_bytes(_png_header(60000, 60000))
    t0 = time.perf_counter()
    with pytest.raises(UnreadableInput, match="像素数超过上限|无法读取"):
        ocr_pages(p)
    assert time.perf_counter() - t0 < 5


def test_tiny_and_garbage_images(tmp_path) -> None:
    tiny = tmp_path / "tiny.png"
    Image.new("RGB", (1, 1), "white").save(tiny)
    with pytest.raises(UnreadableInput, match="太小"):
        ocr_pages(tiny)
    junk = tmp_path / "junk.jpg"
    junk.write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg" * 10)
    with pytest.raises(UnreadableInput):
        ocr_pages(junk)


def test_many_blank_pages_are_capped_and_fast(tmp_path) -> None:
    pages = [Image.new("RGB", (300, 420), "white") for _ in range(MAX_PAGES + 40)]
    p = tmp_path / "blank.pdf"
    pages[0].save(p, "PDF", save_all=True, append_images=pages[1:], resolution=50.0)
    t0 = time.perf_counter()
    layout, findings = read_scan(p)
    assert len(layout.pages) <= MAX_PAGES
    assert any(f.rule == "scan.too_many_pages" for f in findings)
    assert any(f.rule == "scan.blank_page" for f in findings)
    assert any(f.rule == "scan.nothing_read" and "没有识别出任何文字" in f.message for f in findings)
    assert time.perf_counter() - t0 < 60


def test_photo_page_gets_a_finding(tmp_path) -> None:
    rng = np.random.default_rng(1)
    yy, xx = np.mgrid[0:900, 0:640]
    img = np.stack([(xx * 0.3 + 40) % 255, (yy * 0.2 + 60) % 255, (xx + yy) * 0.1 % 255], axis=-1)
    img = (img + rng.normal(0, 8, img.shape)).clip(0, 255).astype(np.uint8)
    p = tmp_path / "photo.jpg"
    Image.fromarray(img).save(p, dpi=(100, 100))
    layout, findings = read_scan(p)
    assert [f.rule for f in findings if f.rule == "scan.photo_page"] == ["scan.photo_page"]
    assert "照片" in findings[0].message
    assert not layout.pages[0].tables


def test_image_page_reads_a_seal_and_a_value(tmp_path) -> None:
    """A JPEG page (no PDF): a ruled cell with a value under a red seal."""
    import random

    from haizhi.pipeline.simulate.stamps import draw_seal, multiply
    from tests.ocr.ocr_helpers import DPI, draw_table, page

    im = page(210, 100)
    draw_table(im, 80, 80, [400, 900], [120, 120], {(0, 0): "推荐单位", (0, 1): "广东省科学技术协会",
                                                     (1, 0): "法定代表人", (1, 1): "陈立平"})
    seal = draw_seal("广东省科学技术协会", DPI, random.Random(4))
    multiply(im, seal, (560, 140 - seal.height // 2))
    p = tmp_path / "cell.png"
    im.save(p, dpi=(DPI, DPI))
    layout = ocr_pages(p)
    cells = {(c.row, c.col): c for c in layout.pages[0].tables[0].cells}
    assert cells[(0, 1)].text == "广东省科学技术协会"
    assert cells[(1, 1)].text == "陈立平"
    assert cells[(0, 1)].bbox[0] == pytest.approx((80 + 400) * 72 / DPI, abs=3)
    seals = [m for m in layout.pages[0].marks if m.kind == "seal"]
    assert len(seals) == 1 and seals[0].checked and seals[0].label is None


def test_simulate_scan_cli(tmp_path) -> None:
    from haizhi.pipeline.cli import cli

    rec = Path(__file__).resolve().parents[2] / "fixtures" / "records" / "coop_example.json"
    r = CliRunner().invoke(cli, ["simulate-scan", str(rec), "--level", "moderate", "--out", str(tmp_path),
                                 "--format", "pdf", "--seed", "3", "--year", "2023"])
    assert r.exit_code == 0, r.output
    assert "扫描件" in r.output and "真值记录" in r.output
    pdf = tmp_path / "coop_example-moderate-3.pdf"
    assert pdf.is_file() and pdf.read_bytes()[:4] == b"%PDF"
    marks = json.loads((tmp_path / "coop_example-moderate-3.marks.json").read_text(encoding="utf-8"))
    assert marks["level"] == "moderate" and 150 <= marks["dpi"] <= 200
    bad = CliRunner().invoke(cli, ["simulate-scan", str(rec), "--level", "awful"])
    assert bad.exit_code != 0


def test_multipage_tiff_and_page_selection(tmp_path) -> None:
    from haizhi.extractors.scan.raster import read_pages

    frames = [Image.new("L", (850, 1100), 255), Image.new("L", (850, 1100), 255), Image.new("L", (850, 1100), 255)]
    p = tmp_path / "scan.tif"
    frames[0].save(p, save_all=True, append_images=frames[1:], dpi=(100, 100))
    assert [pi.number for pi in read_pages(p)] == [1, 2, 3]
    assert [pi.number for pi in read_pages(p, [2])] == [2]
    layout, findings = read_scan(p, [1, 3])
    assert [pg.number for pg in layout.pages] == [1, 3]
    assert sum(f.rule == "scan.blank_page" for f in findings) == 2
