"""Warm LibreOffice converter: fonts, round trips, one soffice per batch, restart, timeout, errors."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pdfplumber
import pytest
from convert_helpers import make_docx
from docx import Document

from haizhi.pipeline.core.errors import ConversionError
from haizhi.pipeline.office import convert as conv_mod
from haizhi.pipeline.office.convert import (
    Converter,
    convert_cold,
    group_members,
    libreoffice_available,
    shared_converter,
)
from haizhi.pipeline.office.pdfcheck import (
    fonts_not_embedded,
    missing_glyphs,
    page_is_blank,
    pdf_fonts,
    render_page_png,
)

# first character of each run → the free face the fonts.conf aliases must pick
EXPECTED_FACE = {
    "关": ("NotoSerifCJK", "-Bold"),  # 方正小标宋简体
    "各": ("NotoSerifCJK", "-Light"),  # 仿宋_GB2312
    "总": ("NotoSansCJK", "-Regular"),  # 黑体
    "申": ("LXGWWenKai", "-Regular"),  # 楷体_GB2312
    "宋": ("NotoSerifCJK", "-Regular"),  # 宋体
}


def test_docx_to_pdf_official_fonts_become_free_faces(converter: Converter, official_docx: Path, tmp_path: Path):
    pdf = converter.convert(official_docx, tmp_path / "通知.pdf")
    assert pdf == tmp_path / "通知.pdf" and pdf.read_bytes().startswith(b"%PDF")
    assert fonts_not_embedded(pdf) == []
    assert all(f.embedded and f.subset for f in pdf_fonts(pdf))
    with pdfplumber.open(pdf) as doc:
        chars = doc.pages[0].chars
        text = doc.pages[0].extract_text().replace(" ", "")
    for line in ("关于开展2026年海智计划工作的通知", "一、总体要求", "海外科技团体OverseasSociety"):
        assert line in text
    font_of: dict[str, str] = {}
    for c in chars:  # first occurrence: the run's leading characters
        font_of.setdefault(c["text"], c["fontname"])
    for ch, (family, weight) in EXPECTED_FACE.items():
        name = font_of[ch]
        assert family in name and weight in name, f"{ch}: {name}"
    # latin runs use a latin face, not a CJK one
    assert "CJK" not in font_of["O"] and "WenKai" not in font_of["O"]
    assert not page_is_blank(render_page_png(pdf, 1, dpi=72))
    assert missing_glyphs(pdf) == []


def test_doc_round_trip_keeps_text(converter: Converter, official_docx: Path, tmp_path: Path):
    doc = converter.convert(official_docx, tmp_path / "旧格式.doc")
    assert doc.read_bytes()[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE2 = real Word 97 .doc
    back = converter.convert(doc, tmp_path / "回转.docx")
    assert zipfile.is_zipfile(back)
    paras = [p.text for p in Document(back).paragraphs if p.text]
    assert paras == [p.text for p in Document(official_docx).paragraphs if p.text]


def test_wps_doc_from_the_field_converts_to_docx(converter: Converter, tmp_path: Path, shared_dir: Path):
    src = shared_dir / "corpora" / "foreign_forms" / "szmath_member_form.doc"
    out = converter.convert(src, tmp_path / "member.docx")
    doc = Document(out)
    text = "".join(p.text for p in doc.paragraphs) + "".join(
        c.text for t in doc.tables for r in t.rows for c in r.cells)
    assert sum("\u4e00" <= ch <= "\u9fff" for ch in text) > 20


def test_xlsx_to_pdf_and_xlsx(converter: Converter, tmp_path: Path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "单位名称", "国家/地区"])
    ws.append([1, "旅德中国科学家工程师协会", "德国"])
    ws.column_dimensions["B"].width = 40
    src = tmp_path / "汇总.xlsx"
    wb.save(src)
    pdf = converter.convert(src, tmp_path / "汇总.pdf")
    with pdfplumber.open(pdf) as doc:
        assert "旅德中国科学家工程师协会" in doc.pages[0].extract_text()
    assert fonts_not_embedded(pdf) == []
    again = converter.convert(src, tmp_path / "out" / "汇总2.xlsx")
    assert openpyxl.load_workbook(again).active["B2"].value == "旅德中国科学家工程师协会"


def test_five_documents_one_soffice(tmp_path: Path):
    with Converter(timeout=120) as conv:
        pids = []
        for i in range(5):
            src = make_docx(tmp_path / f"d{i}.docx", [(f"第{i}号文件", "仿宋_GB2312", 16, False)])
            out = conv.convert(src, tmp_path / f"d{i}.pdf")
            with pdfplumber.open(out) as doc:
                assert f"第{i}号文件" in doc.pages[0].extract_text().replace(" ", "")
            pids.append(conv.pid)
        assert pids[0] is not None and len(set(pids)) == 1
        assert conv.restarts == 0


def test_restart_when_soffice_dies_between_documents(official_docx: Path, tmp_path: Path):
    with Converter(timeout=120) as conv:
        conv.convert(official_docx, tmp_path / "a.pdf")
        first = conv.pid
        assert first is not None
        os.kill(first, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while first in dict(group_members(conv._proc.pid)):
            assert time.monotonic() < deadline
            time.sleep(0.1)
        out = conv.convert(official_docx, tmp_path / "b.pdf")
        assert out.stat().st_size > 1000
        assert conv.pid not in (None, first)
        assert conv.restarts == 1


def test_timeout_raises_chinese_error_and_leaves_no_process(official_docx: Path, tmp_path: Path):
    conv = Converter(timeout=120)
    try:
        conv.convert(official_docx, tmp_path / "warm.pdf")  # started and warm
        pgid = conv._proc.pid
        conv.timeout = 0.001
        with pytest.raises(ConversionError) as err:
            conv.convert(official_docx, tmp_path / "slow.pdf")
        assert "超时" in str(err.value) and official_docx.name in str(err.value)
        assert group_members(pgid) == []  # unoserver, oosplash, soffice.bin all gone
        assert not (tmp_path / "slow.pdf").exists()
        assert not list(tmp_path.glob("*.partial*"))
        conv.timeout = 120
        assert conv.convert(official_docx, tmp_path / "after.pdf").is_file()  # restarted
    finally:
        conv.close()


def test_close_kills_the_process_group_and_removes_the_profile(official_docx: Path, tmp_path: Path):
    conv = Converter()
    conv.convert(official_docx, tmp_path / "x.pdf")
    pgid, workdir = conv._proc.pid, conv._workdir
    assert any(comm.startswith("soffice") for _, comm in group_members(pgid))
    conv.close()
    assert group_members(pgid) == []
    assert not workdir.exists()


def _convert_in_child(conv: Converter, src: Path, dst: Path, q) -> None:
    conv.convert(src, dst)
    q.put((os.getpid(), conv.pid, conv._proc.pid))
    conv.close()


def test_forked_worker_gets_its_own_soffice(converter: Converter, official_docx: Path, tmp_path: Path):
    converter.convert(official_docx, tmp_path / "parent.pdf")
    parent_pid = converter.pid
    ctx = multiprocessing.get_context("fork")
    q = ctx.Queue()
    child = ctx.Process(target=_convert_in_child, args=(converter, official_docx, tmp_path / "child.pdf", q))
    child.start()
    child_proc, child_soffice, child_pgid = q.get(timeout=180)
    child.join(60)
    assert child.exitcode == 0 and child_proc != os.getpid()
    assert child_soffice not in (None, parent_pid)
    assert (tmp_path / "child.pdf").stat().st_size > 1000
    assert group_members(child_pgid) == []  # the child closed its own
    converter.convert(official_docx, tmp_path / "parent2.pdf")  # the parent's is untouched
    assert converter.pid == parent_pid


ABRUPT = """
import os, sys
from pathlib import Path
from haizhi.pipeline.office.convert import Converter
conv = Converter()
conv.convert(Path(sys.argv[1]), Path(sys.argv[2]))
print(conv._proc.pid, conv._workdir, flush=True)
os._exit(0)  # no close(), no atexit
"""


def test_no_orphan_when_the_owner_dies_without_closing(official_docx: Path, tmp_path: Path):
    root = Path(__file__).resolve().parents[2]
    res = subprocess.run([sys.executable, "-c", ABRUPT, str(official_docx), str(tmp_path / "o.pdf")],
                         capture_output=True, text=True, timeout=240, cwd=root)
    pgid, workdir = int(res.stdout.split()[0]), Path(res.stdout.split()[1])
    deadline = time.monotonic() + 20
    while (group_members(pgid) or workdir.exists()) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert group_members(pgid) == []
    assert not workdir.exists()  # the server removed the orphaned profile


def test_missing_libreoffice_gives_chinese_error(monkeypatch, official_docx: Path, tmp_path: Path):
    monkeypatch.setattr(conv_mod, "SOFFICE", "/nonexistent/soffice")
    assert not libreoffice_available()
    with Converter() as conv, pytest.raises(ConversionError) as err:
        conv.convert(official_docx, tmp_path / "x.pdf")
    assert "未找到 LibreOffice" in str(err.value) and "libreoffice-writer-nogui" in str(err.value)
    with pytest.raises(ConversionError, match="未找到 LibreOffice"):
        convert_cold(official_docx, tmp_path / "y.pdf")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("random.docx", os.urandom(4000)),
        ("empty.docx", b""),
        ("random.doc", os.urandom(4000)),
        ("random.wps", b"\x00\x01garbage" * 100),
        ("notadoc.xlsx", b"just some text, not a spreadsheet"),
    ],
)
def test_corrupt_input_is_refused_fast(converter: Converter, tmp_path: Path, name: str, content: bytes):
    src = tmp_path / name
    src.write_bytes(content)
    t0 = time.monotonic()
    with pytest.raises(ConversionError) as err:
        converter.convert(src, tmp_path / "out.pdf")
    assert name in str(err.value) and "无法转换" in str(err.value)
    assert time.monotonic() - t0 < 30
    assert not (tmp_path / "out.pdf").exists()


def test_zip_that_libreoffice_cannot_open_is_a_conversion_error(converter: Converter, official_docx: Path,
                                                                tmp_path: Path):
    src = tmp_path / "truncated.docx"
    src.write_bytes(official_docx.read_bytes()[:3000])  # ZIP magic, broken archive
    with pytest.raises(ConversionError, match="truncated.docx"):
        converter.convert(src, tmp_path / "t.pdf")
    # the converter is still usable afterwards
    assert converter.convert(official_docx, tmp_path / "ok.pdf").is_file()


def test_hostile_docx_corpus_never_hangs(converter: Converter, tmp_path: Path, shared_dir: Path):
    files = sorted((shared_dir / "corpora" / "hostile_docx" / "poi").iterdir())
    assert len(files) > 20
    outcomes = {}
    for f in files:
        try:
            converter.convert(f, tmp_path / (f.stem + ".pdf"))
            outcomes[f.name] = "ok"
        except ConversionError as e:
            assert "无法转换" in str(e) or "超时" in str(e)
            outcomes[f.name] = "refused"
    assert "ok" in outcomes.values() and "refused" in outcomes.values()
    assert outcomes["openxml4j_invalid.xlsx"] == "refused"


def test_cold_conversion_matches(official_docx: Path, tmp_path: Path):
    pdf = convert_cold(official_docx, tmp_path / "cold.pdf", timeout=120)
    assert fonts_not_embedded(pdf) == [] and missing_glyphs(pdf) == []
    with pdfplumber.open(pdf) as doc:
        assert "一、总体要求" in doc.pages[0].extract_text()
    assert not list(tmp_path.glob(".haizhi-cold-*"))


def test_without_pyuno_the_converter_falls_back_to_cold(official_docx: Path, tmp_path: Path):
    with Converter() as conv:
        conv._warm = False  # as when the interpreter cannot import uno
        pdf = conv.convert(official_docx, tmp_path / "fallback.pdf")
        assert conv._proc is None and conv.pid is None
        assert fonts_not_embedded(pdf) == [] and missing_glyphs(pdf) == []
        with pytest.raises(ConversionError, match="超时"):
            conv.timeout = 0.5
            conv.convert(official_docx, tmp_path / "slow.pdf")
        assert processes_mentioning(str(conv._cold_profile)) == []


def processes_mentioning(text: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and text.encode() in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def test_shared_converter_is_one_per_process():
    assert shared_converter() is shared_converter()


def test_bad_target_and_missing_source(converter: Converter, official_docx: Path, tmp_path: Path):
    with pytest.raises(ConversionError, match="扩展名"):
        converter.convert(official_docx, tmp_path / "noext")
    with pytest.raises(ConversionError, match="不存在"):
        converter.convert(tmp_path / "nope.docx", tmp_path / "x.pdf")
