"""WarmReader: one guarded child reads file after file with its OCR models loaded, under extract_file's limits."""

from __future__ import annotations

import shutil
from pathlib import Path

import bombs
import pytest

from haizhi.extractors import extract_file
from haizhi.extractors.warm import WarmReader
from haizhi.pipeline.core.record import load_record
from haizhi.pipeline.simulate import simulate_scan

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def two_scans(tmp_path_factory, cfg2023) -> tuple[Path, Path]:
    d = tmp_path_factory.mktemp("warm")
    rec = load_record(ROOT / "fixtures" / "records" / "coop_example.json")
    sim = simulate_scan(rec, "clean", d / "a", cfg2023, fmt="pdf", seed=3)
    first = sim.pages[0]
    second = d / "第二份回件.pdf"
    shutil.copyfile(first, second)
    return first, second


def _org(res) -> str:
    assert res.readable and res.records, [f.message for f in res.findings]
    assert res.records[0].fields
    return repr(sorted(res.records[0].fields.items(), key=str))


def test_second_file_reuses_child_and_loaded_engine(two_scans) -> None:
    first, second = two_scans
    with WarmReader() as r:
        a = extract_file(first, reader=r)
        p1 = r.probe()
        b = extract_file(second, reader=r)
        p2 = r.probe()
    assert p1["engines"], "the OCR engine is loaded in the child"
    assert p2["pid"] == p1["pid"] and p2["files"] == 2
    assert p2["engines"] == p1["engines"]  # the same engine object: models were not loaded again
    assert _org(a) == _org(b)
    assert r.restarts == 0 and r.recycled == 0


def test_child_is_recycled_after_max_files(tmp_path: Path, monkeypatch) -> None:
    from extract_builders import new_doc, retyped_coop, save

    from haizhi.extractors import warm

    doc = new_doc()
    retyped_coop(doc)
    good = save(doc, tmp_path / "good.docx")
    monkeypatch.setattr(warm, "MAX_FILES", 2)
    with WarmReader() as r:
        pids = []
        for _ in range(3):
            pids.append(r.probe()["pid"])  # the child that reads the next file
            assert r.read(good).records
    assert pids[0] == pids[1] != pids[2] and r.recycled == 1 and r.restarts == 0


def test_timeout_costs_one_file_and_the_next_is_read_by_a_fresh_child(two_scans) -> None:
    first, second = two_scans
    with WarmReader() as r:
        pid = r.probe()["pid"]
        late = extract_file(first, reader=r, timeout=0.2)  # OCR of a page takes longer than this
        assert not late.readable and "读取超时（超过 0.2 秒）" in late.findings[0].message
        assert r.restarts == 1
        ok = extract_file(second, reader=r)
        after = r.probe()
    assert after["pid"] != pid and after["files"] == 1
    assert _org(ok)


def test_memory_cap_hit_is_a_finding_and_the_child_is_replaced(two_scans) -> None:
    first, second = two_scans
    with WarmReader() as r:
        starved = extract_file(first, reader=r, max_memory_mb=30)  # the OCR models alone need more
        assert not starved.readable and starved.findings[0].severity == "error"
        msg = starved.findings[0].message
        assert "内存上限" in msg or "崩溃" in msg, msg
        assert r.restarts == 1  # killed, or told to stop: a child that hit its cap is not reused
        ok = extract_file(second, reader=r)
        assert r.probe()["files"] == 1
    assert _org(ok)


def test_crashed_idle_child_is_replaced_before_the_next_file(two_scans) -> None:
    import os
    import signal
    import time

    first, _ = two_scans
    with WarmReader() as r:
        pid = r.probe()["pid"]
        os.kill(pid, signal.SIGKILL)
        time.sleep(0.2)
        res = extract_file(first, reader=r)
        assert r.probe()["pid"] != pid
    assert _org(res)


@pytest.mark.parametrize("build, words", [
    (bombs.stream_bomb_pdf, "数据流解压后超过 16 MB"),
    (bombs.huge_image_pdf, "60000×60000 像素"),
])
def test_crafted_files_get_the_same_findings_through_a_warm_reader(tmp_path: Path, build, words: str) -> None:
    p = build(tmp_path / "x.pdf")
    with WarmReader() as r:
        res = extract_file(p, reader=r)
        again = r.read(p)
        assert r.restarts == 0
    assert not res.readable and words in res.findings[0].message, res.findings[0].message
    assert again.findings[0].message == res.findings[0].message
