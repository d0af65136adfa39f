"""Crafted files are answered in seconds with what was too large, by every command that reads them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import bombs
import pytest
from extract_builders import new_doc, retyped_coop, save

from haizhi.extractors import READERS, extract_file
from haizhi.extractors.limits import MAX_OPERATORS

ROOT = Path(__file__).resolve().parents[2]
LIMIT_S = 10.0
MAX_RSS_MB = 256  # a CLI run, its guard child included; the stream bomb alone inflates to 200 MB


@pytest.fixture(scope="module")
def good_docx(tmp_path_factory) -> bytes:
    doc = new_doc()
    retyped_coop(doc)
    return save(doc, tmp_path_factory.mktemp("good") / "good.docx").read_bytes()


@pytest.fixture(scope="module")
def the_three(tmp_path_factory, good_docx: bytes) -> dict[str, tuple[Path, str]]:
    """The bombs the commands must refuse, each with the words that say what was too large."""
    d = tmp_path_factory.mktemp("bombs")
    return {
        "stream": (bombs.stream_bomb_pdf(d / "回件.pdf"), "解压后超过"),
        "zip": (bombs.zip_bomb_docx(good_docx, d / "回件.docx"), "解压后 1024 MB"),
        "laughs": (bombs.billion_laughs_docx(good_docx, d / "回件笑.docx"), "XML 实体"),
    }


@pytest.mark.parametrize("build, words", [
    (bombs.stream_bomb_pdf, "数据流解压后超过 16 MB"),
    (bombs.operator_bomb_pdf, "绘图指令"),
    (bombs.form_reuse_pdf, "第 1 页的绘图指令"),
    (bombs.many_pages_pdf, "5000 个页面对象"),
    (bombs.huge_image_pdf, "60000×60000 像素"),
])
def test_pdf_that_expands_is_refused_in_seconds(tmp_path: Path, build, words: str) -> None:
    p = build(tmp_path / "x.pdf")
    assert p.stat().st_size < 600 * 1024
    t0 = time.monotonic()
    res = extract_file(p)
    assert time.monotonic() - t0 < LIMIT_S
    assert not res.readable and res.findings[0].severity == "error"
    assert words in res.findings[0].message, res.findings[0].message


@pytest.mark.parametrize("build, words", [
    (bombs.zip_bomb_docx, "word/media/image1.png 解压后 1024 MB"),
    (bombs.billion_laughs_docx, "word/document.xml 含有 XML 实体"),
    (bombs.big_xml_docx, "XML 部件 word/document.xml 解压后 40 MB"),
])
def test_docx_that_expands_is_refused_in_seconds(tmp_path: Path, good_docx: bytes, build, words: str) -> None:
    p = build(good_docx, tmp_path / "x.docx")
    t0 = time.monotonic()
    res = extract_file(p)
    assert time.monotonic() - t0 < LIMIT_S
    assert not res.readable and words in res.findings[0].message, res.findings[0].message


def test_image_file_that_declares_too_many_pixels_is_refused_in_seconds(tmp_path: Path) -> None:
    p = bombs.huge_png(tmp_path / "扫描件.png")
    t0 = time.monotonic()
    res = extract_file(p)
    assert time.monotonic() - t0 < LIMIT_S
    assert not res.readable and "像素" in res.findings[0].message, res.findings


def test_a_dense_real_page_is_far_below_the_operator_limit(tmp_path: Path) -> None:
    p = bombs.form_reuse_pdf(tmp_path / "ok.pdf", form_ops=300, uses=20)  # 6000 operators on the page
    res = extract_file(p)
    assert res.readable, res.findings
    assert MAX_OPERATORS > 6000 * 10


def test_one_dispatch_table() -> None:
    assert set(READERS) == {"docx", "pdf", "image", "legacy"}
    import haizhi.extractors.extract as extract_mod

    assert "guard" not in vars(extract_mod)  # the guard imports extract, never the reverse


# A forked child's peak RSS starts at its parent's (the kernel keeps the pre-exec high-water mark),
# so the command is started from this small probe process, which reports its children's peak.
PROBE = ("import resource, subprocess, sys; r = subprocess.run(sys.argv[2:]); "
         "open(sys.argv[1], 'w').write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)); "
         "sys.exit(r.returncode)")


def _measured(args: list[str], env: dict[str, str] | None = None) -> tuple[int, str, float, float]:
    """Run the CLI: exit code, output, seconds, peak RSS (MB) of the command and every child it waited for."""
    fd, name = tempfile.mkstemp(prefix="haizhi-rss-")
    os.close(fd)
    rss_file = Path(name)
    t0 = time.monotonic()
    try:
        res = subprocess.run([sys.executable, "-c", PROBE, str(rss_file), sys.executable, "-m",
                              "haizhi.pipeline.cli", *args], cwd=ROOT, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, env={**os.environ, **(env or {})}, timeout=300)
        seconds = time.monotonic() - t0
        rss_mb = int(rss_file.read_text()) / 1024
    finally:
        rss_file.unlink(missing_ok=True)
    return res.returncode, res.stdout.decode(), seconds, rss_mb


@pytest.mark.parametrize("command", ["validate", "export"])
@pytest.mark.parametrize("bomb", ["stream", "zip", "laughs"])
def test_commands_refuse_bombs_fast_with_bounded_memory(the_three, tmp_path: Path, command: str,
                                                        bomb: str) -> None:
    path, words = the_three[bomb]
    args = [command, str(path)] + (["--out", str(tmp_path / "exp"), "--no-pdf"] if command == "export" else [])
    code, out, seconds, rss_mb = _measured(args, {"HAIZHI_READ_TIMEOUT": str(LIMIT_S)})
    assert code == 2, out
    assert words in out and "超时" not in out, out
    assert seconds < LIMIT_S, f"{command} {bomb}: {seconds:.1f}s"
    assert rss_mb < MAX_RSS_MB, f"{command} {bomb}: {rss_mb:.0f} MB"


def test_validate_reads_through_the_guard(tmp_path: Path, shared_dir: Path) -> None:
    doc = new_doc()
    retyped_coop(doc)
    for i in range(3000):
        doc.add_paragraph(f"第{i}段：" + "很长的正文内容" * 60)
    big = save(doc, tmp_path / "长回件.docx")  # small on disk, ~40 MB once parsed
    code, out, _, _ = _measured(["validate", str(big)], {"HAIZHI_READ_MEMORY_MB": "8"})
    assert code == 2 and "内存" in out, out  # the child's 8 MB cap: this command itself has no cap
    code, out, _, _ = _measured(["validate", str(big)], {"HAIZHI_READ_MEMORY_MB": "1024"})
    assert code == 0 and "1 条记录" in out, out
    slow = shared_dir / "corpora" / "hostile_pdf" / "ocrmypdf" / "enormous.pdf"
    t0 = time.monotonic()
    code, out, _, _ = _measured(["validate", str(slow)], {"HAIZHI_READ_TIMEOUT": "1"})
    # the wall-clock limit or the child's CPU-time limit (the same seconds), whichever the child reaches first
    assert code == 2 and ("读取超时（超过 1 秒）" in out or "读取超时（CPU 时间超过 1 秒）" in out), out
    assert time.monotonic() - t0 < 30


def test_intake_refuses_bombs_each_within_its_limit(the_three, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox" / "某机构"
    inbox.mkdir(parents=True)
    ops = bombs.operator_bomb_pdf(inbox / "回件指令.pdf")  # pdfminer alone would take minutes on it
    for path, _ in the_three.values():
        (inbox / path.name).write_bytes(path.read_bytes())
    # --timeout 10: a file not answered within 10 s would be recorded as timed out, not as too large
    code, out, seconds, rss_mb = _measured(["intake", str(inbox.parent), "--out", str(tmp_path / "out"),
                                            "--timeout", str(LIMIT_S), "-j", "1", "--no-export", "--json", "-q"])
    assert code == 0, out
    summary = json.loads(out[out.index("{"):])
    reasons = dict(summary["rejected"])
    assert len(reasons) == 4
    assert "绘图指令" in reasons[f"某机构/{ops.name}"]
    for path, words in the_three.values():
        why = reasons[f"某机构/{path.name}"]
        assert words in why and "超时" not in why, why
    assert seconds < 4 * LIMIT_S + 20  # four files one after another, plus start-up and the ledger
    assert rss_mb < 1024, f"{rss_mb:.0f} MB"
