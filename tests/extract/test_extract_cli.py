"""haizhi extract: JSON of the contract, a readable Chinese table, exit status for unreadable input."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from extract_builders import new_doc, page_break, retyped_base, retyped_coop, save

from haizhi.pipeline.cli import cli


def _run(*args: str):
    return CliRunner().invoke(cli, ["extract", *args])


def test_json_one_record(tmp_path: Path, coop_record) -> None:
    doc = new_doc()
    retyped_coop(doc)
    p = save(doc, tmp_path / "回件.docx")
    r = _run(str(p), "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert isinstance(data, dict)
    assert set(data) == {"form", "source", "fields", "provenance", "marks", "findings"}
    assert data["fields"] == coop_record.fields
    assert data["source"]["method"] == "docx" and data["source"]["pages"] == 1
    assert data["marks"] == {"recommender_signed": None, "recommender_sealed": None,
                             "institution_signed": None, "institution_sealed": None}


def test_json_two_forms_prints_a_list(tmp_path: Path) -> None:
    doc = new_doc()
    retyped_coop(doc)
    page_break(doc)
    retyped_base(doc)
    r = _run(str(save(doc, tmp_path / "两表.docx")), "--json")
    assert r.exit_code == 0
    data = json.loads(r.stdout)
    assert [d["form"] for d in data] == ["coop_institution", "base_application"]


def test_table_output_is_chinese(tmp_path: Path) -> None:
    doc = new_doc()
    retyped_coop(doc)
    r = _run(str(save(doc, tmp_path / "回件.docx")))
    assert r.exit_code == 0
    assert "推荐中国科协海智计划合作机构信息表" in r.stdout
    assert "机构负责人 · 手机" in r.stdout and "13812345678" in r.stdout
    assert "注册地是否在境外" in r.stdout and "否" in r.stdout


def test_unreadable_exit_status_and_stderr(tmp_path: Path) -> None:
    bad = tmp_path / "坏.pdf"
    bad.write_bytes(b"%PDF-1.4\n garbage")
    r = _run(str(bad), "--json")
    assert r.exit_code == 2
    assert "无法读取" in r.stderr


def test_foreign_form_is_not_an_error(shared_dir: Path) -> None:
    p = shared_dir / "corpora" / "foreign_forms" / "szmath_award_form.docx"
    r = _run(str(p), "--json")
    assert r.exit_code == 0
    assert json.loads(r.stdout) == []
    assert "不是海智计划的表格" in r.stderr


def test_several_files_in_parallel_keep_their_order(tmp_path: Path) -> None:
    coop, base = new_doc(), new_doc()
    retyped_coop(coop)
    retyped_base(base)
    files = [save(coop, tmp_path / "甲.docx"), save(base, tmp_path / "乙.docx"), save(coop, tmp_path / "丙.docx")]
    r = _run(*map(str, files), "--json", "-j", "2")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert [d["form"] for d in data] == ["coop_institution", "base_application", "coop_institution"]
    assert "已读取 3/3" in r.stderr


def test_several_files_share_one_warm_reading_child_per_thread(tmp_path: Path, monkeypatch) -> None:
    from haizhi.extractors.warm import WarmReader

    starts: list[int] = []
    real_start = WarmReader._start

    def counted(self, mem_mb: int) -> None:
        starts.append(mem_mb)
        real_start(self, mem_mb)

    monkeypatch.setattr(WarmReader, "_start", counted)
    coop = new_doc()
    retyped_coop(coop)
    bad = tmp_path / "坏.pdf"
    bad.write_bytes(b"%PDF-1.4\n garbage")
    files = [save(coop, tmp_path / "甲.docx"), bad, save(coop, tmp_path / "丙.docx")]
    r = _run(*map(str, files), "--json", "-j", "1")
    assert r.exit_code == 2, r.output  # one file unreadable
    assert "无法读取" in r.stderr and "已读取 3/3" in r.stderr
    data = json.loads(r.stdout)
    assert [d["form"] for d in data] == ["coop_institution", "coop_institution"]
    assert len(starts) == 1, "three files, one thread: one reading child for all of them"
