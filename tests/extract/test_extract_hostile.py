"""Hostile input: every corpus file ends as record(s) or finding(s), in bounded time; bombs and XXE refused."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest
from extract_builders import new_doc, retyped_coop, save

from haizhi.extractors import extract_file, extract_file_guarded
from haizhi.extractors.extract import extract_unguarded

PER_FILE_LIMIT = 45.0


def _corpus(shared: Path) -> list[Path]:
    root = shared / "corpora"
    return sorted(p for p in root.rglob("*") if p.is_file() and p.name != "README.md")


def test_every_corpus_file_ends_in_records_or_findings(shared_dir: Path) -> None:
    files = _corpus(shared_dir)
    assert len(files) > 100
    unreadable = 0
    for p in files:
        t0 = time.monotonic()
        res = extract_file_guarded(p, timeout=PER_FILE_LIMIT)
        took = time.monotonic() - t0
        assert took < PER_FILE_LIMIT + 15, f"{p.name} took {took:.0f}s"
        assert res.records or res.findings, p
        assert res.records == [], f"{p.name} is not one of our forms"
        for f in res.findings:
            assert f.message and any("\u4e00" <= ch <= "\u9fff" for ch in f.message), f
        if not res.readable:
            unreadable += 1
            assert res.findings[0].severity == "error"
    assert unreadable >= 20  # the fuzz crashers, encrypted and truncated files


@pytest.mark.parametrize("name, words", [
    ("hostile_pdf/pdfplumber/password-example.pdf", "加密"),
    ("hostile_pdf/pypdf/encrypted-file.pdf", "加密"),
    ("hostile_pdf/pdfplumber/empty.pdf", "空"),
    ("hostile_docx/poi/truncated62886.docx", "损坏"),
    ("hostile_docx/poi/ExternalEntityInText.docx", "实体"),
    ("hostile_docx/poi/openxml4j_PackageRelsHasEntities.ooxml", "实体"),
    ("hostile_docx/poi/openxml4j_invalid.xlsx", "Word"),
])
def test_reasons_are_specific(shared_dir: Path, name: str, words: str) -> None:
    res = extract_file(shared_dir / "corpora" / name)
    assert not res.readable and words in res.findings[0].message


def test_zip_bomb_refused_before_parsing(tmp_path: Path) -> None:
    doc = new_doc()
    retyped_coop(doc)
    good = save(doc, tmp_path / "good.docx").read_bytes()
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        dst.writestr("word/media/bomb.bin", b"\0" * (200 * 2**20))
    bomb = tmp_path / "bomb.docx"
    bomb.write_bytes(buf.getvalue())
    assert bomb.stat().st_size < 2 * 2**20
    res = extract_file(bomb)
    assert not res.readable and "压缩炸弹" in res.findings[0].message


def test_entity_expansion_refused(tmp_path: Path) -> None:
    doc = new_doc()
    doc.add_paragraph("推荐中国科协海智计划合作机构信息表")
    src = save(doc, tmp_path / "a.docx").read_bytes()
    laughs = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>')
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(src)) as zin, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "word/document.xml":
                data = laughs.encode() + data.split(b"?>", 1)[1]
            zout.writestr(info, data)
    p = tmp_path / "lol.docx"
    p.write_bytes(buf.getvalue())
    res = extract_file(p)
    assert not res.readable and "实体" in res.findings[0].message


def test_guarded_time_limit(shared_dir: Path) -> None:
    p = shared_dir / "corpora" / "hostile_pdf" / "ocrmypdf" / "enormous.pdf"
    t0 = time.monotonic()
    res = extract_file(p, timeout=0.5)
    assert time.monotonic() - t0 < 10
    assert not res.readable and "超时" in res.findings[0].message


def test_guarded_matches_unguarded(tmp_path: Path, coop_record) -> None:
    doc = new_doc()
    retyped_coop(doc)
    p = save(doc, tmp_path / "f.docx")
    a, b = extract_unguarded(p), extract_file(p, timeout=60)
    assert a.records[0].fields == b.records[0].fields == coop_record.fields
    assert a.sha256 == b.sha256


def test_memory_cap_reported(tmp_path: Path, monkeypatch) -> None:
    # a fresh child interpreter: a forked child could reuse the free heap this test process has
    monkeypatch.setattr("haizhi.extractors.guard._threads", lambda: 2)
    doc = new_doc()
    retyped_coop(doc)
    for i in range(3000):
        doc.add_paragraph(f"第{i}段：" + "很长的正文内容" * 60)
    p = save(doc, tmp_path / "big.docx")
    assert p.stat().st_size < 2 * 2**20  # small on disk, ~40 MB once parsed
    res = extract_file_guarded(p, timeout=60, max_memory_mb=8)
    assert not res.readable and res.findings[0].severity == "error"
    assert "内存" in res.findings[0].message
    ok = extract_file_guarded(p, timeout=60, max_memory_mb=1024)
    assert ok.readable and ok.records[0].form == "coop_institution"


def test_not_a_file(tmp_path: Path) -> None:
    for p in (tmp_path / "nope.docx", tmp_path):
        res = extract_file(p)
        assert not res.readable and res.findings[0].rule == "extract.unreadable"


def test_guarded_from_a_threaded_process_uses_a_fresh_interpreter(tmp_path: Path, coop_record) -> None:
    import threading

    from haizhi.extractors.guard import _threads

    doc = new_doc()
    retyped_coop(doc)
    p = save(doc, tmp_path / "f.docx")
    stop = threading.Event()
    th = threading.Thread(target=stop.wait)
    th.start()
    try:
        assert _threads() > 1
        res = extract_file_guarded(p, timeout=60)
        slow = extract_file_guarded(shared_dir_file("hostile_pdf/ocrmypdf/enormous.pdf"), timeout=1)
    finally:
        stop.set()
        th.join()
    assert res.readable and res.records[0].fields == coop_record.fields
    assert not slow.readable and "超时" in slow.findings[0].message


def shared_dir_file(rel: str) -> Path:
    return Path(__file__).resolve().parents[3] / "shared" / "corpora" / rel
