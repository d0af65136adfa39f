"""Ledger behaviour with a stand-in extraction task (see fake_task.py)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select

import haizhi.pipeline.codes.models  # noqa: F401 - issued_forms (migration 0003) is in the ledger too
from haizhi.pipeline.intake import ledger
from haizhi.pipeline.intake.db import Application, Base, File, FindingRow, RecordRow, default_url, open_db
from haizhi.pipeline.intake.run import Options, run_intake
from tests.intake.helpers import FAKE, coop, counts, write_json

CJK = re.compile(r"[\u4e00-\u9fff]")


def make_inbox(root):
    write_json(root / "甲公司" / "信息表.json", coop("甲科技有限公司", "91440300MA5FXT3K4L"))
    write_json(root / "甲公司" / "扫描件.json", coop("甲科技有限公司", "91440300MA5FXT3K4L", "ocr", staff_total=47))
    write_json(root / "甲公司" / "营业执照.json")
    write_json(root / "乙机构" / "表.json", coop("乙国际人才服务中心", "91110108MA01ABCD2X"))
    write_json(root / "丙研究院.json", coop("丙研究院", "12100000400000001A"))
    (root / "垃圾.pdf").write_bytes(b"%PDF-1.4 garbage")
    zbuf = root / "丁.zip"
    with zipfile.ZipFile(zbuf, "w") as zf:
        zf.writestr("丁/表.json", write_json(root.parent / "d.json", coop("丁公司", "91310000MA1FL0000X")).read_text())
        zf.writestr("../../逃逸.json", "{}")
    return root


def opts(tmp_path, inbox, **kw):
    o = Options(inbox=inbox, out=tmp_path / "out", workers=2, year=2026, exports=False, progress=False,
                task=FAKE, timeout=30, mem_mb=1024)
    for k, v in kw.items():
        setattr(o, k, v)
    return o


def test_schema_matches_models(tmp_path):
    engine, _ = open_db(default_url(tmp_path))
    with engine.connect() as c:
        assert compare_metadata(MigrationContext.configure(c, opts={"compare_type": True}), Base.metadata) == []
    engine.dispose()


def test_intake_then_second_run_adds_nothing(tmp_path):
    inbox = make_inbox(tmp_path / "inbox")
    o = opts(tmp_path, inbox)
    s1 = run_intake(o)
    url = default_url(o.out)
    c1 = counts(url)
    assert c1["files"] == 8 and c1["records"] == 5 and c1["applications"] == 4
    assert s1.files_new == 8 and s1.processed == 7  # the zip itself is not extracted
    rejected = dict(s1.rejected)
    assert "逃逸" in " ".join(rejected) and "垃圾.pdf" in rejected
    assert all(CJK.search(r) for r in rejected.values())
    engine, S = open_db(url)
    with S() as s:
        jia = s.scalar(select(Application).where(Application.name == "甲科技有限公司"))
        rows = list(s.scalars(select(RecordRow).where(RecordRow.application_id == jia.id)))
        assert sorted(r.copy for r in rows) == ["editable", "scan"]
        assert sorted(r.version for r in rows) == [1, 2]
        cmp = list(s.scalars(select(FindingRow).where(FindingRow.scope == f"application:{jia.id}",
                                                      FindingRow.origin == "compare")))
        assert [f.field for f in cmp] == ["staff_total"]
        licence = s.scalar(select(File).where(File.name == "营业执照.json"))
        assert licence.kind == "license"
        # the editable copy is current, with the scan's seals
        cur = s.get(RecordRow, jia.current_record_id)
        assert cur.copy == "editable" and jia.status in ("需补正", "不符合条件")
    engine.dispose()

    s2 = run_intake(o)
    assert counts(url) == c1
    assert s2.files_new == 0 and s2.processed == 0 and s2.records_new == 0
    assert s2.changes == {"added": 0, "retired": 0, "status_changed": 0}


def test_resubmission_is_a_new_version_history_kept(tmp_path):
    inbox = make_inbox(tmp_path / "inbox")
    o = opts(tmp_path, inbox)
    run_intake(o)
    # a corrected form arrives in a new folder; the credit code ties it to the application
    write_json(inbox / "甲公司（补正）" / "信息表v2.json",
               coop("甲科技有限公司", "91440300MA5FXT3K4L", staff_total=50))
    s2 = run_intake(o)
    assert s2.files_new == 1 and s2.records_new == 1
    engine, S = open_db(default_url(o.out))
    with S() as s:
        apps = list(s.scalars(select(Application).where(Application.credit_code == "91440300MA5FXT3K4L")))
        assert len(apps) == 1
        rows = {r.version: r for r in s.scalars(select(RecordRow).where(RecordRow.application_id == apps[0].id))}
        assert sorted(rows) == [1, 2, 3]
        assert rows[1].fields["staff_total"] == 46 and rows[3].fields["staff_total"] == 50
        assert apps[0].current_record_id == rows[3].id
    engine.dispose()
    assert counts(default_url(o.out))["applications"] == 4


def test_bad_files_cost_only_themselves(tmp_path):
    inbox = tmp_path / "inbox"
    write_json(inbox / "好1.json", coop("好一公司", "91440300MA5FXT3K41"))
    (inbox / "慢.json").write_bytes(b"SLEEP")
    (inbox / "崩.json").write_bytes(b"CRASH")
    (inbox / "吃内存.json").write_bytes(b"HOG")
    write_json(inbox / "好2.json", coop("好二公司", "91440300MA5FXT3K42"))
    s = run_intake(opts(tmp_path, inbox, timeout=4, mem_mb=600))
    rej = dict(s.rejected)
    assert "超时" in rej["慢.json"]
    assert "异常退出" in rej["崩.json"]
    assert "内存" in rej["吃内存.json"]
    assert s.applications_year == 2 and counts(default_url(tmp_path / "out"))["records"] == 2
    # a failed file is not retried by default, only with retry_failed
    assert run_intake(opts(tmp_path, inbox, timeout=4, mem_mb=600)).processed == 0
    again = run_intake(opts(tmp_path, inbox, timeout=2, mem_mb=600, retry_failed=True))
    assert again.processed == 3
    engine, S = open_db(default_url(tmp_path / "out"))
    with S() as ses:
        slow = ses.scalar(select(File).where(File.name == "慢.json"))
        assert slow.state == "failed" and slow.attempts == 2
    engine.dispose()


def test_second_process_on_the_same_output_is_refused(tmp_path):
    import fcntl

    from haizhi.pipeline.core.errors import HaizhiError

    inbox = make_inbox(tmp_path / "inbox")
    out = tmp_path / "out"
    out.mkdir()
    with (out / ".intake.lock").open("w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        with pytest.raises(HaizhiError, match="另一个收件进程"):
            run_intake(opts(tmp_path, inbox))
    assert not (out / "haizhi.db").exists()


def test_failure_inside_a_file_transaction_leaves_no_half_rows(tmp_path, monkeypatch):
    inbox = make_inbox(tmp_path / "inbox")
    o = opts(tmp_path, inbox, workers=1)
    real = ledger._add_findings
    calls = {"n": 0}

    def boom(s, scope, origin, findings, run_id, **ids):
        if scope.startswith("record:"):
            calls["n"] += 1
            if calls["n"] == 3:
                raise RuntimeError("simulated crash mid-transaction")
        return real(s, scope, origin, findings, run_id, **ids)

    monkeypatch.setattr(ledger, "_add_findings", boom)
    with pytest.raises(RuntimeError):
        run_intake(o)
    url = default_url(o.out)
    engine, S = open_db(url)
    with S() as s:
        pending = list(s.scalars(select(File).where(File.state == "pending")))
        assert pending, "the interrupted file stays pending"
        for f in pending:
            assert s.scalars(select(RecordRow).where(RecordRow.file_id == f.id)).first() is None
    engine.dispose()
    monkeypatch.setattr(ledger, "_add_findings", real)
    run_intake(o)
    clean = opts(tmp_path / "clean", inbox)
    run_intake(clean)
    assert counts(url) == counts(default_url(clean.out))


def test_hostile_institution_names_stay_inside_the_exports(tmp_path):
    inbox = tmp_path / "inbox"
    names = ["../../../逃逸机构", "CON", "a/b\\c:d*e?f|g<h>", "x" * 300, "\u202e恶意\x00名称"]
    for i, n in enumerate(names):
        write_json(inbox / f"f{i}.json", coop(n, f"91440300MA5FXT{i:04d}"))
    out = tmp_path / "out"
    s = run_intake(opts(tmp_path, inbox, exports=True, pdf=False))
    assert s.applications_year == len(names) and s.exports
    exports = (out / "exports").resolve()
    for p in s.exports.values():
        rp = Path(p).resolve()
        assert rp.is_file() and exports in rp.parents, p
        assert len(rp.name.encode()) <= 255
    assert not list(tmp_path.glob("逃逸机构*")) and not (tmp_path.parent / "逃逸机构").exists()
    outside = [p for p in out.rglob("*") if p.is_file() and not p.resolve().is_relative_to(out.resolve())]
    assert outside == []


def test_exports_validate_with_the_attachments(tmp_path):
    import json

    inbox = make_inbox(tmp_path / "inbox")
    s = run_intake(opts(tmp_path, inbox, exports=True, pdf=False))
    rules = {}
    for line in Path(s.exports["jsonl"]).read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        rules[d["fields"]["name_cn"]] = {f["rule"] for f in d["findings"]}
    assert "coop.attachment_registration" in rules["乙国际人才服务中心"]  # no licence in its folder
    assert "coop.attachment_registration" not in rules["甲科技有限公司"]  # 营业执照 came with it
    assert not any(r.startswith("intake:coop.attachment") for rs in rules.values() for r in rs)
